"""Walk two IRs side by side and classify every difference a client user could notice.

Classification follows the direction data flows: the client *sends* parameters and request
bodies (a new required field or a removed enum value breaks callers) and *receives* responses
(a removed field breaks readers; a new enum value or union member is only potentially breaking,
since exhaustive handling may miss it). A named schema is compared once, in every direction it
is used; the stricter verdict wins. Descriptions and examples are ignored.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Literal

from ..ir.model import (
    Api,
    ArraySchema,
    LiteralSchema,
    MapSchema,
    MediaContent,
    ObjectSchema,
    Operation,
    Parameter,
    PrimitiveSchema,
    Property,
    RefSchema,
    Schema,
    SecurityScheme,
    UnionSchema,
)
from .model import Change, Report, Severity
from .usage import Direction, schema_usage

B, P, N = Severity.BREAKING, Severity.POTENTIALLY_BREAKING, Severity.NON_BREAKING
Flow = Literal["request", "response", "both"]


def diff_apis(old: Api, new: Api) -> Report:
    """Every client-visible difference from ``old`` to ``new``, in spec order."""
    differ = _Differ(old, new)
    differ.run()
    return Report(new.title or old.title, old.version, new.version, tuple(differ.changes))


def _pick(flow: Flow, request: Severity, response: Severity) -> Severity:
    if flow == "request":
        return request
    if flow == "response":
        return response
    return min(request, response, key=lambda s: s.rank)


def _flow(directions: set[Direction]) -> Flow:
    if directions == {"request"}:
        return "request"
    if "request" in directions and "response" in directions:
        return "both"
    return "response"  # response-only, or unused: a model class users read


def _label(schema: Schema) -> str:
    """How a union member is recognised across versions."""
    if isinstance(schema, RefSchema):
        return schema.ref
    if isinstance(schema, PrimitiveSchema):
        return schema.type
    return schema.kind


def _describe(schema: Schema) -> str:
    if isinstance(schema, RefSchema):
        return schema.ref
    if isinstance(schema, PrimitiveSchema):
        return f"{schema.type} ({schema.format})" if schema.format else schema.type
    if isinstance(schema, LiteralSchema):
        return "enum"
    return schema.kind


class _Differ:
    def __init__(self, old: Api, new: Api) -> None:
        self.old = old
        self.new = new
        self.changes: list[Change] = []
        self.old_usage = schema_usage(old)
        self.new_usage = schema_usage(new)

    def add(self, kind: str, severity: Severity, location: str, message: str) -> None:
        self.changes.append(Change(kind, severity, location, message))

    @contextmanager
    def _dry_run(self) -> Iterator[list[Change]]:
        """Collect changes aside (used to ask "are these two schemas the same shape?")."""
        saved, self.changes = self.changes, []
        try:
            yield self.changes
        finally:
            self.changes = saved

    def same_shape(self, old: Schema, new: Schema) -> bool:
        with self._dry_run() as found:
            self.schema(old, new, "", "both")
        return not found

    # ------------------------------------------------------------------ API level
    def run(self) -> None:
        self.servers()
        self.security()
        self.operations()
        self.named_schemas()

    def servers(self) -> None:
        old = [s.url for s in self.old.servers]
        new = [s.url for s in self.new.servers]
        if old[:1] != new[:1] and old and new:
            self.add(
                "default-server-changed",
                P,
                "servers",
                f"default base URL changed from {old[0]} to {new[0]}",
            )
        for url in new:
            if url not in old:
                self.add("server-added", N, "servers", f"server {url} added")
        for url in old:
            if url not in new:
                self.add(
                    "server-removed",
                    P if url == old[0] and not new else N,
                    "servers",
                    f"server {url} removed",
                )

    def security(self) -> None:
        old = {s.name: s for s in self.old.security_schemes}
        new = {s.name: s for s in self.new.security_schemes}
        used = set(self.old.security) | {n for op in self.old.operations for n in op.security or ()}
        for name, scheme in new.items():
            if name not in old:
                self.add(
                    "security-scheme-added",
                    N,
                    f"security scheme {name}",
                    f"security scheme {name!r} ({scheme.type}) added",
                )
        for name, before in old.items():
            after = new.get(name)
            if after is None:
                self.add(
                    "security-scheme-removed",
                    B if name in used else N,
                    f"security scheme {name}",
                    f"security scheme {name!r} removed",
                )
            elif _scheme_key(before) != _scheme_key(after):
                self.add(
                    "security-scheme-changed",
                    B,
                    f"security scheme {name}",
                    f"security scheme {name!r} changed from {_scheme_key(before)} to {_scheme_key(after)}",
                )
        self.requirement(self.old.security, self.new.security, "security")

    def requirement(self, old: Sequence[str], new: Sequence[str], where: str) -> None:
        for name in new:
            if name not in old:
                self.add(
                    "security-requirement-added", B, where, f"now requires security scheme {name!r}"
                )
        for name in old:
            if name not in new:
                self.add(
                    "security-requirement-removed",
                    N,
                    where,
                    f"no longer requires security scheme {name!r}",
                )

    # ------------------------------------------------------------------ operations
    def operations(self) -> None:
        old = {(op.method.upper(), op.path): op for op in self.old.operations}
        new = {(op.method.upper(), op.path): op for op in self.new.operations}
        for key, op in old.items():
            where = f"{key[0]} {key[1]}"
            if key not in new:
                self.add("operation-removed", B, where, "operation removed")
            else:
                self.operation(op, new[key], where)
        for key, op in new.items():
            if key not in old:
                self.add("operation-added", N, f"{key[0]} {key[1]}", "operation added")

    def operation(self, old: Operation, new: Operation, where: str) -> None:
        if old.deprecated != new.deprecated:
            if new.deprecated:
                self.add("operation-deprecated", N, where, "operation deprecated")
            else:
                self.add("operation-undeprecated", N, where, "operation no longer deprecated")
        if old.operation_id != new.operation_id:
            self.add(
                "operation-id-changed",
                P,
                where,
                f"operationId changed from {old.operation_id!r} to {new.operation_id!r} "
                "(the method name follows unless apigen.yaml pins it)",
            )
        if old.security is not None or new.security is not None:
            self.requirement(
                old.security if old.security is not None else self.old.security,
                new.security if new.security is not None else self.new.security,
                where,
            )
        self.parameters(old.parameters, new.parameters, where)
        self.request_body(old, new, where)
        self.responses(old, new, where)

    def parameters(self, old: Sequence[Parameter], new: Sequence[Parameter], where: str) -> None:
        old_by = {(p.location, p.name): p for p in old}
        new_by = {(p.location, p.name): p for p in new}
        removed = [p for k, p in old_by.items() if k not in new_by]
        added = [p for k, p in new_by.items() if k not in old_by]
        for before in list(removed):
            after = next(
                (
                    a
                    for a in added
                    if a.location == before.location
                    and a.required == before.required
                    and self.same_shape(before.schema, a.schema)
                ),
                None,
            )
            if after is not None:
                removed.remove(before)
                added.remove(after)
                self.add(
                    "parameter-renamed",
                    B,
                    where,
                    f"{before.location} parameter {before.name!r} renamed to {after.name!r}",
                )
        for p in removed:
            self.add("parameter-removed", B, where, f"{p.location} parameter {p.name!r} removed")
        for p in added:
            if p.required:
                self.add(
                    "required-parameter-added",
                    B,
                    where,
                    f"new required {p.location} parameter {p.name!r}",
                )
            else:
                self.add(
                    "parameter-added", N, where, f"new optional {p.location} parameter {p.name!r}"
                )
        for key, before in old_by.items():
            after = new_by.get(key)
            if after is None:
                continue
            label = f"{before.location} parameter {before.name!r}"
            if before.required != after.required:
                if after.required:
                    self.add("parameter-became-required", B, where, f"{label} became required")
                else:
                    self.add("parameter-became-optional", N, where, f"{label} became optional")
            if after.deprecated and not before.deprecated:
                self.add("parameter-deprecated", N, where, f"{label} deprecated")
            self.schema(before.schema, after.schema, f"{where}: {label}", "request")

    def request_body(self, old: Operation, new: Operation, where: str) -> None:
        before, after = old.request_body, new.request_body
        if before is None and after is None:
            return
        if before is None:
            assert after is not None
            if after.required:
                self.add("request-body-added", B, where, "new required request body")
            else:
                self.add("request-body-added", N, where, "new optional request body")
            return
        if after is None:
            self.add("request-body-removed", B, where, "request body removed")
            return
        if after.required and not before.required:
            self.add("request-body-became-required", B, where, "request body became required")
        self.contents(before.contents, after.contents, f"{where}: request body", "request")

    def responses(self, old: Operation, new: Operation, where: str) -> None:
        before = {r.status: r for r in old.responses}
        after = {r.status: r for r in new.responses}
        for status, response in before.items():
            success = status.startswith("2")
            if status not in after:
                self.add(
                    "response-removed", B if success else N, where, f"response {status} removed"
                )
            else:
                self.contents(
                    response.contents,
                    after[status].contents,
                    f"{where}: response {status}",
                    "response",
                )
        for status in after:
            if status not in before:
                self.add("response-added", N, where, f"response {status} added")

    def contents(
        self, old: Sequence[MediaContent], new: Sequence[MediaContent], where: str, flow: Flow
    ) -> None:
        before = {c.media_type: c for c in old}
        after = {c.media_type: c for c in new}
        for media, content in before.items():
            if media not in after:
                self.add("media-type-removed", B, where, f"media type {media} removed")
            else:
                self.schema(content.schema, after[media].schema, where, flow)
        for media in after:
            if media not in before:
                self.add(
                    "media-type-added",
                    N if flow == "request" else P,
                    where,
                    f"media type {media} added",
                )

    # ------------------------------------------------------------------ schemas
    def named_schemas(self) -> None:
        old = {s.key: s for s in self.old.schemas}
        new = {s.key: s for s in self.new.schemas}
        for key, before in old.items():
            after = new.get(key)
            if after is None:
                if not before.inline:
                    self.add(
                        "schema-removed",
                        P,
                        f"schema {key}",
                        f"model {before.name} removed (imports of it break)",
                    )
                continue
            flow = _flow(self.old_usage.get(key, set()) | self.new_usage.get(key, set()))
            if after.schema.deprecated and not before.schema.deprecated:
                self.add("schema-deprecated", N, f"schema {key}", f"model {after.name} deprecated")
            self.schema(before.schema, after.schema, key, flow, top=True)
        for key, after in new.items():
            if key not in old and not after.inline:
                self.add("schema-added", N, f"schema {key}", f"model {after.name} added")

    def schema(
        self, old: Schema, new: Schema, where: str, flow: Flow, *, top: bool = False
    ) -> None:
        """Compare two schemas in place; refs to the same named schema stop here (compared once)."""
        if old.nullable != new.nullable:
            if new.nullable:
                self.add("became-nullable", _pick(flow, N, B), where, "may now be null")
            else:
                self.add("became-non-nullable", _pick(flow, B, N), where, "no longer accepts null")
        if isinstance(old, RefSchema) and isinstance(new, RefSchema):
            if old.ref != new.ref:
                self.add("type-changed", B, where, f"type changed from {old.ref} to {new.ref}")
            return
        if isinstance(old, LiteralSchema) and isinstance(new, PrimitiveSchema):
            self.add(
                "enum-constraint-removed",
                _pick(flow, N, P),
                where,
                f"no longer an enum (any {new.type})",
            )
            return
        if isinstance(old, PrimitiveSchema) and isinstance(new, LiteralSchema):
            self.add(
                "enum-constraint-added",
                _pick(flow, B, N),
                where,
                f"now an enum: {', '.join(repr(v) for v in new.values)}",
            )
            return
        if old.kind != new.kind:
            self.add(
                "type-changed", B, where, f"type changed from {_describe(old)} to {_describe(new)}"
            )
            return
        if isinstance(old, PrimitiveSchema) and isinstance(new, PrimitiveSchema):
            if old.type != new.type:
                self.add("type-changed", B, where, f"type changed from {old.type} to {new.type}")
            elif old.format != new.format:
                self.add(
                    "format-changed",
                    P,
                    where,
                    f"format changed from {old.format or 'none'} to {new.format or 'none'}",
                )
        elif isinstance(old, LiteralSchema) and isinstance(new, LiteralSchema):
            self.enum(old, new, where, flow)
        elif isinstance(old, ArraySchema) and isinstance(new, ArraySchema):
            self.schema(old.items, new.items, f"{where}[]", flow)
        elif isinstance(old, MapSchema) and isinstance(new, MapSchema):
            self.schema(old.values, new.values, f"{where}{{}}", flow)
        elif isinstance(old, UnionSchema) and isinstance(new, UnionSchema):
            self.union(old, new, where, flow)
        elif isinstance(old, ObjectSchema) and isinstance(new, ObjectSchema):
            self.object(old, new, where, flow)

    def enum(self, old: LiteralSchema, new: LiteralSchema, where: str, flow: Flow) -> None:
        for value in old.values:
            if value not in new.values:
                self.add(
                    "enum-value-removed", _pick(flow, B, N), where, f"enum value {value!r} removed"
                )
        for value in new.values:
            if value not in old.values:
                self.add(
                    "enum-value-added", _pick(flow, N, P), where, f"enum value {value!r} added"
                )

    def union(self, old: UnionSchema, new: UnionSchema, where: str, flow: Flow) -> None:
        before = {_label(v): v for v in old.variants}
        after = {_label(v): v for v in new.variants}
        for label, variant in before.items():
            if label not in after:
                self.add(
                    "union-member-removed",
                    _pick(flow, B, N),
                    where,
                    f"union member {label} removed",
                )
            else:
                self.schema(variant, after[label], where, flow)
        for label in after:
            if label not in before:
                self.add(
                    "union-member-added", _pick(flow, N, P), where, f"union member {label} added"
                )
        self.discriminator(old, new, where, flow)

    def discriminator(self, old: UnionSchema, new: UnionSchema, where: str, flow: Flow) -> None:
        d_old, d_new = old.discriminator, new.discriminator
        if d_old is None and d_new is None:
            return
        if d_old is None or d_new is None or d_old.property_name != d_new.property_name:
            before = d_old.property_name if d_old else "none"
            after = d_new.property_name if d_new else "none"
            self.add(
                "discriminator-changed",
                B,
                where,
                f"discriminator property changed from {before} to {after}",
            )
            return
        old_map, new_map = dict(d_old.mapping), dict(d_new.mapping)
        for value, target in old_map.items():
            if value not in new_map:
                self.add(
                    "discriminator-value-removed",
                    _pick(flow, B, N),
                    where,
                    f"discriminator value {value!r} removed",
                )
            elif new_map[value] != target:
                self.add(
                    "discriminator-mapping-changed",
                    B,
                    where,
                    f"discriminator value {value!r} now maps to {new_map[value]} (was {target})",
                )
        for value in new_map:
            if value not in old_map:
                self.add(
                    "discriminator-value-added",
                    _pick(flow, N, P),
                    where,
                    f"discriminator value {value!r} added",
                )

    def object(self, old: ObjectSchema, new: ObjectSchema, where: str, flow: Flow) -> None:
        before = {p.wire_name: p for p in old.properties}
        after = {p.wire_name: p for p in new.properties}
        removed = [p for name, p in before.items() if name not in after]
        added = [p for name, p in after.items() if name not in before]
        self._renames(removed, added, where)
        for prop in removed:
            self.add(
                "field-removed", B, f"{where}.{prop.wire_name}", f"{_noun(flow)} field removed"
            )
        for prop in added:
            at = f"{where}.{prop.wire_name}"
            if prop.required:
                self.add(
                    "required-field-added",
                    _pick(flow, B, N),
                    at,
                    f"new required {_noun(flow)} field",
                )
            else:
                self.add("field-added", N, at, f"new optional {_noun(flow)} field")
        for name, prop in before.items():
            other = after.get(name)
            if other is None:
                continue
            at = f"{where}.{name}"
            if prop.required != other.required:
                if other.required:
                    self.add("field-became-required", _pick(flow, B, N), at, "became required")
                else:
                    self.add("field-became-optional", _pick(flow, N, B), at, "became optional")
            if other.schema.deprecated and not prop.schema.deprecated:
                self.add("field-deprecated", N, at, "field deprecated")
            self.schema(prop.schema, other.schema, at, flow)
        if old.closed != new.closed and new.closed:
            self.add(
                "extra-fields-forbidden", _pick(flow, B, N), where, "extra fields no longer allowed"
            )

    def _renames(self, removed: list[Property], added: list[Property], where: str) -> None:
        """Pair a removed and an added field of the same shape and required-ness as a rename."""
        for before in list(removed):
            after = next(
                (
                    a
                    for a in added
                    if a.required == before.required and self.same_shape(before.schema, a.schema)
                ),
                None,
            )
            if after is not None:
                removed.remove(before)
                added.remove(after)
                self.add(
                    "field-renamed",
                    B,
                    f"{where}.{before.wire_name}",
                    f"field renamed to {after.wire_name!r}",
                )


def _noun(flow: Flow) -> str:
    return {"request": "request", "response": "response", "both": "request/response"}[flow]


def _scheme_key(scheme: SecurityScheme) -> str:
    """What a client must send, ignoring descriptions."""
    return " ".join(
        p for p in (scheme.type, scheme.location, scheme.param_name, scheme.scheme) if p
    )


__all__ = ["diff_apis"]
