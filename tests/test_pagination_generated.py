"""Generated list methods paginate: a client generated (no config) from tests/specs/pagination/
walks ≥ 3 pages of every style against a loopback server, sync and async, and its raw-response
form gives the first page's HTTP response.

Each endpoint serves the same 7 items, 3 per page, the way APIs of that style do.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.config import load_config
from generator.pipeline import load_api
from generator.plan import build_plan
from tests.support.fault_server import FaultServer, RecordedRequest, Step
from tests.support.prism import running_prism

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "specs" / "pagination" / "paged.yaml"
ITEMS = [{"id": f"item_{i}", "count": i} for i in range(7)]
IDS = [item["id"] for item in ITEMS]
SIZE = 3


def _query(request: RecordedRequest) -> dict[str, str]:
    return dict(request.query)


def _window(start: int) -> tuple[list[dict[str, Any]], int | None]:
    end = start + SIZE
    return ITEMS[start:end], (end if end < len(ITEMS) else None)


def _after(request: RecordedRequest) -> int:
    after = _query(request).get("after")
    return 0 if not after else IDS.index(after) + 1


def _after_last_id(_url: str, request: RecordedRequest) -> Step:
    page, following = _window(_after(request))
    return Step(
        body={
            "object": "list",
            "data": page,
            "first_id": page[0]["id"],
            "last_id": page[-1]["id"],
            "has_more": following is not None,
        }
    )


def _after_item_id(_url: str, request: RecordedRequest) -> Step:
    page, following = _window(_after(request))
    return Step(body={"object": "list", "data": page, "has_more": following is not None})


def _cursor(_url: str, request: RecordedRequest) -> Step:
    page, following = _window(int(_query(request).get("cursor", "c0")[1:]))
    return Step(body={"data": page, "next_cursor": None if following is None else f"c{following}"})


def _page_token(_url: str, request: RecordedRequest) -> Step:
    page, following = _window(int(_query(request).get("pageToken") or 0))
    return Step(body={"items": page, "nextPageToken": "" if following is None else str(following)})


def _offset(_url: str, request: RecordedRequest) -> Step:
    start = int(_query(request).get("offset", 0))
    return Step(body={"results": ITEMS[start : start + SIZE], "total": len(ITEMS)})


def _page_number(_url: str, request: RecordedRequest) -> Step:
    number = int(_query(request).get("page", 1))
    start = (number - 1) * SIZE
    return Step(body={"data": ITEMS[start : start + SIZE], "total_pages": 3, "page": number})


def _next_url(url: str, request: RecordedRequest) -> Step:
    page, following = _window(int(_query(request).get("start", 0)))
    link = None if following is None else f"{url}/next_url?start={following}&limit={SIZE}"
    return Step(body={"count": len(ITEMS), "next": link, "previous": None, "results": page})


def _link_header(url: str, request: RecordedRequest) -> Step:
    number = int(_query(request).get("page", 1))
    page, following = _window((number - 1) * SIZE)
    links = [f'<{url}/link_header?page=3>; rel="last"']
    if following is not None:
        links.insert(0, f'<{url}/link_header?per_page={SIZE}&page={number + 1}>; rel="next"')
    return Step(body=page, headers={"Link": ", ".join(links)})


def _whole(_url: str, _request: RecordedRequest) -> Step:
    return Step(body={"object": "list", "data": ITEMS})


@dataclass(frozen=True)
class Style:
    resource: str
    """The resource (and path) of the endpoint; its method is ``list``."""
    kind: str
    """The style the generator must detect."""
    runtime: str
    """The runtime class the generated method passes."""
    handler: Callable[[str, RecordedRequest], Step]
    requests: int = 3


STYLES = [
    Style("after_last_id", "cursor", "CursorPagination", _after_last_id),
    Style("after_item_id", "cursor", "CursorPagination", _after_item_id),
    Style("cursor", "cursor", "CursorPagination", _cursor),
    Style("page_token", "cursor", "CursorPagination", _page_token),
    Style("offset", "offset", "OffsetPagination", _offset),
    Style("page_number", "page_number", "PageNumberPagination", _page_number),
    Style("next_url", "next_url", "NextUrlPagination", _next_url),
    Style("link_header", "link_header", "LinkHeaderPagination", _link_header),
    Style("whole", "single", "NoPagination", _whole, 1),
]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The client generated with no config (cwd = a temp folder)."""
    root = tmp_path_factory.mktemp("paged")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        assert main(["-q", "generate", str(SPEC), "-o", str(root / "out")]) == 0
    return root / "out"


