"""Auto-pagination: list methods return a page that walks the whole collection lazily.

A generated list method describes how its endpoint pages with one small declarative value, e.g.
``CursorPagination(param="after", next_cursor="last_id", has_more="has_more")``, and returns
``client.request_page(Item, options, pagination)``: a `SyncPage[Item]` on the sync client, an
`AsyncPaginator[Item]` (await it for the first `AsyncPage[Item]`, or ``async for`` it) on the
async one. Each next request is the first one with the page parameter moved forward (or the
server's next URL), sent through the client's ``request()``: same auth, headers, retries,
timeouts and redirect policy as any call.

Safety: a page with no items, no next cursor/URL or ``has_more: false`` is the last one; a
cursor or URL that was already requested, two identical pages in a row, and a next URL outside
the client's base URL raise `PaginationError` instead of looping or sending credentials away.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import AsyncIterator, Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar, cast

import httpx
from typing_extensions import override

from ._exceptions import APIResponseValidationError, PaginationError
from ._logs import redact
from ._models import construct_response
from ._qs import QueryParam
from ._response import APIResponse, AsyncAPIResponse, decode_json_body
from ._types import NotGiven
from ._utils import format_scalar

if TYPE_CHECKING:
    from ._base_client import AsyncAPIClient, RequestOptions, SyncAPIClient

__all__ = [
    "AsyncPage",
    "AsyncPaginator",
    "CursorPagination",
    "FieldPath",
    "LinkHeaderPagination",
    "NextPage",
    "NextUrlPagination",
    "NoPagination",
    "OffsetPagination",
    "PageNumberPagination",
    "PageState",
    "Pagination",
    "SyncPage",
    "parse_link_header",
]

_ItemT = TypeVar("_ItemT")

FieldPath: TypeAlias = str | tuple[str, ...]
"""A field of the JSON body: one key, or the keys leading to it (``("meta", "next_cursor")``)."""


def _keys(path: FieldPath) -> tuple[str, ...]:
    return (path,) if isinstance(path, str) else path


def _lookup(body: object, path: FieldPath | None) -> object:
    """The value at `path` in `body`, or None when any step is missing or not an object."""
    if path is None:
        return None
    value = body
    for key in _keys(path):
        if not isinstance(value, Mapping):
            return None
        value = cast(Mapping[str, object], value).get(key)
    return value


def _token(value: object) -> str | None:
    """A cursor/URL as text, or None for "no next page" (null, empty, or not a scalar)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = format_scalar(value)
    return text or None


def _is_false(value: object) -> bool:
    return value is False


# --------------------------------------------------------------------------- page styles


@dataclass(frozen=True)
class PageState:
    """What a style may look at to find the next page."""

    options: RequestOptions
    """The request options this page was fetched with."""
    body: object
    """The decoded JSON body."""
    raw_items: list[object]
    """The page's items as JSON (before validation)."""
    response: httpx.Response


@dataclass(frozen=True)
class NextPage:
    """Where the next page is: query parameters to set, or a URL (next link) to request."""

    position: str
    """Identifies the requested page, to refuse one that was already requested."""
    params: Mapping[str, str] | None = None
    url: httpx.URL | None = None


@dataclass(frozen=True, kw_only=True)
class Pagination:
    """How an endpoint pages: where its items are and how to ask for the next page.

    The generator emits one of the styles below; custom code may subclass this for an API that
    pages some other way (implement `next_page` and `position`).
    """

    items: FieldPath = "data"
    """The body field holding the page's items; ``()`` when the body itself is the list."""

    def next_page(self, state: PageState) -> NextPage | None:
        """The next page, or None when `state` is the last page."""
        raise NotImplementedError

    def position(self, options: RequestOptions, response: httpx.Response) -> str:
        """The position of the page `options` asked for (see `NextPage.position`)."""
        raise NotImplementedError


