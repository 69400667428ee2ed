"""Walk two APIs side by side and classify every difference a client user could notice.

Operations are matched by method and path template (a renamed path parameter is a rename, not a
removal plus an addition). Every schema is compared by resolved shape (:mod:`.schemas`), and a
change inside a named schema is rated for each place it is used — request, response, or none —
the worst rating winning and every usage named. The generated client's surface
(:mod:`.surface`) adds what the wire cannot show: renamed methods, arguments and types.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from ..config import ProjectConfig
from ..errors import SpecWarning
from ..ir.model import (
    Api,
    MediaContent,
    Operation,
    Parameter,
    RefSchema,
    Schema,
    SecurityScheme,
)
from ..load.document import escape_pointer_token
from ..naming.arguments import parameter_name
from ..plan.operations import is_json, is_sse, pick_content
from ..records import record
from .model import Change, Direction, Report, Severity, Usage, worst
from .schemas import Finding, Pair, SchemaComparer, Sink
from .surface import ClientSurface, Method, build_surface, operation_key
from .usage import schema_usage

B, P, N = Severity.BREAKING, Severity.POTENTIALLY_BREAKING, Severity.NON_BREAKING
_MAX_USAGES_PER_CHANGE = 200


def diff_apis(
    old: Api,
    new: Api,
    *,
    old_config: ProjectConfig | None = None,
    new_config: ProjectConfig | None = None,
    new_warnings: Sequence[SpecWarning] = (),
) -> Report:
    """Every client-visible difference from ``old`` to ``new``, in spec order.

    The configs name the generated client on each side (pinned method paths); ``new_warnings``
    (from loading ``new``) explain constructs apigen degrades to ``Any``.
    """
    differ = _Differ(old, new, build_surface(old, old_config), build_surface(new, new_config))
    differ.warnings = list(new_warnings)
    differ.run()
    return Report(new.title or old.title, old.version, new.version, tuple(differ.changes))


@record
class _Site:
    """Where an operation uses a schema."""

    route: str
    method: str
    role: str
    direction: Direction
    typed: bool = True
    """False for error-response bodies, which the client does not type (``APIStatusError.body``)."""

    def usage(self, finding: Finding) -> Usage:
        return Usage(self.route, self.method, self.role, self.direction, self.rate(finding))

    def rate(self, finding: Finding) -> Severity:
        if not self.typed or self.direction == "none":
            return N
        return finding.request if self.direction == "request" else finding.response


class _Differ:
    def __init__(self, old: Api, new: Api, before: ClientSurface, after: ClientSurface) -> None:
        self.old = old
        self.new = new
        self.before = before
        self.after = after
        self.warnings: list[SpecWarning] = []
        self.changes: list[Change] = []
        self.schemas = SchemaComparer(old, new, self._explain)
        self.sites: dict[Pair, dict[_Site, None]] = {}
        """Named pairs an operation uses directly, with the places that use them."""
        self.order: list[Pair] = []
        self.reached: set[Pair] = set()
        """Every pair reported on: reachable from an operation, or unused on both sides."""
        self._new_order = {s.key: i for i, s in enumerate(new.schemas)}

    def add(
        self,
        kind: str,
        severity: Severity,
        location: str,
        message: str,
        route: str = "",
        usages: tuple[Usage, ...] = (),
    ) -> None:
        self.changes.append(Change(kind, severity, location, message, route, usages))

    # ------------------------------------------------------------------ API level
    def run(self) -> None:
        self.servers()
        self.security()
        self.operations()
        self.schema_changes()
        self.types()

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
                    f"security scheme {name!r} changed from {_scheme_key(before)} to "
                    f"{_scheme_key(after)}",
                )
        self.requirement(self.old.security, self.new.security, "security", "")

    def requirement(self, old: Sequence[str], new: Sequence[str], where: str, route: str) -> None:
        for name in new:
            if name not in old:
                self.add(
                    "security-requirement-added",
                    B,
                    where,
                    f"now requires security scheme {name!r}",
                    route,
                )
        for name in old:
            if name not in new:
                self.add(
                    "security-requirement-removed",
                    N,
                    where,
                    f"no longer requires security scheme {name!r}",
                    route,
                )

    # ------------------------------------------------------------------ operations
    def operations(self) -> None:
        old = {operation_key(op): op for op in self.old.operations}
        new = {operation_key(op): op for op in self.new.operations}
        pairs = {key: new[key] for key in old if key in new}
        # A path whose parameters were renamed is the same operation (``{id}`` → ``{pet_id}``).
        by_shape: dict[tuple[str, str], list[Operation]] = {}
        for key, op in new.items():
            if key not in old:
                by_shape.setdefault(_shape(op), []).append(op)
        for key, op in old.items():
            if key not in pairs:
                candidates = by_shape.get(_shape(op), [])
                if len(candidates) == 1:
                    pairs[key] = candidates.pop()
        matched_new = {operation_key(op) for op in pairs.values()}
        for key, op in old.items():
            if key in pairs:
                self.operation(op, pairs[key])
            else:
                method = self.before.method(op)
                self.add(
                    "operation-removed",
                    B,
                    method.call,
                    "operation removed (calls to it break)",
                    _route(op),
                )
        for key, op in new.items():
            if key not in matched_new:
                method = self.after.method(op)
                self.add(
                    "operation-added",
                    N,
                    method.call,
                    "operation added",
                    _route(op),
                )

    def operation(self, old: Operation, new: Operation) -> None:
        route = _route(new)
        before, after = self.before.method(old), self.after.method(new)
        call = after.call
        if old.path != new.path:
            self.add(
                "path-parameters-renamed",
                N,
                call,
                f"path template changed from {old.path} to {new.path} (same URL shape)",
                route,
            )
        self.method_names(before, after, route)
        if old.deprecated != new.deprecated:
            if new.deprecated:
                self.add("operation-deprecated", N, call, "operation deprecated", route)
            else:
                self.add("operation-undeprecated", N, call, "operation no longer deprecated", route)
        if old.operation_id != new.operation_id and before.path == after.path:
            self.add(
                "operation-id-changed",
                N,
                call,
                f"operationId changed from {old.operation_id!r} to {new.operation_id!r}; "
                "the method keeps its name",
                route,
            )
        if old.security is not None or new.security is not None:
            self.requirement(
                old.security if old.security is not None else self.old.security,
                new.security if new.security is not None else self.new.security,
                call,
                route,
            )
        # Same operation, same body model: the generated signature is the same (skip naming it).
        same = old == new and self._same_body_model(old, new)
        self.parameters(old, new, before, after, route, same)
        self.request_body(old, new, after, route, same)
        if not same:
            self.body_arguments(before, after, route)
        if not self.responses(old, new, after, route, same) and not same:
            self.returns(before, after, route)

    def method_names(self, before: Method, after: Method, route: str) -> None:
        if before.path != after.path:
            self.add(
                "method-renamed",
                B,
                after.call,
                f"{before.call}() is now {after.call}() (calls to the old name break; pin it "
                "under `resources:` in apigen.yaml to keep it)",
                route,
            )
        for alias in before.aliases:
            if alias not in after.aliases and alias != after.path:
                self.add(
                    "method-alias-removed",
                    B,
                    after.call,
                    f"alias client.{alias}() no longer exists",
                    route,
                )

    def body_arguments(self, before: Method, after: Method, route: str) -> None:
        """A body sent as keyword arguments, as one ``body=`` / ``content=`` value, or not at
        all: switching between these changes every call (field-level changes of a body that
        stays flattened are reported on its schema)."""
        was, now = _body_form(before), _body_form(after)
        if was == now or "none" in (was, now):  # an added or removed body is reported as such
            return
        old_args = ", ".join(f"{a.name}=…" for a in before.arguments if a.location in _BODY)
        new_args = ", ".join(f"{a.name}=…" for a in after.arguments if a.location in _BODY)
        self.add(
            "body-arguments-changed",
            B,
            after.call,
            f"{after.call}() took the body as {old_args} and now takes {new_args}",
            route,
        )

    def returns(self, before: Method, after: Method, route: str) -> None:
        was, now = before.returns, after.returns
        if was != now and was != "nothing":  # a value where there was none breaks no caller
            self.add(
                "return-kind-changed",
                B,
                after.call,
                f"{after.call}() now returns {now} (was {was})",
                route,
            )

    def _same_body_model(self, old: Operation, new: Operation) -> bool:
        before, after = pick_content(old), pick_content(new)
        if before is None or after is None:
            return before is after
        a, b = before.schema, after.schema
        if isinstance(a, RefSchema) and isinstance(b, RefSchema):
            return self.old.schema(a.ref).schema == self.new.schema(b.ref).schema
        return True

    def parameters(
        self,
        old: Operation,
        new: Operation,
        before: Method,
        after: Method,
        route: str,
        same: bool,
    ) -> None:
        call = after.call
        old_by = {(p.location, p.name): p for p in old.parameters}
        new_by = {(p.location, p.name): p for p in new.parameters}
        matches: list[tuple[Parameter, Parameter]] = []
        removed = [p for k, p in old_by.items() if k not in new_by]
        added = [p for k, p in new_by.items() if k not in old_by]
        if old.path != new.path:  # path parameters renamed with the template: pair by position
            for a, b in zip(_path_names(old.path), _path_names(new.path), strict=False):
                pa, pb = old_by.get(("path", a)), new_by.get(("path", b))
                if pa in removed and pb in added and pa is not None and pb is not None:
                    removed.remove(pa)
                    added.remove(pb)
                    matches.append((pa, pb))
        for p_old in list(removed):
            p_new = next(
                (
                    a
                    for a in added
                    if a.location == p_old.location
                    and a.required == p_old.required
                    and self.schemas.same(p_old.schema, a.schema)
                ),
                None,
            )
            if p_new is not None:
                removed.remove(p_old)
                added.remove(p_new)
                arg = _arg(after, p_new)
                self.add(
                    "parameter-renamed",
                    B,
                    f"{call}({arg}=…)",
                    f"{p_old.location} parameter {p_old.name!r} renamed to {p_new.name!r} "
                    f"(argument `{_arg(before, p_old)}` is now `{arg}`)",
                    route,
                )
        for p in removed:
            arg = _arg(before, p)
            self.add(
                "parameter-removed",
                B,
                f"{call}({arg}=…)",
                f"{p.location} parameter {p.name!r} removed (argument `{arg}` no longer accepted)",
                route,
            )
        for p in added:
            arg = _arg(after, p)
            if p.required:
                self.add(
                    "required-parameter-added",
                    B,
                    f"{call}({arg}=…)",
                    f"new required {p.location} parameter {p.name!r} (argument `{arg}`)",
                    route,
                )
            else:
                self.add(
                    "parameter-added",
                    N,
                    f"{call}({arg}=…)",
                    f"new optional {p.location} parameter {p.name!r} (argument `{arg}`)",
                    route,
                )
        matches += [(p, new_by[k]) for k, p in old_by.items() if k in new_by]
        for p_old, p_new in matches:
            self.parameter(p_old, p_new, before, after, route, f"{new.pointer}/parameters", same)

    def parameter(
        self,
        old: Parameter,
        new: Parameter,
        before: Method,
        after: Method,
        route: str,
        pointer: str,
        same: bool,
    ) -> None:
        """``same``: the operation did not change, so neither did its arguments' names."""
        label = f"{new.location} parameter {new.name!r}"
        site = _Site(route, after.call, label, "request")
        if same:
            # An unchanged operation keeps its arguments: its method is planned only when a
            # finding needs the argument's name (one inside a schema the parameter refers to).
            def where() -> str:
                return f"{after.call}({_arg(after, new)}=…)"

            self.local(old.schema, new.schema, where, site, f"{label}: ", pointer, equal=True)
            return
        arg_old = before.argument(old.location, old.name)
        arg_new = after.argument(new.location, new.name)
        name = arg_new.name if arg_new else parameter_name(new)
        where_text = f"{after.call}({name}=…)"
        if arg_old is not None and arg_new is not None and arg_old.name != arg_new.name:
            self.add(
                "argument-renamed",
                B,
                where_text,
                f"argument `{arg_old.name}` is now `{arg_new.name}` (calls passing "
                f"`{arg_old.name}=` break)",
                route,
            )
        if old.required != new.required:
            if new.required:
                self.add(
                    "parameter-became-required", B, where_text, f"{label} became required", route
                )
            else:
                self.add(
                    "parameter-became-optional", N, where_text, f"{label} became optional", route
                )
        if new.deprecated and not old.deprecated:
            self.add("parameter-deprecated", N, where_text, f"{label} deprecated", route)
        self.local(old.schema, new.schema, lambda: where_text, site, f"{label}: ", pointer)

    def request_body(
        self, old: Operation, new: Operation, after: Method, route: str, same: bool
    ) -> None:
        before, body = old.request_body, new.request_body
        call = after.call
        if before is None and body is None:
            return
        if before is None:
            assert body is not None
            self.add(
                "request-body-added",
                B if body.required else N,
                call,
                f"new {'required' if body.required else 'optional'} request body",
                route,
            )
            return
        if body is None:
            self.add("request-body-removed", B, call, "request body removed", route)
            return
        if body.required and not before.required:
            self.add("request-body-became-required", B, call, "request body became required", route)
        site = _Site(route, call, "request body", "request")
        chosen = pick_content(old)
        pointer = f"{new.pointer}/requestBody"
        self.contents(before.contents, body.contents, call, site, route, chosen, pointer, same)

    def responses(
        self, old: Operation, new: Operation, after: Method, route: str, same: bool
    ) -> bool:
        """Compare responses; whether a typed (success) response was removed."""
        before = {r.status: r for r in old.responses}
        now = {r.status: r for r in new.responses}
        typed = _typed_statuses(old) | _typed_statuses(new)
        removed_typed = False
        for status, response in before.items():
            if status not in now:
                removed_typed = removed_typed or status in typed
                self.add(
                    "response-removed",
                    B if status in typed else N,
                    after.call,
                    f"response {status} removed",
                    route,
                )
                continue
            role = f"response {status}" if status in typed else f"error response {status}"
            site = _Site(route, after.call, role, "response", typed=status in typed)
            chosen = next(
                (c for c in response.contents if is_json(c.media_type) or is_sse(c.media_type)),
                response.contents[0] if response.contents else None,
            )
            pointer = f"{new.pointer}/responses/{escape_pointer_token(status)}"
            self.contents(
                response.contents,
                now[status].contents,
                after.call,
                site,
                route,
                chosen,
                pointer,
                same,
            )
        for status in now:
            if status not in before:
                self.add("response-added", N, after.call, f"response {status} added", route)
        return removed_typed

    def contents(
        self,
        old: Sequence[MediaContent],
        new: Sequence[MediaContent],
        call: str,
        site: _Site,
        route: str,
        chosen: MediaContent | None,
        pointer: str,
        same: bool,
    ) -> None:
        """``chosen``: the media type the old client sends or parses; only its loss breaks it
        (``same``: the operation is unchanged, so are these contents)."""
        before = {c.media_type: c for c in old}
        after = {c.media_type: c for c in new}
        request = site.direction == "request"
        for media, content in before.items():
            if media not in after:
                used = chosen is not None and media == chosen.media_type and site.typed
                self.add(
                    "media-type-removed",
                    B if used else N,
                    call,
                    f"{site.role}: media type {media} removed"
                    + ("" if used else " (not the one the client uses)"),
                    route,
                )
            else:
                where = f"{pointer}/content/{escape_pointer_token(media)}/schema"
                self.local(
                    content.schema,
                    after[media].schema,
                    call,
                    site,
                    f"{site.role}: ",
                    where,
                    equal=same,
                )
        for media in after:
            if media not in before:
                self.add(
                    "media-type-added",
                    N if request or not site.typed else P,
                    call,
                    f"{site.role}: media type {media} added",
                    route,
                )

    def local(
        self,
        old: Schema,
        new: Schema,
        where: str | Callable[[], str],
        site: _Site,
        prefix: str,
        pointer: str,
        *,
        equal: bool = False,
    ) -> None:
        """Compare a schema used in one place; named schemas it reaches remember ``site``.
        (``where`` may be worked out only if there is a finding to place; ``equal``: the two
        schemas are known equal, as in an unchanged operation.)"""
        sink = Sink()
        if equal:
            self.schemas.unchanged(old, new, sink, pointer)
        else:
            self.schemas.compare(old, new, "", sink, pointer)
        if sink.findings and not isinstance(where, str):
            where = where()
        for finding in sink.findings:
            assert isinstance(where, str)
            self.add(
                finding.kind,
                site.rate(finding),
                where + finding.at,
                prefix + finding.message,
                site.route,
                (site.usage(finding),),
            )
        for pair in sink.pairs:
            self._reach(pair, site)

    def _reach(self, pair: Pair, site: _Site) -> None:
        sites = self.sites.get(pair)
        if sites is None:
            self.sites[pair] = sites = {}
            self.order.append(pair)
        sites[site] = None

    # ------------------------------------------------------------------ named schemas
    def schema_changes(self) -> None:
        """Report findings inside named schemas, each with every usage that reaches it."""
        parents: dict[Pair, list[Pair]] = {}
        reached: list[Pair] = []
        seen: set[Pair] = set()
        stack = list(reversed(self.order))
        while stack:
            pair = stack.pop()
            if pair in seen:
                continue
            seen.add(pair)
            reached.append(pair)
            for child in reversed(self.schemas.pair(pair).children):
                parents.setdefault(child, []).append(pair)
                stack.append(child)
        for pair in reached:
            result = self.schemas.pair(pair)
            if result.retarget or not result.findings:
                continue
            sites = self._sites_of(pair, parents)
            self._report(pair, result.findings, sites)
        self.reached |= seen
        self.unused_schemas()

    def _sites_of(self, pair: Pair, parents: dict[Pair, list[Pair]]) -> list[_Site]:
        sites: list[_Site] = []
        known: set[_Site] = set()
        seen = {pair}
        stack = [pair]
        while stack:
            current = stack.pop()
            for site in self.sites.get(current, ()):
                if site not in known:
                    known.add(site)
                    sites.append(site)
            for parent in parents.get(current, ()):
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        return sorted(sites, key=lambda s: (s.route, s.role))

    def _report(self, pair: Pair, findings: Iterable[Finding], sites: list[_Site]) -> None:
        name = self.new.schema(pair[1]).name
        was = self.old.schema(pair[0]).name
        versus = f" (compared with {was}, which {name} replaces)" if was != name else ""
        for finding in findings:
            usages = tuple(site.usage(finding) for site in sites)
            severity = worst(*(u.severity for u in usages)) if usages else N
            self.add(
                finding.kind,
                severity,
                name + finding.at,
                finding.message + versus + _usage_note(usages),
                "",
                usages[:_MAX_USAGES_PER_CHANGE],
            )

    def unused_schemas(self) -> None:
        """Schemas no operation uses on either side (webhook payloads, leftovers): their changes
        break no call or response, so they are reported as non-breaking with usage ``none``."""
        used: set[str] | None = None  # walked only once a changed schema needs it
        new_keys = {s.key for s in self.new.schemas}
        site = _Site("", "", "unused", "none")
        for named in self.old.schemas:
            pair = (named.key, named.key)
            if named.key not in new_keys or pair in self.reached:
                continue
            if named.schema == self.new.schema(named.key).schema:
                continue  # the common case, and its refs are visited as schemas of their own
            if used is None:
                used = set(schema_usage(self.old)) | set(schema_usage(self.new))
            if named.key in used:
                continue
            result = self.schemas.pair(pair)
            self.reached.add(pair)
            if result.findings:
                for finding in result.findings:
                    self.add(
                        finding.kind,
                        N,
                        self.new.schema(named.key).name + finding.at,
                        finding.message + " (no operation uses this schema)",
                        "",
                        (site.usage(finding),),
                    )

    # ------------------------------------------------------------------ type names
    def types(self) -> None:
        """Type names are public (``from pkg.types import Pet``): renamed, removed, added."""
        paired_old = {old for old, _ in self.reached}
        paired_new = {new for _, new in self.reached}
        renamed: set[tuple[str, str]] = set()
        for old_key, new_key in sorted(self.reached, key=self._pair_order):
            if self.schemas.pair((old_key, new_key)).retarget:
                continue
            before, after = self.old.schema(old_key), self.new.schema(new_key)
            if before.name == after.name or (before.name, after.name) in renamed:
                continue
            renamed.add((before.name, after.name))
            self.add(
                "type-renamed",
                P if before.inline else B,
                after.name,
                f"type {before.name} is now {after.name}"
                + (
                    " (a name apigen derived from where the schema stood)"
                    if before.inline
                    else " (imports of the old name break)"
                ),
            )
        new_names = {s.name for s in self.new.schemas}
        old_names = {s.name for s in self.old.schemas}
        for named in self.old.schemas:
            if named.inline or named.key in paired_old or named.name in new_names:
                continue
            self.add(
                "type-removed",
                B,
                named.name,
                f"type {named.name} removed (imports of it break)",
            )
        for named in self.new.schemas:
            if named.inline or named.key in paired_new or named.name in old_names:
                continue
            self.add("type-added", N, named.name, f"type {named.name} added")

    def _pair_order(self, pair: Pair) -> tuple[int, str, str]:
        return self._new_order[pair[1]], pair[0], pair[1]

    # ------------------------------------------------------------------ degrade reasons
    def _explain(self, pointer: str, at: str) -> str | None:
        """The generator's own warning for a construct it turned into ``Any`` at ``at``."""
        if not self.warnings:
            return None
        prefix = pointer
        if at.startswith("."):
            field_name = at[1:].split(".", 1)[0].split("[", 1)[0].split("{", 1)[0]
            prefix = f"{pointer}/properties/{escape_pointer_token(field_name)}"
        for warning in self.warnings:
            if warning.pointer == prefix or warning.pointer.startswith(prefix + "/"):
                return f"apigen generates it as Any: {warning.message}"
        return None


