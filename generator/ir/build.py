"""Document → IR. One pass over components, then operations; every node converted once.

Inline objects are hoisted into named schemas, each with a :class:`NameHint` saying where it
stands (``TaskRun`` → property ``metadata``), from which the naming stage makes a stable,
readable class name (``TaskRunMetadata``). Constructs apigen cannot represent degrade to
:class:`AnySchema` with a warning.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, cast

from ..errors import ApigenError, SpecWarning
from ..load.document import Document, escape_pointer_token, unescape_pointer_token
from ..load.pointer import pointer_tokens
from .compose import meet
from .model import (
    MISSING,
    AnySchema,
    Api,
    ArraySchema,
    Discriminator,
    LiteralSchema,
    MapSchema,
    MediaContent,
    NamedSchema,
    NameHint,
    ObjectSchema,
    Operation,
    Parameter,
    PrimitiveSchema,
    PrimitiveType,
    Property,
    RefSchema,
    RequestBody,
    Response,
    Schema,
    SecurityScheme,
    UnionSchema,
)
from .servers import build_servers
from .variants import variant_labels

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
MAX_DEPTH = 400
_COMPONENT_PREFIX = "#/components/schemas/"
_PRIMITIVES = {"string", "integer", "number", "boolean", "null"}
_DEFAULT_STYLE = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}
MAX_DISTRIBUTED = 64
"""Most alternatives an ``allOf`` of unions may distribute into before it degrades to Any."""
_UNION_KEYWORDS = frozenset({"oneOf", "anyOf", "discriminator"})
_SHAPE_KEYWORDS = frozenset(
    {"properties", "patternProperties", "items", "prefixItems", "enum", "const", "allOf"}
)


def build_api(document: Document, warnings: list[SpecWarning] | None = None) -> Api:
    """Build the IR of a loaded document; degraded constructs are appended to ``warnings``."""
    return _Builder(document, warnings if warnings is not None else []).build()


class _Builder:
    def __init__(self, document: Document, warnings: list[SpecWarning]) -> None:
        self.doc = document
        self.data = document.data
        self.warnings = warnings
        self.named: dict[str, NamedSchema] = {}
        self.order: list[str] = []
        self.pointer_keys: dict[str, str] = {}
        self.in_progress: set[str] = set()
        self.bases_in_progress: set[str] = set()
        self.components: set[str] = set()

    # ----------------------------------------------------------------- top level
    def build(self) -> Api:
        info = self._mapping(self.data.get("info", {}), "#/info")
        components = self._mapping(self.data.get("components") or {}, "#/components")
        schemas = self._mapping(components.get("schemas") or {}, "#/components/schemas")
        self.components = set(schemas)
        for key in schemas:
            self.pointer_keys[_component_ref(key)] = key
        for key in schemas:
            self._register_ref(_component_ref(key))
        operations = self._operations()
        security_schemes = self._security_schemes(components)
        return Api(
            title=_text(info.get("title")) or "API",
            version=str(info.get("version", "0.0.0")),
            description=_text(info.get("description")),
            openapi=self.doc.openapi_version,
            servers=build_servers(self.data.get("servers"), self.doc.source, self.warnings),
            security_schemes=security_schemes,
            security=self._security(self.data.get("security"), "#/security") or (),
            tags=tuple(
                str(tag["name"])
                for tag in _list(self.data.get("tags"))
                if isinstance(tag, dict) and "name" in tag
            ),
            operations=operations,
            schemas=tuple(self.named[key] for key in self.order),
            components=tuple(schemas),
        )

    def _mapping(self, node: Any, pointer: str) -> Mapping[str, Any]:
        if not isinstance(node, dict):
            raise ApigenError(
                "expected a mapping", pointer=pointer, location=self.doc.locate(pointer)
            )
        return node

    def warn(self, message: str, pointer: str) -> None:
        self.warnings.append(SpecWarning(message, pointer))

    # ----------------------------------------------------------------- refs & names
    def _resolve_quietly(self, node: Any, pointer: str) -> Any:
        """The target of a ``$ref`` node for reading names from it; ``None`` when it does not
        resolve (the conversion reports that)."""
        try:
            return self._deref(node, pointer)[0]
        except ApigenError:
            return None

    def _deref(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow ``$ref`` chains (parameters, responses, bodies); detects ref-only cycles."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                raise ApigenError(
                    f"$ref cycle through {ref!r}",
                    pointer=pointer,
                    location=self.doc.locate(pointer),
                )
            seen.add(ref)
            node = self.doc.resolve(ref, at=pointer)
            pointer = ref
        return node, pointer

    def _register_ref(self, ref: str) -> str:
        """Make sure the schema at ``ref`` is a named schema; return its key."""
        ref = _canonical_ref(ref)
        key = self.pointer_keys.get(ref)
        if key is None:
            key = ref.removeprefix("#/")
            self.pointer_keys[ref] = key
        if key in self.named or key in self.in_progress:
            return key
        target = self.doc.resolve(ref, at=ref)
        if key in self.components:
            hint = NameHint(key, "component")
        else:
            hint = NameHint(unescape_pointer_token(ref.rsplit("/", 1)[-1]), "reference")
        self.in_progress.add(key)
        schema = self._convert(target, ref, NameHint("", owner=key), depth=0, top=True)
        self.in_progress.discard(key)
        if self._refers_to_itself(schema, key):
            self.warn(
                "schema is only itself (a $ref, oneOf, anyOf or allOf of itself); generated as Any",
                ref,
            )
            schema = AnySchema(nullable=schema.nullable, description=schema.description)
        self._add_named(key, schema, ref, target, hint)
        return key

    def _refers_to_itself(self, schema: Schema, key: str) -> bool:
        """Whether ``schema`` is a ref that leads, through refs only, back to ``key``: a type
        that is only itself (``Test: {oneOf: [Test]}``, two components that ref each other)."""
        seen: set[str] = set()
        while isinstance(schema, RefSchema) and schema.ref not in seen:
            if schema.ref == key:
                return True
            seen.add(schema.ref)
            named = self.named.get(schema.ref)
            if named is None:
                return False
            schema = named.schema
        return False

    def _add_named(self, key: str, schema: Schema, pointer: str, raw: Any, hint: NameHint) -> None:
        title = (
            raw.get("title")
            if isinstance(raw, dict) and isinstance(raw.get("title"), str)
            else None
        )
        self.named[key] = NamedSchema(
            key, schema, pointer, hint, title=title, inline=hint.origin == "inline"
        )
        self.order.append(key)

    def _hoist(self, schema: ObjectSchema, pointer: str, context: NameHint, raw: Any) -> RefSchema:
        """Turn an inline object into a named schema referenced from where it stood.

        One pointer is one named schema: an ``allOf`` that merges a component's properties
        converts them a second time, and must reuse the named schema the first conversion made."""
        key = pointer[2:]
        nullable = schema.nullable
        if key not in self.named:
            self._add_named(key, replace(schema, nullable=False), pointer, raw, context)
        return RefSchema(nullable=nullable, description=schema.description, ref=key)

    # ----------------------------------------------------------------- schemas
    def _convert(
        self,
        node: Any,
        pointer: str,
        context: NameHint,
        *,
        depth: int,
        top: bool = False,
        chain: tuple[str, ...] = (),
    ) -> Schema:
        """IR of the schema at ``pointer``; ``top`` keeps an object inline (the caller names it).

        ``chain`` holds the pointers of the compositions this schema is a member of (``allOf``
        inside ``allOf``): a member that is one of them is the composition itself."""
        if depth > MAX_DEPTH:
            raise ApigenError(
                "schema nesting is too deep", pointer=pointer, location=self.doc.locate(pointer)
            )
        if node is True or node == {}:
            return AnySchema()
        if node is False:
            self.warn("schema 'false' (nothing is valid) is generated as Any", pointer)
            return AnySchema()
        if not isinstance(node, dict):
            self.warn(
                f"schema is a {type(node).__name__}, not an object; generated as Any", pointer
            )
            return AnySchema()
        if isinstance(node.get("$ref"), str):
            return self._convert_ref(node, pointer)
        common = self._common(node)
        schema = self._convert_kind(node, pointer, context, depth, chain)
        if common:
            schema = _merge_common(schema, common)
        self._check_constraints(node, schema, pointer)
        if isinstance(schema, ObjectSchema) and schema.properties and not top:
            return self._hoist(schema, pointer, context, node)
        return schema

    def _check_constraints(self, node: dict[str, Any], schema: Schema, pointer: str) -> None:
        """Report (never fail on) constraints the spec gets wrong; generated code ignores them."""
        pattern = node.get("pattern")
        if pattern is not None and not _valid_regex(pattern):
            self.warn("invalid regular expression in 'pattern'; ignored", f"{pointer}/pattern")
        default = schema.default
        if (
            isinstance(schema, PrimitiveSchema)
            and default is not MISSING
            and not _matches_type(default, schema)
        ):
            self.warn(f"default does not match type {schema.type!r}; ignored", f"{pointer}/default")

    def _convert_ref(self, node: dict[str, Any], pointer: str) -> Schema:
        ref = node["$ref"]
        target = self.doc.resolve(ref, at=pointer)
        if (
            isinstance(target, dict)
            and isinstance(target.get("$ref"), str)
            and ref not in self.pointer_keys
        ):
            # A ref to a bare ref (not a component): follow it, guarding against pure cycles.
            _, ref = self._deref(node, pointer)
        key = self._register_ref(ref)
        # Siblings of $ref (3.1) may add description / nullability.
        common = self._common(node)
        return RefSchema(ref=key, **common)

    def _common(self, node: dict[str, Any]) -> dict[str, Any]:
        common: dict[str, Any] = {}
        if node.get("nullable") is True:
            common["nullable"] = True
        if isinstance(node.get("description"), str):
            common["description"] = node["description"]
        if "default" in node:
            common["default"] = node["default"]
        if "example" in node:
            common["example"] = node["example"]
        elif isinstance(node.get("examples"), list) and node["examples"]:
            common["example"] = node["examples"][0]
        for flag, attr in (
            ("readOnly", "read_only"),
            ("writeOnly", "write_only"),
            ("deprecated", "deprecated"),
        ):
            if node.get(flag) is True:
                common[attr] = True
        return common

    def _convert_kind(
        self,
        node: dict[str, Any],
        pointer: str,
        context: NameHint,
        depth: int,
        chain: tuple[str, ...] = (),
    ) -> Schema:
        if isinstance(node.get("allOf"), list) and node["allOf"]:
            return self._all_of(node, pointer, context, depth, chain)
        for combiner in ("oneOf", "anyOf"):
            if isinstance(node.get(combiner), list) and node[combiner]:
                return self._union(node, combiner, pointer, context, depth, chain)
        if "const" in node:
            return _literal((node["const"],), pointer, self)
        if isinstance(node.get("enum"), list) and node["enum"]:
            return _literal(tuple(node["enum"]), pointer, self)
        type_ = node.get("type")
        if isinstance(type_, list):
            return self._type_list(node, type_, pointer, context, depth)
        if type_ is not None and not isinstance(type_, str):
            self.warn("'type' is neither a string nor a list of strings; generated as Any", pointer)
            return AnySchema()
        if type_ is None:
            if (
                "properties" in node
                or "additionalProperties" in node
                or "patternProperties" in node
            ):
                type_ = "object"
            elif "items" in node or "prefixItems" in node:
                type_ = "array"
            else:
                return AnySchema()
        if type_ == "object":
            return self._object(node, pointer, context, depth)
        if type_ == "array":
            return self._array(node, pointer, context, depth)
        if type_ in _PRIMITIVES:
            if type_ == "null":
                return PrimitiveSchema(type="null", nullable=True)
            fmt = node.get("format")
            return PrimitiveSchema(
                type=cast(PrimitiveType, type_), format=fmt if isinstance(fmt, str) else None
            )
        self.warn(f"unknown type {type_!r}; generated as Any", pointer)
        return AnySchema()

    def _type_list(
        self, node: dict[str, Any], types: list[Any], pointer: str, context: NameHint, depth: int
    ) -> Schema:
        if not all(isinstance(t, str) for t in types):
            self.warn("'type' lists something other than strings; generated as Any", pointer)
            return AnySchema()
        nullable = "null" in types
        rest = [t for t in types if t != "null"]
        if not rest:
            return PrimitiveSchema(type="null", nullable=True)
        variants = [
            self._convert_kind({**node, "type": t}, pointer, context, depth)
            for t in dict.fromkeys(rest)
        ]
        schema = variants[0] if len(variants) == 1 else UnionSchema(variants=tuple(variants))
        return _with_nullable(schema, nullable)

    def _union(
        self,
        node: dict[str, Any],
        combiner: str,
        pointer: str,
        context: NameHint,
        depth: int,
        chain: tuple[str, ...] = (),
    ) -> Schema:
        raw_variants: list[Any] = node[combiner]
        nullable = False
        variants: list[Schema] = []
        labels = variant_labels(node, raw_variants, lambda ref: self._resolve_quietly(ref, pointer))
        for index, raw in enumerate(raw_variants):
            sub_pointer = f"{pointer}/{combiner}/{index}"
            if _is_null(raw):
                nullable = True
                continue
            variant = self._convert(
                raw,
                sub_pointer,
                context.then(labels[index]) if labels[index] else context,
                depth=depth + 1,
            )
            if variant.nullable:
                nullable = True
                variant = _with_nullable(variant, False)
            variants.append(variant)
        variants = _dedupe(variants)
        if not variants:
            return PrimitiveSchema(type="null", nullable=True)
        if len(variants) == 1:
            union: Schema = _with_nullable(variants[0], nullable)
        else:
            union = UnionSchema(
                variants=tuple(variants),
                discriminator=self._discriminator(node, variants, pointer),
                exclusive=combiner == "oneOf",
                nullable=nullable,
            )
        beside = {k: v for k, v in node.items() if k not in _UNION_KEYWORDS}
        type_ = beside.get("type")
        if type_ == "null" or (isinstance(type_, list) and "null" in type_):
            # How specs say the union is nullable; the members say what else it is.
            del beside["type"]
            union = _with_nullable(union, True)
        if not _shapes(beside):
            return union
        # ``properties`` (or a type) beside the union constrain every member: an allOf of both.
        # The members' nullability stays: the keywords beside describe the non-null members.
        rest = self._convert_kind(beside, pointer, context, depth, (*chain, pointer))
        met = self._meet_all([(rest, pointer), (union, pointer)], pointer, context, chain, depth)
        return _with_nullable(met, met.nullable or union.nullable)

    def _discriminator(
        self, node: dict[str, Any], variants: list[Schema], pointer: str
    ) -> Discriminator | None:
        raw = node.get("discriminator")
        if not isinstance(raw, dict) or not isinstance(raw.get("propertyName"), str):
            return None
        mapping: list[tuple[str, str]] = []
        raw_mapping = raw.get("mapping") or {}
        if isinstance(raw_mapping, dict):
            for value, target in raw_mapping.items():
                if not isinstance(target, str):
                    continue
                ref = target if target.startswith("#") else _component_ref(target)
                try:
                    mapping.append((str(value), self._register_ref(ref)))
                except ApigenError:
                    self.warn(
                        f"discriminator mapping target {target!r} does not exist",
                        f"{pointer}/discriminator",
                    )
        if not mapping:
            for variant in variants:
                if isinstance(variant, RefSchema):
                    mapping.append((variant.ref.rsplit("/", 1)[-1], variant.ref))
        return Discriminator(property_name=raw["propertyName"], mapping=tuple(mapping))

    def _all_of(
        self,
        node: dict[str, Any],
        pointer: str,
        context: NameHint,
        depth: int,
        chain: tuple[str, ...],
    ) -> Schema:
        """The meet of the members (and of what stands beside ``allOf``), each member converted
        as it is; a member that is the composition itself (``R: {allOf: [N, R]}``) adds
        nothing and is left out."""
        inner = (*chain, pointer)
        members: list[tuple[Schema, str]] = []
        for index, part in enumerate(node["allOf"]):
            sub_pointer = f"{pointer}/allOf/{index}"
            schema = self._convert(
                part, sub_pointer, context, depth=depth + 1, top=True, chain=inner
            )
            members.append((schema, sub_pointer))
        beside = {k: v for k, v in node.items() if k != "allOf"}
        if _shapes(beside):
            members.append((self._convert_kind(beside, pointer, context, depth, inner), pointer))
        return self._meet_all(members, pointer, context, chain, depth)

    def _meet_all(
        self,
        members: list[tuple[Schema, str]],
        pointer: str,
        context: NameHint,
        chain: tuple[str, ...],
        depth: int = 0,
    ) -> Schema:
        """Fold the members with :func:`meet`, distributing unions over the rest: ``Base ∧ (Cat
        | Dog)`` is ``PetCat | PetDog`` (merged objects are named after the member they extend).

        Polymorphic families, in either order of conversion: a member that includes this
        composition (``Cat: allOf: [Pet, …]`` in ``Pet: {properties, oneOf: [Cat, Dog]}``) is
        kept as it is; a union that lists this composition (``Pet`` from inside ``Cat``) adds
        its own keywords only (its base), not the choice it lists."""
        inner = (*chain, pointer)
        lookup = self._merge_lookup(inner, depth)
        options: list[list[tuple[Schema, str, bool]]] = []
        discriminated: UnionSchema | None = None
        for schema, member_pointer in members:
            if self._is_composition_itself(schema, inner):
                continue
            union = self._as_union(schema, inner)
            if union is None:
                options.append([(schema, "", False)])
            elif self._lists_composition(union, inner):
                options.append([(self._base(schema, member_pointer, inner, depth), "", False)])
            else:
                if union.discriminator is not None and discriminated is None:
                    discriminated = union
                options.append(
                    [
                        (v, self._variant_label(v, i), self._includes(v, inner))
                        for i, v in enumerate(union.variants)
                    ]
                )
        if not options:  # ``R: {allOf: [R]}``: only itself, like a ref to itself
            key = self.pointer_keys.get(pointer)
            return RefSchema(ref=key) if key is not None else AnySchema()
        count = 1
        for choices in options:
            count *= len(choices)
        if count > MAX_DISTRIBUTED:
            self.warn(
                f"allOf distributes into {count} alternatives (more than {MAX_DISTRIBUTED}); "
                "generated as Any",
                pointer,
            )
            return AnySchema()
        alternatives: list[Schema] = []
        renamed: dict[str, str] = {}
        for index, combination in enumerate(itertools.product(*options)):
            kept = next((s for s, _, keep in combination if keep), None)
            merged: Schema | None = kept
            if merged is None:
                merged = combination[0][0]
                for schema, _, _ in combination[1:]:
                    merged = meet(merged, schema, lookup) if merged is not None else None
            if merged is None:
                continue
            if isinstance(merged, ObjectSchema) and count > 1:
                label = "".join(label for _, label, _ in combination) or f"Variant{index}"
                key = f"{pointer[2:]}/allOf/variant{index}"
                merged = self._hoist_as(key, merged, pointer, context.then(label))
            if discriminated is not None and isinstance(merged, RefSchema):
                original = next(s for s, _, _ in combination if s in discriminated.variants)
                if isinstance(original, RefSchema):
                    renamed[original.ref] = merged.ref
            alternatives.append(merged)
        alternatives = _dedupe(alternatives)
        if not alternatives:
            self.warn(
                "allOf members contradict each other (nothing is valid); generated as Any", pointer
            )
            return AnySchema()
        if len(alternatives) == 1:
            return alternatives[0]
        discriminator = None
        if discriminated is not None and discriminated.discriminator is not None:
            old = discriminated.discriminator
            discriminator = replace(
                old, mapping=tuple((value, renamed.get(key, key)) for value, key in old.mapping)
            )
        return UnionSchema(
            variants=tuple(_with_nullable(a, False) for a in alternatives),
            discriminator=discriminator,
            exclusive=discriminated.exclusive if discriminated is not None else False,
            nullable=all(a.nullable for a in alternatives),
        )

    def _hoist_as(self, key: str, schema: ObjectSchema, pointer: str, hint: NameHint) -> RefSchema:
        if key not in self.named:
            self._add_named(
                key, replace(schema, nullable=False, description=None), pointer, None, hint
            )
        return RefSchema(nullable=schema.nullable, description=schema.description, ref=key)

    def _variant_label(self, variant: Schema, index: int) -> str:
        """What a merged member is named after: the schema it extends, or its position."""
        if isinstance(variant, RefSchema):
            if variant.ref in self.components:
                return variant.ref
            return unescape_pointer_token(variant.ref.rsplit("/", 1)[-1])
        return f"Variant{index}"

    def _pointer_of(self, key: str) -> str:
        return _component_ref(key) if key in self.components else f"#/{key}"

    def _follow(self, schema: Schema, inner: tuple[str, ...]) -> Schema | None:
        """``schema`` with refs followed through the schemas converted so far: ``None`` when a ref
        leads into ``inner`` (the compositions being merged), the last ref where a target is
        still being converted or the refs go round."""
        seen: set[str] = set()
        while isinstance(schema, RefSchema):
            if self._pointer_of(schema.ref) in inner:
                return None
            named = self.named.get(schema.ref)
            if named is None or schema.ref in seen:
                return schema
            seen.add(schema.ref)
            schema = named.schema
        return schema

    def _is_composition_itself(self, schema: Schema, inner: tuple[str, ...]) -> bool:
        return isinstance(schema, RefSchema) and self._follow(schema, inner) is None

    def _as_union(self, schema: Schema, inner: tuple[str, ...]) -> UnionSchema | None:
        """The union a member stands for (``None`` for a schema still being converted: it is
        merged as a base, see :meth:`_merge_lookup`)."""
        target = self._follow(schema, inner)
        return target if isinstance(target, UnionSchema) else None

    def _lists_composition(self, union: UnionSchema, inner: tuple[str, ...]) -> bool:
        return any(
            isinstance(v, RefSchema) and self._follow(v, inner) is None for v in union.variants
        )

    def _includes(self, schema: Schema, inner: tuple[str, ...]) -> bool:
        """Whether the schema ``schema`` refers to has one of ``inner`` among its ``allOf``
        members (directly or through members' own ``allOf``), as written in the document."""
        if not isinstance(schema, RefSchema):
            return False
        stack = [self._pointer_of(schema.ref)]
        seen: set[str] = set()
        while stack:
            pointer = stack.pop()
            if pointer in seen:
                continue
            seen.add(pointer)
            raw = self.doc.resolve(pointer, at=pointer)
            parts = raw.get("allOf") if isinstance(raw, dict) else None
            for index, part in enumerate(parts if isinstance(parts, list) else ()):
                ref = part.get("$ref") if isinstance(part, dict) else None
                target = _canonical_ref(ref) if isinstance(ref, str) else f"{pointer}/allOf/{index}"
                if target in inner:
                    return True
                stack.append(target)
        return False

    def _base(self, schema: Schema, pointer: str, inner: tuple[str, ...], depth: int) -> Schema:
        """A member converted again without its union keywords (what it adds as a parent)."""
        if isinstance(schema, RefSchema):
            seen: set[str] = set()
            while (
                isinstance(schema, RefSchema)
                and schema.ref in self.named
                and schema.ref not in seen
            ):
                seen.add(schema.ref)
                pointer = self.named[schema.ref].pointer
                schema = self.named[schema.ref].schema
        raw = self.doc.resolve(pointer, at=pointer)
        if not isinstance(raw, dict):
            return AnySchema()
        key = self.pointer_keys.get(pointer, pointer[2:])
        base = {k: v for k, v in raw.items() if k not in _UNION_KEYWORDS}
        return self._convert(
            base, pointer, NameHint("", owner=key), depth=depth + 1, top=True, chain=inner
        )

    def _merge_lookup(self, inner: tuple[str, ...], depth: int) -> Callable[[str], Schema]:
        """What a ref means when merged: its converted schema, refs followed. One still being
        converted (a cycle through this composition) is converted again as a base; refs that
        lead back into the composition, only round, or into a base being converted again (a
        property of ``Thing`` that is ``allOf: [Thing]`` plus more) add nothing."""

        def lookup(key: str) -> Schema:
            target = self._follow(RefSchema(ref=key), inner)
            if target is None or (
                isinstance(target, RefSchema)
                and (target.ref not in self.in_progress or target.ref in self.bases_in_progress)
            ):
                return AnySchema()
            if isinstance(target, RefSchema):
                self.bases_in_progress.add(target.ref)
                try:
                    base = self._base(target, self._pointer_of(target.ref), inner, depth)
                finally:
                    self.bases_in_progress.discard(target.ref)
                return base if not isinstance(base, RefSchema) else AnySchema()
            return target

        return lookup

    def _required(self, raw: Any, pointer: str) -> set[str]:
        """The property names ``required`` lists; anything else in it is warned about, dropped."""
        if raw is None:
            return set()
        if not isinstance(raw, list):
            self.warn("'required' is not a list of property names; ignored", pointer)
            return set()
        if not all(isinstance(name, str) for name in raw):
            self.warn(
                "'required' lists something other than property names; those are ignored", pointer
            )
        return {name for name in raw if isinstance(name, str)}

    def _object(self, node: dict[str, Any], pointer: str, context: NameHint, depth: int) -> Schema:
        raw_properties = node.get("properties") or {}
        if not isinstance(raw_properties, dict):
            self.warn("'properties' is not a mapping; ignored", f"{pointer}/properties")
            raw_properties = {}
        required = self._required(node.get("required"), f"{pointer}/required")
        additional = self._additional(node, pointer, context, depth)
        closed = node.get("additionalProperties") is False
        if not raw_properties:
            return MapSchema(values=additional or AnySchema())
        properties: list[Property] = []
        for wire_name, raw in raw_properties.items():
            sub_pointer = f"{pointer}/properties/{escape_pointer_token(wire_name)}"
            schema = self._convert(raw, sub_pointer, context.then(f"_{wire_name}"), depth=depth + 1)
            description = schema.description
            properties.append(
                Property(
                    wire_name=wire_name,
                    schema=schema,
                    required=wire_name in required,
                    description=description,
                )
            )
        return ObjectSchema(properties=tuple(properties), additional=additional, closed=closed)

    def _additional(
        self, node: dict[str, Any], pointer: str, context: NameHint, depth: int
    ) -> Schema | None:
        raw = node.get("additionalProperties")
        patterns = node.get("patternProperties")
        if isinstance(patterns, dict) and patterns:
            schemas = [
                self._convert(
                    value,
                    f"{pointer}/patternProperties/{escape_pointer_token(key)}",
                    context.then("Value"),
                    depth=depth + 1,
                )
                for key, value in patterns.items()
            ]
            schemas = _dedupe(schemas)
            return schemas[0] if len(schemas) == 1 else UnionSchema(variants=tuple(schemas))
        if raw is None or raw is False:
            return None
        if raw is True:
            return AnySchema()
        return self._convert(
            raw, f"{pointer}/additionalProperties", context.then("Value"), depth=depth + 1
        )

    def _array(self, node: dict[str, Any], pointer: str, context: NameHint, depth: int) -> Schema:
        items = node.get("items")
        if isinstance(node.get("prefixItems"), list) and node["prefixItems"]:
            variants = _dedupe(
                [
                    self._convert(
                        item,
                        f"{pointer}/prefixItems/{i}",
                        context.then(f"Item{i}"),
                        depth=depth + 1,
                    )
                    for i, item in enumerate(node["prefixItems"])
                ]
            )
            item_schema: Schema = (
                variants[0] if len(variants) == 1 else UnionSchema(variants=tuple(variants))
            )
        elif items is None:
            item_schema = AnySchema()
        else:
            item_schema = self._convert(
                items, f"{pointer}/items", context.then("Item"), depth=depth + 1
            )
        return ArraySchema(items=item_schema, unique_items=node.get("uniqueItems") is True)

    # ----------------------------------------------------------------- operations
    def _operations(self) -> tuple[Operation, ...]:
        paths = self._mapping(self.data.get("paths") or {}, "#/paths")
        operations: list[Operation] = []
        seen_ids: dict[str, str] = {}
        for path, raw_item in paths.items():
            item_pointer = f"#/paths/{escape_pointer_token(path)}"
            item, _ = self._deref(raw_item, item_pointer)
            if not isinstance(item, dict):
                continue
            shared = item.get("parameters") or []
            for method in HTTP_METHODS:
                raw_op = item.get(method)
                if not isinstance(raw_op, dict):
                    continue
                op_pointer = f"{item_pointer}/{method}"
                operation_id = raw_op.get("operationId")
                if not isinstance(operation_id, str) or not operation_id.strip():
                    operation_id = _synthetic_operation_id(method, path)
                if operation_id in seen_ids:
                    self.warn(
                        f"duplicate operationId {operation_id!r} "
                        f"(also at {seen_ids[operation_id]}); renamed",
                        f"{op_pointer}/operationId",
                    )
                    operation_id = _synthetic_operation_id(method, path)
                    while operation_id in seen_ids:
                        operation_id += "_"
                seen_ids[operation_id] = op_pointer
                operations.append(
                    self._operation(raw_op, method, path, operation_id, shared, op_pointer)
                )
        return tuple(operations)

    def _operation(
        self,
        raw: dict[str, Any],
        method: str,
        path: str,
        operation_id: str,
        shared: list[Any],
        pointer: str,
    ) -> Operation:
        context = NameHint("", operation=pointer)
        parameters = self._parameters(shared, raw.get("parameters") or [], pointer, context)
        body = None
        if raw.get("requestBody") is not None:
            body = self._request_body(raw["requestBody"], f"{pointer}/requestBody", context)
        responses: list[Response] = []
        for status, raw_response in (raw.get("responses") or {}).items():
            status = str(status)
            resp_pointer = f"{pointer}/responses/{escape_pointer_token(status)}"
            resolved, _ = self._deref(raw_response, resp_pointer)
            if not isinstance(resolved, dict):
                continue
            suffix = "Response" if status.startswith("2") else f"Response{status.capitalize()}"
            contents = self._contents(
                resolved.get("content"), resp_pointer, context.then(suffix), name_unions=True
            )
            headers = resolved.get("headers")
            header_names = tuple(str(n) for n in headers) if isinstance(headers, dict) else ()
            responses.append(
                Response(
                    status=status,
                    description=_text(resolved.get("description")),
                    contents=contents,
                    headers=header_names,
                )
            )
        tags = tuple(str(t) for t in _list(raw.get("tags")) if isinstance(t, (str, int)))
        return Operation(
            operation_id=operation_id,
            method=method,
            path=path,
            summary=_text(raw.get("summary")),
            description=_text(raw.get("description")),
            tags=tags,
            deprecated=raw.get("deprecated") is True,
            parameters=parameters,
            request_body=body,
            responses=tuple(responses),
            security=self._security(raw.get("security"), f"{pointer}/security"),
            pointer=pointer,
        )

    def _parameters(
        self, shared: list[Any], own: list[Any], pointer: str, context: NameHint
    ) -> tuple[Parameter, ...]:
        merged: dict[tuple[str, str], tuple[Any, str]] = {}
        for source, base in (
            (shared, pointer.rsplit("/", 1)[0] + "/parameters"),
            (own, pointer + "/parameters"),
        ):
            if not isinstance(source, list):
                continue
            for index, raw in enumerate(source):
                resolved, _ = self._deref(raw, f"{base}/{index}")
                if not isinstance(resolved, dict) or "name" not in resolved or "in" not in resolved:
                    self.warn("parameter without 'name' or 'in' is ignored", f"{base}/{index}")
                    continue
                merged[(str(resolved["name"]), str(resolved["in"]))] = (resolved, f"{base}/{index}")
        parameters: list[Parameter] = []
        for (name, location), (raw, param_pointer) in merged.items():
            if location not in _DEFAULT_STYLE:
                self.warn(
                    f"parameter location {location!r} is not supported; ignored", param_pointer
                )
                continue
            raw_schema = raw.get("schema")
            if raw_schema is None and isinstance(raw.get("content"), dict) and raw["content"]:
                raw_schema = next(iter(raw["content"].values())).get("schema")
            argument_hint: str | None = None
            override = (
                raw_schema.get("x-stainless-override-schema")
                if isinstance(raw_schema, dict)
                else None
            )
            if isinstance(override, dict):
                if isinstance(override.get("x-stainless-param"), str):
                    argument_hint = override["x-stainless-param"]
                raw_schema = {k: v for k, v in override.items() if not k.startswith("x-")}
            schema = self._convert(
                raw_schema if raw_schema is not None else {},
                f"{param_pointer}/schema",
                context.then(f"_{name}"),
                depth=0,
            )
            style = (
                raw.get("style") if isinstance(raw.get("style"), str) else _DEFAULT_STYLE[location]
            )
            explode = (
                raw.get("explode") if isinstance(raw.get("explode"), bool) else style == "form"
            )
            parameters.append(
                Parameter(
                    name=name,
                    location=location,  # type: ignore[arg-type]
                    schema=schema,
                    required=location == "path" or raw.get("required") is True,
                    style=style,
                    explode=explode,
                    description=_text(raw.get("description")) or schema.description,
                    deprecated=raw.get("deprecated") is True,
                    argument_hint=argument_hint,
                )
            )
        return tuple(parameters)

    def _request_body(self, raw: Any, pointer: str, context: NameHint) -> RequestBody | None:
        resolved, _ = self._deref(raw, pointer)
        if not isinstance(resolved, dict):
            return None
        contents = self._contents(resolved.get("content"), pointer, context.then("Body"))
        if not contents:
            return None
        return RequestBody(
            required=resolved.get("required") is True,
            contents=contents,
            description=_text(resolved.get("description")),
        )

    def _contents(
        self, raw: Any, pointer: str, context: NameHint, *, name_unions: bool = False
    ) -> tuple[MediaContent, ...]:
        """Media types of a body; response unions are named (``<Op>Response``) for docs, casts."""
        if not isinstance(raw, dict):
            return ()
        contents: list[MediaContent] = []
        for media_type, media in raw.items():
            media_pointer = f"{pointer}/content/{escape_pointer_token(media_type)}"
            raw_schema = media.get("schema") if isinstance(media, dict) else None
            if raw_schema is None:
                schema: Schema = AnySchema()
            else:
                schema = self._convert(raw_schema, f"{media_pointer}/schema", context, depth=0)
                if name_unions and isinstance(schema, UnionSchema):
                    schema = self._name_union(schema, f"{media_pointer}/schema", context)
            contents.append(MediaContent(media_type=str(media_type), schema=schema))
        return tuple(contents)

    def _name_union(self, schema: UnionSchema, pointer: str, context: NameHint) -> RefSchema:
        key = pointer[2:]
        if key not in self.named:
            self.named[key] = NamedSchema(
                key, replace(schema, nullable=False), pointer, context, inline=True
            )
            self.order.append(key)
        return RefSchema(nullable=schema.nullable, ref=key)

    # ----------------------------------------------------------------- security & servers
    def _security(self, raw: Any, pointer: str) -> tuple[str, ...] | None:
        if raw is None:
            return None
        if not isinstance(raw, list):
            self.warn("'security' is not a list; ignored", pointer)
            return None
        names: list[str] = []
        for requirement in raw:
            if isinstance(requirement, dict):
                names.extend(str(name) for name in requirement if str(name) not in names)
        return tuple(names)

    def _security_schemes(self, components: Mapping[str, Any]) -> tuple[SecurityScheme, ...]:
        raw = components.get("securitySchemes") or {}
        schemes: list[SecurityScheme] = []
        for name, value in raw.items() if isinstance(raw, dict) else ():
            resolved, _ = self._deref(
                value, f"#/components/securitySchemes/{escape_pointer_token(name)}"
            )
            if not isinstance(resolved, dict):
                continue
            scheme = resolved.get("scheme")
            schemes.append(
                SecurityScheme(
                    name=str(name),
                    type=str(resolved.get("type", "")),
                    location=_text(resolved.get("in")),
                    param_name=_text(resolved.get("name")),
                    scheme=scheme.lower() if isinstance(scheme, str) else None,
                    description=_text(resolved.get("description")),
                )
            )
        return tuple(schemes)


# --------------------------------------------------------------------- helpers
def _list(value: Any) -> list[Any]:
    """``value`` when it is a list; a malformed scalar or mapping reads as empty."""
    return value if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _canonical_ref(ref: str) -> str:
    """One spelling per target: ``%`` written raw or as ``%25`` in a ref must name one schema."""
    if not ref.startswith("#/") or "%" not in ref:
        return ref
    return "#/" + "/".join(escape_pointer_token(t).replace("%", "%25") for t in pointer_tokens(ref))


def _component_ref(key: str) -> str:
    """The ref to a component schema; ``%`` is escaped because refs are %-decoded URI fragments."""
    return _COMPONENT_PREFIX + escape_pointer_token(key).replace("%", "%25")


def _valid_regex(pattern: Any) -> bool:
    if not isinstance(pattern, str):
        return False
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return True


def _matches_type(value: Any, schema: PrimitiveSchema) -> bool:
    type_ = schema.type
    if value is None:
        return schema.nullable or type_ == "null"
    if type_ == "boolean":
        return isinstance(value, bool)
    if type_ == "integer":
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            or isinstance(value, float)
            and value.is_integer()
        )
    if type_ == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if type_ == "string":
        return isinstance(value, str)
    return True


