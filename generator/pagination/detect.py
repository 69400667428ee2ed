"""Recognising how a list operation pages, from its query parameters, response schema and headers.

The rules are conventions shared across APIs, never one API's names:

* ``Link`` response header (RFC 8288, GitHub style) → follow ``rel="next"``;
* a cursor parameter (``after``, ``cursor``, ``page_token``, ``continue``...) and a body field
  holding the next cursor (``next_cursor``, ``next_page_token``, ``last_id``, ``metadata.continue``)
  → cursor; ``after``/``starting_after`` with ``has_more`` and items that have an ``id`` → the last
  item's id is the cursor;
* a body field holding the next page's URL (``next`` as a URI, ``links.next``, ``@odata.nextLink``);
* an integer ``offset``/``skip`` parameter with a ``limit``-like one → offset;
* an integer ``page``/``page_number`` parameter with a page-size parameter (or a page count in
  the body) → page number;
* an envelope with nothing but ``data`` and a type tag (``{"object": "list", "data": [...]}``)
  and no paging parameters → one page, iterable like the others (so pagination can be added later
  without breaking callers).

Anything that merely looks similar (an ``offset`` without a limit, a date-time ``after`` filter,
a string ``page``, a ``has_more`` with no way to ask for more) is not paginated: a list method
that silently stops after the first page would be worse than a plain response.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import replace

from ..errors import ApigenError
from ..ir.model import (
    AnySchema,
    Api,
    ArraySchema,
    LiteralSchema,
    MapSchema,
    ObjectSchema,
    Operation,
    Parameter,
    PrimitiveSchema,
    RefSchema,
    Schema,
    UnionSchema,
)
from ..records import record
from .model import FieldPath, PageStyle, PaginationConfig, StyleRule

# Vocabulary, compared after `_norm` (lower case, letters and digits only).
_CURSOR_PARAMS = frozenset(
    {
        "after",
        "startingafter",
        "cursor",
        "pagecursor",
        "pagetoken",
        "nextpagetoken",
        "nexttoken",
        "nextcursor",
        "continuationtoken",
        "continue",
        "iterator",
        "marker",
        "pageafter",
        "skiptoken",
    }
)
_ID_CURSOR_PARAMS = frozenset({"after", "startingafter"})
_NEXT_CURSOR_FIELDS = (
    "nextcursor",
    "nextpagetoken",
    "nexttoken",
    "nextpagecursor",
    "continuationtoken",
    "nextmarker",
    "endcursor",
    "nextpage",
    "lastid",
)
_NEXT_URL_FIELDS = frozenset(
    {"next", "nexturl", "nextlink", "nextpageurl", "nextpagelink", "nexthref", "odatanextlink"}
)
_HAS_MORE_FIELDS = frozenset(
    {"hasmore", "hasnext", "hasnextpage", "hasmoreitems", "hasmoreresults", "more", "istruncated"}
)
_TOTAL_FIELDS = frozenset(
    {"total", "totalcount", "totalresults", "totalitems", "totalrecords", "totalrecordcount"}
)
_TOTAL_PAGES_FIELDS = frozenset(
    {"totalpages", "pagestotal", "pagecount", "numpages", "lastpage", "pages"}
)
_CONTAINERS = frozenset(
    {
        "meta",
        "metadata",
        "pagination",
        "paging",
        "page",
        "pageinfo",
        "links",
        "responsemetadata",
        "cursors",
    }
)
_OFFSET_PARAMS = frozenset({"offset", "skip", "startindex", "pageoffset", "skiprecords"})
_PAGE_PARAMS = frozenset({"page", "pagenumber", "pageno", "pagenum", "currentpage", "pageindex"})
_SIZE_PARAMS = frozenset(
    {
        "limit",
        "pagesize",
        "perpage",
        "size",
        "top",
        "maxresults",
        "pagelimit",
        "take",
        "count",
        "maxitems",
        "resultsperpage",
    }
)
_ITEM_FIELDS = (
    "data",
    "embedded",
    "items",
    "results",
    "records",
    "entries",
    "content",
    "value",
    "values",
    "elements",
)
_AUXILIARY_ARRAYS = frozenset({"errors", "warnings", "links"})
_TAG_FIELDS = frozenset({"object", "kind", "type"})
_URL_FORMATS = frozenset({"uri", "url", "uri-reference", "iri", "iri-reference"})
_DATE_FORMATS = frozenset({"date", "date-time", "time"})


_NOT_ALNUM = re.compile(r"[^a-z0-9]")


@functools.lru_cache(maxsize=4096)  # the same field and parameter names, thousands of times
def _norm(name: str) -> str:
    return _NOT_ALNUM.sub("", name.lower())


# --------------------------------------------------------------------------- schema reading


@record
class _Field:
    path: FieldPath
    schema: Schema


class _Reader:
    """Schema lookups through ``$ref``s."""

    def __init__(self, api: Api) -> None:
        self._api = api

    def resolve(self, schema: Schema) -> Schema:
        seen: set[str] = set()
        while isinstance(schema, RefSchema) and schema.ref not in seen:
            seen.add(schema.ref)
            schema = self._api.schema(schema.ref).schema
        return schema

    def fields(self, schema: Schema, depth: int = 0) -> Iterator[_Field]:
        """Properties of an object body, and of its paging containers (``meta``, ``links``...)."""
        resolved = self.resolve(schema)
        if not isinstance(resolved, ObjectSchema):
            return
        for prop in resolved.properties:
            yield _Field((prop.wire_name,), prop.schema)
        if depth >= 2:
            return
        for prop in resolved.properties:
            if _norm(prop.wire_name) in _CONTAINERS:
                for inner in self.fields(prop.schema, depth + 1):
                    yield _Field((prop.wire_name, *inner.path), inner.schema)

    def find(self, body: Schema, names: frozenset[str] | tuple[str, ...]) -> Iterator[_Field]:
        """Fields whose (normalised) name is one of `names`, nearest the top first."""
        wanted = set(names)
        for found in self.fields(body):
            if _norm(found.path[-1]) in wanted:
                yield found

    def at(self, body: Schema, path: FieldPath) -> Schema | None:
        """The schema at `path`; None if a declared object lacks it; AnySchema if undeclared."""
        schema = body
        for key in path:
            resolved = self.resolve(schema)
            if isinstance(resolved, ObjectSchema):
                match = next((p for p in resolved.properties if p.wire_name == key), None)
                if match is not None:
                    schema = match.schema
                    continue
                if resolved.properties or resolved.closed:
                    return None
                return AnySchema()
            if isinstance(resolved, MapSchema):
                schema = resolved.values
                continue
            if isinstance(resolved, AnySchema):
                return resolved
            return None
        return schema

    def is_scalar(self, schema: Schema, *types: str) -> bool:
        """Whether `schema` is (or, for a union, may be) a scalar of one of `types`."""
        resolved = self.resolve(schema)
        if isinstance(resolved, PrimitiveSchema):
            return resolved.type in types
        if isinstance(resolved, LiteralSchema):
            return all(isinstance(v, str) for v in resolved.values) and "string" in types
        if isinstance(resolved, UnionSchema):
            return any(self.is_scalar(v, *types) for v in resolved.variants)
        return False

    def format(self, schema: Schema) -> str | None:
        """The ``format`` of a string/number schema (of a union's first scalar variant)."""
        resolved = self.resolve(schema)
        if isinstance(resolved, PrimitiveSchema):
            return resolved.format
        if isinstance(resolved, UnionSchema):
            return next((f for v in resolved.variants if (f := self.format(v))), None)
        return None

    def has_field(self, schema: Schema, name: str) -> bool:
        """Whether every shape `schema` may take is an object with property `name`."""
        resolved = self.resolve(schema)
        if isinstance(resolved, ObjectSchema):
            return any(p.wire_name == name for p in resolved.properties)
        if isinstance(resolved, UnionSchema) and resolved.variants:
            return all(self.has_field(v, name) for v in resolved.variants)
        return False


# --------------------------------------------------------------------------- the operation


@record
class _ListResponse:
    body: Schema
    items: FieldPath
    item_schema: Schema
    headers: frozenset[str]


def _json_body(operation: Operation) -> tuple[Schema, frozenset[str]] | None:
    """The schema and header names of the first successful JSON response."""
    for response in sorted(operation.responses, key=lambda r: r.status):
        if not response.status.startswith("2"):
            continue
        for content in response.contents:
            media = content.media_type.split(";")[0].strip().lower()
            if media == "application/json" or media.endswith("+json"):
                return content.schema, frozenset(h.lower() for h in response.headers)
        return None
    return None


def _find_items(reader: _Reader, body: Schema) -> tuple[FieldPath, Schema] | None:
    """Where the list is: the body itself, its only array property, or a conventional one.

    Arrays of errors, warnings or links are never the items; and an envelope whose payload
    field (``data``, ``content``...) is a single object is not a list at all.
    """
    resolved = reader.resolve(body)
    if isinstance(resolved, ArraySchema):
        return (), resolved.items
    if not isinstance(resolved, ObjectSchema):
        return None
    arrays: list[tuple[str, Schema]] = []
    for prop in resolved.properties:
        schema = reader.resolve(prop.schema)
        name = _norm(prop.wire_name)
        if isinstance(schema, ArraySchema):
            if name not in _AUXILIARY_ARRAYS:
                arrays.append((prop.wire_name, schema.items))
        elif name in _ITEM_FIELDS and isinstance(schema, (ObjectSchema, MapSchema)):
            return None
    if len(arrays) == 1:
        return (arrays[0][0],), arrays[0][1]
    by_name = {_norm(name): (name, items) for name, items in arrays}
    for conventional in _ITEM_FIELDS:
        if conventional in by_name:
            name, items = by_name[conventional]
            return (name,), items
    return None


def _list_response(reader: _Reader, operation: Operation) -> _ListResponse | None:
    found = _json_body(operation)
    if found is None:
        return None
    body, headers = found
    items = _find_items(reader, body)
    if items is None:
        return None
    return _ListResponse(body, items[0], items[1], headers)


def _query_params(operation: Operation, *, deprecated: bool) -> dict[str, Parameter]:
    """Query parameters by normalised name (in name order), optionally without deprecated ones."""
    query = [p for p in operation.parameters if p.location == "query"]
    query = [p for p in query if deprecated or not p.deprecated]
    return {_norm(p.name): p for p in sorted(query, key=lambda p: _norm(p.name))}


def _first_param(params: dict[str, Parameter], names: frozenset[str]) -> Parameter | None:
    return next((param for name, param in params.items() if name in names), None)


# --------------------------------------------------------------------------- the rules


class _Detector:
    """The rules, for one operation whose response is a list."""

    def __init__(
        self,
        reader: _Reader,
        operation: Operation,
        listing: _ListResponse,
        params: dict[str, Parameter],
    ) -> None:
        self.reader = reader
        self.operation = operation
        self.listing = listing
        self.params = params
        self.single_page = PageStyle("single", listing.items, listing.item_schema)

    def first_field(self, names: frozenset[str] | tuple[str, ...], *types: str) -> FieldPath | None:
        for found in self.reader.find(self.listing.body, names):
            if found.path != self.listing.items and self.reader.is_scalar(found.schema, *types):
                return found.path
        return None

    def has_more(self) -> FieldPath | None:
        return self.first_field(_HAS_MORE_FIELDS, "boolean")

    def is_url(self, found: _Field) -> bool:
        if self.reader.format(found.schema) in _URL_FORMATS:
            return True
        name = _norm(found.path[-1])
        return name != "next" or not any(n in _CURSOR_PARAMS for n in self.params)

    def paging(self) -> PageStyle | None:
        """The first style whose signals the operation has, strongest first."""
        if self.operation.method != "get":
            return None
        rules = (
            self.link_header,
            self.cursor,
            self.next_url,
            self.item_cursor,
            self.offset,
            self.page_number,
        )
        return next((style for rule in rules if (style := rule()) is not None), None)

    def link_header(self) -> PageStyle | None:
        if "link" not in self.listing.headers:
            return None
        return replace(self.single_page, kind="link_header")

    def cursor_param(self) -> Parameter | None:
        """A cursor parameter; a ``page`` parameter typed as a string is a page token too."""
        for name, param in self.params.items():  # in name order: deterministic
            if self.reader.format(param.schema) in _DATE_FORMATS:
                continue
            if name in _CURSOR_PARAMS and self.reader.is_scalar(param.schema, "string", "integer"):
                return param
            if (
                name in _PAGE_PARAMS
                and self.reader.is_scalar(param.schema, "string")
                and not self.reader.is_scalar(param.schema, "integer")
            ):
                return param
        return None

    def cursor(self) -> PageStyle | None:
        param = self.cursor_param()
        if param is None:
            return None
        own = _norm(param.name)
        names = (f"next{own}", *_NEXT_CURSOR_FIELDS, own, "next")
        for name in dict.fromkeys(names):
            for found in self.reader.find(self.listing.body, frozenset({name})):
                if found.path == self.listing.items:
                    continue
                if not self.reader.is_scalar(found.schema, "string", "integer"):
                    continue
                if self.reader.format(found.schema) in _URL_FORMATS:
                    continue  # a next URL, not a cursor
                if name == "next" and self.is_url(found):
                    continue
                return replace(
                    self.single_page,
                    kind="cursor",
                    param=param.name,
                    next_cursor=found.path,
                    has_more=self.has_more(),
                )
        return None

    def item_cursor(self) -> PageStyle | None:
        param = self.cursor_param()
        has_more = self.has_more()
        if param is None or _norm(param.name) not in _ID_CURSOR_PARAMS or has_more is None:
            return None
        if not self.reader.has_field(self.listing.item_schema, "id"):
            return None
        return replace(
            self.single_page, kind="cursor", param=param.name, item_cursor="id", has_more=has_more
        )

    def next_url(self) -> PageStyle | None:
        for found in self.reader.find(self.listing.body, _NEXT_URL_FIELDS):
            if found.path == self.listing.items:
                continue
            if self.reader.is_scalar(found.schema, "string") and self.is_url(found):
                return replace(self.single_page, kind="next_url", next_url=found.path)
            href = self.reader.at(found.schema, ("href",))  # HAL: "_links": {"next": {"href"}}
            if href is not None and self.reader.is_scalar(href, "string"):
                return replace(self.single_page, kind="next_url", next_url=(*found.path, "href"))
        return None

    def size_param(self) -> Parameter | None:
        return _first_param(self.params, _SIZE_PARAMS)

    def number_param(self, names: frozenset[str]) -> Parameter | None:
        """A parameter carrying a number (some specs type them as strings, never as dates)."""
        param = _first_param(self.params, names)
        if param is None or not self.reader.is_scalar(param.schema, "integer", "string"):
            return None
        return None if self.reader.format(param.schema) in _DATE_FORMATS else param

    def offset(self) -> PageStyle | None:
        param = self.number_param(_OFFSET_PARAMS)
        if param is None or self.size_param() is None:
            return None
        total = self.first_field(_TOTAL_FIELDS, "integer")
        return replace(
            self.single_page, kind="offset", param=param.name, has_more=self.has_more(), total=total
        )

    def page_number(self) -> PageStyle | None:
        param = self.number_param(_PAGE_PARAMS)
        if param is None:
            return None
        total_pages = self.first_field(_TOTAL_PAGES_FIELDS, "integer")
        has_more = self.has_more()
        if self.size_param() is None and total_pages is None and has_more is None:
            return None
        default = self.reader.resolve(param.schema).default
        first = 0 if default == 0 and not isinstance(default, bool) else 1
        return replace(
            self.single_page,
            kind="page_number",
            param=param.name,
            first_page=first,
            has_more=has_more,
            total_pages=total_pages,
        )

    def single(self) -> PageStyle | None:
        """A whole list in a ``data`` envelope, when nothing hints at pages we cannot follow.

        Only ``data``: the page's own ``.data`` is then the attribute the envelope model had, so
        the caller loses nothing and gains iteration.
        """
        if self.operation.method not in ("get", "post") or self.listing.items != ("data",):
            return None
        if any(n in _CURSOR_PARAMS | _OFFSET_PARAMS | _PAGE_PARAMS for n in self.params):
            return None
        body = self.reader.resolve(self.listing.body)
        if not isinstance(body, ObjectSchema):
            return None
        for prop in body.properties:
            if (prop.wire_name,) == self.listing.items:
                continue
            if _norm(prop.wire_name) not in _TAG_FIELDS:
                return None
            if not self.reader.is_scalar(prop.schema, "string"):
                return None
        return self.single_page


def list_items(api: Api, operation: Operation) -> FieldPath | None:
    """Where the items of a list response are (``()`` for an array body), if it looks like
    one: an array, the body's only array property, or a conventional one (``data``...)."""
    listing = _list_response(_Reader(api), operation)
    return None if listing is None else listing.items


def answers_with_list(api: Api, operation: Operation) -> bool:
    """Whether an operation answers with a list: an array, an envelope whose items sit in a
    conventional field (``data``, ``items``, ``results``...), or a page the built-in rules
    recognise. (Default method names call such a ``GET`` ``list``.)"""
    reader = _Reader(api)
    listing = _list_response(reader, operation)
    if listing is None:
        return False
    if not listing.items or _norm(listing.items[-1]) in _ITEM_FIELDS:
        return True
    return _detect(reader, operation) is not None


def detect_page_style(api: Api, operation: Operation) -> PageStyle | None:
    """How `operation` pages by the built-in rules, or None if it is not a (pageable) list."""
    return _detect(_Reader(api), operation)


def _detect(reader: _Reader, operation: Operation) -> PageStyle | None:
    """Paging by current parameters, else by deprecated ones too, else one page (or None)."""
    listing = _list_response(reader, operation)
    if listing is None:
        return None
    current = _Detector(reader, operation, listing, _query_params(operation, deprecated=False))
    every = _Detector(reader, operation, listing, _query_params(operation, deprecated=True))
    return current.paging() or every.paging() or every.single()


# --------------------------------------------------------------------------- configured styles


class _RuleMismatch(Exception):
    """A configured style does not fit an operation (the message says why)."""


def _apply_rule(
    reader: _Reader, operation: Operation, rule: StyleRule, *, declared_only: bool
) -> PageStyle:
    """`rule` completed from the spec for `operation`; raises `_RuleMismatch` if it cannot fit.

    With `declared_only`, every body field the rule names must be declared in the response
    schema (a global style must not claim operations it merely does not contradict).
    """
    found = _json_body(operation)
    if found is None:
        raise _RuleMismatch("the operation has no JSON success response")
    body = found[0]
    if rule.items is None:
        located = _find_items(reader, body)
        if located is None:
            raise _RuleMismatch("no list found in the response; set 'items'")
        items, item_schema = located
    else:
        items = rule.items
        target = reader.at(body, items) if items else body
        resolved = reader.resolve(target) if target is not None else None
        if not isinstance(resolved, ArraySchema):
            raise _RuleMismatch(f"'items' {'.'.join(items) or '(the body)'} is not a list")
        item_schema = resolved.items
    params = {p.name for p in operation.parameters if p.location == "query"}
    if rule.kind in ("cursor", "offset", "page_number"):
        if rule.param is None:
            raise _RuleMismatch(f"a {rule.kind} style needs 'param'")
        if rule.param not in params:
            raise _RuleMismatch(f"'param' {rule.param!r} is not a query parameter")
    if rule.kind == "cursor" and rule.next_cursor is None and rule.item_cursor is None:
        raise _RuleMismatch("a cursor style needs 'next_cursor' or 'item_cursor'")
    if rule.kind == "next_url" and rule.next_url is None:
        raise _RuleMismatch("a next_url style needs 'next_url'")
    for name in ("next_cursor", "has_more", "total", "total_pages", "next_url"):
        path: FieldPath | None = getattr(rule, name)
        if path is None:
            continue
        schema = reader.at(body, path)
        if schema is None or (declared_only and isinstance(schema, AnySchema)):
            raise _RuleMismatch(f"{name!r} {'.'.join(path)} is not in the response")
    return PageStyle(
        kind=rule.kind,
        items=items,
        item_schema=item_schema,
        param=rule.param,
        next_cursor=rule.next_cursor,
        item_cursor=rule.item_cursor,
        has_more=rule.has_more,
        total=rule.total,
        total_pages=rule.total_pages,
        first_page=1 if rule.first_page is None else rule.first_page,
        next_url=rule.next_url,
        origin="config",
    )


def _first_fitting(
    reader: _Reader, operation: Operation, rules: tuple[StyleRule, ...]
) -> PageStyle | None:
    if operation.method != "get":
        return None
    for rule in rules:
        try:
            return _apply_rule(reader, operation, rule, declared_only=True)
        except _RuleMismatch:
            continue
    return None


class PageStyles:
    """Each operation's page style under a pagination config, worked out when first asked.

    The configured operations are checked up front (an unknown operation, or a configured
    style that does not fit, is an :class:`ApigenError` here, as in :func:`page_styles`);
    every other operation is detected on demand, so a caller that needs a few operations'
    styles (``apigen diff``) does not detect them all.
    """

    def __init__(
        self, api: Api, config: PaginationConfig | None = None, *, config_file: str | None = None
    ) -> None:
        self._config = config = config or PaginationConfig()
        self._reader = reader = _Reader(api)
        keys = {f"{op.method.upper()} {op.path}": op for op in api.operations}
        keys.update({op.operation_id: op for op in api.operations})
        configured: dict[str, tuple[str, StyleRule | None]] = {}
        for key, rule in config.operations.items():
            if key not in keys:
                raise ApigenError(
                    f"pagination config names an unknown operation {key!r}",
                    pointer=f"pagination/operations/{key}",
                    location=config_file,
                )
            configured[keys[key].pointer] = (key, rule)
        self._configured: dict[str, PageStyle | None] = {}
        for operation in api.operations if configured else ():  # the document's order
            if operation.pointer not in configured:
                continue
            key, rule = configured[operation.pointer]
            style = None
            if rule is not None:
                try:
                    style = _apply_rule(reader, operation, rule, declared_only=False)
                except _RuleMismatch as exc:
                    raise ApigenError(
                        f"pagination for {key!r}: {exc}",
                        pointer=f"pagination/operations/{key}",
                        location=config_file,
                    ) from None
            self._configured[operation.pointer] = style
        self._found: dict[str, PageStyle | None] = {}

    def style(self, operation: Operation) -> PageStyle | None:
        """``operation``'s style, or None if it does not page."""
        pointer = operation.pointer
        if pointer in self._configured:
            return self._configured[pointer]
        if pointer not in self._found:
            style = _first_fitting(self._reader, operation, self._config.styles)
            if style is None and self._config.detect:
                style = _detect(self._reader, operation)
            self._found[pointer] = style
        return self._found[pointer]


def page_styles(
    api: Api, config: PaginationConfig | None = None, *, config_file: str | None = None
) -> dict[str, PageStyle]:
    """Every paginated operation's style, by operation pointer.

    Per operation: its ``pagination.operations`` entry if any (an error if it does not fit),
    else the first ``pagination.styles`` entry that fits, else the built-in rules (unless
    ``detect: false``).
    """
    styles = PageStyles(api, config, config_file=config_file)
    found = ((op.pointer, styles.style(op)) for op in api.operations)
    return {pointer: style for pointer, style in found if style is not None}
