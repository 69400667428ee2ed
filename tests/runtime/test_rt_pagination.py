"""Auto-pagination against a loopback server: every page style, sync and async, and the guards.

Each style serves the same 7 items in pages of 3 (so 3 pages: 3 + 3 + 1) the way real APIs of
that style do; the tests walk them through `client.request_page(...)` as a generated list
method does.
"""

from __future__ import annotations

import importlib
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest

from tests.support.fault_server import FaultServer, RecordedRequest, Step

from .conftest import SECRET

ITEMS = [{"id": f"item_{i}", "count": i} for i in range(7)]
IDS = [item["id"] for item in ITEMS]
SIZE = 3


@pytest.fixture(scope="module")
def pg(rt: types.ModuleType) -> types.ModuleType:
    return importlib.import_module(f"{rt.__name__}._pagination")


def _query(request: RecordedRequest) -> dict[str, str]:
    return dict(request.query)


def _window(start: int) -> tuple[list[dict[str, Any]], int | None]:
    """The page starting at item `start` and the start of the next one (None: last page)."""
    end = start + SIZE
    return ITEMS[start:end], (end if end < len(ITEMS) else None)


def _after(item_id: str | None) -> int:
    return 0 if not item_id else IDS.index(item_id) + 1


@dataclass
class Style:
    """One page style: the runtime's description of it and a server speaking it."""

    name: str
    pagination: Callable[[types.ModuleType], Any]
    handler: Callable[[FaultServer, RecordedRequest], Step]
    requests: int = 3
    """Requests to walk everything (a style that only stops on an empty page needs 4)."""


def _cursor(_server: FaultServer, request: RecordedRequest) -> Step:
    start = int(_query(request).get("cursor", "c0")[1:])
    page, following = _window(start)
    return Step(body={"data": page, "next_cursor": None if following is None else f"c{following}"})


def _page_token(_server: FaultServer, request: RecordedRequest) -> Step:
    page, following = _window(int(_query(request).get("page_token") or 0))
    token = "" if following is None else str(following)  # Google style: "" on the last page
    return Step(body={"items": page, "nextPageToken": token})


def _nested_cursor(_server: FaultServer, request: RecordedRequest) -> Step:
    start = int(_query(request).get("cursor") or 0)
    page, following = _window(start)
    return Step(body={"members": page, "response_metadata": {"next_cursor": following or ""}})


def _after_last_id(_server: FaultServer, request: RecordedRequest) -> Step:
    page, following = _window(_after(_query(request).get("after")))
    return Step(
        body={
            "object": "list",
            "data": page,
            "first_id": page[0]["id"],
            "last_id": page[-1]["id"],
            "has_more": following is not None,
        }
    )


def _after_item_id(_server: FaultServer, request: RecordedRequest) -> Step:
    page, following = _window(_after(_query(request).get("after")))
    return Step(body={"object": "list", "data": page, "has_more": following is not None})


def _offset_total(_server: FaultServer, request: RecordedRequest) -> Step:
    query = _query(request)
    start, limit = int(query.get("offset", 0)), int(query.get("limit", SIZE))
    return Step(body={"results": ITEMS[start : start + limit], "total": len(ITEMS)})


def _offset_bare(_server: FaultServer, request: RecordedRequest) -> Step:
    start = int(_query(request).get("offset", 0))
    return Step(body=ITEMS[start : start + SIZE])


def _page_number(_server: FaultServer, request: RecordedRequest) -> Step:
    query = _query(request)
    number, per_page = int(query.get("page", 1)), int(query.get("per_page", SIZE))
    start = (number - 1) * per_page
    return Step(body={"data": ITEMS[start : start + per_page], "total_pages": 3, "page": number})


def _page_number_bare(_server: FaultServer, request: RecordedRequest) -> Step:
    number = int(_query(request).get("page", 0))  # zero-based pages
    return Step(body=ITEMS[number * SIZE : (number + 1) * SIZE])


def _next_url(server: FaultServer, request: RecordedRequest) -> Step:
    page, following = _window(int(_query(request).get("start", 0)))
    link = None if following is None else f"{server.url}/items?start={following}&limit={SIZE}"
    return Step(body={"count": len(ITEMS), "next": link, "previous": None, "results": page})


