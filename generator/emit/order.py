"""Dependency order of named schemas (Tarjan's SCCs, iterative so deep graphs cannot overflow)."""

from __future__ import annotations

from ..ir.model import Api
from .types import direct_refs


def dependency_order(api: Api) -> tuple[list[str], set[str]]:
    """Keys with dependencies first (spec order otherwise), and the keys that sit on a cycle."""
    positions = {named.key: i for i, named in enumerate(api.schemas)}
    graph = {named.key: sorted(set(direct_refs(named.schema)), key=positions.__getitem__) for named in api.schemas}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    order: list[str] = []
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
                order.extend(sorted(component, key=positions.__getitem__))
    return order, cyclic
