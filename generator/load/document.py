"""The loaded spec: plain JSON data in which every ``$ref`` is local (``#/...``)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import field, replace
from typing import Any

from ..errors import ApigenError, SpecWarning
from ..records import record
from .pointer import MISSING, escape_pointer_token, get_at, pointer_tokens, unescape_pointer_token

__all__ = ["Document", "escape_pointer_token", "unescape_pointer_token"]


@functools.lru_cache(maxsize=1 << 16)
def _ref_tokens(ref: str) -> tuple[str, ...]:
    """A ref's tokens, split once: specs point at the same few components from everywhere
    (Microsoft Graph beta resolves ~160k refs, most of them a handful of shared parameters)."""
    return tuple(pointer_tokens(ref))


@record
class Document:
    """A bundled OpenAPI document.

    ``data`` is JSON-compatible (dicts, lists, str, int, float, bool, None). External-file refs
    have been bundled into it by the loader, so the builder only ever follows local pointers.
    ``warnings`` are spec problems that did not block loading (see ``Document.locate`` for lines).
    """

    data: dict[str, Any]
    source: str
    sha256: str
    openapi_version: str
    self_contained: bool = field(default=False, compare=False)
    """Whether no ``$ref`` reached another file or URL: the root file's bytes were then the
    whole input (``apigen check`` trusts its hash alone). ``False`` when unknown."""
    locator: Callable[[str], str | None] | None = field(default=None, compare=False, repr=False)
    warnings: tuple[SpecWarning, ...] = field(default=(), compare=False)

    def resolve(self, ref: str, *, at: str | None = None) -> Any:
        """Follow a local ``$ref`` (``#/components/schemas/Pet``); ``at``: where the ref stands."""
        if not ref.startswith("#"):
            raise ApigenError(
                f"unresolved non-local $ref {ref!r}", pointer=at, location=self.locate(at)
            )
        node = get_at(self.data, _ref_tokens(ref))
        if node is MISSING:
            raise ApigenError(
                f"$ref target {ref!r} does not exist", pointer=at, location=self.locate(at)
            )
        return node

    def without_tree(self) -> Document:
        """This document without its parsed tree (``data`` is empty): once the IR is built
        nothing reads it, and it is the largest thing in memory (~200 MB on Microsoft Graph
        beta's 47 MB spec); source, hash and locations stay."""
        return replace(self, data={})

    def locate(self, pointer: str | None) -> str | None:
        """``file:line`` of a JSON pointer when the loader can tell, else ``None``."""
        if pointer is None or self.locator is None:
            return None
        return self.locator(pointer)
