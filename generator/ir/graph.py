"""Walks over the links between named schemas (``RefSchema`` keys), cycle-safe and iterative."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from .model import Api, ObjectSchema, RefSchema, Schema, UnionSchema, child_schemas


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


def union_members(schema: Schema) -> Iterator[str]:
    """Keys of the named schemas ``schema`` is directly, or as a member of its unions (no
    array, map or object between): what its value contains without nesting."""
    stack: list[Schema] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, RefSchema):
            yield node.ref
        elif isinstance(node, UnionSchema):
            stack.extend(node.variants)


def union_cycles(api: Api) -> dict[str, frozenset[str]]:
    """Each non-object named schema that is a member of itself through unions and aliases only
    (``A = int | B``, ``B = str | A``), mapped to the strongly connected set it shares."""
    aliases = [named for named in api.schemas if not isinstance(named.schema, ObjectSchema)]
    keys = {named.key for named in aliases}
    positions = {named.key: i for i, named in enumerate(aliases)}
    graph = {
        named.key: sorted(set(union_members(named.schema)) & keys, key=positions.__getitem__)
        for named in aliases
    }
    components, cyclic = strongly_connected(graph, positions)
    found: dict[str, frozenset[str]] = {}
    for component in components:
        if component[0] in cyclic:
            members = frozenset(component)
            found.update(dict.fromkeys(component, members))
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
