"""Views for the generated project's documentation: the README's examples and ``api.md``.

Everything a doc template prints is computed here from the IR and the package views, so the
same code serves any spec: example operations are picked by shape (a stable create call whose
response feeds a follow-up GET, a streaming call, ...), not by name. Spec prose passes through
``markdown`` (escaping) and Python snippets through ``examples`` (``py_literal`` values).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..ir.model import (
    MISSING,
    Api,
    ArraySchema,
    LiteralSchema,
    NamedSchema,
    ObjectSchema,
    RefSchema,
    Schema,
    UnionSchema,
)
from ..naming.identifiers import field_name, snake_case
from ..naming.schemas import field_names
from .examples import Call, ExampleValues, argument_schema, example_call
from .literals import clean_text, py_literal
from .markdown import md_block, md_cell, md_code, md_code_cell, md_fence
from .models import request_schema_keys
from .operations import REQUEST_OPTIONS, Argument, OperationView, object_of, pick_body
from .package import PackageView, ResourceView
from .types import TypeRenderer

_STATUS_ERRORS = {
    "400": "BadRequestError",
    "401": "AuthenticationError",
    "403": "PermissionDeniedError",
    "404": "NotFoundError",
    "409": "ConflictError",
    "422": "UnprocessableEntityError",
    "429": "RateLimitError",
}
_UNSTABLE = re.compile(r"(?i)(alpha|beta|preview|experimental)")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True, eq=False)
class Entry:
    """One method of the client with where it lives."""

    resource: ResourceView
    op: OperationView
    index: int
    """Position of the operation in the spec (ties are broken by spec order)."""

    @property
    def target(self) -> str:
        return f"{self.resource.md_path}.{self.op.name}"

    @property
    def unstable(self) -> bool:
        return bool(_UNSTABLE.search(self.op.operation.path)) or self.op.operation.deprecated

    @property
    def has_body(self) -> bool:
        return self.op.body_kind is not None

    @property
    def path_params(self) -> list[str]:
        return [a.wire_name for a in self.op.positional]


@dataclass(frozen=True)
class ParamRow:
    name: str
    type: str
    required: str
    default: str
    location: str
    description: str


@dataclass(frozen=True)
class ErrorRow:
    status: str
    exception: str
    description: str


@dataclass(frozen=True)
class OperationDoc:
    heading: str
    http: str
    description: str
    signature: str
    params: tuple[ParamRow, ...]
    returns: str
    errors: tuple[ErrorRow, ...]
    example: str
    alias_of: str

    @property
    def alias_note(self) -> str:
        return f" (alias of {self.alias_of})" if self.alias_of else ""


@dataclass(frozen=True)
class ResourceDoc:
    heading: str
    operations: tuple[OperationDoc, ...]


@dataclass(frozen=True)
class FieldRow:
    name: str
    type: str
    required: str
    description: str


@dataclass(frozen=True)
class ModelDoc:
    heading: str
    anchor: str
    description: str
    fields: tuple[FieldRow, ...]
    alias: str
    """Fenced ``Name = expression`` for a type alias (empty for models)."""
    request_name: str


@dataclass(frozen=True)
class HeaderRow:
    """An array-typed header parameter: one argument, sent as one comma-joined header."""

    argument: str
    header: str
    methods: str


@dataclass(frozen=True)
class RenamedRow:
    """A spec parameter renamed because it collides with a per-request option."""

    method: str
    parameter: str
    argument: str


@dataclass(frozen=True)
class ExtendRow:
    """A generated resource that inherits custom methods from a ``lib/`` module (``extend``)."""

    resource: str
    module: str
    mixins: str


@dataclass
class ReadmeDoc:
    """Fenced, ready-to-print code blocks for each README section (empty when not applicable)."""

    install: str
    auth: str
    quickstart: str
    more: str
    more_target: str
    async_usage: str
    streaming: str
    streaming_target: str
    errors: str
    retries: str
    timeouts: str
    raw: str
    custom: str
    version: str
    operations_count: int
    models_count: int
    snippets: list[str] = field(default_factory=list)
    """Every generated Python block, in page order (``extras`` not included)."""
    configuration: str = ""
    headers: str = ""
    header_rows: list[HeaderRow] = field(default_factory=list)
    header_example: str = ""
    """The header line the ``headers`` example sends (inline code)."""
    renamed: str = ""
    renamed_rows: list[RenamedRow] = field(default_factory=list)
    nulls: str = ""
    nulls_target: str = ""
    extended: list[ExtendRow] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    """Maintainer-written Markdown (config ``readme_extra``), verbatim: trusted text."""


@dataclass
class DocsView:
    title: str
    description: str
    spec_version: str
    openapi: str
    package_version: str
    version_scheme: str
    base_url: str
    user_agent: str
    readme: ReadmeDoc
    resources: list[ResourceDoc]
    models: list[ModelDoc]


def build_docs(pkg: PackageView) -> DocsView:
    values = ExampleValues(pkg.api)
    entries = _entries(pkg)
    return DocsView(
        title=md_cell(pkg.title),
        description=md_block(pkg.api.description)
        if clean_text(pkg.api.description) != pkg.title
        else "",
        spec_version=md_code(pkg.api.version),
        openapi=md_code(pkg.api.openapi),
        package_version=md_code(pkg.version),
        version_scheme=_version_scheme(pkg),
        base_url=md_code(pkg.base_url),
        user_agent=md_code(f"{pkg.distribution}/{pkg.version} (python; apigen)"),
        readme=_readme(pkg, entries, values),
        resources=_resources(pkg, entries, values),
        models=_models(pkg.api),
    )


def _entries(pkg: PackageView) -> list[Entry]:
    order = {id(op): i for i, op in enumerate(pkg.api.operations)}
    return [
        Entry(res, op, order.get(id(op.operation), len(order)))
        for res in pkg.resources_with_root
        for op in res.operations
    ]


# --- README -------------------------------------------------------------------------------------


def _readme(pkg: PackageView, entries: list[Entry], values: ExampleValues) -> ReadmeDoc:
    client, module = pkg.client_class, pkg.module
    homes = [e for e in entries if not e.op.alias_of]
    plain = [e for e in homes if not e.op.stream_item]
    primary = _primary(pkg.api, plain or homes, plain) if homes else None
    snippets: list[str] = []

    def block(code: str) -> str:
        snippets.append(code)
        return md_fence(code)

    setup = f"from {module} import {client}\n\nclient = {client}()"
    if pkg.auth.kind != "none":
        setup = (
            f"import os\n\nfrom {module} import {client}\n\n"
            f"client = {client}(\n    {pkg.auth.argument}=os.environ.get({py_literal(pkg.auth.env_var)}),  # the default: can be omitted\n)"
        )
    auth = block(setup)
    quick, var, call = _quickstart(pkg.api, primary, plain, values)
    quickstart = block(quick) if quick else ""
    more, more_target = "", ""
    if primary is not None:
        others = [
            e
            for e in plain
            if e.resource is not primary.resource and not e.path_params and e.has_body
        ]
        others.sort(key=lambda e: (e.unstable, sum(a.required for a in e.op.arguments), e.index))
        if others:
            pick = others[0]
            name = _var_name(pick.op)
            more = block(
                f"{example_call(values, pick.target, pick.op).code(f'{name} = ')}\nprint({name})"
            )
            more_target = md_code(pick.target)
    async_usage = ""
    if call is not None:
        async_usage = block(
            f"import asyncio\n\nfrom {module} import {pkg.async_client_class}\n\n\n"
            f"async def main() -> None:\n"
            f"    async with {pkg.async_client_class}() as client:\n"
            + _indent(call.code(f"{var} = await "), 8)
            + f"\n        print({var})\n\n\nasyncio.run(main())"
        )
    streaming, streaming_target = _streaming(pkg.api, entries, primary, var, values)
    if streaming:
        streaming = block(streaming)
    header_rows, header_code, header_line = _header_params(pkg.api, homes, primary, values)
    headers = block(header_code) if header_code else ""
    renamed_rows, renamed_code = _renamed_params(pkg.api, homes, primary, var, values)
    renamed = block(renamed_code) if renamed_code else ""
    nulls_code, nulls_target = _omitted_vs_null(pkg.api, plain, primary, values)
    nulls = block(nulls_code) if nulls_code else ""
    call_code = call.code() if call is not None else "..."
    errors = block(
        f"import {module}\n\ntry:\n{_indent(call_code, 4)}\n"
        f'except {module}.APIConnectionError as e:\n    print("The server could not be reached:", e.__cause__)\n'
        f'except {module}.RateLimitError:\n    print("A 429 status code was received; back off a bit.")\n'
        f"except {module}.APIStatusError as e:\n    print(e.status_code, e.body)"
    )
    with_options = ""
    if call is not None:
        with_options = Call(
            call.target.replace("client.", "client.with_options(max_retries=5).", 1), call.args
        ).code()
    retries = block(
        f"from {module} import {client}\n\n# Configure the default for all requests (2 retries unless set):\n"
        f"client = {client}(max_retries=0)\n"
        + (f"\n# Or per request:\n{with_options}" if call is not None else "")
    )
    timeouts = block(
        f"import httpx\n\nfrom {module} import {client}\n\n"
        f"client = {client}(timeout=20.0)  # seconds, for every request\n"
        f"client = {client}(timeout=httpx.Timeout(60.0, read=5.0, write=10.0, connect=2.0))\n"
        + (
            f"\n# Per request:\n{_with_kwarg(call, 'timeout', '5.0').code()}"
            if call is not None
            else ""
        )
    )
    configuration = block(_configuration(pkg, primary, call))
    raw = ""
    if call is not None:
        raw_call = Call(_raw_target(call.target), call.args)
        raw = block(
            f"{raw_call.code('response = ')}\n"
            'print(response.status_code, response.headers.get("content-type"))\n\n'
            f"{var} = response.parse()  # the object the plain call would have returned\nprint({var})"
        )
    custom = ""
    if call is not None and primary is not None:
        return_type = primary.op.returns
        imports = f"from {module} import {client}"
        if _IDENTIFIER.match(return_type) and return_type not in (
            "None",
            "object",
            "str",
            "bytes",
            "int",
            "float",
            "bool",
        ):
            imports += f"\nfrom {module}.types import {return_type}"
        inner = Call(call.target, call.args).code("return ")
        custom = block(
            f"# {module}/lib/helpers.py: apigen never overwrites or deletes anything in lib/\n"
            f"{imports}\n\n\n"
            f"def example_helper(client: {client}) -> {return_type}:\n"
            f'    """Your own helper, next to the generated code."""\n' + _indent(inner, 4)
        )
    version = block(
        f"import {module}\n\nprint({module}.__version__)  # {pkg.version}\n"
        f"print({module}.__spec_version__)  # the spec's info.version"
    )
    return ReadmeDoc(
        install=md_fence(f"pip install {pkg.distribution}", "sh"),
        auth=auth,
        quickstart=quickstart,
        more=more,
        more_target=more_target,
        async_usage=async_usage,
        streaming=streaming,
        streaming_target=streaming_target,
        errors=errors,
        retries=retries,
        timeouts=timeouts,
        raw=raw,
        custom=custom,
        version=version,
        operations_count=len(pkg.api.operations),
        models_count=len(pkg.api.schemas),
        snippets=snippets,
        configuration=configuration,
        headers=headers,
        header_rows=header_rows,
        header_example=header_line,
        renamed=renamed,
        renamed_rows=renamed_rows,
        nulls=nulls,
        nulls_target=nulls_target,
        extended=_extended(pkg),
        extras=[extra.text for extra in pkg.config.readme_extra],
    )


def _configuration(pkg: PackageView, primary: Entry | None, call: Call | None) -> str:
    """Every client option and per-request option, on the quickstart's call when there is one."""
    client, module, prefix = pkg.client_class, pkg.module, pkg.env_prefix
    lines = [
        f"import os\n\nimport httpx\n\nfrom {module} import {client}\n",
        f"client = {client}(",
        f"    # The default: {prefix}_BASE_URL when set, else the spec's first server",
        f"    base_url=os.environ.get({py_literal(prefix + '_BASE_URL')}, {py_literal(pkg.base_url)}),",
        '    default_headers={"x-example-header": "value"},  # sent with every request',
        '    default_query={"example_param": "value"},  # added to every query string',
        "    http_client=httpx.Client(  # any httpx option: proxy=, limits=, transport=, verify=, ...",
        "        limits=httpx.Limits(max_connections=20, max_keepalive_connections=5),",
        "    ),",
        ")",
    ]
    if call is not None and primary is not None:
        var = _var_name(primary.op)
        assign = f"{var} = " if primary.op.returns != "None" else ""
        copy = Call(
            call.target.replace("client.", "client.with_options(timeout=10.0, max_retries=0).", 1),
            call.args,
        )
        extra: list[tuple[str | None, str]] = [
            ("extra_headers", '{"x-request-header": "value"}'),
            ("extra_query", '{"extra_param": "value"}'),
        ]
        if primary.op.body_kind == "json" and _open_body(pkg.api, primary.op):
            extra.append(("extra_body", '{"extra_field": "value"}'))
        extra.append(("timeout", "30.0"))
        lines += [
            "",
            "# A copy with some options replaced; it shares the connection pool:",
            copy.code(assign),
            "",
            "# Per-request options, accepted by every method:",
            Call(call.target, (*call.args, *extra)).code(assign),
        ]
    lines += [
        "",
        "# A context manager closes the connection pool on exit",
        "# (an http_client you passed in stays open: it is yours to close).",
        f"with {client}() as scoped_client:",
        "    print(scoped_client.with_options(max_retries=1))",
    ]
    return "\n".join(lines)


