"""How one operation becomes a method: its signature, request options and return type.

Everything a resource template prints is computed here, so the template stays a plain picture of
the code it produces.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from ..config import CallDefaults
from ..ir.model import (
    AnySchema,
    Api,
    LiteralSchema,
    MapSchema,
    MediaContent,
    ObjectSchema,
    Operation,
    Parameter,
    PrimitiveSchema,
    Property,
    RefSchema,
    Schema,
    UnionSchema,
)
from ..naming.identifiers import UniqueNamer, field_name
from .literals import clean_text, docstring, py_literal
from .types import TypeRenderer

# Per-request options every method takes; spec parameters with these names are renamed.
REQUEST_OPTIONS = ("extra_headers", "extra_query", "extra_body", "timeout")
_RESERVED = frozenset({"self", "cls", "stream_cls", "cast_to", "options", *REQUEST_OPTIONS})
_JSON_MEDIA = ("application/json",)
NO_DEFAULTS = CallDefaults()


def is_json(media_type: str) -> bool:
    base = media_type.split(";")[0].strip().lower()
    return base in _JSON_MEDIA or base.endswith("+json") or base == "*/*" or base == "application/*"


def is_sse(media_type: str) -> bool:
    return media_type.split(";")[0].strip().lower() == "text/event-stream"


@dataclass(frozen=True)
class Argument:
    """One keyword (or positional) argument of a generated method."""

    name: str
    annotation: str
    required: bool
    description: str
    wire_name: str
    location: str
    """``path``, ``query``, ``header``, ``cookie``, ``body`` (a field of the body) or ``whole-body``."""
    style: str = "form"
    explode: bool = True

    @property
    def declaration(self) -> str:
        if self.required:
            return f"{self.name}: {self.annotation}"
        return f"{self.name}: {self.annotation} | NotGiven = NOT_GIVEN"


@dataclass(frozen=True)
class OperationView:
    name: str
    operation: Operation
    positional: tuple[Argument, ...]
    keyword: tuple[Argument, ...]
    returns: str
    """Return annotation of the sync method."""
    cast_to: str
    stream_item: str | None
    """Event type when the method returns a stream."""
    stream_flag: Argument | None
    """A boolean body field (``stream``) that switches between JSON and SSE responses."""
    json_return: str | None
    body_kind: str | None
    """``json``, ``multipart``, ``form``, ``content`` or ``None``."""
    content_type: str | None
    doc: str
    alias_of: str | None
    needs_cast: bool = False
    """The return type is not a class (a union, literal, optional): `type[T]` cannot carry it,
    so the method casts what `request()` returns."""
    defaults: CallDefaults = NO_DEFAULTS
    """Headers and query this method sends unless the caller overrides them (config)."""
    file_fields: tuple[str, ...] = ()
    """Multipart fields declared binary (their values must be files)."""
    server_wait: str | None = None
    """Expression for how long the server may hold the call (its own ``timeout`` parameter)."""

    @property
    def arguments(self) -> tuple[Argument, ...]:
        return self.positional + self.keyword

    @property
    def http_method(self) -> str:
        return py_literal(self.operation.method)

    @property
    def path_literal(self) -> str:
        return py_literal(self.operation.path)

    def signatures(self, is_async: bool) -> list[Signature]:
        return signatures(self, is_async)

    @property
    def md_path(self) -> str:
        return self.operation.path.replace("`", "")

    @property
    def md_returns(self) -> str:
        return self.returns

    def option_lines(self) -> list[str]:
        """The ``RequestOptions(...)`` keyword lines beyond method and path."""
        lines: list[str] = []
        path_args = [a for a in self.arguments if a.location == "path"]
        if path_args:
            lines.append(
                "path_params={"
                + ", ".join(f"{py_literal(a.wire_name)}: {a.name}" for a in path_args)
                + "}"
            )
        query = [a for a in self.arguments if a.location == "query"]
        if query:
            items = ", ".join(
                f"QueryParam({py_literal(a.wire_name)}, {a.name}, style={py_literal(a.style)}, explode={a.explode})"
                for a in query
            )
            lines.append(f"query=[{items}]")
        for location, keyword in (("header", "headers"), ("cookie", "cookies")):
            args = [a for a in self.arguments if a.location == location]
            if args:
                lines.append(
                    f"{keyword}={{"
                    + ", ".join(f"{py_literal(a.wire_name)}: {a.name}" for a in args)
                    + "}"
                )
        body_fields = [a for a in self.arguments if a.location == "body"]
        whole = next((a for a in self.arguments if a.location == "whole-body"), None)
        target = {
            "json": "json_body",
            "multipart": "multipart",
            "form": "form_body",
            "content": "content",
        }
        if self.body_kind and (body_fields or whole):
            value = (
                whole.name
                if whole
                else "{"
                + ", ".join(f"{py_literal(a.wire_name)}: {a.name}" for a in body_fields)
                + "}"
            )
            lines.append(f"{target[self.body_kind]}={value}")
        if self.content_type:
            lines.append(f"content_type={py_literal(self.content_type)}")
        if self.file_fields:
            lines.append(f"file_fields={py_literal(self.file_fields)}")
        for keyword, pairs in (
            ("default_headers", self.defaults.headers),
            ("default_query", self.defaults.query),
        ):
            if pairs:
                items = ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in pairs)
                lines.append(f"{keyword}={{{items}}}")
        if self.server_wait:
            lines.append(f"server_wait={self.server_wait}")
        lines += [f"{name}={name}" for name in REQUEST_OPTIONS]
        return lines


def build_operation_view(
    api: Api,
    op: Operation,
    name: str,
    alias_of: str | None,
    renderer: TypeRenderer,
    response: TypeRenderer,
    defaults: CallDefaults = NO_DEFAULTS,
    renames: dict[str, str] | None = None,
) -> OperationView:
    """``renderer`` types the arguments (request side), ``response`` the return value;
    ``renames`` maps parameter wire names to the Python names the config chose."""
    namer = UniqueNamer(_RESERVED)
    positional: list[Argument] = []
    keyword: list[Argument] = []
    for param in sorted(op.parameters, key=lambda p: p.location != "path"):
        arg = _parameter_argument(param, namer, renderer, (renames or {}).get(param.name))
        (positional if param.location == "path" else keyword).append(arg)
    body_kind, content_type, body_args = _body_arguments(api, op, namer, renderer)
    keyword.extend(body_args)
    keyword.sort(key=lambda a: not a.required)  # required keywords first reads better
    returns, cast_to, stream_item, json_return = _returns(api, op, response)
    stream_flag = None
    if stream_item and json_return:
        stream_flag = next(
            (
                a
                for a in keyword
                if a.location == "body" and a.wire_name == "stream" and "bool" in a.annotation
            ),
            None,
        )
        if stream_flag is None:  # no switch in the request: the JSON form wins
            returns, cast_to, stream_item = json_return, json_return, None
    return_schema = _return_schema(op) if stream_item is None else None
    return OperationView(
        name=name,
        operation=op,
        positional=tuple(positional),
        keyword=tuple(keyword),
        returns=returns,
        cast_to=cast_to,
        stream_item=stream_item,
        stream_flag=stream_flag,
        json_return=json_return,
        body_kind=body_kind,
        content_type=content_type,
        doc=docstring(_method_doc(op, positional + keyword), indent="        "),
        alias_of=alias_of,
        needs_cast=return_schema is not None and not _is_class(api, return_schema, cast_to),
        defaults=defaults,
        file_fields=tuple(a.wire_name for a in body_args if a.annotation == "FileTypes"),
        server_wait=_server_wait(op, keyword),
    )


def _return_schema(op: Operation) -> Schema | None:
    contents = _success(op)
    content = next((c for c in contents or () if is_json(c.media_type) and not _is_binary(c)), None)
    return content.schema if content is not None else None


def _is_class(api: Api, schema: Schema, rendered: str) -> bool:
    """Whether the rendered return type is a class or a generic alias of one (``list[X]``), so
    ``request(cast_to: type[T]) -> T`` types the call without a cast."""
    if rendered in ("object", "None") or rendered.endswith("BinaryResponse"):
        return True
    if schema.nullable or isinstance(schema, (UnionSchema, LiteralSchema)):
        return False
    if isinstance(schema, RefSchema):
        target = api.schema(schema.ref).schema
        return isinstance(target, ObjectSchema) or _is_class(api, target, "")
    return True


def _server_wait(op: Operation, keyword: list[Argument]) -> str | None:
    """A numeric ``timeout`` query parameter says how long the server may block (seconds);
    the client's read timeout must outlast it, with the spec's default when it is omitted."""
    for param in op.parameters:
        schema = param.schema
        variants = schema.variants if isinstance(schema, UnionSchema) else (schema,)
        numeric = any(
            isinstance(v, PrimitiveSchema) and v.type in ("integer", "number") for v in variants
        )
        if param.location != "query" or param.name.lower() != "timeout" or not numeric:
            continue
        arg = next(a for a in keyword if a.location == "query" and a.wire_name == param.name)
        default = schema.default if isinstance(schema, PrimitiveSchema) else None
        if isinstance(default, (int, float)) and not isinstance(default, bool):
            return f"{arg.name} or {py_literal(default)}"
        return arg.name
    return None


def _parameter_argument(
    param: Parameter, namer: UniqueNamer, renderer: TypeRenderer, rename: str | None = None
) -> Argument:
    base = rename or param.py_name
    if base in REQUEST_OPTIONS:
        base = f"api_{base}"  # e.g. a ``timeout`` query param vs the per-request timeout
    name = _claim(namer, base, param.location)
    annotation = renderer.render(param.schema)
    return Argument(
        name=name,
        annotation=annotation,
        required=param.required,
        description=param.description or "",
        wire_name=param.name,
        location=param.location,
        style=param.style,
        explode=param.explode,
    )


def _claim(namer: UniqueNamer, base: str, location: str) -> str:
    """The spec's name when free, else one that says where the value goes (``name_query``)."""
    return namer.claim(f"{base}_{location}" if namer.is_taken(base) else base)


