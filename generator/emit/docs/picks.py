"""Which methods the README shows, picked by shape, never by name: a stable create call whose
response feeds a follow-up GET, a streaming call, a call with a list-valued header, ...

Ties are broken by spec order, so the same spec always shows the same examples.
"""

from __future__ import annotations

import functools
import re

from ...ir.model import Api, ArraySchema, ObjectSchema, RefSchema
from ...naming.schemas import field_names
from ...plan.model import ArgumentPlan, ClientPlan, OperationPlan
from ...records import record

_UNSTABLE = re.compile(r"(?i)(alpha|beta|preview|experimental)")

Followups = dict[str, list[tuple[frozenset[str], "Entry"]]]
"""The GETs a call's response can feed, keyed by their smallest path parameter name."""


@record(slots=False, eq=False)
class Entry:
    """One method of the client with its operation's position in the spec."""

    op: OperationPlan
    index: int
    """Position of the operation in the spec (ties are broken by spec order)."""

    @property
    def target(self) -> str:
        return self.op.target

    @functools.cached_property  # every pick sorts by it: a regex search per look otherwise
    def unstable(self) -> bool:
        return bool(_UNSTABLE.search(self.op.operation.path)) or self.op.operation.deprecated

    @property
    def has_body(self) -> bool:
        return self.op.body is not None

    @property
    def streams(self) -> bool:
        return self.op.returns.kind in ("stream", "json-or-stream")

    @property
    def pages(self) -> bool:
        return self.op.returns.kind == "page"

    @property
    def path_params(self) -> list[str]:
        return [a.spec_name for a in self.op.positional]


def entries(plan: ClientPlan) -> list[Entry]:
    """Every method in page order: the client's, then resource by resource."""
    order = {id(op): i for i, op in enumerate(plan.api.operations)}
    return [Entry(op, order.get(id(op.operation), len(order))) for op in plan.methods()]


def response_fields(api: Api, op: OperationPlan) -> dict[str, str]:
    """Wire name → attribute name of the required fields of the first success response's model
    (what a follow-up call can take its path parameters from)."""
    responses = sorted(op.operation.responses, key=lambda r: r.status)
    contents = next((r.contents for r in responses if r.status.startswith("2")), ())
    for content in contents:
        if isinstance(content.schema, RefSchema):
            target = api.schema(content.schema.ref).schema
            if isinstance(target, ObjectSchema):
                names = field_names(target)
                return {p.wire_name: names[p.wire_name] for p in target.properties if p.required}
    return {}


def primary(api: Api, pool: list[Entry], plain: list[Entry]) -> Entry:
    """The quickstart's call: ``min`` by (stable, has a body, POST, has a follow-up GET, spec
    order).

    Follow-ups are looked up only within the best group on the first three criteria, through an
    index of the possible follow-ups, so the pick stays near-linear in the number of operations
    (a full scan per candidate was O(operations²): 68 s on Microsoft Graph's 11,000).
    """

    def shape(e: Entry) -> tuple[bool, bool, bool]:
        return (e.unstable, not e.has_body, e.op.operation.method != "post")

    best = min(map(shape, pool))
    group = sorted((e for e in pool if shape(e) == best), key=lambda e: e.index)
    index = _followup_index(plain)
    return next((e for e in group if _has_followup(api, e, index)), group[0])


def _is_followup_shaped(e: Entry) -> bool:
    """A GET with path parameters and no other required argument."""
    return (
        e.op.operation.method == "get"
        and bool(e.path_params)
        and not any(a.required for a in e.op.keyword)
    )


def _followup_index(candidates: list[Entry]) -> Followups:
    index: Followups = {}
    for e in candidates:
        if _is_followup_shaped(e):
            params = e.path_params
            index.setdefault(min(params), []).append((frozenset(params), e))
    return index


def _has_followup(api: Api, first: Entry, index: Followups) -> bool:
    """``bool(followups(api, first, candidates))``: a follow-up's smallest parameter is a field."""
    fields = response_fields(api, first.op)
    return any(
        e is not first and params <= fields.keys()
        for name in fields
        for params, e in index.get(name, ())
    )


def followups(api: Api, first: Entry, candidates: list[Entry]) -> list[Entry]:
    """GET calls whose path parameters all come from ``first``'s response."""
    fields = response_fields(api, first.op)
    return [
        e
        for e in candidates
        if e is not first and _is_followup_shaped(e) and all(p in fields for p in e.path_params)
    ]