def _open_body(api: Api, op: OperationView) -> bool:
    """Whether the JSON body accepts keys beyond its properties (``extra_body`` then validates)."""
    content = pick_body(op.operation)
    obj = object_of(api, content.schema) if content is not None else None
    return obj is not None and not obj.closed


def _header_params(
    api: Api, homes: list[Entry], primary: Entry | None, values: ExampleValues
) -> tuple[list[HeaderRow], str, str]:
    """Array-typed header parameters: a table of them and a call passing two items."""
    found: dict[tuple[str, str], list[Entry]] = {}
    for e in homes:
        for arg in e.op.keyword:
            if arg.location == "header" and isinstance(
                _resolve(api, argument_schema(api, e.op, arg)), ArraySchema
            ):
                found.setdefault((arg.name, arg.wire_name), []).append(e)
    if not found:
        return [], "", ""
    rows = []
    for (name, wire), users in found.items():
        users.sort(key=lambda e: (e.unstable, e.index))
        shown = ", ".join(md_code_cell(u.target) for u in users[:3])
        more = f" and {len(users) - 3} more" if len(users) > 3 else ""
        rows.append(HeaderRow(md_code_cell(name), md_code_cell(wire), shown + more))
    candidates = [e for users in found.values() for e in users if not e.op.stream_item]
    if not candidates:
        return rows, "", ""
    pick = min(candidates, key=lambda e: (e is not primary, e.unstable, e.index))
    arg = next(a for a in pick.op.keyword if (a.name, a.wire_name) in found)
    items = _array_examples(api, values, argument_schema(api, pick.op, arg), arg.wire_name)
    base = example_call(values, pick.target, pick.op)
    call = Call(
        pick.target, (*(a for a in base.args if a[0] != arg.name), (arg.name, py_literal(items)))
    )
    code = call.code(f"{_var_name(pick.op)} = " if pick.op.returns != "None" else "")
    header_line = md_code(f"{arg.wire_name}: {','.join(str(i) for i in items)}")
    return rows, code, header_line


