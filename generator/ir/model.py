"""The IR: an immutable, typed model of an API — the contract between all later stages.

Schemas form a tree whose only links are :class:`RefSchema` names into ``Api.schemas``; that keeps
recursive types finite and every stage a plain tree walk. Object schemas are always *named*
(component or hoisted inline schema), since each becomes a class.

The IR holds the spec's facts, not Python names: the builder records where each named schema
stands (a :class:`NameHint`), and the naming stage (``naming.name_api``) gives every named schema
its class name. Field and argument names are derived where they are used (``naming``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from typing import Literal, NoReturn, TypeAlias

from ..records import record

JsonValue: TypeAlias = "None | bool | int | float | str | list[JsonValue] | dict[str, JsonValue]"
ParamLocation = Literal["path", "query", "header", "cookie"]
PrimitiveType = Literal["string", "integer", "number", "boolean", "null"]


class _Missing:
    """Marks 'no default given' (not a default of ``null``); use the ``MISSING`` singleton."""

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING = _Missing()


@record
class SchemaBase:
    """What every schema kind shares. ``nullable`` folds 3.0 ``nullable`` and 3.1 ``null`` types."""

    nullable: bool = False
    description: str | None = None
    default: JsonValue | _Missing = MISSING
    read_only: bool = False
    write_only: bool = False
    deprecated: bool = False
    example: JsonValue | _Missing = MISSING
    """The spec's ``example`` (or first of 3.1 ``examples``): for docs and snippets only."""


@record
class AnySchema(SchemaBase):
    """Anything goes (``{}``, ``true``, or a construct apigen degrades with a warning)."""

    kind: Literal["any"] = "any"


@record
class PrimitiveSchema(SchemaBase):
    type: PrimitiveType = "string"
    format: str | None = None
    kind: Literal["primitive"] = "primitive"


@record
class LiteralSchema(SchemaBase):
    """``enum`` or ``const``: a closed set of JSON scalars."""

    values: tuple[str | int | float | bool | None, ...] = ()
    kind: Literal["literal"] = "literal"


@record
class ArraySchema(SchemaBase):
    items: Schema = field(default_factory=AnySchema)
    unique_items: bool = False
    kind: Literal["array"] = "array"


@record
class MapSchema(SchemaBase):
    """An object with no fixed properties whose values all share one schema."""

    values: Schema = field(default_factory=AnySchema)
    kind: Literal["map"] = "map"


@record
class Property:
    wire_name: str
    schema: Schema
    required: bool
    description: str | None = None


@record
class ObjectSchema(SchemaBase):
    properties: tuple[Property, ...] = ()
    additional: Schema | None = None
    """Schema of extra keys (``additionalProperties``); ``None`` when they are not described."""
    closed: bool = False
    """``additionalProperties: false``."""
    kind: Literal["object"] = "object"


@record
class RefSchema(SchemaBase):
    """A use of a named schema (``Api.schemas`` key)."""

    ref: str = ""
    kind: Literal["ref"] = "ref"


@record
class Discriminator:
    property_name: str
    mapping: tuple[tuple[str, str], ...] = ()
    """(wire value, schema key) pairs; several values may map to one schema."""


@record
class UnionSchema(SchemaBase):
    variants: tuple[Schema, ...] = ()
    discriminator: Discriminator | None = None
    exclusive: bool = False
    """``oneOf`` (exactly one) rather than ``anyOf``."""
    kind: Literal["union"] = "union"


Schema: TypeAlias = (
    AnySchema
    | PrimitiveSchema
    | LiteralSchema
    | ArraySchema
    | MapSchema
    | ObjectSchema
    | RefSchema
    | UnionSchema
)


def assert_never(value: NoReturn) -> NoReturn:
    """Exhaustiveness check: a ``match`` over schema kinds that misses one fails type-checking."""
    raise AssertionError(f"unhandled schema kind: {value!r}")


def child_schemas(schema: Schema) -> tuple[Schema, ...]:
    """The schemas directly inside ``schema``; a :class:`RefSchema`'s target is not among them."""
    match schema:
        case PrimitiveSchema() | RefSchema() | LiteralSchema() | AnySchema():
            return ()
        case ArraySchema():
            return (schema.items,)
        case MapSchema():
            return (schema.values,)
        case ObjectSchema():
            props = tuple(prop.schema for prop in schema.properties)
            return props if schema.additional is None else (*props, schema.additional)
        case UnionSchema():
            return schema.variants
        case _:
            assert_never(schema)


