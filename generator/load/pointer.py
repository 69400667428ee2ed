"""JSON pointers (RFC 6901) and ``$ref`` splitting, shared by every loader module."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote


def escape_pointer_token(token: str) -> str:
    """RFC 6901: ``~`` → ``~0``, ``/`` → ``~1``."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape_pointer_token(token: str) -> str:
    """Inverse of :func:`escape_pointer_token`."""
    return token.replace("~1", "/").replace("~0", "~")


def pointer_tokens(fragment: str) -> list[str]:
    """``#/a/b~1c`` or ``/a/b~1c`` → ``["a", "b/c"]``; refs are URI fragments, so %-decode too."""
    fragment = fragment.removeprefix("#")
    if "%" in fragment:
        fragment = unquote(fragment)
    if fragment in ("", "/"):
        return [] if fragment == "" else [""]
    return [unescape_pointer_token(raw) for raw in fragment.split("/")[1:]]


def join_pointer(tokens: list[str] | tuple[str, ...]) -> str:
    """``["a", "b/c"]`` → ``#/a/b~1c``."""
    return "#" + "".join("/" + escape_pointer_token(t) for t in tokens)


_MISSING = object()


def get_at(data: Any, tokens: Sequence[str]) -> Any:
    """The node at ``tokens`` or :data:`MISSING`; never raises, so callers choose the error."""
    node = data
    for token in tokens:
        if isinstance(node, dict):
            node = node.get(token, _MISSING)
            if node is _MISSING:
                return _MISSING
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return _MISSING
    return node


MISSING: Any = _MISSING


def find_pointer(root: Any, target: object) -> str | None:
    """Pointer of the container ``target`` (by identity) in ``root``; only used on error paths.

    Iterative so arbitrarily deep data cannot overflow the stack; ``seen`` guards shared and
    cyclic data.
    """
    stack: list[tuple[Any, tuple[str, ...]]] = [(root, ())]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if node is target:
            return join_pointer(path)
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, (dict, list)):
                    stack.append((value, (*path, str(key))))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                if isinstance(value, (dict, list)):
                    stack.append((value, (*path, str(index))))
    return None
