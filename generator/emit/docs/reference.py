"""The facts of ``api.md``: every method with its signature, parameters, return type, errors and
an example call, and every type with its fields."""

from __future__ import annotations

from ...ir.model import MISSING
from ...literals import clean_text, py_literal
from ...plan.model import ArgumentPlan, ClientPlan, OperationPlan, TypePlan
from ...records import record
from ..resources import declaration
from .examples import ExampleValues, example_call
from .markdown import md_block, md_cell, md_code, md_code_cell
from .picks import Entry
from .readme import Step, var_name

_STATUS_ERRORS = {
    "400": "BadRequestError",
    "401": "AuthenticationError",
    "403": "PermissionDeniedError",
    "404": "NotFoundError",
    "409": "ConflictError",
    "422": "UnprocessableEntityError",
    "429": "RateLimitError",
}


@record
class ParamRow:
    name: str
    type: str
    required: str
    default: str
    location: str
    description: str


@record
class ErrorRow:
    status: str
    exception: str
    description: str


@record
class OperationDoc:
    name: str
    heading: str
    http: str
    description: str
    parameters: tuple[str, ...]
    """The signature's parameter declarations (``*`` between positional and keyword ones)."""
    signature_returns: str
    params: tuple[ParamRow, ...]
    returns: str
    errors: tuple[ErrorRow, ...]
    example: Step
    alias_of: str

    @property
    def alias_note(self) -> str:
        return f" (alias of {self.alias_of})" if self.alias_of else ""


@record
class ResourceDoc:
    heading: str
    operations: tuple[OperationDoc, ...]


@record
class FieldRow:
    name: str
    type: str
    required: str
    description: str


@record
class ModelDoc:
    name: str
    heading: str
    anchor: str
    description: str
    fields: tuple[FieldRow, ...]
    alias: str
    """What a type alias stands for (empty for models)."""
    request_name: str


def resource_docs(entries: list[Entry], values: ExampleValues) -> list[ResourceDoc]:
    by_resource: dict[tuple[str, ...], list[OperationDoc]] = {}
    for entry in entries:
        by_resource.setdefault(entry.op.resource, []).append(_operation_doc(entry.op, values))
    return [
        ResourceDoc(md_code(".".join(("client", *path))), tuple(docs))
        for path, docs in by_resource.items()
    ]


def _operation_doc(op: OperationPlan, values: ExampleValues) -> OperationDoc:
    operation = op.operation
    parts = (clean_text(operation.summary), clean_text(operation.description))
    text = "\n\n".join(dict.fromkeys(t for t in parts if t))
    if operation.deprecated:
        text = "**Deprecated.**" + ("\n\n" + md_block(text) if text else "")
    else:
        text = md_block(text)
    parameters = [declaration(a) for a in op.positional]
    # The per-request options (``extra_headers``, ``timeout``, ...) are not arguments of the plan:
    # a comment below sums them up, and a spec keyword that merely starts like one (``timeout_ms``)
    # is listed like any other.
    keywords = [declaration(a) for a in op.keyword]
    if keywords:
        parameters += ["*", *keywords]
    returns = op.returns
    returns_doc = md_code(returns.annotation)
    either = returns.annotation
    if returns.kind == "json-or-stream":
        assert returns.json is not None and returns.flag is not None
        either = f"{returns.json.text} | {returns.annotation}"
        returns_doc = (
            f"{md_code(returns.json.text)}, or {md_code(returns.annotation)} "
            f"with {md_code(returns.flag.name + '=True')}"
        )
    if returns.kind == "page":
        assert returns.item is not None
        returns_doc += (
            ": iterating it yields every item of every page; on the async client "
            f"{md_code(f'AsyncPaginator[{returns.item.text}]')}, for `async for` or `await`"
        )
    call = example_call(values, op)
    return OperationDoc(
        name=op.name,
        heading=md_code(op.target + "()"),
        http=md_code(f"{operation.method.upper()} {operation.path}"),
        description=text,
        parameters=tuple(parameters),
        signature_returns=either,
        params=tuple(_param_row(arg) for arg in op.arguments),
        returns=returns_doc,
        errors=_errors(op),
        example=Step(call, var_name(op) if returns.annotation != "None" else ""),
        alias_of=md_code(f"client.{op.alias_of}") if op.alias_of else "",
    )


def _param_row(arg: ArgumentPlan) -> ParamRow:
    default = ""
    if arg.schema.default is not MISSING:
        default = md_code_cell(py_literal(arg.schema.default))
    elif not arg.required:
        default = "not sent"
    location = "body" if arg.location == "whole-body" else str(arg.location)
    if arg.spec_name and arg.spec_name != arg.name:
        location += f" ({md_code_cell(arg.spec_name)})"
    return ParamRow(
        name=md_code_cell(arg.name),
        type=md_code_cell(arg.annotation.text),
        required="yes" if arg.required else "no",
        default=default,
        location=location,
        description=md_cell(arg.description),
    )


def _errors(op: OperationPlan) -> tuple[ErrorRow, ...]:
    rows: list[ErrorRow] = []
    for response in sorted(op.operation.responses, key=lambda r: r.status):
        status = response.status
        if status.startswith(("1", "2", "3")):
            continue
        exception = _STATUS_ERRORS.get(status) or (
            "InternalServerError" if status.startswith("5") else "APIStatusError"
        )
        rows.append(
            ErrorRow(md_code_cell(status), md_code_cell(exception), md_cell(response.description))
        )
    return tuple(rows)


def model_docs(plan: ClientPlan) -> list[ModelDoc]:
    return [_model_doc(t) for t in sorted(plan.types, key=lambda t: t.name)]


def _model_doc(plan: TypePlan) -> ModelDoc:
    fields = tuple(
        FieldRow(
            name=md_code_cell(f.name if f.name == f.spec_name else f"{f.name} ({f.spec_name})"),
            type=md_code_cell(f.annotation.text),
            required="yes" if f.required else "no",
            description=md_cell(f.description),
        )
        for f in plan.fields
    )
    return ModelDoc(
        name=plan.name,
        heading=md_code(plan.name),
        anchor=plan.name.lower(),
        description=md_block(plan.description),
        fields=fields,
        alias=plan.annotation.text if plan.annotation is not None else "",
        request_name=md_code(plan.request.name) if plan.request is not None else "",
    )