def _array_examples(api: Api, values: ExampleValues, schema: Schema, name: str) -> list[object]:
    """Two distinct items when the item type names them (an enum), else the usual example."""
    array = _resolve(api, schema)
    if isinstance(array, ArraySchema):
        named = _literals(api, array.items)
        if len(named) >= 2:
            return named[:2]
    example = values.value(schema, name)
    return list(example) if isinstance(example, list) else [example]


def _literals(api: Api, schema: Schema, depth: int = 0) -> list[object]:
    """Scalar enum values reachable through refs and unions (``ParallelBeta``'s known betas)."""
    target = _resolve(api, schema)
    if isinstance(target, LiteralSchema):
        return [v for v in target.values if isinstance(v, str)]
    if isinstance(target, UnionSchema) and depth < 4:
        return list(
            dict.fromkeys(
                v for variant in target.variants for v in _literals(api, variant, depth + 1)
            )
        )
    return []


def _resolve(api: Api, schema: Schema) -> Schema:
    seen = 0
    while isinstance(schema, RefSchema) and seen < 16:
        schema, seen = api.schema(schema.ref).schema, seen + 1
    return schema


def _original_name(api: Api, op: OperationView, arg: Argument) -> str:
    """The spec's Python name of an argument before collision handling."""
    operation = op.operation
    for param in operation.parameters:
        if param.name == arg.wire_name and param.location == arg.location:
            return field_name(param.argument_hint if param.argument_hint is not None else param.name)
    content = pick_body(operation)
    obj = object_of(api, content.schema) if content is not None and arg.location == "body" else None
    if obj is not None and arg.wire_name in field_names(obj):
        return field_names(obj)[arg.wire_name]
    return arg.name


