"""Dependency order of named schemas (Tarjan's SCCs, iterative so deep graphs cannot overflow)."""

from __future__ import annotations

from collections.abc import Sequence

from ..ir.graph import direct_refs, strongly_connected
from ..ir.model import Api, ObjectSchema
from ..plan.model import ClientPlan


def dependency_order(api: Api) -> tuple[list[str], set[str]]:
    """Keys with dependencies first (spec order otherwise), and the keys that sit on a cycle."""
    components, cyclic = dependency_components(api)
    return [key for component in components for key in component], cyclic


def dependency_components(api: Api) -> tuple[list[list[str]], set[str]]:
    """The strongly connected components of the named schemas, dependencies first (each in spec
    order), and the keys that sit on a cycle. A cut between two components never separates a key
    from a later one it refers to: what lets the models be split into modules that import only
    earlier ones."""
    positions = {named.key: i for i, named in enumerate(api.schemas)}
    graph = {
        named.key: sorted(set(direct_refs(named.schema)), key=positions.__getitem__)
        for named in api.schemas
    }
    return strongly_connected(graph, positions)


def request_components(api: Api, keys: Sequence[str]) -> list[list[str]]:
    """The same for request TypedDicts (``keys``: object schemas): one depends on the objects its
    fields reach through non-object schemas (aliases a request type expands inline)."""
    positions = {key: i for i, key in enumerate(keys)}
    graph = {
        key: sorted(_objects_reached(api, key) & positions.keys(), key=positions.__getitem__)
        for key in keys
    }
    return strongly_connected(graph, positions)[0]


def _objects_reached(api: Api, key: str) -> set[str]:
    found: set[str] = set()
    seen: set[str] = set()
    stack = list(direct_refs(api.schema(key).schema))
    while stack:
        ref = stack.pop()
        if ref in seen:
            continue
        seen.add(ref)
        if isinstance(api.schema(ref).schema, ObjectSchema):
            found.add(ref)
        else:
            stack.extend(direct_refs(api.schema(ref).schema))
    return found


def reach_groups(plan: ClientPlan) -> dict[str, tuple[str, ...]]:
    """Per named schema, the client attributes (top-level resources; ``""`` for the client's own
    methods) whose methods reach it through refs. Types are split into modules by this set, so
    the first call under ``client.models`` imports only what ``client.models`` can use. A schema
    another refers to is reached by at least the same attributes (a superset): modules of larger
    sets come first, and every module imports only earlier ones."""
    api = plan.api
    key_of: dict[str, str] = {}
    for t in plan.types:
        key_of[t.name] = t.named.key
        if t.request is not None:
            key_of[t.request.name] = t.named.key
    graph = {named.key: tuple(dict.fromkeys(direct_refs(named.schema))) for named in api.schemas}
    reached: dict[str, set[str]] = {key: set() for key in graph}
    for op in plan.methods():
        top = op.resource[0] if op.resource else ""
        shown = [a.annotation for a in op.arguments] + [op.returns.json, op.returns.item]
        stack = [
            key_of[name]
            for annotation in shown
            if annotation is not None
            for name in annotation.refs
            if name in key_of
        ]
        while stack:
            key = stack.pop()
            if top in reached[key]:
                continue
            reached[key].add(top)
            stack.extend(graph[key])
    return {key: tuple(sorted(tops)) for key, tops in reached.items()}


def group_order(groups: Sequence[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Distinct reach sets, larger first (a module may import those of supersets only)."""
    return sorted(set(groups), key=lambda tops: (-len(tops), tops))
