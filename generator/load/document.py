"""The loaded spec: plain JSON data in which every ``$ref`` is local (``#/...``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import ApigenError


def escape_pointer_token(token: str) -> str:
    """RFC 6901: ``~`` → ``~0``, ``/`` → ``~1``."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape_pointer_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


@dataclass(frozen=True)
class Document:
    """A bundled OpenAPI document.

    ``data`` is JSON-compatible (dicts, lists, str, int, float, bool, None). External-file refs
    have been bundled into it by the loader, so the builder only ever follows local pointers.
    """

    data: dict[str, Any]
    source: str
    sha256: str
    openapi_version: str
    locator: Callable[[str], str | None] | None = field(default=None, compare=False, repr=False)

    def resolve(self, ref: str, *, at: str | None = None) -> Any:
        """Follow a local ``$ref`` (``#/components/schemas/Pet``); ``at`` is where the ref stands."""
        if not ref.startswith("#"):
            raise ApigenError(f"unresolved non-local $ref {ref!r}", pointer=at)
        node: Any = self.data
        for raw in ref[1:].split("/")[1:] if ref != "#" else []:
            token = unescape_pointer_token(raw)
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise ApigenError(f"$ref target {ref!r} does not exist", pointer=at, location=self.locate(at))
        return node

    def locate(self, pointer: str | None) -> str | None:
        """``file:line`` of a JSON pointer when the loader can tell, else ``None``."""
        if pointer is None or self.locator is None:
            return None
        return self.locator(pointer)