def _renamed_params(
    api: Api, homes: list[Entry], primary: Entry | None, var: str, values: ExampleValues
) -> tuple[list[RenamedRow], str]:
    """Spec parameters renamed ``api_<name>`` because they collide with a per-request option."""
    renamed: list[tuple[Entry, Argument, str]] = []
    for e in homes:
        for arg in e.op.arguments:
            original = _original_name(api, e.op, arg)
            if original in REQUEST_OPTIONS and arg.name != original:
                renamed.append((e, arg, original))
    rows = [
        RenamedRow(
            md_code_cell(e.target),
            f"{md_code_cell(arg.wire_name)} ({arg.location})",
            md_code_cell(arg.name),
        )
        for e, arg, _ in renamed
    ]
    plain = [item for item in renamed if not item[0].op.stream_item]
    if not plain:
        return rows, ""
    chained = (
        set(map(id, _followups(api, primary, [e for e, _, _ in plain])))
        if primary is not None
        else set()
    )
    e, arg, original = min(
        plain, key=lambda item: (id(item[0]) not in chained, item[0].unstable, item[0].index)
    )
    bound: dict[str, str] = {}
    if id(e) in chained and primary is not None:
        fields = _response_fields(api, primary.op)
        bound = {p: f"{var}.{fields[p]}" for p in e.path_params}
    base = example_call(values, e.target, e.op, bound)
    value = values.value(argument_schema(api, e.op, arg), arg.wire_name)
    call = Call(
        e.target, (*(a for a in base.args if a[0] != arg.name), (arg.name, py_literal(value)))
    )
    code = f"# {arg.name}= is the spec's {py_literal(arg.wire_name)} {arg.location} parameter"
    if original == "timeout" and isinstance(value, (int, float)) and not isinstance(value, bool):
        # The server-side wait plus a margin: the request's own HTTP timeout must outlast it.
        call = _with_kwarg(call, "timeout", py_literal(float(value) + 30))
        code += "; timeout= is this request's HTTP timeout"
    code += "\n"
    code += call.code(f"{_var_name(e.op)} = " if e.op.returns != "None" else "")
    return rows, code