@dataclass(frozen=True, kw_only=True)
class NoPagination(Pagination):
    """A list the API returns whole: iterating yields its items, there is never a next page."""

    @override
    def next_page(self, state: PageState) -> NextPage | None:
        return None

    @override
    def position(self, options: RequestOptions, response: httpx.Response) -> str:
        return ""


@dataclass(frozen=True, kw_only=True)
class _ParamPagination(Pagination):
    """Styles that page by setting one query parameter."""

    param: str = ""

    @override
    def position(self, options: RequestOptions, response: httpx.Response) -> str:
        return f"{self.param}={_current_param(options, self.param) or ''}"

    def _at(self, value: str) -> NextPage:
        return NextPage(position=f"{self.param}={value}", params={self.param: value})


@dataclass(frozen=True, kw_only=True)
class CursorPagination(_ParamPagination):
    """The next page is asked for with an opaque cursor the previous page gave.

    The cursor comes from `next_cursor` in the body (``next_cursor``, ``last_id``,
    ``next_page_token``...), or else from the `item_cursor` field of the page's last item
    (``after=<id of the last item>``).
    """

    param: str = "cursor"
    next_cursor: FieldPath | None = None
    item_cursor: str | None = None
    has_more: FieldPath | None = None

    @override
    def next_page(self, state: PageState) -> NextPage | None:
        if not state.raw_items or _is_false(_lookup(state.body, self.has_more)):
            return None
        cursor = _token(_lookup(state.body, self.next_cursor))
        if cursor is None and self.item_cursor is not None:
            cursor = _token(_lookup(state.raw_items[-1], self.item_cursor))
        return None if cursor is None else self._at(cursor)


@dataclass(frozen=True, kw_only=True)
class OffsetPagination(_ParamPagination):
    """The next page starts after the items seen so far (``offset`` + ``limit``)."""

    param: str = "offset"
    has_more: FieldPath | None = None
    total: FieldPath | None = None
    """The body field with the total number of items, when the API reports it."""

    @override
    def next_page(self, state: PageState) -> NextPage | None:
        if not state.raw_items or _is_false(_lookup(state.body, self.has_more)):
            return None
        offset = _int(_current_param(state.options, self.param), default=0)
        following = offset + len(state.raw_items)
        total = _lookup(state.body, self.total)
        if isinstance(total, int) and not isinstance(total, bool) and following >= total:
            return None
        return self._at(str(following))


@dataclass(frozen=True, kw_only=True)
class PageNumberPagination(_ParamPagination):
    """The next page is the current page number plus one (``page`` + ``per_page``)."""

    param: str = "page"
    first_page: int = 1
    """The number of the page the server returns when the parameter is left out."""
    has_more: FieldPath | None = None
    total_pages: FieldPath | None = None

    @override
    def next_page(self, state: PageState) -> NextPage | None:
        if not state.raw_items or _is_false(_lookup(state.body, self.has_more)):
            return None
        number = _int(_current_param(state.options, self.param), default=self.first_page)
        last = _lookup(state.body, self.total_pages)
        if isinstance(last, int) and not isinstance(last, bool) and number >= last:
            return None
        return self._at(str(number + 1))


@dataclass(frozen=True, kw_only=True)
class _UrlPagination(Pagination):
    """Styles where the server names the next page's URL."""

    @override
    def position(self, options: RequestOptions, response: httpx.Response) -> str:
        return _url_position(response.request.url)

    def _to(self, state: PageState, target: str | None) -> NextPage | None:
        if not state.raw_items or target is None:
            return None
        url = state.response.request.url.join(target)
        return NextPage(position=_url_position(url), url=url)


@dataclass(frozen=True, kw_only=True)
class NextUrlPagination(_UrlPagination):
    """The body carries the next page's URL (``next``, ``links.next``, ``@odata.nextLink``)."""

    next_url: FieldPath = "next"

    @override
    def next_page(self, state: PageState) -> NextPage | None:
        return self._to(state, _token(_lookup(state.body, self.next_url)))


