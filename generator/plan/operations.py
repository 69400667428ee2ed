"""How one operation becomes a method: which body it sends, its arguments, what it returns.

The rules live here once; everything that shows a call (the resource module, the README,
``api.md``) reads the resulting :class:`OperationPlan`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..config import NO_DEFAULTS, CallDefaults
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
from ..naming.arguments import ArgumentNamer, parameter_name
from ..naming.schemas import argument_field_names
from ..pagination import PageStyle
from .annotations import Annotation, AnnotationRenderer, plain
from .model import ArgumentPlan, BodyKind, BodyPlan, OperationPlan, ReturnPlan, ServerWait

_JSON_MEDIA = ("application/json",)
_IMPLIED_CONTENT_TYPES = (
    "application/json",
    "multipart/form-data",
    "application/x-www-form-urlencoded",
)
"""Media types the runtime's encoders set themselves."""


def is_json(media_type: str) -> bool:
    base = media_type.split(";")[0].strip().lower()
    return base in _JSON_MEDIA or base.endswith("+json") or base == "*/*" or base == "application/*"


def is_sse(media_type: str) -> bool:
    return media_type.split(";")[0].strip().lower() == "text/event-stream"


def plan_operation(
    api: Api,
    op: Operation,
    resource: tuple[str, ...],
    name: str,
    alias_of: str | None,
    request: AnnotationRenderer,
    response: AnnotationRenderer,
    defaults: CallDefaults = NO_DEFAULTS,
    renames: Mapping[str, str] | None = None,
    page: PageStyle | None = None,
    extra: Sequence[Parameter] = (),
    returns: RefSchema | None = None,
) -> OperationPlan:
    """``request`` types the arguments, ``response`` the return value; ``defaults``,
    ``renames`` (parameter wire name → Python name), ``extra`` parameters and the ``returns``
    override come from the project config; ``page`` is how the operation pages, when it is a
    paginated list."""
    namer = ArgumentNamer()
    positional: list[ArgumentPlan] = []
    keyword: list[ArgumentPlan] = []
    for param in sorted((*op.parameters, *extra), key=lambda p: p.location != "path"):
        arg = _parameter_argument(param, namer, request, (renames or {}).get(param.name))
        (positional if param.location == "path" else keyword).append(arg)
    body = choose_body(api, op)
    if body is not None:
        keyword.extend(_body_arguments(body, namer, request))
    keyword.sort(key=lambda a: not a.required)  # required keywords first reads better
    return OperationPlan(
        operation=op,
        resource=resource,
        name=name,
        alias_of=alias_of,
        arguments=(*positional, *keyword),
        body=body,
        returns=_returns(api, op, response, keyword, page, returns),
        defaults=defaults,
        server_wait=_server_wait(keyword),
    )


def _parameter_argument(
    param: Parameter, namer: ArgumentNamer, renderer: AnnotationRenderer, rename: str | None
) -> ArgumentPlan:
    claimed = namer.claim(rename or parameter_name(param), param.location)
    return ArgumentPlan(
        name=claimed.name,
        spec_name=param.name,
        location=param.location,
        schema=param.schema,
        annotation=renderer.render(param.schema),
        required=param.required,
        description=param.description or "",
        natural=claimed.natural,
        renamed=claimed.renamed,
        style=param.style,
        explode=param.explode,
    )


