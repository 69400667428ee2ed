"""Views of the plan's resources for ``resource.py.jinja`` and ``_client.py.jinja``: signatures,
request options and import blocks as the templates print them."""

from __future__ import annotations

import functools
import re
import textwrap

from ..literals import clean_text, docstring, py_literal
from ..naming.arguments import REQUEST_OPTIONS
from ..pagination import PageStyle
from ..plan.model import ArgumentPlan, OperationPlan, ResourcePlan
from ..records import record
from .imports import FromImport, import_lines

_BODY_KEYWORD = {
    "json": "json_body",
    "multipart": "multipart",
    "form": "form_body",
    "content": "content",
}
"""The ``RequestOptions`` field each body kind goes to."""
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
"""A path template's ``{name}``, as the runtime's path renderer matches it."""
_OPTION_PARAMS = (
    "extra_headers: Headers | None = None",
    "extra_query: Query | None = None",
    "extra_body: Body | None = None",
    "timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN",
)


def declaration(arg: ArgumentPlan) -> str:
    """The parameter as the signature writes it; optional ones default to ``NOT_GIVEN``."""
    if arg.required:
        return f"{arg.name}: {arg.annotation.text}"
    return f"{arg.name}: {arg.annotation.text} | NotGiven = NOT_GIVEN"


@record
class Signature:
    """One ``def`` of a method: an ``@overload`` stub or the implementation."""

    overload: bool
    params: tuple[str, ...]
    returns: str
    cast_to: str
    stream_args: tuple[str, ...]
    cast: bool = False
    """Wrap the call in ``cast(returns, ...)``: ``request()`` cannot type this return."""
    call: str = "request"
    """The client method that sends it: ``request``, or ``request_page`` for a list whose
    pages the runtime walks (its ``stream_args`` line is then the page style)."""

    @property
    def awaited(self) -> bool:
        """Whether the async method is a coroutine: not for a paginated list, whose async form
        returns a paginator to await (the first page) or ``async for`` (every item)."""
        return self.call == "request"


@record
class MethodView:
    """One method as ``_macros.jinja`` prints it (sync and async)."""

    plan: OperationPlan
    doc: str
    """The docstring statement (computed once: the macro prints it for every ``def``)."""
    http_method: str
    path_literal: str

    @property
    def name(self) -> str:
        return self.plan.name

    def signatures(self, is_async: bool) -> list[Signature]:
        return signatures(self.plan, is_async)

    def option_lines(self) -> list[str]:
        """Worked out per ``def``, not kept: held for every operation of a big API at once,
        the lines cost more memory (≈ 25 MB on Microsoft Graph beta) than they save time."""
        return option_lines(self.plan)


def method_view(op: OperationPlan) -> MethodView:
    return MethodView(
        op,
        docstring(method_doc(op), indent="        "),
        py_literal(op.operation.method),
        py_literal(python_path(op)),
    )


