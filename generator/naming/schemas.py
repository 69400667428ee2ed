"""Class names of the named schemas, and field names of object schemas.

Models and request types (``<Name>Param``) share the ``types`` package, so they share one scope
of class names, handed out case-insensitively in a fixed order, which keeps regeneration stable:

1. component schemas, in the document's order, after their keys (``task_run`` → ``TaskRun``;
   ``tool_param`` → the model ``Tool``, whose request type is then ``ToolParam``);
2. other referenced schemas (a ``$ref`` into ``paths`` or ``responses``), after the last token of
   their pointer, in IR order;
3. every named schema in IR order (dependencies first): an inline one gets the name of what it
   stands in followed by its hint (``TaskRun`` + ``_metadata`` → ``TaskRunMetadata``), then each
   object schema the name of its request type.

A name that is taken gets a number (``TaskRun2``). Field names are local to one object.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import replace

from ..ir.model import Api, NamedSchema, ObjectSchema, Operation
from .identifiers import UniqueNamer, attribute_name, class_name, field_name
from .methods import share_placements, strip_framework_suffix
from .stems import operation_stems, params_names, sendable


def name_api(api: Api) -> Api:
    """The IR with every named schema's class name (and request type name) filled in."""
    operations = {op.pointer: op for op in api.operations}
    namer = UniqueNamer()
    names: dict[str, str] = {}
    direct = {key: class_name(key) for key in api.components}
    wanted = {name.lower() for name in direct.values()}
    for key in api.components:
        names[key] = namer.claim(_model_name(direct[key], wanted))
    for named in api.schemas:
        if named.hint.origin == "reference":
            names[named.key] = namer.claim(class_name(named.hint.text))
    stems = operation_stems(api)
    params = params_names(api, stems)
    sent = sendable(api)
    request_names: dict[str, str] = {}
    for named in api.schemas:
        if named.hint.origin == "inline":
            prefix = _prefix(named, names, operations, stems)
            text = named.hint.text
            if not text and named.hint.owner is not None:
                # The one object of a union its owner names (``Usage: anyOf [{…}, null]``):
                # the owner is the alias ``Usage``, the member its ``UsageObject``.
                text = "Object"
            names[named.key] = namer.claim(class_name(prefix + text))
        if isinstance(named.schema, ObjectSchema) and named.key in sent:
            wanted_name = params.get(named.key) or request_type_name(names[named.key])
            request_names[named.key] = namer.claim(wanted_name)
    schemas = tuple(
        replace(named, name=names[named.key], request_name=request_names.get(named.key))
        for named in api.schemas
    )
    named_api = replace(api, schemas=schemas)
    share_placements(api, named_api)
    return named_api


def _model_name(name: str, wanted: set[str]) -> str:
    """A component already named like a request type (``ToolParam``) is the model ``Tool``, so
    its request type is ``ToolParam`` and not ``ToolParamParam`` — unless another component
    wants ``Tool`` (or ``ToolParam`` itself, the request type's name, would be taken)."""
    stem = name.removesuffix("Param")
    if stem == name or not stem or stem.lower() in wanted:
        return name
    return stem


def request_type_name(model: str) -> str:
    """``TaskRun`` → ``TaskRunParam``. A model already named like a request type (the spec has
    both ``FunctionTool`` and ``FunctionToolParam``) is sent as ``FunctionToolInputParam``, not
    ``FunctionToolParamParam``."""
    stem = model.removesuffix("Param")
    if stem != model and stem:
        return class_name(stem + "InputParam")
    return class_name(model + "Param")


def _prefix(
    named: NamedSchema,
    names: dict[str, str],
    operations: dict[str, Operation],
    stems: dict[str, str],
) -> str:
    """The name an inline schema's hint continues: its owner's class name or its operation's
    stem (``ChatCompletionCreate``; the operationId's words for an operation the resource tree
    does not place)."""
    hint = named.hint
    if hint.owner is not None:
        return names[hint.owner]
    if hint.operation is not None:
        return stems.get(hint.operation) or operation_stem(operations[hint.operation])
    return ""


def operation_stem(op: Operation) -> str:
    """``TasksRunsPost`` for ``tasks_runs_post_v1_tasks_runs_post``: what inline schemas of an
    operation (parameters, body, responses) are named after."""
    return class_name(strip_framework_suffix(op.operation_id, op.method, op.path))


def field_names(obj: ObjectSchema) -> dict[str, str]:
    """Wire name → attribute name of every property of ``obj`` on its pydantic model."""
    return _field_names(tuple(prop.wire_name for prop in obj.properties), attributes=True)


def argument_field_names(obj: ObjectSchema) -> dict[str, str]:
    """Wire name → keyword argument of every property of a flattened request body: arguments
    also avoid the builtins (a method body may call ``str``), so they follow ``field_name``."""
    return _field_names(tuple(prop.wire_name for prop in obj.properties), attributes=False)


@functools.lru_cache(maxsize=4096)
def _field_names(wire_names: Sequence[str], attributes: bool) -> dict[str, str]:
    """Distinct field names that are never *another* property's wire name.

    Models accept field names as well as aliases (``populate_by_name``), so a field ``foo2``
    (wire ``Foo``) beside a property whose wire name is ``foo2`` would take both keys.
    Properties whose wire name is already the field name claim theirs first.
    """
    naming = attribute_name if attributes else field_name
    wire = set(wire_names)
    namer = UniqueNamer()
    names = {name: namer.claim(name) for name in wire_names if naming(name) == name}
    for name in wire_names:
        if name in names:
            continue
        base = candidate = naming(name)
        counter = 2
        while namer.is_taken(candidate) or candidate in wire:
            candidate = f"{base}{counter}_" if base.endswith("_") else f"{base}{counter}"
            counter += 1
        namer.reserve(candidate)
        names[name] = candidate
    return {name: names[name] for name in wire_names}