def _omitted_vs_null(
    api: Api, plain: list[Entry], primary: Entry | None, values: ExampleValues
) -> tuple[str, str]:
    """The same call without an optional nullable JSON field, then with it set to ``None``."""
    picks = [
        (e, arg)
        for e in plain
        if e.op.body_kind == "json"
        for arg in e.op.keyword
        if arg.location == "body" and not arg.required and argument_schema(api, e.op, arg).nullable
    ]
    if not picks:
        return "", ""
    e, arg = min(picks, key=lambda p: (p[0] is not primary, p[0].unstable, p[0].index))
    call = example_call(values, e.target, e.op)
    args = tuple(a for a in call.args if a[0] != arg.name)
    assign = f"{_var_name(e.op)} = " if e.op.returns != "None" else ""
    wire = py_literal(arg.wire_name)
    code = (
        f"# {arg.name} left out: the request body has no {wire} key\n"
        + Call(e.target, args).code(assign)
        + f"\n\n# {arg.name}=None: the body carries {wire}: null\n"
        + Call(e.target, (*args, (arg.name, "None"))).code(assign)
    )
    return code, md_code(e.target)


def _extended(pkg: PackageView) -> list[ExtendRow]:
    """Resources whose classes inherit custom-code mixins (config ``extend``)."""
    return [
        ExtendRow(
            md_code_cell(res.md_path),
            md_code_cell(f"{pkg.module}/lib/{res.mixin_module.replace('.', '/')}.py"),
            f"{md_code_cell(res.class_name + 'Mixin')}, {md_code_cell(res.async_class_name + 'Mixin')}",
        )
        for res in pkg.resources
        if res.mixin_module is not None
    ]