def signatures(op: OperationPlan, is_async: bool) -> list[Signature]:
    """The implementation, preceded by overloads when a body flag switches JSON ↔ stream."""
    returns = op.returns
    stream_cls = "AsyncStream" if is_async else "Stream"

    def params(flag_decl: str | None) -> tuple[str, ...]:
        lines = [declaration(arg) for arg in op.positional]
        lines.append("*")
        for arg in op.keyword:
            use_flag = flag_decl is not None and arg is returns.flag
            lines.append(flag_decl if use_flag and flag_decl is not None else declaration(arg))
        return (*lines, *_OPTION_PARAMS)

    match returns.kind:
        case "none" | "text" | "json":
            annotation = returns.annotation
            return [Signature(False, params(None), annotation, annotation, (), returns.cast)]
        case "binary":
            binary = "AsyncBinaryResponse" if is_async else "BinaryResponse"
            return [Signature(False, params(None), binary, binary, ())]
        case "stream":
            assert returns.item is not None
            item = returns.item.text
            stream = f"{stream_cls}[{item}]"
            extra = ("stream=True", f"stream_cls={stream}")
            return [Signature(False, params(None), stream, item, extra)]
        case "page":
            assert returns.item is not None and returns.page is not None
            item = returns.item.text
            page = f"AsyncPaginator[{item}]" if is_async else f"SyncPage[{item}]"
            style = page_style_expression(returns.page)
            return [Signature(False, params(None), page, item, (style,), call="request_page")]
        case "json-or-stream":
            assert returns.item is not None and returns.json is not None
            assert returns.flag is not None
            item, json_type, flag = returns.item.text, returns.json.text, returns.flag.name
            stream = f"{stream_cls}[{item}]"
            either = f"{json_type} | {stream}"
            literal_false = f"{flag}: Literal[False] | NotGiven = NOT_GIVEN"
            return [
                Signature(True, params(literal_false), json_type, "", ()),
                Signature(True, params(f"{flag}: Literal[True]"), stream, "", ()),
                Signature(True, params(f"{flag}: bool"), either, "", ()),
                Signature(
                    False,
                    params(None),
                    either,
                    f"{item} if {flag} is True else {json_type}",
                    (f"stream={flag} is True", f"stream_cls={stream}"),
                    cast=True,
                ),
            ]


def page_style_expression(page: PageStyle) -> str:
    """The runtime's description of how a list pages: ``CursorPagination(param='after', ...)``."""
    args = ", ".join(
        f"{name}={_runtime_literal(value)}" for name, value in page.runtime_arguments()
    )
    return f"{page.runtime_class}({args})"


def _runtime_literal(value: str | int | tuple[str, ...]) -> str:
    """A field path is a tuple at runtime (``("meta", "next_cursor")``, ``()`` for the body)."""
    if not isinstance(value, tuple):
        return py_literal(value)
    if len(value) == 1:
        return f"({py_literal(value[0])},)"
    return "(" + ", ".join(py_literal(key) for key in value) + ")"


def option_lines(op: OperationPlan) -> list[str]:
    """The ``RequestOptions(...)`` keyword lines beyond method and path."""
    lines = _parameter_lines(op.arguments) + _body_lines(op) + _default_lines(op)
    return lines + [f"{name}={name}" for name in REQUEST_OPTIONS]


def python_path(op: OperationPlan) -> str:
    """The path template with each declared parameter's placeholder named after its argument.

    Placeholders never reach the wire, so naming them like the arguments lets the runtime's
    errors (``Expected a non-empty value for `task_group_id` ``) name what the caller passed.
    """
    names = {a.spec_name: a.name for a in op.arguments if a.location == "path"}

    def rename(match: re.Match[str]) -> str:
        return "{" + names.get(match.group(1), match.group(1)) + "}"

    return _PLACEHOLDER.sub(rename, op.operation.path)


def _pairs(args: list[ArgumentPlan]) -> str:
    """``{'run_id': run_id, ...}``: wire names to the arguments holding their values."""
    return "{" + ", ".join(f"{py_literal(a.spec_name)}: {a.name}" for a in args) + "}"


def _parameter_lines(args: tuple[ArgumentPlan, ...]) -> list[str]:
    lines: list[str] = []
    path = [a for a in args if a.location == "path"]
    if path:
        pairs = ", ".join(f"{py_literal(a.name)}: {a.name}" for a in path)
        lines.append(f"path_params={{{pairs}}}")
    query = [a for a in args if a.location == "query"]
    if query:
        items = ", ".join(
            f"QueryParam({py_literal(a.spec_name)}, {a.name}, style={py_literal(a.style)}, "
            f"explode={a.explode})"
            for a in query
        )
        lines.append(f"query=[{items}]")
    for location, keyword in (("header", "headers"), ("cookie", "cookies")):
        located = [a for a in args if a.location == location]
        if located:
            lines.append(f"{keyword}={_pairs(located)}")
    return lines


