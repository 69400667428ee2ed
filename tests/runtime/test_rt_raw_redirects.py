"""Raw-response wrappers, redirect policy and client copying."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.fault_server import FaultServer, Step

from .conftest import SECRET, copy_options


def _resource_method(rt: Any, m: Any, client: Any) -> Any:
    """Shaped like a generated method: keyword extras forwarded into RequestOptions."""

    def retrieve(item_id: str, *, extra_headers: Any = None) -> Any:
        return client.request(
            m.Item,
            rt.RequestOptions("get", "/items/{id}", {"id": item_id}, extra_headers=extra_headers),
        )

    return retrieve


def test_raw_response_wrapper(rt: Any, m: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/items/i1", Step(status=201, body={"id": "i1"}, headers={"X-Custom": "v"}))
    retrieve = _resource_method(rt, m, make_client())
    raw = rt.to_raw_response_wrapper(retrieve)("i1", extra_headers={"X-Mine": "1"})
    assert isinstance(raw, rt.APIResponse)
    assert raw.status_code == 201
    assert raw.headers["x-custom"] == "v"
    assert raw.json() == {"id": "i1"}
    item = raw.parse()
    assert isinstance(item, m.Item) and item.id == "i1"
    assert raw.parse() is item  # cached
    sent = server.requests_for("/items/i1")[0].headers
    assert sent["x-mine"] == "1"
    assert rt.RAW_RESPONSE_HEADER.lower() not in sent
    # The wrapped method itself is unaffected.
    assert retrieve("i1").id == "i1"


def test_raw_response_still_raises_on_error(
    rt: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    server.script("/items/x", Step(status=404, body={"message": "nope"}))
    wrapped = rt.to_raw_response_wrapper(_resource_method(rt, m, make_client()))
    with pytest.raises(rt.NotFoundError):
        wrapped("x")


@pytest.mark.anyio
async def test_async_raw_response_wrapper(
    rt: Any, m: Any, make_async_client: Any, server: FaultServer
) -> None:
    server.script("/items/a", Step(body={"id": "a"}, headers={"X-Custom": "z"}))
    client = make_async_client()

    async def retrieve(item_id: str, *, extra_headers: Any = None) -> Any:
        return await client.request(
            m.Item,
            rt.RequestOptions("get", "/items/{id}", {"id": item_id}, extra_headers=extra_headers),
        )

    raw = await rt.async_to_raw_response_wrapper(retrieve)("a")
    assert isinstance(raw, rt.AsyncAPIResponse)
    assert raw.status_code == 200 and raw.headers["x-custom"] == "z"
    assert (await raw.parse()).id == "a"
    assert rt.RAW_RESPONSE_HEADER.lower() not in server.requests_for("/items/a")[0].headers


def test_redirect_to_other_origin_not_followed(
    rt: Any, m: Any, make_client: Any, server: FaultServer, other_server: FaultServer
) -> None:
    server.script("/start", Step(status=302, headers={"Location": other_server.url + "/steal"}))
    client = make_client(auth=rt.ApiKeyAuth("X-Key", "header"))
    with pytest.raises(rt.APIStatusError) as info:
        client.request(m.Echo, rt.RequestOptions("get", "/start"))
    assert info.value.status_code == 302
    assert "different origin" in str(info.value)
    assert other_server.requests == []
    assert server.requests_for("/start")[0].headers["x-key"] == SECRET


def test_same_origin_redirect_followed(
    rt: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    server.script("/old", Step(status=307, headers={"Location": "/new?x=1"}))
    echo = make_client().request(m.Echo, rt.RequestOptions("post", "/old", json_body={"a": 1}))
    assert echo.path == "/new" and echo.method == "POST" and echo.body == '{"a":1}'
    assert echo.headers["authorization"] == f"Bearer {SECRET}"

    server.script("/see", Step(status=303, headers={"Location": server.url + "/landing"}))
    echo = make_client().request(m.Echo, rt.RequestOptions("post", "/see", json_body={"a": 1}))
    assert echo.path == "/landing" and echo.method == "GET" and echo.body == ""
    assert "content-type" not in echo.headers


@pytest.mark.anyio
async def test_async_redirects(
    rt: Any, m: Any, make_async_client: Any, server: FaultServer, other_server: FaultServer
) -> None:
    client = make_async_client()
    server.script("/away", Step(status=301, headers={"Location": other_server.url + "/x"}))
    with pytest.raises(rt.APIStatusError):
        await client.request(m.Echo, rt.RequestOptions("get", "/away"))
    assert other_server.requests == []
    server.script("/here", Step(status=308, headers={"Location": "/there"}))
    echo = await client.request(m.Echo, rt.RequestOptions("get", "/here"))
    assert echo.path == "/there"


def test_copy_options_reproduce_client(rt: Any, m: Any, make_client: Any) -> None:
    client = make_client(
        auth=rt.ApiKeyAuth("X-Key", "header"),
        max_retries=5,
        timeout=12.5,
        default_headers={"X-D": "1"},
        default_query={"q": "v"},
    )
    kwargs = copy_options(client, rt)
    copy = rt.SyncAPIClient(
        credential=client._credential, auth=client._auth, user_agent="rt-tests/1.0", **kwargs
    )
    assert copy.base_url == client.base_url
    assert copy.max_retries == 5 and copy.timeout == 12.5
    assert copy._client is client._client  # shares the pool
    original = client.request(m.Echo, rt.RequestOptions("get", "/echo"))
    copied = copy.request(m.Echo, rt.RequestOptions("get", "/echo"))
    for name in ("x-key", "x-d", "user-agent"):
        assert original.headers[name] == copied.headers[name]
    assert original.query == copied.query == [["q", "v"]]
    copy.close()  # does not own the pool: the original keeps working
    assert not client.is_closed()
    client.request(m.Echo, rt.RequestOptions("get", "/echo"))


def test_defaults(rt: Any, make_client: Any) -> None:
    client = make_client()
    assert rt.DEFAULT_MAX_RETRIES == 2 and client.max_retries == 2
    assert client.timeout is rt.DEFAULT_TIMEOUT
    assert client._client.follow_redirects is False
