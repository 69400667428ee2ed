"""Python type expressions for IR schemas, as values that know what they need in scope.

*Response* types are pydantic models (``TaskRun``) that validate what the server sends.
*Request* types are TypedDicts (``McpServerParam``) so callers can pass plain dict literals, as
in the official SDKs, and type checkers still check every key.

Rendering is pure: an :class:`Annotation` carries its text, the helper names it uses and the
generated types it mentions, and annotations compose by union. Whoever prints one asks the import
table (``emit.imports``) for the lines; nothing is recorded on the side.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import replace
from typing import Literal

from ..ir.graph import reachable_refs, union_cycles
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
    assert_never,
)
from ..literals import py_literal
from ..naming import field_names
from ..records import record

Mode = Literal["response", "request"]

_EMPTY: frozenset[str] = frozenset()
_RESPONSE_FORMATS = {"date-time": "datetime", "date": "date"}
_PRIMITIVE = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "null": "None",
}


@record
class Annotation:
    """A type expression (``Sequence[McpServerParam] | None``) and what it needs in scope."""

    text: str
    imports: frozenset[str] = _EMPTY
    """Helper names it uses (``Sequence``, ``Literal``, ``datetime``); ``emit.imports`` knows
    their modules."""
    refs: frozenset[str] = _EMPTY
    """Generated types it names (``McpServerParam``), imported from where they are defined."""
    members: tuple[str, ...] = ()
    """The union's members when ``text`` is one (``str | datetime``); empty for a single type."""

    def alternatives(self) -> tuple[str, ...]:
        """The types ``text`` is the union of (itself, when it is not a union)."""
        return self.members or (self.text,)

    def wrap(self, text: str, *imports: str) -> Annotation:
        """A new expression around this one (``text`` contains it), needing ``imports`` too."""
        return Annotation(text, self.imports.union(imports) if imports else self.imports, self.refs)

    def nullable(self) -> Annotation:
        """``X | None`` (no-op for ``object`` and for what already admits ``None``)."""
        return union((self, _NONE))


def union(parts: Iterable[Annotation]) -> Annotation:
    """``A | B | …`` with every member once (ruff's PYI016), in first-seen order: members of a
    part that is itself a union count one by one (``str | datetime`` and ``str | date`` make
    ``str | datetime | date``). ``object`` absorbs everything; :data:`NEVER` parts vanish."""
    kept: list[Annotation] = []
    members: dict[str, None] = {}
    for part in parts:
        if part is NEVER:
            continue
        if part.text == "object":
            return _OBJECT
        fresh = [m for m in part.alternatives() if m not in members]
        if fresh:
            kept.append(part)
            members.update(dict.fromkeys(fresh))
    if not kept:
        return NEVER
    if len(kept) == 1 and len(members) == len(kept[0].alternatives()):
        return kept[0]
    texts = tuple(members)
    return combined(" | ".join(texts), kept, members=texts)


def plain(text: str, *imports: str) -> Annotation:
    """An annotation naming no generated type (``str``, ``FileTypes``)."""
    return Annotation(text, frozenset(imports) if imports else _EMPTY)


def combined(
    text: str, parts: Iterable[Annotation], *imports: str, members: tuple[str, ...] = ()
) -> Annotation:
    """An expression built from ``parts``: it needs everything each part needs."""
    names = set(imports)
    refs: set[str] = set()
    for part in parts:
        names |= part.imports
        refs |= part.refs
    return Annotation(text, frozenset(names), frozenset(refs), members)


