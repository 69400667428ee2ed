"""JSON Schema (2020-12) for what a caller sends, derived from the IR schemas the plan carries.

Two forms of the same schema. In the *reference* form every named schema is a
``{"$ref": "#/$defs/<Name>"}`` to its :meth:`JsonSchemaBuilder.definition`, so a schema that
refers to itself stays finite and a large API's shared types are written once. The *inline*
form has no ``$ref`` at all, for agent hosts that never resolve one; it exists only where no
reference cycle is reachable, and :meth:`JsonSchemaBuilder.inline_size` says what it would
cost before anyone builds it (expanding a graph of shared types can grow exponentially).

Properties the server fills (``readOnly``) are left out, as the request ``TypedDict`` leaves
them out. Unions become ``anyOf`` even for ``oneOf``: the IR keeps no constraints (patterns,
bounds), so variants the spec tells apart by those would overlap and ``oneOf`` would reject
valid input. Spec text (descriptions, defaults, examples) enters the result only as JSON data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..ir.model import (
    AnySchema,
    Api,
    ArraySchema,
    JsonValue,
    LiteralSchema,
    MapSchema,
    ObjectSchema,
    PrimitiveSchema,
    RefSchema,
    Schema,
    SchemaBase,
    UnionSchema,
    _Missing,
    assert_never,
)
from ..literals import clean_text

JsonSchema = dict[str, Any]

DEFS_PREFIX = "#/$defs/"


class JsonSchemaBuilder:
    """Request-side JSON Schemas of one API; each named schema's definition is built once."""

    def __init__(self, api: Api) -> None:
        self._api = api
        self._definitions: dict[str, JsonSchema] = {}
        self._inline: dict[str, JsonSchema] = {}
        self._sizes: dict[str, int | None] = {}
        self._stub_sizes: dict[str, int] = {}
        self._keys = {named.name: named.key for named in api.schemas}

    def schema(self, schema: Schema) -> JsonSchema:
        """The reference form of one value's schema."""
        return _convert(schema, self._stub)

    def definition(self, name: str) -> JsonSchema:
        """The reference form of the named schema called ``name`` (its class name)."""
        key = self._keys[name]
        found = self._definitions.get(key)
        if found is None:
            named = self._api.schema(key)
            found = _titled(_convert(named.schema, self._stub), named.title)
            self._definitions[key] = found
        return found

    def definitions(self, schemas: Iterable[JsonSchema]) -> dict[str, JsonSchema]:
        """Every definition the reference-form ``schemas`` need, transitively, by name."""
        needed: dict[str, JsonSchema] = {}
        pending = [name for schema in schemas for name in references(schema)]
        while pending:
            name = pending.pop()
            if name not in needed:
                needed[name] = self.definition(name)
                pending.extend(references(needed[name]))
        return {name: needed[name] for name in sorted(needed)}

    def inline_size(self, schema: JsonSchema) -> int | None:
        """Bytes of the inline form of a reference-form schema (about: as compact JSON);
        ``None`` when a reference cycle is reachable, so no inline form exists."""
        total = len(_compact(schema))
        for name in references(schema):
            size = self._size(name)
            if size is None:
                return None
            total += size - self._stub_size(name)
        return total

    def inline(self, schema: JsonSchema) -> JsonSchema:
        """The inline form of a reference-form schema; only where :meth:`inline_size` is not
        ``None``. Inlined definitions are shared objects (serialise, never mutate)."""
        inlined: JsonSchema = _substitute(schema, self._inlined)
        return inlined

    def _inlined(self, name: str) -> JsonSchema:
        found = self._inline.get(name)
        if found is None:
            found = self.inline(self.definition(name))
            self._inline[name] = found
        return found

    def _size(self, name: str) -> int | None:
        """Inline size of a definition: depth first over the reference graph, iteratively (a
        long chain of types cannot exhaust the stack). A target still open when its referrer
        finishes is an ancestor, so the referrer is on a cycle: ``None``, and so is everything
        that reaches it."""
        if name in self._sizes:
            return self._sizes[name]
        open_names = {name}
        stack = [(name, iter(set(references(self.definition(name)))))]
        while stack:
            current, targets = stack[-1]
            target = next(
                (t for t in targets if t not in self._sizes and t not in open_names), None
            )
            if target is not None:
                open_names.add(target)
                stack.append((target, iter(set(references(self.definition(target))))))
                continue
            stack.pop()
            open_names.discard(current)
            body = self.definition(current)
            total: int | None = len(_compact(body))
            for ref in references(body):
                size = self._sizes.get(ref)
                if size is None or total is None:
                    total = None
                    break
                total += size - self._stub_size(ref)
            self._sizes[current] = total
        return self._sizes[name]

    def _stub_size(self, name: str) -> int:
        """Compact size of a ``$ref`` to ``name``, each counted once (thousands of operations
        refer to the same few hundred definitions)."""
        found = self._stub_sizes.get(name)
        if found is None:
            found = self._stub_sizes[name] = len(_compact(self._stub_of(name)))
        return found

    def _stub(self, key: str) -> JsonSchema:
        return self._stub_of(self._api.schema(key).name)

    @staticmethod
    def _stub_of(name: str) -> JsonSchema:
        return {"$ref": DEFS_PREFIX + name}


