"""Dependency order of named schemas (Tarjan's SCCs, iterative so deep graphs cannot overflow)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..ir.graph import direct_refs
from ..ir.model import Api, ObjectSchema


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


def strongly_connected(
    graph: Mapping[str, Sequence[str]], positions: Mapping[str, int]
) -> tuple[list[list[str]], set[str]]:
    """Tarjan's components of ``graph`` (dependencies first, members by ``positions``) and the
    nodes on a cycle (a component of several, or one that refers to itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    cyclic: set[str] = set()
    counter = 0
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, child_i = work.pop()
            if child_i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = graph[node]
            if child_i < len(children):
                child = children[child_i]
                work.append((node, child_i + 1))
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            for child in children:
                if child in on_stack:
                    low[node] = min(low[node], low[child])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph[node]:
                    cyclic.update(component)
                components.append(sorted(component, key=positions.__getitem__))
    return components, cyclic