def _raw_target(target: str) -> str:
    """``client.a.b.create`` → ``client.a.b.with_raw_response.create``."""
    head, _, method = target.rpartition(".")
    return f"{head}.with_raw_response.{method}"


def _with_kwarg(call: Call, key: str, expr: str) -> Call:
    return Call(call.target, (*call.args, (key, expr)))


def _indent(code: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line else line for line in code.split("\n"))


def _var_name(op: OperationView) -> str:
    """``task_run`` for a ``TaskRun`` result; the method name when the type name is long."""
    returns = op.returns
    if _IDENTIFIER.match(returns) and returns not in (
        "None",
        "object",
        "str",
        "bytes",
        "int",
        "float",
        "bool",
    ):
        name = snake_case(returns)
        if len(name) <= 20:
            return name
    return (
        op.name
        if op.name not in ("list", "retrieve", "get", "create", "update", "delete")
        else "response"
    )


def _response_fields(api: Api, op: OperationView) -> dict[str, str]:
    """Wire name → attribute name of the required fields of an operation's response model."""
    contents = next(
        (
            r.contents
            for r in sorted(op.operation.responses, key=lambda r: r.status)
            if r.status.startswith("2")
        ),
        (),
    )
    for content in contents:
        schema = content.schema
        if isinstance(schema, RefSchema):
            target = api.schema(schema.ref).schema
            if isinstance(target, ObjectSchema):
                names = field_names(target)
                return {p.wire_name: names[p.wire_name] for p in target.properties if p.required}
    return {}


def _primary(api: Api, pool: list[Entry], plain: list[Entry]) -> Entry:
    """The quickstart's call: ``min`` by (stable, has a body, POST, has a follow-up GET, spec order).

    Follow-ups are looked up only within the best group on the first three criteria, through an
    index of the possible follow-ups, so the pick stays near-linear in the number of operations
    (a full scan per candidate was O(operations²): 68 s on Microsoft Graph's 11,000).
    """

    def shape(e: Entry) -> tuple[bool, bool, bool]:
        return (e.unstable, not e.has_body, e.op.operation.method != "post")

    best = min(map(shape, pool))
    group = sorted((e for e in pool if shape(e) == best), key=lambda e: e.index)
    index = _followup_index(plain)
    return next((e for e in group if _has_followup(api, e, index)), group[0])


def _followup_index(candidates: list[Entry]) -> dict[str, list[tuple[frozenset[str], Entry]]]:
    """The GETs ``_followups`` can pick, keyed by their smallest path parameter name."""
    index: dict[str, list[tuple[frozenset[str], Entry]]] = {}
    for e in candidates:
        params = e.path_params
        if e.op.operation.method == "get" and params and not any(a.required for a in e.op.keyword):
            index.setdefault(min(params), []).append((frozenset(params), e))
    return index


