"""Structural comparison of two schemas: resolved shapes, not ``$ref`` names.

A finding is rated twice, once for each way a value can travel. The client *sends* requests: a
narrower type (a removed enum value, a new required field) breaks callers, a wider one does not.
It *receives* responses: a narrower type breaks nothing, a wider one (a new enum value or union
member) is potentially breaking, and whatever changes the Python type of an attribute (``str`` →
``datetime``, a model → ``object``) breaks readers. Named schemas are compared once per
(old, new) pair; pairs form a graph the caller walks to find every usage of a change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..ir.graph import direct_refs
from ..ir.model import (
    AnySchema,
    Api,
    ArraySchema,
    LiteralSchema,
    MapSchema,
    ObjectSchema,
    PrimitiveSchema,
    Property,
    RefSchema,
    Schema,
    UnionSchema,
)
from ..naming.schemas import field_names
from ..records import record
from .model import Severity, worst

B, P, N = Severity.BREAKING, Severity.POTENTIALLY_BREAKING, Severity.NON_BREAKING
Pair = tuple[str, str]
"""(old schema key, new schema key): two named schemas compared as one."""

_PYTHON_FORMATS = {"date-time": "datetime", "date": "date"}
_WIDENINGS = {("integer", "number")}
_MAX_DEREF = 64


@record
class Finding:
    kind: str
    at: str
    """Suffix of the location inside what was compared: ``.tag``, ``[]``, ``{}``, or empty."""
    message: str
    request: Severity
    response: Severity


@dataclass(slots=True)
class Sink:
    """Where a comparison puts what it finds: findings here, named pairs it reached."""

    findings: list[Finding] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)

    def add(self, kind: str, at: str, message: str, request: Severity, response: Severity) -> None:
        self.findings.append(Finding(kind, at, message, request, response))


@dataclass(slots=True)
class PairResult:
    findings: list[Finding]
    children: list[Pair]
    retarget: bool
    """A ref now points at a schema that already existed (not a move or rename): its findings
    are summarised where the ref stands, not reported under the new schema's name."""