def bound_params(api: Api, first: Entry | None, var: str, follow: Entry) -> dict[str, str]:
    """Path parameters of ``follow`` taken from ``var``, the result of ``first`` (``{}`` when
    ``follow`` cannot chain on it)."""
    if first is None or follow not in followups(api, first, [follow]):
        return {}
    fields = response_fields(api, first.op)
    return {p: f"{var}.{fields[p]}" for p in follow.path_params}


def another(plain: list[Entry], first: Entry) -> Entry | None:
    """A call on another resource with a body and no path parameters, the simplest first."""
    others = [
        e for e in plain if e.op.resource != first.op.resource and not e.path_params and e.has_body
    ]
    others.sort(key=lambda e: (e.unstable, sum(a.required for a in e.op.arguments), e.index))
    return others[0] if others else None


def streaming(api: Api, all_entries: list[Entry], first: Entry | None) -> Entry | None:
    """The stream to show: one that chains on the quickstart, a plain stream over one behind a
    flag, stable first."""
    streams = [e for e in all_entries if e.streams and not e.op.alias_of]
    if not streams:
        return None
    chained = set(map(id, followups(api, first, streams))) if first is not None else set()
    return min(
        streams,
        key=lambda e: (id(e) not in chained, e.op.returns.flag is not None, e.unstable, e.index),
    )


def paginated(homes: list[Entry]) -> Entry | None:
    """The list to show auto-pagination on: one that really pages (not a whole-list envelope),
    stable first, then in spec order."""
    lists = [e for e in homes if e.pages]
    if not lists:
        return None
    return min(lists, key=lambda e: (_single_page(e), e.unstable, e.index))


def _single_page(entry: Entry) -> bool:
    page = entry.op.returns.page
    return page is not None and page.kind == "single"


def array_headers(api: Api, homes: list[Entry]) -> dict[tuple[str, str], list[Entry]]:
    """List-valued header arguments by (argument, header), each with the methods taking it
    (stable ones first)."""
    found: dict[tuple[str, str], list[Entry]] = {}
    for e in homes:
        for arg in e.op.keyword:
            if arg.location == "header" and isinstance(api.resolve(arg.schema), ArraySchema):
                found.setdefault((arg.name, arg.spec_name), []).append(e)
    for users in found.values():
        users.sort(key=lambda e: (e.unstable, e.index))
    return found


def header_example(
    found: dict[tuple[str, str], list[Entry]], first: Entry | None
) -> tuple[Entry, ArgumentPlan] | None:
    """The call to show a list-valued header on: the quickstart's if it takes one."""
    candidates = [e for users in found.values() for e in users if not e.streams]
    if not candidates:
        return None
    pick = min(candidates, key=lambda e: (e is not first, e.unstable, e.index))
    arg = next(a for a in pick.op.keyword if (a.name, a.spec_name) in found)
    return pick, arg


def renamed(homes: list[Entry]) -> list[tuple[Entry, ArgumentPlan]]:
    """Arguments renamed (``api_timeout``) because they collide with a per-request option."""
    return [(e, arg) for e in homes for arg in e.op.arguments if arg.renamed == "request-option"]


def renamed_example(
    api: Api, found: list[tuple[Entry, ArgumentPlan]], first: Entry | None
) -> tuple[Entry, ArgumentPlan] | None:
    """The renamed argument to show: on a call that chains on the quickstart, stable first."""
    plain = [item for item in found if not item[0].streams]
    if not plain:
        return None
    chained = (
        set(map(id, followups(api, first, [e for e, _ in plain]))) if first is not None else set()
    )
    return min(
        plain, key=lambda item: (id(item[0]) not in chained, item[0].unstable, item[0].index)
    )


def nullable_field(plain: list[Entry], first: Entry | None) -> tuple[Entry, ArgumentPlan] | None:
    """An optional, nullable JSON body field, to show leaving it out vs sending ``null``."""
    picks = [
        (e, arg)
        for e in plain
        if e.op.body is not None and e.op.body.kind == "json"
        for arg in e.op.keyword
        if arg.location == "body" and not arg.required and arg.schema.nullable
    ]
    if not picks:
        return None
    return min(picks, key=lambda p: (p[0] is not first, p[0].unstable, p[0].index))
