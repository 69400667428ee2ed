"""The README's facts: which calls each section shows, with which values. The code blocks
themselves are pictures in ``templates/project/readme.py.jinja``; the prose is in
``README.md.jinja``."""

from __future__ import annotations

import re

from ...ir.model import Api, ArraySchema, LiteralSchema, Schema, UnionSchema
from ...literals import py_literal
from ...naming.identifiers import snake_case
from ...plan.model import ArgumentPlan, ClientPlan, OperationPlan
from ...records import record
from . import picks
from .examples import Call, ExampleValues, example_call
from .markdown import md_code, md_code_cell

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NOT_A_MODEL = ("None", "object", "str", "bytes", "int", "float", "bool")
_GENERIC_METHODS = ("list", "retrieve", "get", "create", "update", "delete")


@record
class Step:
    """One example statement: a call and the variable its result is bound to."""

    call: Call
    var: str
    """Empty when the call returns nothing (no assignment)."""

    @property
    def assign(self) -> str:
        return f"{self.var} = " if self.var else ""


@record
class HeaderRow:
    """A list-valued header parameter: one argument, sent as one comma-joined header."""

    argument: str
    header: str
    methods: str


@record
class RenamedRow:
    """A spec parameter renamed because it collides with a per-request option."""

    method: str
    parameter: str
    argument: str


@record
class RenamedExample:
    step: Step
    argument: ArgumentPlan
    http_timeout: bool
    """The renamed parameter is the spec's ``timeout``: the call also sets the HTTP timeout."""

    @property
    def wire_literal(self) -> str:
        return py_literal(self.argument.spec_name)


@record
class NullsExample:
    """The same call without an optional nullable body field, then with it set to ``None``."""

    without: Step
    with_null: Step
    argument: ArgumentPlan

    @property
    def wire_literal(self) -> str:
        return py_literal(self.argument.spec_name)


@record
class ExtendRow:
    """A generated resource that inherits custom methods from a ``lib/`` module (``extend``)."""

    resource: str
    module: str
    mixins: str


@record
class MainExample:
    """The quickstart's call; the sections after the quickstart show it again."""

    step: Step
    var: str
    """The variable its result is bound to where the README needs one (async, raw)."""
    returns: str
    """Its return type."""
    followups: tuple[Step, ...]
    """Calls that take their path parameters from its result."""
    options: Step
    """The same call with every per-request option."""
    type_import: str
    """The return type when it is a model the custom-code example imports."""

    @property
    def call(self) -> Call:
        return self.step.call

    def with_options(self, options: str) -> Call:
        """The call on ``client.with_options(<options>)``."""
        call = self.step.call
        return call.on(call.target.replace("client.", f"client.with_options({options}).", 1))

    @property
    def raw(self) -> Call:
        """The call through ``.with_raw_response``."""
        head, _, method = self.step.call.target.rpartition(".")
        return self.step.call.on(f"{head}.with_raw_response.{method}")


@record
class ReadmeDoc:
    """What the README's sections show; a section whose fact is missing is left out."""

    main: MainExample | None
    more: Step | None
    more_target: str
    streaming: Call | None
    streaming_target: str
    pagination: Call | None
    """A paginated list call: iterating it walks every page."""
    pagination_target: str
    async_pagination: Call | None
    """The same call on the async client (``async_client.…``)."""
    header_rows: tuple[HeaderRow, ...]
    header: Step | None
    header_example: str
    """The header line the ``header`` example sends (inline code)."""
    renamed_rows: tuple[RenamedRow, ...]
    renamed: RenamedExample | None
    nulls: NullsExample | None
    nulls_target: str
    extended: tuple[ExtendRow, ...]
    extras: tuple[str, ...]
    """Maintainer-written Markdown (config ``readme_extra``), verbatim: trusted text."""
    operations_count: int
    models_count: int