def _relative_next_url(_server: FaultServer, request: RecordedRequest) -> Step:
    page, following = _window(int(_query(request).get("skiptoken", 0)))
    link = None if following is None else f"/items?skiptoken={following}"
    return Step(body={"value": page, "@odata.nextLink": link})


def _link_header(server: FaultServer, request: RecordedRequest) -> Step:
    number = int(_query(request).get("page", 1))
    page, following = _window((number - 1) * SIZE)
    links = [f'<{server.url}/items?page=3>; rel="last"']
    if following is not None:
        links.insert(0, f'<{server.url}/items?per_page={SIZE}&page={number + 1}>; rel="next"')
    return Step(body=page, headers={"Link": ", ".join(links)})


STYLES = [
    Style(
        "cursor", lambda pg: pg.CursorPagination(param="cursor", next_cursor="next_cursor"), _cursor
    ),
    Style(
        "page_token",
        lambda pg: pg.CursorPagination(
            items="items", param="page_token", next_cursor="nextPageToken"
        ),
        _page_token,
    ),
    Style(
        "nested_cursor",
        lambda pg: pg.CursorPagination(
            items="members", param="cursor", next_cursor=("response_metadata", "next_cursor")
        ),
        _nested_cursor,
    ),
    Style(
        "after_last_id",
        lambda pg: pg.CursorPagination(param="after", next_cursor="last_id", has_more="has_more"),
        _after_last_id,
    ),
    Style(
        "after_item_id",
        lambda pg: pg.CursorPagination(param="after", item_cursor="id", has_more="has_more"),
        _after_item_id,
    ),
    Style(
        "offset_total",
        lambda pg: pg.OffsetPagination(items="results", param="offset", total="total"),
        _offset_total,
    ),
    Style("offset_bare", lambda pg: pg.OffsetPagination(items=(), param="offset"), _offset_bare, 4),
    Style(
        "page_number",
        lambda pg: pg.PageNumberPagination(param="page", total_pages="total_pages"),
        _page_number,
    ),
    Style(
        "page_number_bare",
        lambda pg: pg.PageNumberPagination(items=(), param="page", first_page=0),
        _page_number_bare,
        4,
    ),
    Style("next_url", lambda pg: pg.NextUrlPagination(items="results", next_url="next"), _next_url),
    Style(
        "relative_next_url",
        lambda pg: pg.NextUrlPagination(items="value", next_url="@odata.nextLink"),
        _relative_next_url,
    ),
    Style("link_header", lambda pg: pg.LinkHeaderPagination(), _link_header),
]


def _options(rt: Any, style: Style, **kwargs: Any) -> Any:
    query = [rt.QueryParam("limit", SIZE)] if style.name.startswith("offset") else []
    if style.name.startswith("page_number") or style.name == "link_header":
        query = [rt.QueryParam("per_page", SIZE)]
    return rt.RequestOptions("get", "/items", query=query, **kwargs)


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.name)
def test_sync_iteration_walks_every_page_lazily(
    rt: Any, pg: Any, m: Any, make_client: Any, server: FaultServer, style: Style
) -> None:
    server.handle("/items", lambda request: style.handler(server, request))
    page = make_client().request_page(m.Item, _options(rt, style), style.pagination(pg))
    assert isinstance(page, pg.SyncPage)
    assert [item.id for item in page.data] == IDS[:3]
    assert len(server.requests) == 1  # nothing fetched before it is needed

    walked = iter(page)
    assert [next(walked).id for _ in range(4)] == IDS[:4]
    assert len(server.requests) == 2
    assert [item.id for item in walked] == IDS[4:]
    assert all(isinstance(item, m.Item) for item in page.data)
    assert len(server.requests) == style.requests
    # every page carries the client's auth, not only the first
    assert all(r.headers["authorization"] == f"Bearer {SECRET}" for r in server.requests)


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.name)
def test_sync_pages_and_next_page(
    rt: Any, pg: Any, m: Any, make_client: Any, server: FaultServer, style: Style
) -> None:
    server.handle("/items", lambda request: style.handler(server, request))
    first = make_client().request_page(m.Item, _options(rt, style), style.pagination(pg))
    pages = list(first.iter_pages())
    sizes = [len(p.data) for p in pages]
    assert sizes == ([3, 3, 1, 0] if style.requests == 4 else [3, 3, 1])
    assert [p.has_next_page() for p in pages] == [True] * (len(pages) - 1) + [False]
    second = first.get_next_page()
    assert [item.id for item in second.data] == IDS[3:6]
    with pytest.raises(rt.PaginationError, match="no next page"):
        pages[-1].get_next_page()


