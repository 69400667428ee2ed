"""What the types of an operation are named after: its default method path, like the SDKs.

``client.chat.completions.create`` gives the stem ``ChatCompletionCreate``: each resource word
singular, then the method. The operation's inline schemas continue it (``…Response``,
``…Body``), and the object its request body sends is ``ChatCompletionCreateParams``.

Stems come from the *default* resource tree (the HTTP shape of the API), never from a config,
so a type's name does not change when an ``apigen.yaml`` moves a method.
"""

from __future__ import annotations

from ..ir.graph import direct_refs, reachable_refs_all
from ..ir.model import Api, ObjectSchema, Operation, RefSchema, Schema
from .identifiers import class_name, pascal_case
from .resources import build_resource_tree
from .words import singular


def operation_stems(api: Api) -> dict[str, str]:
    """Operation pointer → its stem (``FileList`` for ``client.files.list``)."""
    stems: dict[str, str] = {}
    for node in build_resource_tree(api, {}).walk():
        for binding in node.methods:
            if binding.alias_of is None:
                stems[binding.operation.pointer] = resource_stem(node.path) + pascal_case(
                    binding.name
                )
    return stems


def resource_stem(resource: tuple[str, ...]) -> str:
    """``("vector_stores", "files")`` → ``VectorStoreFile``: each resource word made singular."""
    return "".join(pascal_case(_singular_segment(part)) for part in resource)


def _singular_segment(segment: str) -> str:
    words = segment.rstrip("_").split("_")
    return "_".join([*words[:-1], singular(words[-1])])


def body_roots(op: Operation) -> list[Schema]:
    return [content.schema for content in op.request_body.contents] if op.request_body else []


def params_names(api: Api, stems: dict[str, str]) -> dict[str, str]:
    """Schema key → ``<Stem>Params`` for the object a request body sends, when that object is
    the body of this one operation only, for all its media types, and used nowhere else (a
    component two operations send, one of several an operation accepts, or one other schemas
    name keeps its own name)."""
    owners: dict[str, set[str]] = {}
    for op in api.operations:
        refs = {s.ref for s in body_roots(op) if isinstance(s, RefSchema)}
        if len(refs) == 1:  # one object for every media type, else each keeps its own name
            owners.setdefault(refs.pop(), set()).add(op.pointer)
        else:
            for ref in refs:
                owners.setdefault(ref, set()).update(("", op.pointer))
    used = _used_elsewhere(api)
    out: dict[str, str] = {}
    for key, pointers in owners.items():
        if len(pointers) != 1 or key in used:
            continue
        if not isinstance(api.schema(key).schema, ObjectSchema):
            continue
        stem = stems.get(next(iter(pointers)))
        if stem:
            out[key] = class_name(stem + "Params")
    return out


def _used_elsewhere(api: Api) -> set[str]:
    """Keys some schema (itself included), parameter or response names: such an object is more
    than one call's parameters (``children: list[Item]``), so it keeps its own name."""
    used = {key for named in api.schemas for key in direct_refs(named.schema)}
    for op in api.operations:
        for param in op.parameters:
            used.update(direct_refs(param.schema))
        for response in op.responses:
            for content in response.contents:
                used.update(direct_refs(content.schema))
    return used


def sendable(api: Api) -> set[str]:
    """Keys of the schemas a caller may send (reachable from a parameter or a request body):
    only these get a request type, so only these claim a request type's name."""
    roots: list[Schema] = []
    for op in api.operations:
        roots.extend(p.schema for p in op.parameters)
        roots.extend(body_roots(op))
    return reachable_refs_all(api, roots)