@dataclass(frozen=True, kw_only=True)
class LinkHeaderPagination(_UrlPagination):
    """The next page's URL is in the RFC 8288 ``Link`` header (``<...>; rel="next"``)."""

    items: FieldPath = ()
    rel: str = "next"

    @override
    def next_page(self, state: PageState) -> NextPage | None:
        links = parse_link_header(", ".join(state.response.headers.get_list("link")))
        return self._to(state, links.get(self.rel.lower()))


_LINK = re.compile(r'<([^>]*)>((?:\s*;\s*[^;,=\s"]+\s*(?:=\s*(?:"[^"]*"|[^;,]*))?)*)')
_LINK_PARAM = re.compile(r';\s*([^;=,\s]+)\s*(?:=\s*(?:"([^"]*)"|([^;,]*)))?')


def parse_link_header(value: str) -> dict[str, str]:
    """``rel`` (lower-cased; each of a space-separated list) → target URL; the first one wins."""
    links: dict[str, str] = {}
    for match in _LINK.finditer(value):
        target, params = match.group(1).strip(), match.group(2)
        for name, quoted, bare in _LINK_PARAM.findall(params):
            if name.lower() != "rel":
                continue
            for rel in (quoted or bare).lower().split():
                links.setdefault(rel, target)
    return links


# --------------------------------------------------------------------------- request rewriting


def _current_param(options: RequestOptions, name: str) -> str | None:
    """The value `options` sends for query parameter `name` (``extra_query`` wins)."""
    extra = options.extra_query or {}
    if name in extra:
        return format_scalar(extra[name])
    for param in reversed(options.query):
        if param.name == name and not isinstance(param.value, NotGiven):
            return format_scalar(param.value)
    return None


def _int(text: str | None, *, default: int) -> int:
    try:
        return int(text) if text else default
    except ValueError:
        return default


def _url_position(url: httpx.URL) -> str:
    path = url.raw_path.split(b"?", 1)[0].decode("ascii")
    return f"{path}?{sorted(url.params.multi_items())}"


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port or {"http": 80, "https": 443}.get(url.scheme)


def _with_params(options: RequestOptions, params: Mapping[str, str]) -> RequestOptions:
    query = [p for p in options.query if p.name not in params]
    query += [QueryParam(name, value) for name, value in params.items()]
    extra = {k: v for k, v in (options.extra_query or {}).items() if k not in params}
    return replace(options, query=query, extra_query=extra or None)


def _with_url(
    options: RequestOptions, url: httpx.URL, base_url: httpx.URL, request: httpx.Request
) -> RequestOptions:
    """Options requesting `url`, which must lie under the client's base URL."""
    base_path = base_url.raw_path.split(b"?", 1)[0]
    path = url.raw_path.split(b"?", 1)[0]
    if _origin(url) != _origin(base_url) or not path.startswith(base_path):
        raise PaginationError(
            f"Refusing to fetch the next page from {redact(str(url))!r}: it is not under the "
            f"client's base URL {redact(str(base_url))!r}",
            request,
        )
    query = [QueryParam(name, value) for name, value in url.params.multi_items()]
    return replace(
        options, path=path[len(base_path) :].decode("ascii"), path_params={}, query=query
    )


# --------------------------------------------------------------------------- pages


@dataclass(frozen=True)
class _Chain:
    """What a page knows of the pages before it, to refuse one that was already fetched."""

    depths: dict[str, int]
    """Position → how many pages into the walk it was first requested; shared by the walk's
    pages (O(1) per page), and by depth so fetching one page's successor twice is no loop."""
    depth: int = 0
    """This page's depth (the first page is 0)."""
    previous_digest: str | None = None
    """Digest of the previous page's items."""