def references(schema: JsonSchema) -> Iterator[str]:
    """The definition names a reference-form schema's ``$ref`` entries point at, with repeats."""
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(DEFS_PREFIX):
                yield ref.removeprefix(DEFS_PREFIX)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _substitute(node: Any, inlined: Any) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(DEFS_PREFIX):
            target = inlined(ref.removeprefix(DEFS_PREFIX))
            siblings = {k: _substitute(v, inlined) for k, v in node.items() if k != "$ref"}
            return {**target, **siblings} if siblings else target
        return {key: _substitute(value, inlined) for key, value in node.items()}
    if isinstance(node, list):
        return [_substitute(item, inlined) for item in node]
    return node


def _compact(schema: JsonSchema) -> str:
    return json.dumps(schema, separators=(",", ":"))


def _convert(schema: Schema, stub: Any) -> JsonSchema:
    """One IR schema in reference form; ``stub`` gives the ``$ref`` object of a named key."""
    match schema:
        case RefSchema():
            ref: JsonSchema = stub(schema.ref)
            return {"anyOf": [ref, {"type": "null"}]} if schema.nullable else ref
        case AnySchema():
            return _annotate({}, schema)
        case PrimitiveSchema():
            return _annotate(_primitive(schema), schema)
        case LiteralSchema():
            values: list[JsonValue] = list(schema.values)
            if schema.nullable and None not in values:
                values.append(None)
            return _annotate({"enum": values}, schema)
        case ArraySchema():
            out: JsonSchema = {
                "type": _typed("array", schema.nullable),
                "items": _convert(schema.items, stub),
            }
            if schema.unique_items:
                out["uniqueItems"] = True
            return _annotate(out, schema)
        case MapSchema():
            out = {
                "type": _typed("object", schema.nullable),
                "additionalProperties": _convert(schema.values, stub),
            }
            return _annotate(out, schema)
        case ObjectSchema():
            return _annotate(_object(schema, stub), schema)
        case UnionSchema():
            variants = [_convert(variant, stub) for variant in schema.variants]
            if schema.nullable:
                variants.append({"type": "null"})
            return _annotate({"anyOf": variants}, schema)
        case _:
            assert_never(schema)


def _object(schema: ObjectSchema, stub: Any) -> JsonSchema:
    sent = [prop for prop in schema.properties if not prop.schema.read_only]
    out: JsonSchema = {"type": _typed("object", schema.nullable)}
    if sent:
        out["properties"] = {
            prop.wire_name: described(_convert(prop.schema, stub), prop.description)
            for prop in sent
        }
    required = [prop.wire_name for prop in sent if prop.required]
    if required:
        out["required"] = required
    if schema.additional is not None:
        out["additionalProperties"] = _convert(schema.additional, stub)
    elif schema.closed:
        out["additionalProperties"] = False
    return out


def _typed(name: str, nullable: bool) -> str | list[str]:
    return [name, "null"] if nullable else name


def _primitive(schema: PrimitiveSchema) -> JsonSchema:
    if schema.type == "null":
        return {"type": "null"}
    out: JsonSchema = {"type": _typed(schema.type, schema.nullable)}
    if schema.format == "byte":
        out["contentEncoding"] = "base64"  # the wire value is base64 text already
    elif schema.format:
        out["format"] = schema.format
    return out


def described(schema: JsonSchema, description: str | None) -> JsonSchema:
    """A property's own description wins over its schema's (a ``$ref`` keeps its siblings
    in 2020-12, so a referenced schema can carry one too)."""
    text = clean_text(description)
    return {**schema, "description": text} if text else schema


def _titled(schema: JsonSchema, title: str | None) -> JsonSchema:
    text = " ".join(clean_text(title).split())
    return {"title": text, **schema} if text and "title" not in schema else schema


def _annotate(out: JsonSchema, schema: SchemaBase) -> JsonSchema:
    """Description, default, example and flags: spec text as JSON values only."""
    text = clean_text(schema.description)
    if text:
        out["description"] = text
    if not isinstance(schema.default, _Missing):
        out["default"] = schema.default
    if not isinstance(schema.example, _Missing):
        out["examples"] = [schema.example]
    if schema.deprecated:
        out["deprecated"] = True
    if schema.write_only:
        out["writeOnly"] = True
    return out
