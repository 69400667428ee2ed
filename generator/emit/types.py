"""Python type expressions for IR schemas, in two flavours.

*Response* types are pydantic models (``TaskRun``) that validate what the server sends.
*Request* types are TypedDicts (``McpServerParam``) so callers can pass plain dict literals, as
in the official SDKs, and type checkers still check every key.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Literal

from ..ir.model import (
    AnySchema,
    Api,
    ArraySchema,
    LiteralSchema,
    MapSchema,
    NamedSchema,
    ObjectSchema,
    PrimitiveSchema,
    RefSchema,
    Schema,
    UnionSchema,
    child_schemas,
)
from ..naming.schemas import field_names
from .literals import py_literal

Mode = Literal["response", "request"]

_RESPONSE_FORMATS = {"date-time": "datetime", "date": "date"}
_PRIMITIVE = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "null": "None",
}


@dataclass
class TypeRenderer:
    """Renders annotations and records which helper names they need imported."""

    api: Api
    mode: Mode
    used: set[str] = field(default_factory=set)
    """Names from typing / datetime / pydantic the rendered expressions use."""
    refs: set[str] = field(default_factory=set)
    """Keys of named schemas referenced by name."""
    forward: frozenset[str] = frozenset()
    """Names that are not defined yet where the expression is evaluated: quoted."""

    def render(self, schema: Schema) -> str:
        return self._render(schema, frozenset())

    def _render(self, schema: Schema, expanding: frozenset[str]) -> str:
        inner = self._inner(schema, expanding)
        return nullable(inner) if schema.nullable else inner

    def _inner(self, schema: Schema, expanding: frozenset[str]) -> str:
        if isinstance(schema, AnySchema):
            return "object"
        if isinstance(schema, PrimitiveSchema):
            return self._primitive(schema)
        if isinstance(schema, LiteralSchema):
            return self._literal(schema)
        if isinstance(schema, ArraySchema):
            container = "list" if self.mode == "response" else "Sequence"
            self.used.add(container)
            return f"{container}[{self._render(schema.items, expanding)}]"
        if isinstance(schema, MapSchema):
            container = "dict" if self.mode == "response" else "Mapping"
            self.used.add(container)
            return f"{container}[str, {self._render(schema.values, expanding)}]"
        if isinstance(schema, RefSchema):
            return self._ref(schema, expanding)
        if isinstance(schema, UnionSchema):
            return self._union(schema, expanding)
        assert isinstance(schema, ObjectSchema)  # objects are always named by the builder
        return "object"

    def _primitive(self, schema: PrimitiveSchema) -> str:
        fmt = _RESPONSE_FORMATS.get(schema.format or "") if schema.type == "string" else None
        if fmt is None:
            return _PRIMITIVE[schema.type]
        self.used.add(fmt)
        return f"str | {fmt}" if self.mode == "request" else fmt

    def _literal(self, schema: LiteralSchema) -> str:
        exact = [v for v in schema.values if not isinstance(v, float)]
        floats = (
            "float" if len(exact) < len(schema.values) else ""
        )  # typing.Literal does not admit floats
        if not exact:
            return floats
        self.used.add("Literal")
        literal = "Literal[" + ", ".join(py_literal(v) for v in exact) + "]"
        return f"{literal} | {floats}" if floats else literal

    def _ref(self, schema: RefSchema, expanding: frozenset[str]) -> str:
        named = self.api.schema(schema.ref)
        if self.mode == "request":
            if isinstance(named.schema, ObjectSchema):
                return self._name(named, named.request_name or named.name)
            if schema.ref in expanding:
                return "object"  # a recursive alias cannot be expanded further
            if not self.needs_request_variant(named):
                return self._name(named, named.name)
            return self._render(named.schema, expanding | {schema.ref})
        return self._name(named, named.name)

    def _name(self, named: NamedSchema, name: str) -> str:
        self.refs.add(named.key)
        return f'"{name}"' if name in self.forward else name

    def _union(self, schema: UnionSchema, expanding: frozenset[str]) -> str:
        variants = _merge_literals(schema.variants)
        rendered = list(dict.fromkeys(self._render(variant, expanding) for variant in variants))
        if "object" in rendered:
            return "object"
        if len(rendered) == 1:
            return rendered[0]
        union = " | ".join(rendered)
        if self.mode == "response" and self.discriminator_usable(schema):
            assert schema.discriminator is not None
            self.used.update({"Annotated", "Field"})
            return f"Annotated[{union}, Field(discriminator={py_literal(schema.discriminator.property_name)})]"
        return union

    def discriminator_usable(self, schema: UnionSchema) -> bool:
        """Pydantic needs every variant to be a model whose tag field is a required literal."""
        if schema.discriminator is None:
            return False
        tag = schema.discriminator.property_name
        for variant in schema.variants:
            if not isinstance(variant, RefSchema):
                return False
            target = self.api.schema(variant.ref).schema
            if not isinstance(target, ObjectSchema):
                return False
            prop = next((p for p in target.properties if p.wire_name == tag), None)
            if prop is None or not isinstance(prop.schema, LiteralSchema) or prop.schema.nullable:
                return False
            if not prop.required and literal_default(prop.schema) is None:
                return False
            if not all(isinstance(v, str) for v in prop.schema.values) or field_names(target)[tag] != tag:
                return False
        values = [
            v
            for variant in schema.variants
            if isinstance(variant, RefSchema)
            for v in _tag_values(self.api, variant, tag)
        ]
        return len(values) == len(set(values))

    def needs_request_variant(self, named: NamedSchema) -> bool:
        """Does a non-object named schema reach an object (and so differ between the two modes)?"""
        return any(
            isinstance(self.api.schema(key).schema, ObjectSchema)
            for key in reachable_refs(self.api, named.schema)
        )


def _merge_literals(variants: tuple[Schema, ...]) -> list[Schema]:
    """``Literal["a"] | Literal["b"]`` is written ``Literal["a", "b"]`` (ruff's PYI030); the merged
    literal stands where the first one stood."""
    literals = [
        v
        for v in variants
        if isinstance(v, LiteralSchema) and not any(isinstance(x, float) for x in v.values)
    ]
    if len(literals) < 2:
        return list(variants)
    typed = dict.fromkeys((type(value), value) for literal in literals for value in literal.values)
    values = tuple(value for _, value in typed)  # keyed by type too: ``True == 1`` must not merge
    merged = replace(
        literals[0], values=values, nullable=any(literal.nullable for literal in literals)
    )
    out: list[Schema] = []
    for variant in variants:
        if variant is literals[0]:
            out.append(merged)
        elif not any(variant is literal for literal in literals):
            out.append(variant)
    return out


def nullable(annotation: str) -> str:
    """``X | None`` (no-op for ``object``, ``None`` and what is already optional)."""
    if annotation in ("object", "None") or annotation.endswith(" | None"):
        return annotation
    return f"{annotation} | None"


def literal_default(schema: Schema) -> str | None:
    """For a one-value literal whose default is that value (a ``const`` tag): the value's literal."""
    if (
        isinstance(schema, LiteralSchema)
        and len(schema.values) == 1
        and schema.default == schema.values[0]
    ):
        return py_literal(schema.values[0])
    return None


def _tag_values(api: Api, variant: RefSchema, tag: str) -> list[str]:
    target = api.schema(variant.ref).schema
    assert isinstance(target, ObjectSchema)
    prop = next(p for p in target.properties if p.wire_name == tag)
    assert isinstance(prop.schema, LiteralSchema)
    return [str(v) for v in prop.schema.values]


def direct_refs(schema: Schema) -> Iterator[str]:
    """Keys of named schemas used directly by a schema (not following refs)."""
    stack: list[Schema] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, RefSchema):
            yield node.ref
        else:
            stack.extend(child_schemas(node))


def reachable_refs(api: Api, schema: Schema) -> set[str]:
    """Every named schema reachable from ``schema`` through refs (cycle-safe)."""
    return reachable_refs_all(api, (schema,))


def reachable_refs_all(api: Api, schemas: Iterable[Schema]) -> set[str]:
    """Every named schema reachable from any of ``schemas``: one walk, however many roots share
    their targets (Microsoft Graph: ~50,000 parameter and body schemas)."""
    seen: set[str] = set()
    stack = [key for schema in schemas for key in direct_refs(schema)]
    while stack:
        key = stack.pop()
        if key in seen:
            continue
        seen.add(key)
        stack.extend(direct_refs(api.schema(key).schema))
    return seen
