"""The types of ``<package>.types``: a model or alias per named schema, and the request
``TypedDict`` of every object a caller can send."""

from __future__ import annotations

from collections.abc import Iterable

from ..ir.graph import reachable_refs_all
from ..ir.model import Api, NamedSchema, ObjectSchema, Schema
from ..naming.schemas import field_names
from .annotations import AnnotationRenderer
from .model import FieldPlan, OperationPlan, RequestTypePlan, TypePlan


def sent_objects(api: Api, operations: Iterable[OperationPlan]) -> set[str]:
    """Keys of the object schemas a caller can send: reachable from a parameter or the chosen
    body of an operation."""
    roots: list[Schema] = []
    for op in operations:
        roots.extend(p.schema for p in op.operation.parameters)
        if op.body is not None:
            roots.append(op.body.schema)
    reachable = reachable_refs_all(api, roots)
    return {key for key in reachable if isinstance(api.schema(key).schema, ObjectSchema)}


def plan_types(
    api: Api, sent: set[str], response: AnnotationRenderer, request: AnnotationRenderer
) -> tuple[TypePlan, ...]:
    return tuple(_type(named, named.key in sent, response, request) for named in api.schemas)


def _type(
    named: NamedSchema, sent: bool, response: AnnotationRenderer, request: AnnotationRenderer
) -> TypePlan:
    schema = named.schema
    description = (
        schema.description or (named.title if named.title and named.title != named.name else "")
    ) or ""
    if not isinstance(schema, ObjectSchema):
        annotation = response.render_alias(named)
        return TypePlan(named, "alias", (), annotation, None, description)
    names = field_names(schema)
    fields = tuple(
        FieldPlan(
            names[prop.wire_name],
            prop.wire_name,
            prop.schema,
            response.render(prop.schema),
            prop.required,
            prop.description,
        )
        for prop in schema.properties
    )
    request_type = None
    if sent:
        assert named.request_name is not None
        request_type = RequestTypePlan(
            named.request_name,
            tuple(
                FieldPlan(
                    prop.wire_name,
                    prop.wire_name,
                    prop.schema,
                    request.render(prop.schema),
                    prop.required,
                    prop.description,
                )
                for prop in schema.properties
                if not prop.schema.read_only
            ),
        )
    return TypePlan(named, "model", fields, None, request_type, description)