@pytest.fixture(scope="module")
def pkg(project: Path) -> Iterator[types.ModuleType]:
    sys.path.insert(0, str(project))
    try:
        yield importlib.import_module("paged_client")
    finally:
        sys.path.remove(str(project))
        for name in [m for m in sys.modules if m.split(".")[0] == "paged_client"]:
            del sys.modules[name]


@pytest.fixture()
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        for style in STYLES:
            handler = style.handler
            running.handle(f"/{style.resource}", lambda r, h=handler: h(running.url, r))
        yield running


def _list(client: Any, style: Style) -> Any:
    return getattr(client, style.resource).list


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.resource)
def test_plan_detects_each_style(style: Style) -> None:
    _, api = load_api(SPEC)
    plan = build_plan(api, load_config(None))
    (method,) = [op for op in plan.methods() if op.resource == (style.resource,)]
    assert method.name == "list"
    assert method.returns.kind == "page"
    assert method.returns.page is not None and method.returns.page.kind == style.kind
    assert method.returns.annotation == "SyncPage[Item]"


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.resource)
def test_generated_method_passes_its_style(project: Path, style: Style) -> None:
    source = (project / "paged_client" / "resources" / f"{style.resource}.py").read_text()
    assert "    def list(" in source and "async def list(" not in source
    assert ") -> SyncPage[Item]:" in source and ") -> AsyncPaginator[Item]:" in source
    assert f"            {style.runtime}(" in source


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.resource)
def test_sync_iteration_walks_every_page(
    pkg: types.ModuleType, server: FaultServer, style: Style
) -> None:
    with pkg.Paged(base_url=server.url, max_retries=0) as client:
        page = _list(client, style)()
        assert isinstance(page, pkg.SyncPage)
        assert [item.id for item in page.data] == IDS[: len(page.data)]
        items = list(page)
    assert [item.id for item in items] == IDS
    assert all(isinstance(item, pkg.types.Item) for item in items)
    assert len(server.requests_for(f"/{style.resource}")) == style.requests


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.resource)
def test_async_iteration_walks_every_page(
    pkg: types.ModuleType, server: FaultServer, style: Style
) -> None:
    async def walk() -> tuple[list[str], list[int]]:
        async with pkg.AsyncPaged(base_url=server.url, max_retries=0) as client:
            ids = [item.id async for item in _list(client, style)()]
            sizes = [len(p.data) async for p in (await _list(client, style)()).iter_pages()]
        return ids, sizes

    ids, sizes = asyncio.run(walk())
    assert ids == IDS
    assert sum(sizes) == len(IDS) and len(sizes) == (1 if style.requests == 1 else 3)


def test_page_methods_step_through_pages(pkg: types.ModuleType, server: FaultServer) -> None:
    with pkg.Paged(base_url=server.url, max_retries=0) as client:
        first = client.cursor.list(limit=SIZE)
        assert first.has_next_page()
        second = first.get_next_page()
        third = second.get_next_page()
        assert [i.id for i in third.data] == IDS[6:] and not third.has_next_page()
        with pytest.raises(pkg.PaginationError):
            third.get_next_page()
        assert [len(p.data) for p in first.iter_pages()] == [3, 3, 1]
    # the method's own arguments ride along on every page request
    assert all(_query(r)["limit"] == str(SIZE) for r in server.requests_for("/cursor"))


def test_raw_response_is_the_first_page(pkg: types.ModuleType, server: FaultServer) -> None:
    with pkg.Paged(base_url=server.url, max_retries=0) as client:
        raw = client.after_last_id.with_raw_response.list()
        assert raw.status_code == 200
        assert raw.http_response.json()["first_id"] == IDS[0]
        page = raw.parse()
        assert isinstance(page, pkg.SyncPage)
        assert [item.id for item in page] == IDS
    (first, *rest) = server.requests_for("/after_last_id")
    assert "after" not in _query(first) and len(rest) == 2