def build_readme(
    plan: ClientPlan, all_entries: list[picks.Entry], values: ExampleValues
) -> ReadmeDoc:
    api = plan.api
    homes = [e for e in all_entries if not e.op.alias_of]
    plain = [e for e in homes if not e.streams]
    first = picks.primary(api, plain or homes, plain) if homes else None
    main = _main_example(api, first, plain, values) if first is not None else None
    var = main.var if main is not None else "response"
    more = picks.another(plain, first) if first is not None else None
    stream = picks.streaming(api, all_entries, first)
    pages = picks.paginated(homes)
    found = picks.array_headers(api, homes)
    header = picks.header_example(found, first)
    header_step, header_line = _header_example(api, values, header) if header else (None, "")
    renamed = picks.renamed(homes)
    nulls = picks.nullable_field(plain, first)
    return ReadmeDoc(
        main=main,
        more=Step(example_call(values, more.op), var_name(more.op)) if more else None,
        more_target=md_code(more.target) if more else "",
        streaming=_stream_call(api, stream, first, var, values) if stream else None,
        streaming_target=md_code(stream.target) if stream else "",
        pagination=example_call(values, pages.op) if pages else None,
        pagination_target=md_code(pages.target) if pages else "",
        async_pagination=_on_async_client(example_call(values, pages.op)) if pages else None,
        header_rows=tuple(_header_rows(found)),
        header=header_step,
        header_example=header_line,
        renamed_rows=tuple(_renamed_rows(renamed)),
        renamed=_renamed_example(api, renamed, first, var, values),
        nulls=_nulls_example(values, *nulls) if nulls else None,
        nulls_target=md_code(nulls[0].target) if nulls else "",
        extended=tuple(_extended(plan)),
        extras=plan.readme_extras,
        operations_count=len(api.operations),
        models_count=len(api.schemas),
    )


def _main_example(
    api: Api, first: picks.Entry, plain: list[picks.Entry], values: ExampleValues
) -> MainExample:
    step = _step(example_call(values, first.op), first.op)
    var = var_name(first.op)
    returns = first.op.returns.annotation
    return MainExample(
        step=step,
        var=var,
        returns=returns,
        followups=_followup_steps(api, first, plain, var, values),
        options=_with_request_options(step, first.op),
        type_import=_model_name(returns),
    )


def var_name(op: OperationPlan) -> str:
    """``task_run`` for a ``TaskRun`` result; the method name when the type name is long."""
    model = _model_name(op.returns.annotation)
    if model:
        name = snake_case(model)
        if len(name) <= 20:
            return name
    return op.name if op.name not in _GENERIC_METHODS else "response"


def _model_name(annotation: str) -> str:
    """The annotation when it is a plain model name (``TaskRun``), else empty."""
    return annotation if _IDENTIFIER.match(annotation) and annotation not in _NOT_A_MODEL else ""


def _step(call: Call, op: OperationPlan) -> Step:
    """The call, assigned to a variable unless it returns ``None``."""
    return Step(call, var_name(op) if op.returns.annotation != "None" else "")


def _followup_steps(
    api: Api, first: picks.Entry, plain: list[picks.Entry], var: str, values: ExampleValues
) -> tuple[Step, ...]:
    """The first and last follow-up GETs, chained on the quickstart's result."""
    found = picks.followups(api, first, plain)
    fields = picks.response_fields(api, first.op)
    steps: list[Step] = []
    for entry in dict.fromkeys([*found[:1], *found[-1:]]):
        bound = {p: f"{var}.{fields[p]}" for p in entry.path_params}
        # The same type again (a refreshed copy) rebinds the name; otherwise a new one.
        same = entry.op.returns.annotation == first.op.returns.annotation
        steps.append(
            Step(example_call(values, entry.op, bound), var if same else var_name(entry.op))
        )
    return tuple(steps)


def _stream_call(
    api: Api, pick: picks.Entry, first: picks.Entry | None, var: str, values: ExampleValues
) -> Call:
    call = example_call(values, pick.op, picks.bound_params(api, first, var, pick))
    flag = pick.op.returns.flag
    return call.with_arg(flag.name, "True") if flag is not None else call


def _on_async_client(call: Call) -> Call:
    return call.on("async_" + call.target)


def _renamed_rows(renamed: list[tuple[picks.Entry, ArgumentPlan]]) -> list[RenamedRow]:
    return [
        RenamedRow(
            md_code_cell(e.target),
            f"{md_code_cell(arg.spec_name)} ({arg.location})",
            md_code_cell(arg.name),
        )
        for e, arg in renamed
    ]


