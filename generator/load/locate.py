"""``JSON pointer → file:line``, computed lazily and only when an error or warning needs it.

Nothing here runs on the happy path: the locator keeps the raw bytes and scans them (JSON) or
composes the YAML node tree (for its marks) on first use. An unreachable pointer maps to the
line of its deepest existing ancestor, which is still where a human should look.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import orjson
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .parse import Format, compose_yaml
from .pointer import pointer_tokens

Locator = Callable[[str], "str | None"]

_NEWLINE = b"\n"
_WS = re.compile(rb"[ \t\r\n]*")
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SCALAR = re.compile(rb"[^,}\]\s]*")
_INTERESTING = re.compile(rb'["{}\[\]]')


def _skip_ws(raw: bytes, pos: int) -> int:
    match = _WS.match(raw, pos)
    return match.end() if match else pos


def _skip_value(raw: bytes, pos: int) -> int:
    """End offset of the JSON value at ``pos`` (iterative: any depth)."""
    first = raw[pos : pos + 1]
    if first == b'"':
        match = _STRING.match(raw, pos)
        return match.end() if match else len(raw)
    if first not in (b"{", b"["):
        match = _SCALAR.match(raw, pos)
        return match.end() if match else pos
    depth = 0
    while True:
        match = _INTERESTING.search(raw, pos)
        if match is None:
            return len(raw)
        char = match.group()
        if char == b'"':
            string = _STRING.match(raw, match.start())
            pos = string.end() if string else len(raw)
            continue
        depth += 1 if char in (b"{", b"[") else -1
        pos = match.end()
        if depth == 0:
            return pos


def json_offset(raw: bytes, tokens: list[str]) -> int:
    """Byte offset of the member (key) or item that ``tokens`` names, or of its deepest ancestor."""
    pos = _skip_ws(raw, 0)
    for token in tokens:
        opener = raw[pos : pos + 1]
        if opener == b"{":
            cursor = _skip_ws(raw, pos + 1)
            while raw[cursor : cursor + 1] == b'"':
                key_match = _STRING.match(raw, cursor)
                if key_match is None:
                    return pos
                key = orjson.loads(key_match.group())
                value_pos = _skip_ws(raw, _skip_ws(raw, key_match.end()) + 1)  # past ':'
                if key == token:
                    pos = value_pos
                    key_pos = cursor
                    break
                cursor = _skip_ws(raw, _skip_value(raw, value_pos))
                cursor = _skip_ws(raw, cursor + 1) if raw[cursor : cursor + 1] == b"," else cursor
            else:
                return pos
            if token is tokens[-1]:
                return key_pos
        elif opener == b"[" and token.isdigit():
            cursor = _skip_ws(raw, pos + 1)
            for _ in range(int(token)):
                if raw[cursor : cursor + 1] in (b"]", b""):
                    return pos
                cursor = _skip_ws(raw, _skip_value(raw, cursor))
                cursor = _skip_ws(raw, cursor + 1) if raw[cursor : cursor + 1] == b"," else cursor
            if raw[cursor : cursor + 1] in (b"]", b""):
                return pos
            pos = cursor
        else:
            return pos
    return pos


def _yaml_child(node: Node, token: str) -> Node | None:
    if isinstance(node, MappingNode):
        merged: list[Node] = []
        for key, value in node.value:
            if isinstance(key, ScalarNode):
                if key.value == token:
                    found_value: Node = value
                    return found_value
                if key.value == "<<":
                    merged.extend(value.value if isinstance(value, SequenceNode) else [value])
        for source in merged:
            found = _yaml_child(source, token)
            if found is not None:
                return found
        return None
    if isinstance(node, SequenceNode) and token.isdigit() and int(token) < len(node.value):
        child: Node = node.value[int(token)]
        return child
    return None


def _yaml_key_line(node: Node, token: str) -> int | None:
    if isinstance(node, MappingNode):
        for key, _value in node.value:
            if isinstance(key, ScalarNode) and key.value == token:
                return int(key.start_mark.line) + 1
    return None


def yaml_line(root: Node, tokens: list[str]) -> int:
    """1-based line of the key (or item) ``tokens`` names, or of its deepest ancestor."""
    node = root
    line = int(root.start_mark.line) + 1
    for token in tokens:
        child = _yaml_child(node, token)
        if child is None:
            return line
        line = _yaml_key_line(node, token) or int(child.start_mark.line) + 1
        node = child
    return line


def make_locator(raw: bytes, name: str, fmt: Format) -> Locator:
    """A ``pointer → "file:line"`` function; the first call pays for the scan, later ones reuse it."""
    cache: dict[str, Any] = {}

    def locate(pointer: str) -> str | None:
        tokens = pointer_tokens(pointer)
        if fmt == "json":
            offset = json_offset(raw, tokens)
            return f"{name}:{raw.count(_NEWLINE, 0, offset) + 1}"
        if "root" not in cache:
            try:
                cache["root"] = compose_yaml(raw)
            except (yaml.YAMLError, RecursionError):
                cache["root"] = None
        root = cache["root"]
        if root is None:
            return name
        return f"{name}:{yaml_line(root, tokens)}"

    return locate