def _items_digest(raw_items: Sequence[object]) -> str:
    encoded = json.dumps(raw_items, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


class _BasePage(Generic[_ItemT]):
    """One page of a list: its items, its body and response, and where the next page is."""

    data: list[_ItemT]
    """The items on this page."""
    body: object
    """This page's decoded JSON body (for fields besides the items, e.g. a total count)."""
    http_response: httpx.Response

    def __init__(
        self,
        *,
        item_type: Any,
        options: RequestOptions,
        pagination: Pagination,
        response: httpx.Response,
        chain: _Chain | None,
        strict: bool,
    ) -> None:
        self.http_response = response
        self.body = decode_json_body(response) if response.content else None
        raw_items = _lookup(self.body, pagination.items) if _keys(pagination.items) else self.body
        if raw_items is None:
            raw_items = []
        if not isinstance(raw_items, list):
            raise APIResponseValidationError(
                response, self.body, f"Expected a list of items at {pagination.items!r}"
            )
        items = cast(list[object], raw_items)
        # The client's setting decides, as for any body: tolerant by default, strict on request.
        self.data = construct_response(list[item_type], items, response=response, strict=strict)
        if chain is None:  # the first page
            chain = _Chain({pagination.position(options, response): 0})
        self._digest = _items_digest(items)
        if items and self._digest == chain.previous_digest:
            raise PaginationError(
                "The server returned the same page twice in a row; stopping to avoid a loop",
                response.request,
            )
        self._item_type = item_type
        self._options = options
        self._pagination = pagination
        self._chain = chain
        self._next_page = pagination.next_page(PageState(options, self.body, items, response))

    def has_next_page(self) -> bool:
        """Whether the server says there is a page after this one."""
        return self._next_page is not None

    def _next_request(self, base_url: httpx.URL) -> tuple[RequestOptions, _Chain]:
        """The next page's request options, and what that page will know of its predecessors."""
        following = self._next_page
        request = self.http_response.request
        if following is None:
            raise PaginationError(
                "There is no next page; check has_next_page() before get_next_page()", request
            )
        chain = self._chain
        if chain.depths.get(following.position, chain.depth + 1) <= chain.depth:
            raise PaginationError(
                "The server's next-page cursor points at a page already fetched; stopping to "
                "avoid a loop",
                request,
            )
        if following.url is not None:
            options = _with_url(self._options, following.url, base_url, request)
        else:
            options = _with_params(self._options, following.params or {})
        chain.depths.setdefault(following.position, chain.depth + 1)
        return options, _Chain(chain.depths, chain.depth + 1, self._digest)

    @override
    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} items={len(self.data)} has_next_page={self.has_next_page()}>"
        )


class SyncPage(_BasePage[_ItemT]):
    """A page from the sync client; iterating it yields every item of every following page."""

    def __init__(
        self,
        *,
        client: SyncAPIClient,
        item_type: Any,
        options: RequestOptions,
        pagination: Pagination,
        response: httpx.Response,
        chain: _Chain | None = None,
    ) -> None:
        self._client = client
        super().__init__(
            item_type=item_type,
            options=options,
            pagination=pagination,
            response=response,
            chain=chain,
            strict=client.strict_response_validation,
        )

    def get_next_page(self) -> SyncPage[_ItemT]:
        """Fetch the page after this one (raises `PaginationError` if there is none)."""
        options, chain = self._next_request(self._client.base_url)
        return SyncPage(
            client=self._client,
            item_type=self._item_type,
            options=options,
            pagination=self._pagination,
            response=self._client.request(httpx.Response, options),
            chain=chain,
        )

    def iter_pages(self) -> Iterator[SyncPage[_ItemT]]:
        """This page, then each following page, fetched as the iteration reaches it."""
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page.get_next_page()

    def __iter__(self) -> Iterator[_ItemT]:
        for page in self.iter_pages():
            yield from page.data


