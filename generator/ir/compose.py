"""The meet of two schemas (what both accept): how an ``allOf`` becomes one precise type.

Pure functions over IR schemas. A ref is followed through ``lookup`` and kept as it is when the
other side adds nothing to it (``allOf: [{$ref: Name}, {nullable: true}]`` stays a ``Name``,
made nullable). Members that only annotate (``description``, ``nullable``, constraints the IR
does not model, like ``maximum``) convert to :class:`AnySchema` and add just their annotations.
``None`` means the two contradict each other (an object and a string): nothing is valid.

Unions are not met here: the builder distributes them (``A ∧ (B | C)`` is ``A∧B | A∧C``), since
the new members need names. A union met here (one reached through a ref inside a distributed
member) is kept as it is: looser than the exact meet, still a type that accepts every valid value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace

from .model import (
    MISSING,
    AnySchema,
    ArraySchema,
    LiteralSchema,
    MapSchema,
    ObjectSchema,
    PrimitiveSchema,
    Property,
    RefSchema,
    Schema,
    SchemaBase,
    UnionSchema,
    assert_never,
)

Lookup = Callable[[str], Schema]
"""What a ref's key stands for (an ``AnySchema`` when it adds nothing: a cycle)."""

_BASE_FIELDS = tuple(f.name for f in fields(SchemaBase))


def meet(a: Schema, b: Schema, lookup: Lookup) -> Schema | None:
    """The schema of what both ``a`` and ``b`` accept, or ``None`` when nothing is.

    Annotations: descriptions, defaults and examples of ``b`` win (it is written later); flags
    are or-ed; the result admits ``None`` when both sides do, or when a side that only annotates
    says so (the ``{nullable: true}`` member)."""
    shape = _meet_shapes(a, b, lookup)
    if shape is None:
        return None
    nullable = (a.nullable and b.nullable) or (
        (isinstance(a, AnySchema) and a.nullable) or (isinstance(b, AnySchema) and b.nullable)
    )
    return replace(
        shape,
        nullable=nullable,
        description=b.description or a.description,
        default=b.default if b.default is not MISSING else a.default,
        example=b.example if b.example is not MISSING else a.example,
        read_only=a.read_only or b.read_only,
        write_only=a.write_only or b.write_only,
        deprecated=a.deprecated or b.deprecated,
    )


def same_shape(a: Schema, b: Schema) -> bool:
    """Equal once the annotations every kind shares are set aside."""
    return type(a) is type(b) and _bare(a) == _bare(b)


def _bare(schema: Schema) -> Schema:
    return replace(schema, **{name: getattr(SchemaBase(), name) for name in _BASE_FIELDS})


def _meet_shapes(a: Schema, b: Schema, lookup: Lookup) -> Schema | None:
    if isinstance(b, AnySchema):
        return a
    if isinstance(a, AnySchema):
        return b
    if isinstance(a, RefSchema) and isinstance(b, RefSchema) and a.ref == b.ref:
        return a
    if isinstance(a, RefSchema):
        return _meet_ref(a, b, lookup, ref_first=True)
    if isinstance(b, RefSchema):
        return _meet_ref(b, a, lookup, ref_first=False)
    if isinstance(a, UnionSchema):
        return a
    if isinstance(b, UnionSchema):
        return b
    match a:
        case ObjectSchema():
            return _meet_object(a, b, lookup)
        case MapSchema():
            if isinstance(b, ObjectSchema):
                return _meet_object(b, a, lookup)
            if isinstance(b, MapSchema):
                return replace(a, values=refine(a.values, b.values, lookup))
            return None
        case ArraySchema():
            if isinstance(b, ArraySchema):
                return replace(
                    a,
                    items=refine(a.items, b.items, lookup),
                    unique_items=a.unique_items or b.unique_items,
                )
            return None
        case PrimitiveSchema() | LiteralSchema():
            return _meet_scalar(a, b)
        case _:
            assert_never(a)


def _meet_ref(ref: RefSchema, other: Schema, lookup: Lookup, *, ref_first: bool) -> Schema | None:
    target = lookup(ref.ref)
    if isinstance(target, AnySchema):  # a ref that stands for nothing more (a cycle)
        return other if not isinstance(other, AnySchema) else ref
    if isinstance(target, UnionSchema):
        return ref
    if isinstance(other, UnionSchema):
        return other
    merged = meet(target, other, lookup) if ref_first else meet(other, target, lookup)
    if merged is None:
        return None
    return ref if same_shape(merged, target) else merged


def _meet_object(obj: ObjectSchema, other: Schema, lookup: Lookup) -> Schema | None:
    if isinstance(other, MapSchema):
        if isinstance(other.values, AnySchema) or obj.additional is not None:
            return obj
        return replace(obj, additional=other.values)
    if not isinstance(other, ObjectSchema):
        return None
    merged: dict[str, Property] = {prop.wire_name: prop for prop in obj.properties}
    for prop in other.properties:
        before = merged.get(prop.wire_name)
        if before is None:
            merged[prop.wire_name] = prop
            continue
        merged[prop.wire_name] = Property(
            wire_name=prop.wire_name,
            schema=refine(before.schema, prop.schema, lookup),
            required=before.required or prop.required,
            description=prop.description or before.description,
        )
    return ObjectSchema(
        properties=tuple(merged.values()),
        additional=obj.additional if obj.additional is not None else other.additional,
        closed=obj.closed and other.closed,
    )


def refine(a: Schema, b: Schema, lookup: Lookup) -> Schema:
    """The meet of two property (or item) schemas where it needs no new named schema; else
    ``b``, the later one, as it always was (a field keeps one type, never a contradiction)."""
    if a == b:
        return a
    scalar = (PrimitiveSchema, LiteralSchema, AnySchema)
    if isinstance(a, scalar) and isinstance(b, scalar):
        return meet(a, b, lookup) or b
    if isinstance(a, AnySchema) or isinstance(b, AnySchema):
        return meet(a, b, lookup) or b
    return b


def _meet_scalar(
    a: PrimitiveSchema | LiteralSchema, b: Schema
) -> PrimitiveSchema | LiteralSchema | None:
    if isinstance(a, LiteralSchema):
        if isinstance(b, LiteralSchema):
            values = tuple(v for v in a.values if _has(b.values, v))
            return replace(a, values=values) if values else None
        if isinstance(b, PrimitiveSchema):
            values = tuple(v for v in a.values if _is_a(v, b.type))
            return replace(a, values=values) if values else None
        return None
    if isinstance(b, LiteralSchema):
        return _meet_scalar(b, a)
    if not isinstance(b, PrimitiveSchema):
        return None
    if a.type == b.type:
        return replace(a, format=a.format or b.format)
    if {a.type, b.type} == {"integer", "number"}:
        return replace(a, type="integer", format=a.format or b.format)
    return None


def _has(values: tuple[object, ...], value: object) -> bool:
    """Membership keyed by type too: ``True == 1`` are two values."""
    return any(type(v) is type(value) and v == value for v in values)


def _is_a(value: object, type_: str) -> bool:
    match type_:
        case "string":
            return isinstance(value, str)
        case "boolean":
            return isinstance(value, bool)
        case "integer":
            return isinstance(value, int) and not isinstance(value, bool)
        case "number":
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        case _:
            return value is None