def _usage_note(usages: tuple[Usage, ...]) -> str:
    if not usages:
        return ""
    ratings = {u.severity for u in usages}
    if len(ratings) == 1:
        return ""
    parts = []
    for severity in Severity:
        where = [u for u in usages if u.severity is severity]
        if where:
            first = where[0]
            more = f" and {len(where) - 1} more" if len(where) > 1 else ""
            parts.append(f"{severity.value} in {first.role} of {first.route}{more}")
    return " — " + "; ".join(parts)


def _route(op: Operation) -> str:
    return f"{op.method.upper()} {op.path}"


def _shape(op: Operation) -> tuple[str, str]:
    return op.method.upper(), re.sub(r"\{[^}]*\}", "{}", op.path)


def _path_names(path: str) -> list[str]:
    return re.findall(r"\{([^}]*)\}", path)


def _arg(method: Method, param: Parameter) -> str:
    arg = method.argument(param.location, param.name)
    return arg.name if arg is not None else parameter_name(param)


def _typed_statuses(op: Operation) -> set[str]:
    """Responses whose bodies the client parses into types: 2XX, or ``default`` without one."""
    success = {r.status for r in op.responses if r.status[:1] == "2"}
    return success or {r.status for r in op.responses if r.status == "default"}


_BODY = ("body", "whole-body")


def _body_form(method: Method) -> str:
    kinds = {a.location for a in method.arguments if a.location in _BODY}
    if not kinds:
        return "none"
    return "fields" if kinds == {"body"} else "whole"


def _scheme_key(scheme: SecurityScheme) -> str:
    """What a client must send, ignoring descriptions."""
    return " ".join(
        p for p in (scheme.type, scheme.location, scheme.param_name, scheme.scheme) if p
    )


__all__ = ["diff_apis"]
