"""The client plan: what the generated client *is*, as facts, built once from the named IR.

Every output reads the plan and nothing else: the package templates, the README and ``api.md``
(through their views in ``emit``), and whatever comes next (an MCP server, a diff of two clients'
surfaces). A plan keeps the IR objects it was made from (an argument's schema, an operation's
responses), so no reader has to look anything up again, and it holds no rendered code besides
type annotations, which are values (:class:`~generator.plan.annotations.Annotation`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from ..config import NO_DEFAULTS, CallDefaults
from ..ir.model import Api, NamedSchema, ObjectSchema, Operation, Schema
from ..naming.arguments import RenameReason
from ..pagination import PageStyle
from ..records import record
from .annotations import Annotation

ArgumentLocation = Literal["path", "query", "header", "cookie", "body", "whole-body"]
"""Where an argument's value goes: a parameter's location, ``body`` (one field of an object
body) or ``whole-body`` (the body itself)."""

BodyKind = Literal["json", "multipart", "form", "content"]
"""How the runtime encodes the body: JSON, multipart or URL-encoded form fields, or raw
``str``/``bytes`` content."""

ReturnKind = Literal["none", "json", "text", "binary", "stream", "json-or-stream", "page"]
"""What a call returns: nothing, a parsed JSON value, text, a binary response (a download:
``.content``, ``.stream_to_file()``), a stream of server-sent events, either of the last two
depending on a boolean body argument (``stream=True``), or the first page of a list that walks
every following page when iterated."""


@record
class ArgumentPlan:
    """One argument of a generated method."""

    name: str
    """The Python name in the signature."""
    spec_name: str
    """The parameter's name or the body property's key on the wire; empty for a whole body."""
    location: ArgumentLocation
    schema: Schema
    """The IR schema of the value (the parameter's, the body property's, or the body's)."""
    annotation: Annotation
    """The argument's type (request side), without ``| NotGiven``."""
    required: bool
    description: str
    natural: str
    """The name the spec implies before clashes are settled (``timeout`` for ``api_timeout``)."""
    renamed: RenameReason | None
    """Why ``name`` is not ``natural``; ``None`` when it is."""
    style: str = "form"
    """Serialization style (query and path parameters; OpenAPI ``style``)."""
    explode: bool = True

    @property
    def positional(self) -> bool:
        """Path parameters come first and are positional; everything else is keyword-only."""
        return self.location == "path"


@record
class BodyPlan:
    """The request body the method sends: one media type chosen among the spec's."""

    media_type: str
    """As the spec writes it (``application/json``, ``text/plain; charset=utf-8``)."""
    kind: BodyKind
    content_type: str | None
    """The ``Content-Type`` the runtime must set; ``None`` when the encoder implies it."""
    schema: Schema
    required: bool
    fields: ObjectSchema | None
    """The object whose properties are the method's ``body`` arguments; ``None`` when the body
    is one ``whole-body`` argument."""
    file_fields: tuple[str, ...] = ()
    """Wire names of the multipart fields declared binary: their values must be files."""


@record
class ReturnPlan:
    """What a call gives back, from the operation's first success response."""

    kind: ReturnKind
    json: Annotation | None = None
    """The parsed type (kinds ``json`` and ``json-or-stream``)."""
    item: Annotation | None = None
    """The type of each event (kinds ``stream`` and ``json-or-stream``) or list item (``page``)."""
    flag: ArgumentPlan | None = None
    """The boolean body argument that asks for the stream (kind ``json-or-stream``)."""
    cast: bool = False
    """The JSON type is no class (a union, a literal, an optional): ``request(cast_to: type[T])``
    cannot carry it, so the method casts what the call returns."""
    page: PageStyle | None = None
    """How the list pages (kind ``page``)."""
    media_type: str | None = None
    """The success response's media type as the spec writes it (kinds ``text`` and ``binary``:
    an MCP tool returns an image as an image)."""

    @property
    def annotation(self) -> str:
        """The return type a reader is shown: the synchronous stream's for ``json-or-stream``
        (whose JSON form is ``json``)."""
        match self.kind:
            case "none":
                return "None"
            case "text":
                return "str"
            case "binary":
                return "BinaryResponse"
            case "json":
                assert self.json is not None
                return self.json.text
            case "stream":
                assert self.item is not None
                return f"Stream[{self.item.text}]"
            case "json-or-stream":
                assert self.json is not None and self.item is not None
                return f"Stream[{self.item.text}]"
            case "page":
                assert self.item is not None
                return f"SyncPage[{self.item.text}]"


@record
class ServerWait:
    """A numeric ``timeout`` query argument lets the server block that many seconds: the
    client's read timeout must outlast it (the spec's default applies when it is omitted)."""

    argument: ArgumentPlan
    default: int | float | None


@record
class OperationPlan:
    """One method of the client: an operation at one place in the resource tree."""

    operation: Operation
    resource: tuple[str, ...]
    """Resource path from the client (``("beta", "task_run")``; empty on the client itself)."""
    name: str
    """The method name."""
    alias_of: str | None
    """Dotted path of the operation's home method when this one is an alias."""
    arguments: tuple[ArgumentPlan, ...]
    """Signature order: path parameters, then required keywords, then optional ones."""
    body: BodyPlan | None
    returns: ReturnPlan
    defaults: CallDefaults = NO_DEFAULTS
    """Headers and query the method sends unless the caller overrides them (config ``defaults``)."""
    server_wait: ServerWait | None = None
    """How long the server may hold the call, when one of its arguments says so."""

    @property
    def method_path(self) -> tuple[str, ...]:
        return (*self.resource, self.name)

    @property
    def target(self) -> str:
        """How a caller spells it: ``client.beta.task_run.create``."""
        return ".".join(("client", *self.method_path))

    @property
    def positional(self) -> tuple[ArgumentPlan, ...]:
        return tuple(arg for arg in self.arguments if arg.positional)

    @property
    def keyword(self) -> tuple[ArgumentPlan, ...]:
        return tuple(arg for arg in self.arguments if not arg.positional)


@record
class ResourcePlan:
    """A resource class of the client; the client itself is the root (empty ``path``)."""

    path: tuple[str, ...]
    class_name: str
    """``TaskRunResource`` (the async twin adds ``Async``); ``Client`` at the root."""
    operations: tuple[OperationPlan, ...]
    children: tuple[ResourcePlan, ...]
    """Sub-resources, by attribute name."""
    mixin: str | None = None
    """Module below ``lib/`` whose custom-code mixins the class inherits (config ``extend``)."""

    @property
    def attr(self) -> str:
        """The attribute of the parent that holds this resource."""
        return self.path[-1] if self.path else ""

    def walk(self) -> Iterator[ResourcePlan]:
        """Every resource below this one, then this one: sub-resources (by attribute name)
        before their parent, the order ``api.md`` lists them in."""
        for child in self.children:
            yield from child.walk()
        yield self


@record
class FieldPlan:
    """One key of a model or request type."""

    name: str
    """The attribute (model) or key (request ``TypedDict``, always the wire name)."""
    spec_name: str
    schema: Schema
    annotation: Annotation
    """The value's type (response side for models, request side for request types)."""
    required: bool
    description: str | None


@record
class RequestTypePlan:
    """The ``TypedDict`` a caller sends an object as (``TaskSpecParam``)."""

    name: str
    fields: tuple[FieldPlan, ...]
    """The writable properties (read-only ones are never sent)."""


@record
class TypePlan:
    """A type in ``<package>.types``: a pydantic model (object schemas) or an alias."""

    named: NamedSchema
    kind: Literal["model", "alias"]
    fields: tuple[FieldPlan, ...]
    """The model's fields (response side); empty for an alias."""
    annotation: Annotation | None
    """What an alias stands for (response side); ``None`` for a model."""
    request: RequestTypePlan | None
    """For objects a caller can send (in a parameter or a body)."""
    description: str
    """The schema's description, else its title when that says more than the name."""

    @property
    def name(self) -> str:
        return self.named.name


AuthKind = Literal["api_key", "bearer", "basic", "none"]


@record
class AuthPlan:
    """How the client authenticates: one credential, read from an argument or the environment."""

    kind: AuthKind
    argument: str
    """The client's argument for the credential (``api_key``); empty for ``none``."""
    env_var: str
    required: bool
    """The spec requires it for every operation: the client refuses to start without it."""
    description: str
    param_name: str | None = None
    """Header, query or cookie name of an ``api_key`` credential."""
    location: str | None = None
    """``header``, ``query`` or ``cookie`` for ``api_key``."""


@record
class ClientPlan:
    """The whole client: identity, authentication, resources with their methods, and types."""

    api: Api
    distribution: str
    module: str
    """The import name (``parallel_api``)."""
    client_class: str
    async_client_class: str
    env_prefix: str
    version: str
    base_url: str
    title: str
    description: str
    license: str
    auth: AuthPlan
    root: ResourcePlan
    types: tuple[TypePlan, ...]
    """In IR order (dependencies first)."""
    readme_extras: tuple[str, ...] = ()
    """Maintainer-written Markdown for the README (config ``readme_extra``): trusted text."""
    timeout: float | None = None
    """The client's default timeout in seconds (config ``client.timeout``); ``None`` keeps the
    runtime's 60 s."""
    idempotency_header: str = ""
    """Header carrying a key generated once per non-idempotent call (config); empty: none."""
    multipart_format: str = "openapi"
    """How multipart arrays and objects are sent: ``openapi`` defaults or ``brackets``."""
    retry_non_idempotent: str = "safe"
    """Which failed POST/PATCH calls retry (config): ``safe`` or ``on_status``."""
    retry_count_header: str = ""
    """Header carrying each attempt's retry count (config); empty: none."""
    platform_headers: str = ""
    """Prefix of the platform headers every call sends (config); empty: none."""
    name_collisions: tuple[str, ...] = ()
    """How each default-name collision was settled (``apigen generate -v`` prints them)."""
    mcp: bool = True
    """Whether the project has the MCP server (config ``mcp``)."""

    def resources(self) -> Iterator[ResourcePlan]:
        """Every resource below the client, sub-resources before their parent."""
        for child in self.root.children:
            yield from child.walk()

    def methods(self) -> Iterator[OperationPlan]:
        """Every method (homes and aliases): the client's, then resource by resource."""
        yield from self.root.operations
        for resource in self.resources():
            yield from resource.operations