def _body_lines(op: OperationPlan) -> list[str]:
    body = op.body
    if body is None:
        return []
    lines: list[str] = []
    fields = [a for a in op.arguments if a.location == "body"]
    whole = next((a for a in op.arguments if a.location == "whole-body"), None)
    if whole is not None:
        lines.append(f"{_BODY_KEYWORD[body.kind]}={whole.name}")
    elif fields:
        lines.append(f"{_BODY_KEYWORD[body.kind]}={_pairs(fields)}")
    if body.content_type:
        lines.append(f"content_type={py_literal(body.content_type)}")
    if body.file_fields:
        lines.append(f"file_fields={py_literal(body.file_fields)}")
    return lines


def _default_lines(op: OperationPlan) -> list[str]:
    """Configured headers/query (``defaults``) and how long the server may hold the call."""
    lines: list[str] = []
    for keyword, pairs in (
        ("default_headers", op.defaults.headers),
        ("default_query", op.defaults.query),
    ):
        if pairs:
            items = ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in pairs)
            lines.append(f"{keyword}={{{items}}}")
    wait = op.server_wait
    if wait is not None:
        name = wait.argument.name
        lines.append(
            f"server_wait={name} or {py_literal(wait.default)}"
            if wait.default is not None
            else f"server_wait={name}"
        )
    return lines


def method_doc(op: OperationPlan) -> str:
    """The method's docstring text: summary, description, the documented arguments."""
    operation = op.operation
    parts = [clean_text(operation.summary), clean_text(operation.description)]
    text = "\n\n".join(dict.fromkeys(p for p in parts if p))
    documented = [a for a in op.arguments if a.description]
    if documented:
        lines = ["Args:"]
        for arg in documented:
            lines.extend(_arg_doc(arg.name, arg.description))
        text = f"{text}\n\n" + "\n".join(lines) if text else "\n".join(lines)
    if operation.deprecated:
        text = (text + "\n\n" if text else "") + "Deprecated."
    return text


@functools.lru_cache(maxsize=4096)
def _arg_doc(name: str, description: str) -> tuple[str, ...]:
    """One argument's ``Args:`` entry, wrapped; remembered, as the same few arguments
    (``$top``, ``$select``) with the same text recur in thousands of operations of a big API."""
    desc = " ".join(clean_text(description).split())
    return tuple(
        textwrap.wrap(
            f"{name}: {desc}",
            88,
            initial_indent="  ",
            subsequent_indent="      ",
            break_long_words=False,
            break_on_hyphens=False,
        )
    )


def used_names(ops: tuple[OperationPlan, ...]) -> set[str]:
    """What the methods of one class need imported: their annotations and the runtime."""
    names: set[str] = set()
    for op in ops:
        printed = [a.annotation for a in op.arguments] + [op.returns.json, op.returns.item]
        for annotation in printed:
            if annotation is not None:
                names |= annotation.imports | annotation.refs
    if not ops:
        return names
    names |= {"httpx", "NOT_GIVEN", "Body", "Headers", "NotGiven", "Query", "RequestOptions"}
    names |= {"async_to_raw_response_wrapper", "to_raw_response_wrapper"}
    names |= {"async_to_streamed_response_wrapper", "to_streamed_response_wrapper"}
    if any(op.returns.kind == "json-or-stream" for op in ops):
        names |= {"Literal", "overload"}
    if any(op.returns.cast or op.returns.kind == "json-or-stream" for op in ops):
        names.add("cast")
    if any(op.returns.kind == "binary" for op in ops):
        names |= {"AsyncBinaryResponse", "BinaryResponse"}
    pages = [op.returns.page for op in ops if op.returns.page is not None]
    if pages:
        names |= {"AsyncPaginator", "SyncPage"} | {page.runtime_class for page in pages}
    if any(op.returns.kind in ("stream", "json-or-stream") for op in ops):
        names |= {"AsyncStream", "Stream"}
    if any(arg.location == "query" for op in ops for arg in op.arguments):
        names.add("QueryParam")
    return names