def choose_body(api: Api, op: Operation) -> BodyPlan | None:
    """The media type the method sends (JSON, else multipart, else a form, else the first one)
    and how: an object's properties become arguments, anything else is one body argument."""
    content = pick_content(op)
    if content is None or op.request_body is None:
        return None
    media = content.media_type.split(";")[0].strip().lower()
    kind: BodyKind
    if is_json(media):
        kind = "json"
    elif media.startswith("multipart/form-data"):
        kind = "multipart"
    elif media.startswith("application/x-www-form-urlencoded"):
        kind = "form"
    else:
        kind = "content"
    content_type = None if media in _IMPLIED_CONTENT_TYPES else content.media_type
    if kind in ("multipart", "form") and not _is_mapping(api, content.schema):
        kind = "content"  # a form whose schema is not an object (a string, say) is sent as given
        content_type = content.media_type
    fields = None if kind == "content" else _object_of(api, content.schema)
    files = [p.wire_name for p in fields.properties if _is_file(kind, p)] if fields else []
    return BodyPlan(
        media_type=content.media_type,
        kind=kind,
        content_type=content_type,
        schema=content.schema,
        required=op.request_body.required,
        fields=fields,
        file_fields=tuple(files),
    )


def _is_file(kind: BodyKind, prop: Property) -> bool:
    """A multipart field declared binary: its value is a file, sent as one."""
    schema = prop.schema
    return (
        kind == "multipart"
        and isinstance(schema, PrimitiveSchema)
        and schema.format in ("binary", "byte")
    )


def pick_content(op: Operation) -> MediaContent | None:
    """The request body's media type a method sends: JSON, else multipart, else a form, else
    the first one."""
    if op.request_body is None:
        return None
    contents = op.request_body.contents
    for predicate in (
        is_json,
        lambda m: m.startswith("multipart/form-data"),
        lambda m: m.startswith("application/x-www-form-urlencoded"),
    ):
        for content in contents:
            if predicate(content.media_type):
                return content
    return contents[0] if contents else None


def _object_of(api: Api, schema: Schema) -> ObjectSchema | None:
    """The object a body is flattened from: an object, or a non-nullable ref to a named one (a
    nullable body cannot be spread into arguments)."""
    if isinstance(schema, RefSchema) and not schema.nullable:
        target = api.schema(schema.ref).schema
        return target if isinstance(target, ObjectSchema) else None
    return schema if isinstance(schema, ObjectSchema) else None


def _is_mapping(api: Api, schema: Schema) -> bool:
    """Whether a body schema is an object or a map (what form and multipart encoders take)."""
    target = api.schema(schema.ref).schema if isinstance(schema, RefSchema) else schema
    return isinstance(target, (ObjectSchema, MapSchema))


def _body_arguments(
    body: BodyPlan, namer: ArgumentNamer, renderer: AnnotationRenderer
) -> list[ArgumentPlan]:
    if body.kind == "content":
        text = body.media_type.split(";")[0].strip().lower().startswith("text/")
        return [
            _whole_body(
                body, namer, "content", plain("str" if text else "bytes"), "The request body."
            )
        ]
    if body.fields is None:
        description = body.schema.description or "The request body."
        return [_whole_body(body, namer, "body", renderer.render(body.schema), description)]
    names = argument_field_names(body.fields)
    return [
        _body_field(prop, names[prop.wire_name], body, namer, renderer)
        for prop in body.fields.properties
        if not prop.schema.read_only
    ]


def _whole_body(
    body: BodyPlan, namer: ArgumentNamer, natural: str, annotation: Annotation, description: str
) -> ArgumentPlan:
    claimed = namer.claim(natural, "body")
    return ArgumentPlan(
        name=claimed.name,
        spec_name="",
        location="whole-body",
        schema=body.schema,
        annotation=annotation,
        required=body.required,
        description=description,
        natural=natural,
        renamed=claimed.renamed,
    )


def _body_field(
    prop: Property, natural: str, body: BodyPlan, namer: ArgumentNamer, renderer: AnnotationRenderer
) -> ArgumentPlan:
    annotation = renderer.render(prop.schema)
    if _is_file(body.kind, prop):
        annotation = plain("FileTypes", "FileTypes")
    claimed = namer.claim(natural, "body")
    return ArgumentPlan(
        name=claimed.name,
        spec_name=prop.wire_name,
        location="body",
        schema=prop.schema,
        annotation=annotation,
        required=body.required and prop.required,
        description=prop.description or "",
        natural=natural,
        renamed=claimed.renamed,
    )