def _header_rows(found: dict[tuple[str, str], list[picks.Entry]]) -> list[HeaderRow]:
    rows = []
    for (name, wire), users in found.items():
        shown = ", ".join(md_code_cell(u.target) for u in users[:3])
        more = f" and {len(users) - 3} more" if len(users) > 3 else ""
        rows.append(HeaderRow(md_code_cell(name), md_code_cell(wire), shown + more))
    return rows


def _header_example(
    api: Api, values: ExampleValues, pick: tuple[picks.Entry, ArgumentPlan]
) -> tuple[Step, str]:
    """A call passing two items of a list-valued header, and the header line it sends."""
    e, arg = pick
    items = _array_examples(api, values, arg.schema, arg.spec_name)
    call = example_call(values, e.op).without(arg.name).with_arg(arg.name, py_literal(items))
    return _step(call, e.op), md_code(f"{arg.spec_name}: {','.join(str(i) for i in items)}")


def _array_examples(api: Api, values: ExampleValues, schema: Schema, name: str) -> list[object]:
    """Two distinct items when the item type names them (an enum), else the usual example."""
    array = api.resolve(schema)
    if isinstance(array, ArraySchema):
        named = _literals(api, array.items)
        if len(named) >= 2:
            return named[:2]
    example = values.value(schema, name)
    return list(example) if isinstance(example, list) else [example]


def _literals(api: Api, schema: Schema, depth: int = 0) -> list[object]:
    """Scalar enum values reachable through refs and unions (``ParallelBeta``'s known betas)."""
    target = api.resolve(schema)
    if isinstance(target, LiteralSchema):
        return [v for v in target.values if isinstance(v, str)]
    if isinstance(target, UnionSchema) and depth < 4:
        return list(
            dict.fromkeys(
                v for variant in target.variants for v in _literals(api, variant, depth + 1)
            )
        )
    return []


def _renamed_example(
    api: Api,
    renamed: list[tuple[picks.Entry, ArgumentPlan]],
    first: picks.Entry | None,
    var: str,
    values: ExampleValues,
) -> RenamedExample | None:
    pick = picks.renamed_example(api, renamed, first)
    if pick is None:
        return None
    e, arg = pick
    base = example_call(values, e.op, picks.bound_params(api, first, var, e))
    value = values.value(arg.schema, arg.spec_name)
    call = base.without(arg.name).with_arg(arg.name, py_literal(value))
    http_timeout = False
    if arg.natural == "timeout" and isinstance(value, (int, float)) and not isinstance(value, bool):
        # The server-side wait plus a margin: the request's own HTTP timeout must outlast it.
        call = call.with_arg("timeout", py_literal(float(value) + 30))
        http_timeout = True
    return RenamedExample(_step(call, e.op), arg, http_timeout)


def _nulls_example(values: ExampleValues, e: picks.Entry, arg: ArgumentPlan) -> NullsExample:
    without = example_call(values, e.op).without(arg.name)
    return NullsExample(_step(without, e.op), _step(without.with_arg(arg.name, "None"), e.op), arg)


def _with_request_options(step: Step, op: OperationPlan) -> Step:
    """The call with every per-request option (``extra_body`` when the body takes extra keys)."""
    call = step.call.with_arg("extra_headers", '{"x-request-header": "value"}')
    call = call.with_arg("extra_query", '{"extra_param": "value"}')
    if _open_body(op):
        call = call.with_arg("extra_body", '{"extra_field": "value"}')
    return Step(call.with_arg("timeout", "30.0"), step.var)


def _open_body(op: OperationPlan) -> bool:
    """Whether the JSON body accepts keys beyond its properties (``extra_body`` then validates)."""
    body = op.body
    return (
        body is not None
        and body.kind == "json"
        and body.fields is not None
        and not body.fields.closed
    )


def _extended(plan: ClientPlan) -> list[ExtendRow]:
    """Resources whose classes inherit custom-code mixins (config ``extend``)."""
    return [
        ExtendRow(
            md_code_cell(".".join(("client", *res.path))),
            md_code_cell(f"{plan.module}/lib/{res.mixin.replace('.', '/')}.py"),
            f"{md_code_cell(res.class_name + 'Mixin')}, "
            f"{md_code_cell('Async' + res.class_name + 'Mixin')}",
        )
        for res in plan.resources()
        if res.mixin is not None
    ]