def mixin_names(class_name: str) -> tuple[str, str]:
    """The custom-code mixins of a resource class (sync, async), defined in ``lib/``."""
    return f"{class_name}Mixin", f"Async{class_name}Mixin"


@record
class ResourceView:
    """One resource class (or, at the root, the client's own methods) as its module prints it."""

    plan: ResourcePlan
    module_path: str
    """Dotted path below the package (``resources.beta.task_run``; ``_client`` at the root)."""
    file_path: str
    operations: tuple[MethodView, ...]
    children: tuple[ResourceView, ...]
    imports: tuple[str, ...]
    """The module's import lines (empty at the root: the client module has its own)."""

    @property
    def class_name(self) -> str:
        return self.plan.class_name

    @property
    def async_class_name(self) -> str:
        return "Async" + self.plan.class_name

    @property
    def mixin_module(self) -> str | None:
        return self.plan.mixin

    def bases(self, is_async: bool) -> str:
        """Base classes: the custom-code mixin first, so its methods sit on the class."""
        base = "AsyncAPIResource" if is_async else "SyncAPIResource"
        if self.plan.mixin is None:
            return base
        sync_mixin, async_mixin = self.mixin_classes
        return f"{async_mixin if is_async else sync_mixin}, {base}"

    @property
    def mixin_classes(self) -> tuple[str, str]:
        """The custom-code mixins of the class (sync, async), defined in ``lib/``."""
        return mixin_names(self.class_name)

    @property
    def attr(self) -> str:
        return self.plan.attr

    @property
    def doc(self) -> str:
        return docstring(f"Operations under ``client.{'.'.join(self.plan.path)}``.")

    @property
    def exported(self) -> tuple[str, ...]:
        """The classes the module defines for its parent: the resource and its response views."""
        name = self.class_name
        return tuple(
            f"{prefix}{name}{suffix}"
            for suffix in ("", "WithRawResponse", "WithStreamingResponse")
            for prefix in ("", "Async")
        )

    def exported_from(self, module: str) -> FromImport:
        """The import of :attr:`exported` from ``module`` (this one, as the importer names it),
        one class per line."""
        return FromImport(module, self.exported, exploded=True)

    @property
    def relative_import(self) -> str:
        """How the parent's module imports this one (``.task_run`` or ``.beta``)."""
        return "." + self.plan.path[-1]


def resource_views(root: ResourcePlan) -> tuple[ResourceView, list[ResourceView]]:
    """The client's view and those of every resource (sub-resources before their parent)."""
    out: list[ResourceView] = []
    return _view(root, out), out


def _view(plan: ResourcePlan, out: list[ResourceView]) -> ResourceView:
    children = tuple(_view(child, out) for child in plan.children)
    methods = tuple(method_view(op) for op in plan.operations)
    if not plan.path:
        return ResourceView(plan, "_client", "_client.py", methods, children, ())
    parts = list(plan.path)
    if plan.children:  # a package: its own __init__ holds the class
        file_path = "resources/" + "/".join(parts) + "/__init__.py"
        package = ".".join(["resources", *parts])
    else:
        file_path = "resources/" + "/".join(parts) + ".py"
        package = ".".join(["resources", *parts[:-1]])
    names = used_names(plan.operations) | {"AsyncAPIResource", "SyncAPIResource", "cached_property"}
    homes: dict[str, str] = {}
    if plan.mixin is not None:
        homes = dict.fromkeys(mixin_names(plan.class_name), f"lib.{plan.mixin}")
    below = [child.exported_from(child.relative_import) for child in children]
    imports = tuple(import_lines(names | homes.keys(), package, homes, below))
    view = ResourceView(plan, "resources." + ".".join(parts), file_path, methods, children, imports)
    out.append(view)
    return view