class SchemaComparer:
    """Compares schemas of ``old`` and ``new``; memoises named pairs (cycle-safe)."""

    def __init__(self, old: Api, new: Api, explain: Callable[[str, str], str | None]) -> None:
        """``explain(pointer, at)`` says why apigen degraded the new schema at ``pointer`` +
        ``at`` to ``Any`` (its warning), or returns ``None``."""
        self.old = old
        self.new = new
        self.explain = explain
        self.old_keys = {s.key for s in old.schemas}
        self.new_keys = {s.key for s in new.schemas}
        self.results: dict[Pair, PairResult] = {}
        self._components = {s.key for s in old.schemas if not s.inline}
        self._clean: dict[Pair, bool] = {}
        self._nullability_changed: frozenset[str] | None = None

    # ------------------------------------------------------------------ pairs
    def moved(self, old_key: str, new_key: str) -> bool:
        """Same schema under another key: inline ↔ component, or a component renamed."""
        return old_key == new_key or (old_key not in self.new_keys and new_key not in self.old_keys)

    def pair(self, pair: Pair) -> PairResult:
        found = self.results.get(pair)
        if found is None:
            # Provisional entry first: a cycle back to this pair sees "no findings" (co-inductive).
            self.results[pair] = found = PairResult([], [], not self.moved(*pair))
            sink = Sink()
            before, after = self.old.schema(pair[0]), self.new.schema(pair[1])
            self.compare(before.schema, after.schema, "", sink, after.pointer, top=True)
            found.findings[:] = sink.findings
            found.children[:] = sink.pairs
        return found

    def clean(self, pair: Pair) -> bool:
        """No structural difference in this pair or anything it reaches."""
        known = self._clean.get(pair)
        if known is not None:
            return known
        seen: set[Pair] = set()
        stack = [pair]
        while stack:
            current = stack.pop()
            if current in seen or self._clean.get(current) is True:
                continue
            seen.add(current)
            result = self.pair(current)
            if result.findings or self._clean.get(current) is False:
                self._clean[pair] = False
                return False
            stack.extend(result.children)
        for visited in seen:
            self._clean[visited] = True
        return True

    def same(self, old: Schema, new: Schema) -> bool:
        sink = Sink()
        self.compare(old, new, "", sink, None)
        return not sink.findings and all(self.clean(p) for p in sink.pairs)

    def unchanged(self, old: Schema, new: Schema, sink: Sink, pointer: str | None) -> None:
        """:meth:`compare` for two schemas already known equal (an unchanged operation's): only
        what their refs point at can differ — nullability through a ref, and the pairs reached."""
        if not self._reached_unchanged(old, sink):
            self.compare(old, new, "", sink, pointer)

    def _reached_unchanged(self, schema: Schema, sink: Sink) -> bool:
        """Record the pairs an unchanged ``schema`` reaches, unless a ref in it now accepts
        null on one side only (then ``False``: it must be compared for that)."""
        refs = list(direct_refs(schema))
        if not self.nullability_changed().isdisjoint(refs):
            return False
        sink.pairs.extend((key, key) for key in refs)
        return True

    def nullability_changed(self) -> frozenset[str]:
        """Keys on both sides whose schema, followed through refs, accepts null on one side only:
        a use of one inside an unchanged schema (``items: $ref``) changes all the same."""
        if self._nullability_changed is None:
            self._nullability_changed = frozenset(
                key
                for key in self.old_keys & self.new_keys
                if _nullable(RefSchema(ref=key), self.old)
                != _nullable(RefSchema(ref=key), self.new)
            )
        return self._nullability_changed

    # ------------------------------------------------------------------ schemas
    def compare(
        self,
        old: Schema,
        new: Schema,
        at: str,
        sink: Sink,
        pointer: str | None,
        *,
        top: bool = False,
    ) -> None:
        """Record in ``sink`` every difference between ``old`` and ``new`` at ``at``
        (``pointer``: where the new side stands in its document, to explain degraded parts).

        Nullability is judged where a schema is used (``top`` is a named schema's own body),
        through refs, so a ``nullable`` moving between a ref and its target is no change."""
        if not top:
            was, now = _nullable(old, self.old), _nullable(new, self.new)
            if now and not was:
                sink.add("became-nullable", at, "may now be null", N, B)
            elif was and not now:
                sink.add("became-non-nullable", at, "no longer accepts null", B, N)
        # The common case: nothing moved, and no ref inside it now accepts null on one side only.
        if old == new and not isinstance(old, RefSchema) and self._reached_unchanged(old, sink):
            return
        if isinstance(old, RefSchema) and isinstance(new, RefSchema):
            self._refs(old, new, at, sink)
            return
        old, new = _deref(old, self.old), _deref(new, self.new)
        if isinstance(old, AnySchema) or isinstance(new, AnySchema):
            if not (isinstance(old, AnySchema) and isinstance(new, AnySchema)):
                self._any(old, new, at, sink, pointer)
            return
        if isinstance(old, UnionSchema) or isinstance(new, UnionSchema):
            self._unions(old, new, at, sink, pointer)
            return
        if isinstance(old, RefSchema) or isinstance(new, RefSchema):
            self._kind_changed(old, new, at, sink)
            return
        if isinstance(old, LiteralSchema) and isinstance(new, PrimitiveSchema):
            if _literal_fits(old, new):
                sink.add("enum-constraint-removed", at, f"no longer an enum (any {new.type})", N, P)
            else:
                self._kind_changed(old, new, at, sink)
            return
        if isinstance(old, PrimitiveSchema) and isinstance(new, LiteralSchema):
            if _literal_fits(new, old):
                values = ", ".join(repr(v) for v in new.values)
                sink.add("enum-constraint-added", at, f"now an enum: {values}", B, N)
            else:
                self._kind_changed(old, new, at, sink)
            return
        if isinstance(old, PrimitiveSchema) and isinstance(new, PrimitiveSchema):
            self._primitives(old, new, at, sink)
        elif isinstance(old, LiteralSchema) and isinstance(new, LiteralSchema):
            self._enums(old, new, at, sink)
        elif isinstance(old, ArraySchema) and isinstance(new, ArraySchema):
            self.compare(old.items, new.items, f"{at}[]", sink, None)
        elif isinstance(old, MapSchema) and isinstance(new, MapSchema):
            self.compare(old.values, new.values, f"{at}{{}}", sink, None)
        elif isinstance(old, ObjectSchema) and isinstance(new, ObjectSchema):
            self._objects(old, new, at, sink, pointer)
        else:
            self._kind_changed(old, new, at, sink)

    def _refs(self, old: RefSchema, new: RefSchema, at: str, sink: Sink) -> None:
        pair = (old.ref, new.ref)
        sink.pairs.append(pair)
        if self.moved(*pair):  # compared when the caller walks the pairs, not here
            return
        result = self.pair(pair)
        before, after = self.old.schema(old.ref).name, self.new.schema(new.ref).name
        if self.clean(pair):
            sink.add(
                "type-retargeted",
                at,
                f"now typed {after} instead of {before} (same shape; code naming {before} "
                "for this value must change)",
                P,
                P,
            )
            return
        own = result.findings
        request = worst(P, *(f.request for f in own))
        response = worst(P, *(f.response for f in own))
        detail = "; ".join(f"{f.at.lstrip('.') or after}: {f.message}" for f in own[:3])
        more = f"; and {len(own) - 3} more" if len(own) > 3 else ""
        nested = f" ({detail}{more})" if detail else " (nested fields differ)"
        sink.add(
            "type-changed", at, f"type changed from {before} to {after}{nested}", request, response
        )

    def _kind_changed(self, old: Schema, new: Schema, at: str, sink: Sink) -> None:
        sink.add(
            "type-changed",
            at,
            f"type changed from {self.describe(old, self.old)} to {self.describe(new, self.new)}",
            B,
            B,
        )

    def _any(
        self,
        old: Schema,
        new: Schema,
        at: str,
        sink: Sink,
        pointer: str | None,
    ) -> None:
        if isinstance(new, AnySchema):
            why = self.explain(pointer, at) if pointer is not None else None
            reason = f" ({why})" if why else ""
            sink.add(
                "type-loosened-to-any",
                at,
                f"type changed from {self.describe(old, self.old)} to any value, typed `object`"
                f"{reason}",
                N,
                B,
            )
        else:
            sink.add(
                "type-narrowed-from-any",
                at,
                f"type changed from any value to {self.describe(new, self.new)}",
                B,
                B,
            )

    def _primitives(self, old: PrimitiveSchema, new: PrimitiveSchema, at: str, sink: Sink) -> None:
        if old.type != new.type:
            change = f"type changed from {old.type} to {new.type}"
            if (old.type, new.type) in _WIDENINGS:
                sink.add("type-widened", at, change, N, P)
            elif (new.type, old.type) in _WIDENINGS:
                sink.add("type-narrowed", at, change, B, N)
            else:
                sink.add("type-changed", at, change, B, B)
            return
        if old.format == new.format:
            return
        before = _PYTHON_FORMATS.get(old.format or "") if old.type == "string" else None
        after = _PYTHON_FORMATS.get(new.format or "") if new.type == "string" else None
        formats = f"format changed from {old.format or 'none'} to {new.format or 'none'}"
        if before != after:
            sink.add(
                "python-type-changed",
                at,
                f"{formats}: the model attribute is now `{after or 'str'}` (was "
                f"`{before or 'str'}`)",
                P,
                B,
            )
        elif new.format is None or new.type != "string":
            # int32/int64/float/double do not change the Python type or what callers send
            sink.add(
                "format-removed" if new.format is None else "format-changed", at, formats, N, N
            )
        else:  # a string format (uuid, email, uri, ...) the server may now enforce
            sink.add("format-changed", at, formats, P, N)

    def _enums(self, old: LiteralSchema, new: LiteralSchema, at: str, sink: Sink) -> None:
        removed = [v for v in old.values if v not in new.values]
        added = [v for v in new.values if v not in old.values]
        if removed and added and len(removed) == len(old.values):
            values = ", ".join(repr(v) for v in new.values)
            was = ", ".join(repr(v) for v in old.values)
            sink.add(
                "enum-values-replaced", at, f"now only {values} (was {was}): no value kept", B, B
            )
            return
        for value in removed:
            sink.add("enum-value-removed", at, f"enum value {value!r} removed", B, N)
        for value in added:
            sink.add("enum-value-added", at, f"enum value {value!r} added", N, P)

    # ------------------------------------------------------------------ unions
    def _unions(
        self,
        old: Schema,
        new: Schema,
        at: str,
        sink: Sink,
        pointer: str | None,
    ) -> None:
        before = _merge_literals(old.variants if isinstance(old, UnionSchema) else (old,))
        after = _merge_literals(new.variants if isinstance(new, UnionSchema) else (new,))
        matches, removed, added = self._match_variants(before, after)
        if not matches:
            self._kind_changed(old, new, at, sink)
            return
        for a, b in matches:
            self.compare(a, b, at, sink, pointer)
        for variant in removed:
            sink.add(
                "union-member-removed",
                at,
                f"union member {self.describe(variant, self.old)} removed",
                B,
                N,
            )
        for variant in added:
            sink.add(
                "union-member-added",
                at,
                f"union member {self.describe(variant, self.new)} added",
                N,
                P,
            )
        if isinstance(old, UnionSchema) and isinstance(new, UnionSchema):
            self._discriminators(old, new, at, sink)

    def _match_variants(
        self, old: tuple[Schema, ...], new: tuple[Schema, ...]
    ) -> tuple[list[tuple[Schema, Schema]], list[Schema], list[Schema]]:
        left, right = list(old), list(new)
        matches: list[tuple[Schema, Schema]] = []
        rules: tuple[Callable[[Schema, Schema], bool], ...] = (
            lambda a, b: (
                isinstance(a, RefSchema)
                and isinstance(b, RefSchema)
                and a.ref == b.ref
                and a.ref in self._components
            ),
            lambda a, b: self.same(a, b),
            lambda a, b: bool(_tags(a, self.old)) and _tags(a, self.old) == _tags(b, self.new),
            lambda a, b: isinstance(a, RefSchema) and isinstance(b, RefSchema) and a.ref == b.ref,
            lambda a, b: _label(a) == _label(b) and not isinstance(a, RefSchema),
        )
        for rule in rules:
            for a in list(left):
                b = next((x for x in right if rule(a, x)), None)
                if b is not None:
                    matches.append((a, b))
                    left.remove(a)
                    right.remove(b)
        # A lone schema left on each side that moved (inline ↔ component, a rename) is the
        # same member; with more candidates any pairing would be a guess.
        refs_left = [a for a in left if isinstance(a, RefSchema)]
        refs_right = [b for b in right if isinstance(b, RefSchema)]
        if len(refs_left) == 1 and len(refs_right) == 1:
            a, b = refs_left[0], refs_right[0]
            assert isinstance(a, RefSchema) and isinstance(b, RefSchema)
            if self.moved(a.ref, b.ref):
                matches.append((a, b))
                left.remove(a)
                right.remove(b)
        return matches, left, right

    def _discriminators(self, old: UnionSchema, new: UnionSchema, at: str, sink: Sink) -> None:
        d_old, d_new = old.discriminator, new.discriminator
        if d_old is None or d_new is None:
            return
        if d_old.property_name != d_new.property_name:
            sink.add(
                "discriminator-changed",
                at,
                f"discriminator property changed from {d_old.property_name} to "
                f"{d_new.property_name}",
                B,
                B,
            )
            return
        old_map, new_map = dict(d_old.mapping), dict(d_new.mapping)
        for value, target in old_map.items():
            if value not in new_map:
                sink.add(
                    "discriminator-value-removed",
                    at,
                    f"discriminator value {value!r} removed",
                    B,
                    N,
                )
            elif not self.moved(target, new_map[value]) and not self.clean(
                (target, new_map[value])
            ):
                sink.add(
                    "discriminator-mapping-changed",
                    at,
                    f"discriminator value {value!r} now selects "
                    f"{self.new.schema(new_map[value]).name} "
                    f"(was {self.old.schema(target).name})",
                    B,
                    B,
                )
        for value in new_map:
            if value not in old_map:
                sink.add(
                    "discriminator-value-added", at, f"discriminator value {value!r} added", N, P
                )

    # ------------------------------------------------------------------ objects
    def _objects(
        self,
        old: ObjectSchema,
        new: ObjectSchema,
        at: str,
        sink: Sink,
        pointer: str | None,
    ) -> None:
        before = {p.wire_name: p for p in old.properties}
        after = {p.wire_name: p for p in new.properties}
        new_names = field_names(new)
        # Attribute names follow from the wire names alone: the same wire names, the same names.
        same_wire = len(old.properties) == len(new.properties) and all(
            a.wire_name == b.wire_name for a, b in zip(old.properties, new.properties, strict=True)
        )
        old_names = new_names if same_wire else field_names(old)
        removed = [p for name, p in before.items() if name not in after]
        added = [p for name, p in after.items() if name not in before]
        for prop, renamed in self._renames(removed, added):
            sink.add(
                "field-renamed",
                f"{at}.{prop.wire_name}",
                f"field removed; the new field {renamed.wire_name!r} "
                f"(attribute `{new_names[renamed.wire_name]}`) "
                "has the same shape: a rename?",
                _unless_read_only(prop, B),
                _unless_write_only(prop, B),
            )
        for prop in removed:
            sink.add(
                "field-removed",
                f"{at}.{prop.wire_name}",
                "field removed",
                _unless_read_only(prop, B),
                _unless_write_only(prop, B),
            )
        for prop in added:
            where = f"{at}.{prop.wire_name}"
            if prop.required:
                sink.add(
                    "required-field-added",
                    where,
                    "new required field",
                    _unless_read_only(prop, B),
                    N,
                )
            else:
                sink.add("field-added", where, "new optional field", N, N)
        for name, prop in before.items():
            if name in after:
                attributes = (old_names[name], new_names[name])
                self._property(prop, after[name], attributes, f"{at}.{name}", sink, pointer)
        if new.closed and not old.closed:
            # Typed callers send only declared keys (a TypedDict rejects others): potentially.
            sink.add("extra-fields-forbidden", at, "extra fields no longer allowed", P, N)
        if old.additional is not None and new.additional is not None:
            self.compare(old.additional, new.additional, f"{at}{{}}", sink, None)

    def _property(
        self,
        old: Property,
        new: Property,
        attributes: tuple[str, str],
        at: str,
        sink: Sink,
        pointer: str | None,
    ) -> None:
        """``attributes``: the property's Python attribute name before and after."""
        start = len(sink.findings)
        if old.required != new.required:
            if new.required:
                sink.add("field-became-required", at, "became required", B, N)
            else:
                sink.add("field-became-optional", at, "became optional (may be absent)", N, B)
        if new.schema.read_only and not old.schema.read_only:
            sink.add("field-became-read-only", at, "now read-only (no longer sent)", B, N)
        if new.schema.deprecated and not old.schema.deprecated:
            sink.add("field-deprecated", at, "field deprecated", N, N)
        if attributes[0] != attributes[1]:
            sink.add(
                "attribute-renamed",
                at,
                f"attribute renamed from `{attributes[0]}` to `{attributes[1]}`",
                B,
                B,
            )
        self.compare(old.schema, new.schema, at, sink, pointer)
        if old.schema.read_only and new.schema.read_only:  # never sent: requests cannot break
            sink.findings[start:] = [_rated(f, request=N) for f in sink.findings[start:]]
        if old.schema.write_only and new.schema.write_only:  # never received
            sink.findings[start:] = [_rated(f, response=N) for f in sink.findings[start:]]

    def _renames(
        self, removed: list[Property], added: list[Property]
    ) -> Iterator[tuple[Property, Property]]:
        """Pair a removed and an added field of the same shape and required-ness as a rename."""
        for before in list(removed):
            after = next(
                (
                    a
                    for a in added
                    if a.required == before.required and self.same(before.schema, a.schema)
                ),
                None,
            )
            if after is not None:
                removed.remove(before)
                added.remove(after)
                yield before, after

    # ------------------------------------------------------------------ words
    def describe(self, schema: Schema, api: Api) -> str:
        if isinstance(schema, RefSchema):
            return api.schema(schema.ref).name
        if isinstance(schema, PrimitiveSchema):
            return f"{schema.type} ({schema.format})" if schema.format else schema.type
        if isinstance(schema, LiteralSchema):
            return (
                "enum "
                + ", ".join(repr(v) for v in schema.values[:4])
                + (", ..." if len(schema.values) > 4 else "")
            )
        if isinstance(schema, ArraySchema):
            return f"array of {self.describe(schema.items, api)}"
        if isinstance(schema, MapSchema):
            return f"map of {self.describe(schema.values, api)}"
        if isinstance(schema, UnionSchema):
            members = [self.describe(v, api) for v in schema.variants[:4]]
            return " | ".join(members) + (" | …" if len(schema.variants) > 4 else "")
        return schema.kind


