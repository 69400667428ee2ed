"""What the inline members of a union are named after, read from the members' own shape.

A member that becomes a class of its own (an inline object, or a composition or array that
hoists one) is named after its union plus a label, best first:

1. its tag: the value of the discriminator property (or, without a declared discriminator, of
   a property every such member fixes to one distinct string, ``type: {enum: [text]}``);
2. its ``title``;
3. the one ``$ref`` of its ``allOf`` (the base it extends);
4. else its position (``Variant2``), as before, when the union has more than two members.

Labels come from the spec's shape only, so a regeneration gives the same names; two members
that derive one label keep it and the naming stage numbers the second.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..load.pointer import unescape_pointer_token

Resolve = Callable[[Any], Any]
"""Follows a ``$ref`` node to its target (one level is enough for the keywords read here)."""

_COMPOSITIONS = ("allOf", "oneOf", "anyOf")


def variant_labels(node: dict[str, Any], variants: Sequence[Any], resolve: Resolve) -> list[str]:
    """A hint suffix per member of ``node``'s union (``""``: named like the union itself)."""
    hoisting = [i for i, raw in enumerate(variants) if _hoists(raw)]
    labels = [""] * len(variants)
    if len(hoisting) < 2:
        return labels
    tags = _tags(node, [variants[i] for i in hoisting], resolve)
    for position, index in enumerate(hoisting):
        raw = variants[index]
        label = tags[position] or _title(raw) or _base(raw)
        if label:
            labels[index] = "_" + label
        elif len(variants) > 2:
            labels[index] = f"Variant{index}"
    return labels


def _hoists(raw: Any) -> bool:
    """Whether converting the member names a class after it (a ``$ref`` is named already)."""
    if not isinstance(raw, dict) or "$ref" in raw:
        return False
    if raw.get("type") == "object" or "properties" in raw:
        return True
    if any(isinstance(raw.get(key), list) for key in _COMPOSITIONS):
        return True
    if isinstance(raw.get("additionalProperties"), dict):
        return _hoists(raw["additionalProperties"])
    return _hoists(raw.get("items"))


def _properties(raw: Any, resolve: Resolve) -> dict[str, Any]:
    """The member's properties, with those of the schemas its ``allOf`` lists."""
    found: dict[str, Any] = {}
    parts = [raw, *(raw.get("allOf") or [])] if isinstance(raw, dict) else []
    for part in parts:
        target = resolve(part) if isinstance(part, dict) and "$ref" in part else part
        props = target.get("properties") if isinstance(target, dict) else None
        if isinstance(props, dict):
            for name, schema in props.items():
                found.setdefault(str(name), schema)
    return found


def _fixed_string(schema: Any, resolve: Resolve) -> str | None:
    """The one string a property allows (``const``, or an ``enum`` of one)."""
    if isinstance(schema, dict) and "$ref" in schema:
        schema = resolve(schema)
    if not isinstance(schema, dict):
        return None
    if isinstance(schema.get("const"), str):
        return str(schema["const"])
    enum = schema.get("enum")
    if isinstance(enum, list) and len(enum) == 1 and isinstance(enum[0], str):
        return enum[0]
    return None


def _tags(node: dict[str, Any], members: list[Any], resolve: Resolve) -> list[str]:
    """Each member's tag value (``""`` where it has none): the declared discriminator, else the
    first property (in the first member's order) that fixes a distinct string in every member."""
    properties = [_properties(raw, resolve) for raw in members]
    declared = node.get("discriminator")
    named = declared.get("propertyName") if isinstance(declared, dict) else None
    candidates = [named] if isinstance(named, str) else []
    candidates.extend(name for name in properties[0] if name not in candidates)
    for name in candidates:
        values = [_fixed_string(props.get(name), resolve) or "" for props in properties]
        present = [v for v in values if v]
        if not present or len(set(present)) != len(present):
            continue
        if name == named or all(values):  # the declared tag may leave some members untagged
            return values
    return [""] * len(members)


def _title(raw: Any) -> str:
    title = raw.get("title") if isinstance(raw, dict) else None
    return title.strip() if isinstance(title, str) else ""


def _base(raw: Any) -> str:
    parts = raw.get("allOf") if isinstance(raw, dict) else None
    if not isinstance(parts, list):
        return ""
    refs = [p["$ref"] for p in parts if isinstance(p, dict) and isinstance(p.get("$ref"), str)]
    if len(refs) != 1:
        return ""
    return unescape_pointer_token(str(refs[0]).rsplit("/", 1)[-1])
