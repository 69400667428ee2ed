"""Walks over the links between named schemas (``RefSchema`` keys), cycle-safe and iterative."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .model import Api, RefSchema, Schema, child_schemas


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