def pick_body(op: Operation) -> MediaContent | None:
    if op.request_body is None:
        return None
    contents = op.request_body.contents
    for predicate in (
        lambda m: is_json(m),
        lambda m: m.startswith("multipart/form-data"),
        lambda m: m.startswith("application/x-www-form-urlencoded"),
    ):
        for content in contents:
            if predicate(content.media_type):
                return content
    return contents[0] if contents else None


def object_of(api: Api, schema: Schema) -> ObjectSchema | None:
    if isinstance(schema, RefSchema) and not schema.nullable:
        target = api.schema(schema.ref).schema
        return target if isinstance(target, ObjectSchema) else None
    return schema if isinstance(schema, ObjectSchema) else None


def _is_mapping(api: Api, schema: Schema) -> bool:
    """Whether a body schema is an object or a map (what form and multipart encoders take)."""
    target = api.schema(schema.ref).schema if isinstance(schema, RefSchema) else schema
    return isinstance(target, (ObjectSchema, MapSchema))


def _body_arguments(
    api: Api, op: Operation, namer: UniqueNamer, renderer: TypeRenderer
) -> tuple[str | None, str | None, list[Argument]]:
    content = pick_body(op)
    if content is None or op.request_body is None:
        return None, None, []
    media = content.media_type.split(";")[0].strip().lower()
    required = op.request_body.required
    if is_json(media):
        kind = "json"
    elif media.startswith("multipart/form-data"):
        kind = "multipart"
    elif media.startswith("application/x-www-form-urlencoded"):
        kind = "form"
    else:
        kind = "content"
    content_type = (
        None
        if media in ("application/json", "multipart/form-data", "application/x-www-form-urlencoded")
        else content.media_type
    )
    if kind in ("multipart", "form") and not _is_mapping(api, content.schema):
        kind = "content"  # a form whose schema is not an object (a string, say) is sent as given
        content_type = content.media_type
    if kind == "content":
        text = media.startswith("text/")
        name = _claim(namer, "content", "body")
        annotation = "str" if text else "bytes"
        return (
            kind,
            content_type,
            [Argument(name, annotation, required, "The request body.", "", "whole-body")],
        )
    obj = object_of(api, content.schema)
    if obj is None:
        name = _claim(namer, "body", "body")
        annotation = renderer.render(content.schema)
        return (
            kind,
            content_type,
            [
                Argument(
                    name,
                    annotation,
                    required,
                    content.schema.description or "The request body.",
                    "",
                    "whole-body",
                )
            ],
        )
    args = [
        _body_field(prop, namer, renderer, required, kind)
        for prop in obj.properties
        if not prop.schema.read_only
    ]
    return kind, content_type, args