class AnnotationRenderer:
    """Renders the type of a schema in one mode; what it remembers depends on the API only.

    A walk carries the aliases it is expanding inline and, of those, the ones it has not yet
    passed an array or map since (``open``): meeting one of those again is a union that
    contains itself (``A = int | B``, ``B = str | A``), which adds nothing and is left out,
    since neither pydantic nor pyright accept an alias whose value is itself."""

    def __init__(self, api: Api, mode: Mode) -> None:
        self.api = api
        self.mode = mode
        self._variants: dict[str, bool] = {}
        """Per named schema: whether it differs between the modes (a walk of what it reaches)."""
        self._cycles: dict[str, frozenset[str]] | None = None
        self._none_aliases: dict[str, bool] = {}
        """Per named schema: whether its alias stands for ``None`` (see :meth:`_is_none_alias`)."""

    def render(self, schema: Schema) -> Annotation:
        """The type of a field, argument or return value."""
        return _defined(self._render(schema, _EMPTY, _EMPTY, _EMPTY))

    def render_alias(self, named: NamedSchema) -> Annotation:
        """The value of the alias that names ``named`` (a non-object schema). Aliases that
        contain each other directly as union members are expanded into one another here."""
        key = frozenset((named.key,))
        cycle = self._unguarded_cycles().get(named.key, _EMPTY)
        return _defined(self._render(named.schema, key, key, cycle))

    def _is_none_alias(self, named: NamedSchema) -> bool:
        """Whether the alias ``named`` stands for ``None``: a ``type: 'null'`` schema, or a union
        whose other members are itself (``N = oneOf [Null, N]``). Judged by the alias's rendered
        value, so every way of spelling ``None`` counts. A walk that meets an alias whose answer is
        still being worked out takes it as not ``None``; cycles of unions are expanded by
        :meth:`render_alias` itself, so an all-``None`` cycle still renders ``None``."""
        if isinstance(named.schema, ObjectSchema):
            return False
        known = self._none_aliases.get(named.key)
        if known is None:
            self._none_aliases[named.key] = False
            known = self._none_aliases[named.key] = self.render_alias(named).text == _NONE.text
        return known

    def _render(
        self,
        schema: Schema,
        expanding: frozenset[str],
        open_: frozenset[str],
        cycle: frozenset[str],
    ) -> Annotation:
        inner = self._inner(schema, expanding, open_, cycle)
        return inner.nullable() if schema.nullable and inner is not NEVER else inner

    def _inner(
        self,
        schema: Schema,
        expanding: frozenset[str],
        open_: frozenset[str],
        cycle: frozenset[str],
    ) -> Annotation:
        match schema:
            case AnySchema():
                return _OBJECT
            case PrimitiveSchema():
                return self._primitive(schema)
            case LiteralSchema():
                return _literal(schema)
            case ArraySchema():
                items = _defined(self._render(schema.items, expanding, _EMPTY, _EMPTY))
                if self.mode == "response":
                    return items.wrap(f"list[{items.text}]")
                return items.wrap(f"Sequence[{items.text}]", "Sequence")
            case MapSchema():
                values = _defined(self._render(schema.values, expanding, _EMPTY, _EMPTY))
                if self.mode == "response":
                    return values.wrap(f"dict[str, {values.text}]")
                return values.wrap(f"Mapping[str, {values.text}]", "Mapping")
            case RefSchema():
                return self._ref(schema, expanding, open_, cycle)
            case UnionSchema():
                return self._union(schema, expanding, open_, cycle)
            case ObjectSchema():
                return _OBJECT  # objects are named by the builder; one left inline is open
            case _:
                assert_never(schema)

    def _primitive(self, schema: PrimitiveSchema) -> Annotation:
        fmt = _RESPONSE_FORMATS.get(schema.format or "") if schema.type == "string" else None
        if fmt is None:
            return _PRIMITIVES[schema.type]
        return _DATES[self.mode, fmt]

    def _ref(
        self,
        schema: RefSchema,
        expanding: frozenset[str],
        open_: frozenset[str],
        cycle: frozenset[str],
    ) -> Annotation:
        ref = schema.ref
        named = self.api.schema(ref)
        if ref in open_:
            return NEVER  # the union contains itself: that member adds nothing
        if self._is_none_alias(named):
            return _NONE  # an alias of ``None`` cannot be written ``Alias | None``
        if self.mode == "request":
            if isinstance(named.schema, ObjectSchema):
                return _named(named.request_name or named.name)
            if ref in expanding:
                return _OBJECT  # a recursive alias cannot be expanded further
            if not self.needs_request_variant(named):
                return _named(named.name)
            return self._render(named.schema, expanding | {ref}, open_ | {ref}, cycle)
        if ref in cycle and open_ and ref not in expanding:
            return self._render(named.schema, expanding | {ref}, open_ | {ref}, cycle)
        return _named(named.name)

    def _union(
        self,
        schema: UnionSchema,
        expanding: frozenset[str],
        open_: frozenset[str],
        cycle: frozenset[str],
    ) -> Annotation:
        variants = [self._render(v, expanding, open_, cycle) for v in _merged(schema)]
        merged = union(variants)
        if (
            self.mode == "response"
            and len(merged.members) > 1
            and discriminator_usable(self.api, schema)
        ):
            assert schema.discriminator is not None
            tag = py_literal(schema.discriminator.property_name)
            return combined(
                f"Annotated[{merged.text}, Field(discriminator={tag})]",
                (merged,),
                "Annotated",
                "Field",
            )
        return merged

    def needs_request_variant(self, named: NamedSchema) -> bool:
        """Does a non-object named schema reach an object (and so differ between the two modes)?"""
        found = self._variants.get(named.key)
        if found is None:
            found = self._variants[named.key] = any(
                isinstance(self.api.schema(key).schema, ObjectSchema)
                for key in reachable_refs(self.api, named.schema)
            )
        return found

    def _unguarded_cycles(self) -> dict[str, frozenset[str]]:
        """Aliases that reach themselves as union members (no array or map between), each
        mapped to its strongly connected set: the aliases its value expands."""
        if self._cycles is None:
            self._cycles = union_cycles(self.api)
        return self._cycles