def resolve(schema: Schema, lookup: Callable[[str], Schema | None]) -> Schema:
    """The schema a chain of refs stands for (``lookup`` maps a key to its named schema).

    Stops at the first non-ref, at a ref ``lookup`` does not know, or where a chain of pure
    aliases comes back on itself (then the last ref is returned)."""
    seen: set[str] = set()
    while isinstance(schema, RefSchema) and schema.ref not in seen:
        seen.add(schema.ref)
        target = lookup(schema.ref)
        if target is None:
            break
        schema = target
    return schema


NameOrigin = Literal["component", "reference", "inline"]


@record
class NameHint:
    """Where a named schema stands, in words; the naming stage turns it into a class name.

    A component is named after its key and another referenced schema after the last token of
    its pointer (``text``). An inline schema is named after what it stands in: the class name of
    ``owner`` (the component or referenced schema around it) or the name of ``operation`` (its
    pointer), followed by ``text`` (``"_metadata"``, ``"Body"``, ``"_tagsItem"``)."""

    text: str
    origin: NameOrigin = "inline"
    owner: str | None = None
    operation: str | None = None

    def then(self, suffix: str) -> NameHint:
        """The hint of a schema nested one step further (``suffix`` appended)."""
        return NameHint(self.text + suffix, "inline", self.owner, self.operation)


@record
class NamedSchema:
    """A schema that gets a Python name: every component schema and every hoisted inline object."""

    key: str
    """Stable id: the component name, or a dotted path for inline schemas."""
    schema: Schema
    pointer: str
    hint: NameHint
    title: str | None = None
    inline: bool = False
    name: str = ""
    """Python class / alias name, given by the naming stage (empty in the builder's output)."""
    request_name: str | None = None
    """Name of the TypedDict used when this object is sent in a request (``<Name>Param``), given
    by the naming stage to every object schema."""


@record
class Parameter:
    name: str
    location: ParamLocation
    schema: Schema
    required: bool
    style: str
    explode: bool
    description: str | None = None
    deprecated: bool = False
    argument_hint: str | None = None
    """The argument name the spec asks for (``x-stainless-param``), when it names one."""


@record
class MediaContent:
    media_type: str
    schema: Schema


@record
class RequestBody:
    required: bool
    contents: tuple[MediaContent, ...]
    description: str | None = None


@record
class Response:
    status: str
    """``"200"``, ``"4XX"`` or ``"default"``."""
    description: str | None
    contents: tuple[MediaContent, ...]
    headers: tuple[str, ...] = ()
    """Names of the response headers the spec declares (as written), e.g. ``Link``."""


@record
class Operation:
    operation_id: str
    method: str
    path: str
    summary: str | None
    description: str | None
    tags: tuple[str, ...]
    deprecated: bool
    parameters: tuple[Parameter, ...]
    request_body: RequestBody | None
    responses: tuple[Response, ...]
    security: tuple[str, ...] | None
    """Names of the security schemes that apply; ``None`` means the API-wide default."""
    pointer: str


@record
class SecurityScheme:
    name: str
    type: str
    """``apiKey``, ``http``, ``oauth2``, ``openIdConnect`` or ``mutualTLS``."""
    location: str | None = None
    """For ``apiKey``: ``header``, ``query`` or ``cookie``."""
    param_name: str | None = None
    scheme: str | None = None
    """For ``http``: ``bearer`` or ``basic``."""
    description: str | None = None


@record
class Server:
    url: str
    description: str | None = None


@record
class Api:
    title: str
    version: str
    description: str | None
    openapi: str
    servers: tuple[Server, ...]
    security_schemes: tuple[SecurityScheme, ...]
    security: tuple[str, ...]
    tags: tuple[str, ...]
    operations: tuple[Operation, ...]
    schemas: tuple[NamedSchema, ...]
    """Dependencies first (each schema after the ones it was converted through)."""
    components: tuple[str, ...] = ()
    """Keys of the component schemas in the document's order (naming claims theirs first)."""

    _index: dict[str, NamedSchema] = field(init=False, repr=False, compare=False)
    memo: dict[str, object] = field(init=False, repr=False, compare=False)
    """Facts later stages derive from this API and keep for its lifetime (the default method
    placements, which naming, the plan and ``apigen diff`` all need); only the module that
    computes an entry reads or writes it."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {named.key: named for named in self.schemas})
        object.__setattr__(self, "memo", {})

    def schema(self, key: str) -> NamedSchema:
        """The named schema a :class:`RefSchema` points at."""
        return self._index[key]

    def resolve(self, schema: Schema) -> Schema:
        """What ``schema`` stands for once refs (and aliases of refs) are followed."""
        return resolve(schema, lambda key: self._index[key].schema)