class AsyncPage(_BasePage[_ItemT]):
    """A page from the async client; ``async for`` over it yields every following item too."""

    def __init__(
        self,
        *,
        client: AsyncAPIClient,
        item_type: Any,
        options: RequestOptions,
        pagination: Pagination,
        response: httpx.Response,
        chain: _Chain | None = None,
    ) -> None:
        self._client = client
        super().__init__(
            item_type=item_type,
            options=options,
            pagination=pagination,
            response=response,
            chain=chain,
            strict=client.strict_response_validation,
        )

    async def get_next_page(self) -> AsyncPage[_ItemT]:
        """Fetch the page after this one (raises `PaginationError` if there is none)."""
        options, chain = self._next_request(self._client.base_url)
        return AsyncPage(
            client=self._client,
            item_type=self._item_type,
            options=options,
            pagination=self._pagination,
            response=await self._client.request(httpx.Response, options),
            chain=chain,
        )

    async def iter_pages(self) -> AsyncIterator[AsyncPage[_ItemT]]:
        """This page, then each following page, fetched as the iteration reaches it."""
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.get_next_page()

    async def __aiter__(self) -> AsyncIterator[_ItemT]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item


class _SyncPageResponse(APIResponse[SyncPage[Any]]):
    """`with_raw_response` of a list method: the first page's response; `.parse()` → the page."""

    def __init__(self, response: httpx.Response, build: Callable[[], SyncPage[Any]]) -> None:
        super().__init__(raw=response, cast_to=SyncPage, client=None)
        self._build = build
        self._page: SyncPage[Any] | None = None

    @override
    def _parse(self) -> SyncPage[Any]:
        if self._page is None:
            self._page = self._build()
        return self._page


class _AsyncPageResponse(AsyncAPIResponse[AsyncPage[Any]]):
    """Async counterpart of `_SyncPageResponse`."""

    def __init__(self, response: httpx.Response, build: Callable[[], AsyncPage[Any]]) -> None:
        super().__init__(raw=response, cast_to=AsyncPage, client=None)
        self._build = build
        self._page: AsyncPage[Any] | None = None

    @override
    def _parse(self) -> AsyncPage[Any]:
        if self._page is None:
            self._page = self._build()
        return self._page


def request_sync_page(
    client: SyncAPIClient,
    item_type: Any,
    options: RequestOptions,
    pagination: Pagination,
    *,
    raw: bool,
) -> SyncPage[Any] | APIResponse[SyncPage[Any]]:
    """Fetch the first page (`options` without the raw-response marker; `raw` says it was set)."""
    response = client.request(httpx.Response, options)

    def build() -> SyncPage[Any]:
        return SyncPage(
            client=client,
            item_type=item_type,
            options=options,
            pagination=pagination,
            response=response,
        )

    return _SyncPageResponse(response, build) if raw else build()


class AsyncPaginator(Generic[_ItemT]):
    """What an async list method returns: await it for the first page, or ``async for`` it.

    ``async for item in client.things.list():`` walks every item of every page;
    ``page = await client.things.list()`` gives the first `AsyncPage`.
    """

    def __init__(
        self,
        *,
        client: AsyncAPIClient,
        item_type: Any,
        options: RequestOptions,
        pagination: Pagination,
        raw: bool = False,
    ) -> None:
        self._client = client
        self._item_type = item_type
        self._options = options
        self._pagination = pagination
        self._raw = raw
        """Set by the raw-response wrapper, which awaits this and gets the response instead."""

    async def _first_page(self, *, raw: bool) -> Any:
        response = await self._client.request(httpx.Response, self._options)

        def build() -> AsyncPage[Any]:
            return AsyncPage(
                client=self._client,
                item_type=self._item_type,
                options=self._options,
                pagination=self._pagination,
                response=response,
            )

        return _AsyncPageResponse(response, build) if raw else build()

    def __await__(self) -> Generator[Any, None, AsyncPage[_ItemT]]:
        return self._first_page(raw=self._raw).__await__()

    async def __aiter__(self) -> AsyncIterator[_ItemT]:
        page: AsyncPage[_ItemT] = await self._first_page(raw=False)
        async for item in page:
            yield item