_OBJECT = plain("object")
_NONE = plain("None")
NEVER = plain("Never")
"""What a union that only contains itself stands for; :func:`union` drops it."""
_PRIMITIVES = {type_: plain(text) for type_, text in _PRIMITIVE.items()}
_DATES = {
    (mode, fmt): union((_PRIMITIVES["string"], plain(fmt, fmt)))
    if mode == "request"
    else plain(fmt, fmt)
    for mode in ("request", "response")
    for fmt in _RESPONSE_FORMATS.values()
}
"""Requests accept the ISO string as well as the value; responses are parsed."""


@functools.lru_cache(maxsize=65536)
def _named(name: str) -> Annotation:
    """A generated type by name; one value per name (large specs name each type many times)."""
    return Annotation(name, _EMPTY, frozenset((name,)))


def _defined(annotation: Annotation) -> Annotation:
    """``object`` for what only contained itself (the builder degrades such schemas first)."""
    return _OBJECT if annotation is NEVER else annotation


def _literal(schema: LiteralSchema) -> Annotation:
    values = schema.values
    return _literal_of(values, tuple(map(type, values)))


@functools.lru_cache(maxsize=65536)
def _literal_of(
    values: tuple[str | int | float | bool | None, ...], _kinds: tuple[type, ...]
) -> Annotation:
    """The annotation of one enum, once per set of values (Microsoft Graph repeats its
    ``$select`` enums in thousands of operations). The values' types key the cache too:
    ``(True,)`` equals ``(1,)`` but prints differently."""
    exact = [v for v in values if not isinstance(v, float)]
    floats = len(exact) < len(values)  # Literal does not admit floats
    if not exact:
        return _PRIMITIVES["number"]
    literal = plain("Literal[" + ", ".join(py_literal(v) for v in exact) + "]", "Literal")
    return union((literal, _PRIMITIVES["number"])) if floats else literal


def _merged(schema: UnionSchema) -> list[Schema]:
    """The variants with ``Literal["a"] | Literal["b"]`` written ``Literal["a", "b"]`` (ruff's
    PYI030); the merged literal stands where the first one stood."""
    variants = schema.variants
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


def discriminator_usable(api: Api, schema: UnionSchema) -> bool:
    """Pydantic needs every variant to be a model whose tag field is a required literal."""
    if schema.discriminator is None:
        return False
    tag = schema.discriminator.property_name
    values: list[str] = []
    for variant in schema.variants:
        if not isinstance(variant, RefSchema):
            return False
        target = api.schema(variant.ref).schema
        if not isinstance(target, ObjectSchema):
            return False
        prop = next((p for p in target.properties if p.wire_name == tag), None)
        if prop is None or not isinstance(prop.schema, LiteralSchema) or prop.schema.nullable:
            return False
        if not prop.required and literal_default(prop.schema) is None:
            return False
        if not all(isinstance(v, str) for v in prop.schema.values):
            return False
        if field_names(target)[tag] != tag:
            return False
        values.extend(str(v) for v in prop.schema.values)
    return len(values) == len(set(values))


def literal_default(schema: Schema) -> str | None:
    """For a one-value literal whose default is that value (a ``const`` tag): that literal."""
    if (
        isinstance(schema, LiteralSchema)
        and len(schema.values) == 1
        and schema.default == schema.values[0]
    ):
        return py_literal(schema.values[0])
    return None