def _body_field(
    prop: Property, namer: UniqueNamer, renderer: TypeRenderer, body_required: bool, kind: str
) -> Argument:
    base = prop.py_name if prop.py_name not in REQUEST_OPTIONS else f"api_{prop.py_name}"
    annotation = renderer.render(prop.schema)
    if (
        kind == "multipart"
        and isinstance(prop.schema, PrimitiveSchema)
        and prop.schema.format in ("binary", "byte")
    ):
        annotation = "FileTypes"
        renderer.used.add("FileTypes")
    return Argument(
        name=_claim(namer, base, "body"),
        annotation=annotation,
        required=body_required and prop.required,
        description=prop.description or "",
        wire_name=prop.wire_name,
        location="body",
    )


def _success(op: Operation) -> list[MediaContent] | None:
    ordered = sorted((r for r in op.responses if r.status[:1] == "2"), key=lambda r: r.status)
    default = [r for r in op.responses if r.status == "default"]
    for response in ordered + default:
        return list(response.contents)
    return None


def _returns(
    api: Api, op: Operation, renderer: TypeRenderer
) -> tuple[str, str, str | None, str | None]:
    """(annotation, cast_to expression, stream item type, JSON annotation when both exist)."""
    contents = _success(op)
    if not contents:
        return "None", "None", None, None
    json_content = next((c for c in contents if is_json(c.media_type) and not _is_binary(c)), None)
    sse_content = next((c for c in contents if is_sse(c.media_type)), None)
    json_type = renderer.render(json_content.schema) if json_content else None
    if sse_content is not None:
        item = renderer.render(sse_content.schema)
        return f"Stream[{item}]", item, item, json_type
    if json_type is not None:
        return json_type, json_type, None, None
    media = contents[0].media_type.lower()
    if media.startswith("text/") and not _is_binary(contents[0]):
        return "str", "str", None, None
    return "BinaryResponse", "BinaryResponse", None, None


