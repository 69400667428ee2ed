"""Which way each named schema travels: sent by the client, received by it, or both."""

from __future__ import annotations

from typing import Literal

from ..ir.model import Api, RefSchema, Schema, child_schemas

Direction = Literal["request", "response"]


def schema_usage(api: Api) -> dict[str, set[Direction]]:
    """Named-schema key → the directions it is reachable in from the operations."""
    usage: dict[str, set[Direction]] = {}
    for op in api.operations:
        for param in op.parameters:
            _walk(api, param.schema, "request", usage)
        if op.request_body is not None:
            for content in op.request_body.contents:
                _walk(api, content.schema, "request", usage)
        for response in op.responses:
            for content in response.contents:
                _walk(api, content.schema, "response", usage)
    return usage


def _walk(api: Api, root: Schema, direction: Direction, usage: dict[str, set[Direction]]) -> None:
    stack = [root]
    while stack:
        schema = stack.pop()
        if isinstance(schema, RefSchema):
            seen = usage.setdefault(schema.ref, set())
            if direction in seen:
                continue
            seen.add(direction)
            try:
                stack.append(api.schema(schema.ref).schema)
            except KeyError:
                continue
        else:
            stack.extend(child_schemas(schema))