def _deref(schema: Schema, api: Api) -> Schema:
    """A ref compared with an inline schema stands for its target (an enum moved behind a
    ``$ref`` is the same enum); a ref to an object stays a ref, since objects are always named."""
    for _ in range(_MAX_DEREF):
        if not isinstance(schema, RefSchema):
            break
        target = api.schema(schema.ref).schema
        if isinstance(target, ObjectSchema):
            break
        schema = target
    return schema


def _nullable(schema: Schema, api: Api) -> bool:
    """Whether null is accepted here, counting ``nullable`` on the ref and on its targets."""
    nullable = schema.nullable
    for _ in range(_MAX_DEREF):
        if not isinstance(schema, RefSchema):
            break
        schema = api.schema(schema.ref).schema
        nullable = nullable or schema.nullable
    return nullable


def _merge_literals(variants: tuple[Schema, ...]) -> tuple[Schema, ...]:
    """``enum: [a]`` | ``enum: [b]`` is one enum of two values, as the client types it
    (``Literal["a", "b"]``): adding a value as another variant is an enum value added."""
    literals = [v for v in variants if isinstance(v, LiteralSchema)]
    if len(literals) < 2:
        return variants
    values = tuple(dict.fromkeys(v for literal in literals for v in literal.values))
    merged = LiteralSchema(values=values, nullable=any(v.nullable for v in literals))
    first = variants.index(literals[0])
    rest = tuple(v for v in variants if not isinstance(v, LiteralSchema))
    return rest[:first] + (merged,) + rest[first:]