def _has_followup(
    api: Api, primary: Entry, index: dict[str, list[tuple[frozenset[str], Entry]]]
) -> bool:
    """``bool(_followups(api, primary, candidates))``: a follow-up's smallest parameter is a field."""
    fields = _response_fields(api, primary.op)
    return any(
        e is not primary and params <= fields.keys()
        for name in fields
        for params, e in index.get(name, ())
    )


def _followups(api: Api, primary: Entry, candidates: list[Entry]) -> list[Entry]:
    """GET calls whose path parameters all come from ``primary``'s response."""
    fields = _response_fields(api, primary.op)
    return [
        e
        for e in candidates
        if e is not primary
        and e.op.operation.method == "get"
        and e.path_params
        and all(p in fields for p in e.path_params)
        and not any(a.required for a in e.op.keyword)
    ]


def _quickstart(
    api: Api, primary: Entry | None, plain: list[Entry], values: ExampleValues
) -> tuple[str, str, Call | None]:
    if primary is None:
        return "", "response", None
    var = _var_name(primary.op)
    call = example_call(values, primary.target, primary.op)
    lines = [call.code(f"{var} = " if primary.op.returns != "None" else "")]
    if primary.op.returns != "None":
        lines.append(f"print({var})")
    followups = _followups(api, primary, plain)
    fields = _response_fields(api, primary.op)
    picked = list(dict.fromkeys([*followups[:1], *followups[-1:]]))
    for entry in picked:
        bound = {p: f"{var}.{fields[p]}" for p in entry.path_params}
        # The same type again (a refreshed copy) rebinds the name; otherwise a new one.
        name = var if entry.op.returns == primary.op.returns else _var_name(entry.op)
        lines.append("")
        lines.append(example_call(values, entry.target, entry.op, bound).code(f"{name} = "))
        lines.append(f"print({name})")
    return "\n".join(lines), var, call


def _streaming(
    api: Api, entries: list[Entry], primary: Entry | None, var: str, values: ExampleValues
) -> tuple[str, str]:
    streams = [e for e in entries if e.op.stream_item and not e.op.alias_of]
    if not streams:
        return "", ""
    chained = set(map(id, _followups(api, primary, streams))) if primary is not None else set()
    pick = min(
        streams,
        key=lambda e: (id(e) not in chained, e.op.stream_flag is not None, e.unstable, e.index),
    )
    bound: dict[str, str] = {}
    if id(pick) in chained and primary is not None:
        fields = _response_fields(api, primary.op)
        bound = {p: f"{var}.{fields[p]}" for p in pick.path_params}
    call = example_call(values, pick.target, pick.op, bound)
    if pick.op.stream_flag is not None:
        call = _with_kwarg(call, pick.op.stream_flag.name, "True")
    code = f"{call.code('stream = ')}\nfor event in stream:  # typed events; the connection closes at the end\n    print(event)"
    return code, md_code(pick.target)


def _version_scheme(pkg: PackageView) -> str:
    base = re.sub(r"\.post\d+$", "", pkg.version)
    return md_cell(
        f"The package version is the spec's info.version ({pkg.api.version} → {base}); when only the "
        f"generator changes, apigen's post counter is appended ({base}.post1, {base}.post2, ...) "
        "so every published build has a distinct version."
    )


# --- api.md -------------------------------------------------------------------------------------


def _resources(pkg: PackageView, entries: list[Entry], values: ExampleValues) -> list[ResourceDoc]:
    docs: list[ResourceDoc] = []
    for res in pkg.resources_with_root:
        ops = [_operation_doc(pkg.api, e, values) for e in entries if e.resource is res]
        if ops:
            docs.append(ResourceDoc(md_code(res.md_path), tuple(ops)))
    return docs