def success_contents(op: Operation) -> tuple[MediaContent, ...] | None:
    """The media types of the first success response (else ``default``); ``None`` without one."""
    ordered = sorted((r for r in op.responses if r.status[:1] == "2"), key=lambda r: r.status)
    default = [r for r in op.responses if r.status == "default"]
    for response in ordered + default:
        return response.contents
    return None


def _returns(
    api: Api,
    op: Operation,
    renderer: AnnotationRenderer,
    keyword: list[ArgumentPlan],
    page: PageStyle | None,
    override: RefSchema | None = None,
) -> ReturnPlan:
    if override is not None:
        return ReturnPlan("json", json=renderer.render(override), cast=not _is_class(api, override))
    if page is not None:
        return ReturnPlan("page", item=renderer.render(page.item_schema), page=page)
    contents = success_contents(op)
    if not contents:
        return ReturnPlan("none")
    json_content = next((c for c in contents if is_json(c.media_type) and not _is_binary(c)), None)
    sse_content = next((c for c in contents if is_sse(c.media_type)), None)
    json_type = renderer.render(json_content.schema) if json_content else None
    if sse_content is not None:
        item = renderer.render(sse_content.schema)
        if json_type is None:
            return ReturnPlan("stream", item=item)
        flag = next((a for a in keyword if _is_stream_flag(a)), None)
        if flag is None:  # no switch in the request: the JSON form wins
            return ReturnPlan("json", json=json_type)
        return ReturnPlan("json-or-stream", json=json_type, item=item, flag=flag)
    if json_content is not None and json_type is not None:
        return ReturnPlan("json", json=json_type, cast=not _is_class(api, json_content.schema))
    media_type = contents[0].media_type
    if media_type.lower().startswith("text/") and not _is_binary(contents[0]):
        return ReturnPlan("text", media_type=media_type)
    return ReturnPlan("binary", media_type=media_type)


def _is_binary(content: MediaContent) -> bool:
    """Bytes, not JSON or text: ``format: binary``, and under a wildcard media type (``*/*``) a
    string or schema-less body: a download, not a JSON string."""
    schema = content.schema
    string = isinstance(schema, PrimitiveSchema) and schema.type == "string"
    if string and isinstance(schema, PrimitiveSchema) and schema.format == "binary":
        return True
    base = content.media_type.split(";")[0].strip().lower()
    return base in ("*/*", "application/*") and (string or isinstance(schema, AnySchema))


def _is_class(api: Api, schema: Schema) -> bool:
    """Whether the JSON return type is a class or a generic alias of one (``list[X]``), so that
    ``request(cast_to: type[T]) -> T`` types the call without a cast."""
    if schema.nullable or isinstance(schema, (UnionSchema, LiteralSchema)):
        return False
    if isinstance(schema, RefSchema):
        target = api.schema(schema.ref).schema
        return isinstance(target, ObjectSchema) or _is_class(api, target)
    return True


def _server_wait(keyword: list[ArgumentPlan]) -> ServerWait | None:
    """A numeric ``timeout`` query parameter: how long the server may block, in seconds."""
    for arg in keyword:
        schema = arg.schema
        variants = schema.variants if isinstance(schema, UnionSchema) else (schema,)
        numeric = any(
            isinstance(v, PrimitiveSchema) and v.type in ("integer", "number") for v in variants
        )
        if arg.location != "query" or arg.spec_name.lower() != "timeout" or not numeric:
            continue
        default = schema.default if isinstance(schema, PrimitiveSchema) else None
        if isinstance(default, (int, float)) and not isinstance(default, bool):
            return ServerWait(arg, default)
        return ServerWait(arg, None)
    return None


def _is_stream_flag(arg: ArgumentPlan) -> bool:
    """A body field ``stream`` whose type admits a plain ``bool``."""
    return (
        arg.location == "body"
        and arg.spec_name == "stream"
        and "bool" in arg.annotation.text.split(" | ")
    )