def test_async_raw_response_is_the_first_page(pkg: types.ModuleType, server: FaultServer) -> None:
    async def fetch() -> tuple[int, str, list[str]]:
        async with pkg.AsyncPaged(base_url=server.url, max_retries=0) as client:
            raw = await client.page_number.with_raw_response.list()
            page = await raw.parse()
            return raw.status_code, raw.http_response.json()["page"], [i.id async for i in page]

    status, number, ids = asyncio.run(fetch())
    assert (status, number, ids) == (200, 1, IDS)


def test_a_cursor_that_does_not_advance_stops(pkg: types.ModuleType, server: FaultServer) -> None:
    stuck = {"data": ITEMS[:SIZE], "next_cursor": "c0"}
    server.handle("/cursor", lambda _r: Step(body=stuck))
    with (
        pkg.Paged(base_url=server.url, max_retries=0) as client,
        pytest.raises(pkg.PaginationError),
    ):
        list(client.cursor.list(cursor="c0"))
    assert len(server.requests_for("/cursor")) == 1


def test_pagination_false_keeps_plain_responses(tmp_path: Path) -> None:
    config = tmp_path / "apigen.yaml"
    config.write_text(f"spec: {SPEC}\npagination: false\n")
    _, api = load_api(SPEC)
    plan = build_plan(api, load_config(config))
    kinds = {op.returns.kind for op in plan.methods()}
    assert kinds == {"json"}


def test_item_type_is_importable_where_the_method_lives(pkg: types.ModuleType) -> None:
    namespace = importlib.import_module("paged_client.types.cursor")
    assert namespace.Item is pkg.types.Item and namespace.__all__ == ["Item"]


# Prism validates each request against the spec (a query parameter it does not declare, or of the
# wrong type, is a 4xx) and answers from the schemas. Its answers repeat, so a cursor walk fetches
# the next page once and then refuses the same page twice (PaginationError, the loop guard). The
# next-URL and Link-header styles are left out: a mock's placeholder link ("string") names no
# page Prism serves.
PRISM_STYLES = [s for s in STYLES if s.kind not in ("next_url", "link_header")]


@pytest.fixture(scope="module")
def paged_prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_prism(SPEC, tmp_path_factory.mktemp("paged-prism")) as url:
        yield url


def _walk(page: Any, pkg: types.ModuleType) -> tuple[list[Any], bool]:
    """The items of a walk (at most 100) and whether the loop guard ended it."""
    walked: list[Any] = []
    try:
        for item in page:
            walked.append(item)
            if len(walked) >= 100:
                break
    except pkg.PaginationError:
        return walked, True
    return walked, False


@pytest.mark.prism
@pytest.mark.parametrize("style", PRISM_STYLES, ids=lambda s: s.resource)
def test_each_style_walks_against_prism(
    pkg: types.ModuleType, paged_prism: str, style: Style
) -> None:
    with pkg.Paged(base_url=paged_prism, max_retries=0) as client:
        page = _list(client, style)()
        assert isinstance(page, pkg.SyncPage)
        assert page.data and all(isinstance(item, pkg.types.Item) for item in page.data)
        walked, guarded = _walk(page, pkg)  # a request Prism rejects raises APIStatusError
    assert walked[: len(page.data)] == page.data
    assert len(walked) <= 2 * len(page.data)
    assert guarded == (style.kind == "cursor")  # only a cursor can come back the same


@pytest.mark.prism
def test_async_walk_against_prism(pkg: types.ModuleType, paged_prism: str) -> None:
    async def walk() -> tuple[list[Any], bool]:
        walked: list[Any] = []
        async with pkg.AsyncPaged(base_url=paged_prism, max_retries=0) as client:
            try:
                async for item in client.after_last_id.list():
                    walked.append(item)
            except pkg.PaginationError:
                return walked, True
        return walked, False

    items, guarded = asyncio.run(walk())
    assert items and all(isinstance(item, pkg.types.Item) for item in items)
    assert guarded