def _is_binary(content: MediaContent) -> bool:
    """Bytes, not JSON or text: ``format: binary`` anywhere, and under a wildcard media type
    (``*/*``) a string or schema-less body — a download, not a JSON string."""
    schema = content.schema
    string = isinstance(schema, PrimitiveSchema) and schema.type == "string"
    if isinstance(schema, PrimitiveSchema) and string and schema.format == "binary":
        return True
    base = content.media_type.split(";")[0].strip().lower()
    wildcard = base in ("*/*", "application/*")
    return wildcard and (string or isinstance(schema, AnySchema))


def _method_doc(op: Operation, args: list[Argument]) -> str:
    parts = [clean_text(op.summary), clean_text(op.description)]
    text = "\n\n".join(dict.fromkeys(p for p in parts if p))
    documented = [a for a in args if a.description]
    if documented:
        lines = ["Args:"]
        for arg in documented:
            desc = " ".join(clean_text(arg.description).split())
            lines.extend(
                textwrap.wrap(
                    f"{arg.name}: {desc}",
                    88,
                    initial_indent="  ",
                    subsequent_indent="      ",
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )
        text = f"{text}\n\n" + "\n".join(lines) if text else "\n".join(lines)
    if op.deprecated:
        text = (text + "\n\n" if text else "") + "Deprecated."
    return text


__all__ = ["OperationView", "build_operation_view", "field_name"]


@dataclass(frozen=True)
class Signature:
    """One ``def`` of a method: an ``@overload`` stub or the implementation."""

    overload: bool
    params: tuple[str, ...]
    returns: str
    cast_to: str
    stream_args: tuple[str, ...]
    cast: bool = False
    """Wrap the call in ``cast(returns, ...)``: ``request()`` cannot type this return."""


_OPTION_PARAMS = (
    "extra_headers: Headers | None = None",
    "extra_query: Query | None = None",
    "extra_body: Body | None = None",
    "timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN",
)


def signatures(view: OperationView, is_async: bool) -> list[Signature]:
    """The implementation, preceded by overloads when a body flag switches JSON ↔ stream."""
    stream_cls = "AsyncStream" if is_async else "Stream"

    def params(flag_decl: str | None) -> tuple[str, ...]:
        lines = [arg.declaration for arg in view.positional]
        lines.append("*")
        for arg in view.keyword:
            lines.append(
                flag_decl if flag_decl is not None and arg is view.stream_flag else arg.declaration
            )
        return tuple(lines) + _OPTION_PARAMS

    if view.stream_item is None:
        returns, cast_to = view.returns, view.cast_to
        if is_async and returns == "BinaryResponse":
            returns = cast_to = "AsyncBinaryResponse"
        return [Signature(False, params(None), returns, cast_to, (), view.needs_cast)]
    stream_type = f"{stream_cls}[{view.stream_item}]"
    stream_args = (f"stream_cls={stream_type}",)
    if view.stream_flag is None:
        return [
            Signature(
                False, params(None), stream_type, view.stream_item, ("stream=True",) + stream_args
            )
        ]
    flag = view.stream_flag.name
    json_type = view.json_return or "None"
    either = f"{json_type} | {stream_type}"
    return [
        Signature(
            True, params(f"{flag}: Literal[False] | NotGiven = NOT_GIVEN"), json_type, "", ()
        ),
        Signature(True, params(f"{flag}: Literal[True]"), stream_type, "", ()),
        Signature(True, params(f"{flag}: bool"), either, "", ()),
        Signature(
            False,
            params(None),
            either,
            f"{view.stream_item} if {flag} is True else {json_type}",
            (f"stream={flag} is True",) + stream_args,
            cast=True,
        ),
    ]
