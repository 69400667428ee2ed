"""What ``apigen.yaml`` adds to a method beyond its operation: copied parameters, a return type.

Specs leave facts out: a parameter one operation declares and its sibling accepts too, or a union
response of which the method only ever gets one form. ``parameters:`` and ``returns:`` state
them per method path; each is checked against the spec, so a stale entry fails generation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..errors import ApigenError
from ..ir.model import Api, Operation, Parameter, RefSchema, UnionSchema


def extra_parameters(
    api: Api, op: Operation, method: str, sources: Mapping[str, str]
) -> tuple[Parameter, ...]:
    """The parameters ``parameters:`` copies into ``method`` (wire name → source operation)."""
    if not sources:  # the common case: no index of every operation per method
        return ()
    by_key = {f"{o.method.upper()} {o.path}": o for o in api.operations} | {
        o.operation_id: o for o in api.operations if o.operation_id
    }
    out: list[Parameter] = []
    for name, source_key in sorted(sources.items()):
        where = f"parameters/{method}/{name}"
        source = by_key.get(source_key)
        if source is None:
            raise ApigenError(f"config names an unknown operation {source_key!r}", pointer=where)
        found = [p for p in source.parameters if p.name == name]
        if len(found) != 1:
            raise ApigenError(
                f"{source_key} has {'no' if not found else 'several'} parameter {name!r}",
                pointer=where,
            )
        if any(p.name == name and p.location == found[0].location for p in op.parameters):
            raise ApigenError(f"{method} already has parameter {name!r}", pointer=where)
        out.append(found[0])
    return tuple(out)


def return_schema(api: Api, op: Operation, method: str, name: str) -> RefSchema:
    """The component ``returns:`` names for ``method``: the response itself or one member of
    its union (anything else would type the method with what the server never sends)."""
    where = f"returns/{method}"
    if name not in {named.key for named in api.schemas if not named.inline}:
        raise ApigenError(f"config names an unknown component schema {name!r}", pointer=where)
    candidates: set[str] = set()
    for response in op.responses:
        if response.status[:1] != "2":
            continue
        for content in response.contents:
            schema = content.schema
            if isinstance(schema, RefSchema):
                candidates.add(schema.ref)
                schema = api.schema(schema.ref).schema
            if isinstance(schema, UnionSchema):
                candidates.update(v.ref for v in schema.variants if isinstance(v, RefSchema))
    if name not in candidates:
        raise ApigenError(
            f"{name!r} is not {method}'s success response nor one member of its union",
            pointer=where,
        )
    return RefSchema(ref=name)


def unknown_methods(configured: Sequence[str], known: set[str]) -> list[str]:
    return sorted(key for key in configured if key not in known)