def _synthetic_operation_id(method: str, path: str) -> str:
    words = [re.sub(r"[{}]", "", segment) for segment in path.split("/") if segment]
    return "_".join([method.lower(), *words]) if words else method.lower()


def _literal(values: tuple[Any, ...], pointer: str, builder: _Builder) -> Schema:
    nullable = None in values
    scalars = tuple(v for v in values if isinstance(v, (str, int, float, bool)) and v is not None)
    if len(scalars) != len([v for v in values if v is not None]):
        builder.warn("enum with non-scalar values is generated as Any", pointer)
        return AnySchema(nullable=nullable)
    if not scalars:
        return PrimitiveSchema(type="null", nullable=True)
    unique = dict.fromkeys(
        (type(v), v) for v in scalars
    )  # by type too: ``True == 1`` are two values
    return LiteralSchema(values=tuple(v for _, v in unique), nullable=nullable)


def _is_null(raw: Any) -> bool:
    return isinstance(raw, dict) and (raw.get("type") == "null" or raw.get("enum") == [None])


def _shapes(node: dict[str, Any]) -> bool:
    """Whether keywords beside a composition narrow its type (annotations and a bare
    ``type: object`` do not: they describe what the members already are)."""
    if any(key in node for key in _SHAPE_KEYWORDS):
        return True
    if isinstance(node.get("additionalProperties"), dict):
        return True
    type_ = node.get("type")
    return type_ is not None and type_ != "object"


def _with_nullable(schema: Schema, nullable: bool) -> Schema:
    return schema if schema.nullable == nullable else replace(schema, nullable=nullable)


def _merge_common(schema: Schema, common: dict[str, Any]) -> Schema:
    if schema.nullable and "nullable" not in common:
        common = {**common, "nullable": True}
    return replace(schema, **common)


def _dedupe(schemas: list[Schema]) -> list[Schema]:
    unique: list[Schema] = []
    for schema in schemas:
        if schema not in unique:
            unique.append(schema)
    return unique