def _operation_doc(api: Api, entry: Entry, values: ExampleValues) -> OperationDoc:
    op, operation = entry.op, entry.op.operation
    text = "\n\n".join(
        dict.fromkeys(
            t for t in (clean_text(operation.summary), clean_text(operation.description)) if t
        )
    )
    if operation.deprecated:
        text = "**Deprecated.**" + ("\n\n" + md_block(text) if text else "")
    else:
        text = md_block(text)
    sig = op.signatures(False)[-1]
    params_code = [p for p in sig.params if not p.startswith(("extra_", "timeout"))]
    if params_code[-1:] == ["*"]:
        params_code.pop()
    signature_lines = [f"def {op.name}("] + [f"    {p}," for p in params_code]
    signature_lines.append(
        "    # extra_headers=, extra_query=, extra_body=, timeout=: see the README"
    )
    signature_lines.append(f") -> {sig.returns}: ...")
    params = tuple(_param_row(api, op, arg) for arg in op.arguments)
    returns = md_code(op.returns)
    if op.stream_flag is not None and op.json_return:
        returns = f"{md_code(op.json_return)}, or {md_code(op.returns)} with {md_code(op.stream_flag.name + '=True')}"
    call = example_call(values, entry.target, op)
    example = call.code(f"{_var_name(op)} = " if op.returns != "None" else "")
    return OperationDoc(
        heading=md_code(entry.target + "()"),
        http=md_code(f"{operation.method.upper()} {operation.path}"),
        description=text,
        signature=md_fence("\n".join(signature_lines)),
        params=params,
        returns=returns,
        errors=_errors(entry),
        example=md_fence(example),
        alias_of=md_code(f"client.{op.alias_of}") if op.alias_of else "",
    )


def _param_row(api: Api, op: OperationView, arg: Argument) -> ParamRow:
    schema = argument_schema(api, op, arg)
    default = ""
    if schema.default is not MISSING:
        default = md_code_cell(py_literal(schema.default))
    elif not arg.required:
        default = "not sent"
    location = {"whole-body": "body"}.get(arg.location, arg.location)
    if arg.wire_name and arg.wire_name != arg.name:
        location += f" ({md_code_cell(arg.wire_name)})"
    return ParamRow(
        name=md_code_cell(arg.name),
        type=md_code_cell(arg.annotation),
        required="yes" if arg.required else "no",
        default=default,
        location=location,
        description=md_cell(arg.description),
    )


def _errors(entry: Entry) -> tuple[ErrorRow, ...]:
    rows: list[ErrorRow] = []
    for response in sorted(entry.op.operation.responses, key=lambda r: r.status):
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


def _models(api: Api) -> list[ModelDoc]:
    renderer = TypeRenderer(api, "response")
    sent = set(request_schema_keys(api))
    return [
        _model_doc(renderer, named, named.key in sent)
        for named in sorted(api.schemas, key=lambda n: n.name)
    ]


def _model_doc(renderer: TypeRenderer, named: NamedSchema, sent: bool) -> ModelDoc:
    schema = named.schema
    description = md_block(
        schema.description or (named.title if named.title and named.title != named.name else "")
    )
    anchor = named.name.lower()
    if isinstance(schema, ObjectSchema):
        py_names = field_names(schema)
        fields = tuple(
            FieldRow(
                name=md_code_cell(
                    py_names[prop.wire_name]
                    if py_names[prop.wire_name] == prop.wire_name
                    else f"{py_names[prop.wire_name]} ({prop.wire_name})"
                ),
                type=md_code_cell(renderer.render(prop.schema)),
                required="yes" if prop.required else "no",
                description=md_cell(prop.description),
            )
            for prop in schema.properties
        )
        return ModelDoc(
            md_code(named.name),
            anchor,
            description,
            fields,
            "",
            md_code(named.request_name) if sent and named.request_name else "",
        )
    alias = md_fence(f"{named.name} = {renderer.render(schema)}")
    return ModelDoc(md_code(named.name), anchor, description, (), alias, "")


__all__ = ["DocsView", "build_docs"]