@pytest.mark.anyio
@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.name)
async def test_async_iteration_walks_every_page(
    rt: Any, pg: Any, m: Any, make_async_client: Any, server: FaultServer, style: Style
) -> None:
    server.handle("/items", lambda request: style.handler(server, request))
    client = make_async_client()
    pagination = style.pagination(pg)

    paginator = client.request_page(m.Item, _options(rt, style), pagination)
    assert isinstance(paginator, pg.AsyncPaginator)
    assert server.requests == []  # nothing is sent until awaited or iterated
    assert [item.id async for item in paginator] == IDS
    assert len(server.requests) == style.requests

    first = await client.request_page(m.Item, _options(rt, style), pagination)
    assert isinstance(first, pg.AsyncPage)
    assert [item.id for item in first.data] == IDS[:3]
    assert [len(p.data) async for p in first.iter_pages()][:3] == [3, 3, 1]
    second = await first.get_next_page()
    assert [item.id async for item in second] == IDS[3:]


# --------------------------------------------------------------------------- where pages stop


def test_empty_page_stops_even_when_the_server_says_more(
    rt: Any, pg: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    server.script(
        "/items",
        Step(body={"data": ITEMS[:3], "next_cursor": "c3", "has_more": True}),
        Step(body={"data": [], "next_cursor": "c6", "has_more": True}),
    )
    pagination = pg.CursorPagination(param="cursor", next_cursor="next_cursor", has_more="has_more")
    page = make_client().request_page(m.Item, rt.RequestOptions("get", "/items"), pagination)
    assert [item.id for item in page] == IDS[:3]
    assert len(server.requests) == 2


def test_has_more_false_stops_despite_a_cursor(
    rt: Any, pg: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    server.script("/items", Step(body={"data": ITEMS[:3], "last_id": "item_2", "has_more": False}))
    pagination = pg.CursorPagination(param="after", next_cursor="last_id", has_more="has_more")
    page = make_client().request_page(m.Item, rt.RequestOptions("get", "/items"), pagination)
    assert not page.has_next_page()
    assert [item.id for item in page] == IDS[:3]
    assert len(server.requests) == 1


def test_no_pagination_is_one_page(
    rt: Any, pg: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    server.script("/models", Step(body={"object": "list", "data": ITEMS}))
    page = make_client().request_page(
        m.Item, rt.RequestOptions("get", "/models"), pg.NoPagination()
    )
    assert [item.id for item in page] == IDS
    assert not page.has_next_page()
    assert page.body == {"object": "list", "data": ITEMS}
    assert len(server.requests) == 1


# --------------------------------------------------------------------------- refusing to loop


def test_cursor_that_does_not_advance_is_refused(
    rt: Any, pg: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    def stuck(request: RecordedRequest) -> Step:
        start = 0 if "cursor" not in _query(request) else 3
        return Step(body={"data": ITEMS[start : start + 3], "next_cursor": "c3"})

    server.handle("/items", stuck)
    pagination = pg.CursorPagination(param="cursor", next_cursor="next_cursor")
    page = make_client().request_page(m.Item, rt.RequestOptions("get", "/items"), pagination)
    seen: list[str] = []
    with pytest.raises(rt.PaginationError, match="already fetched"):
        seen.extend(item.id for item in page)
    assert seen == IDS[:6]  # everything before the loop was delivered
    assert len(server.requests) == 2


def test_cursor_cycle_is_refused(
    rt: Any, pg: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    cycle = {None: ("c1", 0), "c1": ("c2", 3), "c2": ("c1", 6)}

    def looping(request: RecordedRequest) -> Step:
        following, start = cycle[_query(request).get("cursor")]
        return Step(body={"data": ITEMS[start : start + 3], "next_cursor": following})

    server.handle("/items", looping)
    pagination = pg.CursorPagination(param="cursor", next_cursor="next_cursor")
    page = make_client().request_page(m.Item, rt.RequestOptions("get", "/items"), pagination)
    with pytest.raises(rt.PaginationError):
        list(page)
    assert [_query(r).get("cursor") for r in server.requests] == [None, "c1", "c2"]


def test_fetching_the_same_next_page_twice_is_no_loop(
    rt: Any, pg: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    server.handle("/items", lambda request: _cursor(server, request))
    pagination = pg.CursorPagination(param="cursor", next_cursor="next_cursor")
    first = make_client().request_page(m.Item, rt.RequestOptions("get", "/items"), pagination)
    again = [first.get_next_page(), first.get_next_page()]
    assert [[item.id for item in page.data] for page in again] == [IDS[3:6]] * 2
    assert [item.id for item in again[1]] == IDS[3:]


def test_server_ignoring_the_offset_is_refused(
    rt: Any, pg: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    server.script("/items", Step(body={"data": ITEMS[:3]}))  # every request: the same page
    pagination = pg.OffsetPagination(param="offset")
    page = make_client().request_page(m.Item, rt.RequestOptions("get", "/items"), pagination)
    with pytest.raises(rt.PaginationError, match="same page twice"):
        list(page)
    assert [_query(r).get("offset") for r in server.requests] == [None, "3"]


def test_next_url_pointing_back_is_refused(
    rt: Any, pg: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    def back(request: RecordedRequest) -> Step:
        start = int(_query(request).get("start", 0))
        return Step(body={"results": ITEMS[start : start + 3], "next": "/items?start=3"})

    server.handle("/items", back)
    pagination = pg.NextUrlPagination(items="results")
    page = make_client().request_page(m.Item, rt.RequestOptions("get", "/items"), pagination)
    with pytest.raises(rt.PaginationError, match="already fetched"):
        list(page)
    assert len(server.requests) == 2


@pytest.mark.anyio
async def test_async_refuses_a_stuck_cursor(
    rt: Any, pg: Any, m: Any, make_async_client: Any, server: FaultServer
) -> None:
    server.script("/items", Step(body={"data": ITEMS[:3], "last_id": "item_2", "has_more": True}))
    pagination = pg.CursorPagination(param="after", next_cursor="last_id", has_more="has_more")
    paginator = make_async_client().request_page(
        m.Item, rt.RequestOptions("get", "/items"), pagination
    )
    with pytest.raises(rt.PaginationError):
        [item async for item in paginator]
    assert len(server.requests) == 2


# --------------------------------------------------------------------------- staying on the API


@pytest.mark.parametrize("where", ["other_origin", "other_scheme", "outside_base_path"])
def test_next_url_off_the_api_is_refused(
    rt: Any,
    pg: Any,
    m: Any,
    make_client: Any,
    server: FaultServer,
    other_server: FaultServer,
    where: str,
) -> None:
    target = {
        # servers often echo the query, credential included, into their next links
        "other_origin": f"{other_server.url}/api/items?page=2&api_key={quote(SECRET, safe='')}",
        "other_scheme": f"https://127.0.0.1:{server.port}/api/items?page=2",
        "outside_base_path": f"{server.url}/elsewhere/items?page=2",
    }[where]
    server.script("/api/items", Step(body={"data": ITEMS[:3], "next": target}))
    client = make_client(base_url=server.url + "/api", auth=rt.ApiKeyAuth("api_key", "query"))
    page = client.request_page(m.Item, rt.RequestOptions("get", "/items"), pg.NextUrlPagination())
    assert page.has_next_page()
    with pytest.raises(rt.PaginationError, match="not under the client's base URL") as info:
        list(page)
    assert SECRET not in str(info.value)
    assert other_server.requests == []
    assert len(server.requests) == 1


def test_link_header_to_another_origin_is_refused(
    rt: Any, pg: Any, m: Any, make_client: Any, server: FaultServer, other_server: FaultServer
) -> None:
    link = f'<{other_server.url}/items?page=2>; rel="next"'
    server.script("/items", Step(body=ITEMS[:3], headers={"Link": link}))
    page = make_client().request_page(
        m.Item, rt.RequestOptions("get", "/items"), pg.LinkHeaderPagination()
    )
    with pytest.raises(rt.PaginationError):
        page.get_next_page()
    assert other_server.requests == []


def test_next_url_under_a_base_path_keeps_query_auth(
    rt: Any, pg: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    def handler(request: RecordedRequest) -> Step:
        start = int(_query(request).get("start", 0))
        following = f"{server.url}/api/v2/items?start={start + 3}" if start < 6 else None
        return Step(body={"data": ITEMS[start : start + 3], "next": following})

    server.handle("/api/v2/items", handler)
    client = make_client(base_url=server.url + "/api/v2", auth=rt.ApiKeyAuth("api_key", "query"))
    options = rt.RequestOptions("get", "/items", query=[rt.QueryParam("filter", "x")])
    page = client.request_page(m.Item, options, pg.NextUrlPagination())
    assert [item.id for item in page] == IDS
    queries = [_query(r) for r in server.requests]
    assert [q.get("start") for q in queries] == [None, "3", "6"]
    assert all(q["api_key"] == SECRET for q in queries)
    assert queries[0]["filter"] == "x" and "filter" not in queries[1]  # the URL is the query


# --------------------------------------------------------------------------- same call semantics


def test_page_parameter_replaces_the_callers_value(
    rt: Any, pg: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    server.handle("/items", lambda request: _after_last_id(server, request))
    options = rt.RequestOptions(
        "get",
        "/items",
        query=[rt.QueryParam("after", "item_0"), rt.QueryParam("order", "asc")],
        extra_query={"after": "item_1", "tag": "t"},  # extra_query wins for the first page
    )
    pagination = pg.CursorPagination(param="after", next_cursor="last_id", has_more="has_more")
    page = make_client().request_page(m.Item, options, pagination)
    assert [item.id for item in page] == IDS[2:]
    sent = [r.query for r in server.requests]
    assert sent[1] == [("order", "asc"), ("after", "item_4"), ("tag", "t")]
    assert all(sum(1 for name, _ in q if name == "after") == 1 for q in sent)


def test_next_pages_are_retried_like_any_call(
    rt: Any, pg: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    failures = {"c3": 2}

    def flaky(request: RecordedRequest) -> Step:
        cursor = _query(request).get("cursor")
        if failures.get(cursor or "", 0):
            failures[cursor or ""] -= 1
            return Step(status=503, headers={"retry-after-ms": "1"})
        return _cursor(server, request)

    server.handle("/items", flaky)
    pagination = pg.CursorPagination(param="cursor", next_cursor="next_cursor")
    page = make_client().request_page(m.Item, rt.RequestOptions("get", "/items"), pagination)
    assert [item.id for item in page] == IDS
    assert [_query(r).get("cursor") for r in server.requests] == [None, "c3", "c3", "c3", "c6"]


def test_next_pages_keep_the_calls_timeout_and_retry_budget(
    rt: Any, pg: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    server.script(
        "/items",
        Step(body={"data": ITEMS[:3], "next_cursor": "c3"}),
        Step(delay=1.0, body={"data": ITEMS[3:6], "next_cursor": None}),
    )
    options = rt.RequestOptions("get", "/items", timeout=0.2, max_retries=0)
    pagination = pg.CursorPagination(param="cursor", next_cursor="next_cursor")
    page = make_client().request_page(m.Item, options, pagination)
    with pytest.raises(rt.APITimeoutError):
        page.get_next_page()
    assert len(server.requests) == 2


def test_status_error_on_a_later_page_raises(
    rt: Any, pg: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    server.script(
        "/items",
        Step(body={"data": ITEMS[:3], "next_cursor": "c3"}),
        Step(status=404, body={"message": "gone"}),
    )
    pagination = pg.CursorPagination(param="cursor", next_cursor="next_cursor")
    page = make_client().request_page(m.Item, rt.RequestOptions("get", "/items"), pagination)
    with pytest.raises(rt.NotFoundError):
        list(page)


def test_items_that_do_not_match_the_type_raise(
    rt: Any, pg: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    server.script("/items", Step(body={"data": [{"id": 1, "count": "many"}]}))
    strict = make_client(strict_response_validation=True)
    with pytest.raises(rt.APIResponseValidationError):
        strict.request_page(m.Item, rt.RequestOptions("get", "/items"), pg.NoPagination())
    # The default client builds the drifted item instead (the same rule as any body).
    page = make_client().request_page(m.Item, rt.RequestOptions("get", "/items"), pg.NoPagination())
    assert isinstance(page.data[0], m.Item) and page.data[0].count == "many"
    server.script("/other", Step(body={"data": {"id": "x"}}))
    with pytest.raises(rt.APIResponseValidationError, match="list of items"):
        make_client().request_page(m.Item, rt.RequestOptions("get", "/other"), pg.NoPagination())


# --------------------------------------------------------------------------- with_raw_response


def test_raw_response_of_the_first_page(
    rt: Any, pg: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    server.handle("/items", lambda request: _link_header(server, request))
    client = make_client()

    def list_items(*, extra_headers: Any = None) -> Any:  # shaped like a generated list method
        options = rt.RequestOptions("get", "/items", extra_headers=extra_headers)
        return client.request_page(m.Item, options, pg.LinkHeaderPagination())

    raw = rt.to_raw_response_wrapper(list_items)()
    assert isinstance(raw, rt.APIResponse)
    assert raw.status_code == 200 and 'rel="next"' in raw.headers["link"]
    assert raw.json() == ITEMS[:3]
    page = raw.parse()
    assert isinstance(page, pg.SyncPage) and raw.parse() is page
    assert [item.id for item in page] == IDS
    assert all(rt.RAW_RESPONSE_HEADER.lower() not in r.headers for r in server.requests)


@pytest.mark.anyio
async def test_async_raw_response_of_the_first_page(
    rt: Any, pg: Any, m: Any, make_async_client: Any, server: FaultServer
) -> None:
    server.handle("/items", lambda request: _cursor(server, request))
    client = make_async_client()

    def list_items(*, extra_headers: Any = None) -> Any:
        options = rt.RequestOptions("get", "/items", extra_headers=extra_headers)
        pagination = pg.CursorPagination(param="cursor", next_cursor="next_cursor")
        return client.request_page(m.Item, options, pagination)

    raw = await rt.async_to_raw_response_wrapper(list_items)()
    assert isinstance(raw, rt.AsyncAPIResponse)
    assert await raw.json() == {"data": ITEMS[:3], "next_cursor": "c3"}
    page = await raw.parse()
    assert isinstance(page, pg.AsyncPage)
    assert [item.id async for item in page] == IDS
    assert len(server.requests) == 3


# --------------------------------------------------------------------------- Link header parsing


def test_parse_link_header(pg: Any) -> None:
    header = (
        '<https://api.example.com/items?page=2&ids=1,2>; rel="next", '
        "<https://api.example.com/items?page=9>; rel=last, "
        '<https://api.example.com/items?page=1>; title="a, b"; REL="first prev"'
    )
    assert pg.parse_link_header(header) == {
        "next": "https://api.example.com/items?page=2&ids=1,2",
        "last": "https://api.example.com/items?page=9",
        "first": "https://api.example.com/items?page=1",
        "prev": "https://api.example.com/items?page=1",
    }
    assert pg.parse_link_header("") == {}
    assert pg.parse_link_header("garbage; rel=next") == {}


# --------------------------------------------------------------------------- generator ↔ runtime

GENERATED_STYLES = [
    {
        "kind": "cursor",
        "items": ("data",),
        "param": "after",
        "next_cursor": ("last_id",),
        "has_more": ("x",),
    },
    {"kind": "cursor", "items": ("list",), "param": "starting_after", "item_cursor": "id"},
    {
        "kind": "cursor",
        "items": ("items",),
        "param": "continue",
        "next_cursor": ("metadata", "continue"),
    },
    {"kind": "offset", "items": (), "param": "$skip", "total": ("meta", "total")},
    {
        "kind": "page_number",
        "items": ("content",),
        "param": "p",
        "first_page": 0,
        "total_pages": ("pages",),
    },
    {"kind": "next_url", "items": ("value",), "next_url": ("@odata.nextLink",)},
    {"kind": "link_header", "items": ()},
    {"kind": "link_header", "items": ("workflow_runs",)},
    {"kind": "single", "items": ("data",)},
]


@pytest.mark.parametrize("fields", GENERATED_STYLES, ids=lambda f: f"{f['kind']}-{f['items']}")
def test_generator_styles_build_the_runtime_classes(pg: Any, fields: dict[str, Any]) -> None:
    """What the generator emits for a style constructs the runtime class it names, field by
    field."""
    from generator.ir import AnySchema
    from generator.pagination import PageStyle

    style = PageStyle(item_schema=AnySchema(), **fields)
    runtime = getattr(pg, style.runtime_class)(**dict(style.runtime_arguments()))
    assert isinstance(runtime, pg.Pagination)
    assert pg._keys(runtime.items) == style.items
    for name, value in fields.items():
        if name in ("kind", "items"):
            continue
        got = getattr(runtime, name)
        assert (pg._keys(got) if isinstance(value, tuple) else got) == value