def _tags(schema: Schema, api: Api) -> frozenset[tuple[str, str]]:
    """The one-value literals of an object variant (``type: "created"``): what tells it apart
    from its siblings however the variants are reordered."""
    if not isinstance(schema, RefSchema):
        return frozenset()
    target = api.schema(schema.ref).schema
    if not isinstance(target, ObjectSchema):
        return frozenset()
    return frozenset(
        (p.wire_name, repr(p.schema.values[0]))
        for p in target.properties
        if isinstance(p.schema, LiteralSchema) and len(p.schema.values) == 1
    )


def _label(schema: Schema) -> str:
    if isinstance(schema, PrimitiveSchema):
        return schema.type
    return schema.kind


def _literal_fits(literal: LiteralSchema, primitive: PrimitiveSchema) -> bool:
    """Whether every enum value is of the primitive's type (``enum: [a, b]`` vs ``string``)."""
    kinds = {
        "string": (str,),
        "integer": (int,),
        "number": (int, float),
        "boolean": (bool,),
        "null": (type(None),),
    }[primitive.type]
    return all(
        isinstance(v, kinds) and (primitive.type == "boolean" or not isinstance(v, bool))
        for v in literal.values
    )


def _unless_read_only(prop: Property, severity: Severity) -> Severity:
    return N if prop.schema.read_only else severity


def _unless_write_only(prop: Property, severity: Severity) -> Severity:
    return N if prop.schema.write_only else severity


def _rated(
    finding: Finding, *, request: Severity | None = None, response: Severity | None = None
) -> Finding:
    return Finding(
        finding.kind,
        finding.at,
        finding.message,
        finding.request if request is None else request,
        finding.response if response is None else response,
    )


__all__ = ["Finding", "Pair", "PairResult", "SchemaComparer", "Sink"]
