"""Escape hatches, copies, public defaults, constructor validation and custom HTTP clients."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.fault_server import FaultServer, Step

from .conftest import SECRET, copy_options


def test_escape_hatches_use_auth_retries_and_errors(
    rt: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    client = make_client()
    echo = client.get("/v9/undocumented", cast_to=m.Echo, options={"params": {"q": "1"}})
    assert echo.method == "GET" and echo.path == "/v9/undocumented"
    assert echo.query == [["q", "1"]] and echo.headers["authorization"] == f"Bearer {SECRET}"
    echo = client.post(
        "/v9/things", cast_to=m.Echo, body={"a": 1}, options={"headers": {"X-Extra": "y"}}
    )
    assert echo.body == '{"a":1}' and echo.headers["x-extra"] == "y"
    for method in ("put", "patch", "delete"):
        echo = getattr(client, method)("/v9/things/1", cast_to=m.Echo, body={"b": 2})
        assert echo.method == method.upper() and echo.body == '{"b":2}'
    server.script(
        "/v9/flaky", Step(status=500, headers={"retry-after-ms": "1"}), Step(body={"id": "ok"})
    )
    assert client.get("/v9/flaky", cast_to=m.Item).id == "ok"
    server.script("/v9/missing", Step(status=404, body={"message": "no"}))
    with pytest.raises(rt.NotFoundError):
        client.get("/v9/missing", cast_to=m.Item, options={"max_retries": 0})
    assert client.post("/v9/raw", cast_to=httpx.Response).status_code == 200


def test_escape_hatch_multipart_and_stream(
    rt: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    client = make_client()
    echo = client.post("/v9/up", cast_to=m.Echo, body={"purpose": "x"}, files={"file": b"data"})
    assert echo.headers["content-type"].startswith("multipart/form-data")
    assert 'name="purpose"' in echo.body and 'filename="upload"' in echo.body
    server.script("/v9/events", Step(chunks=['data: {"type": "task.done", "output": "o"}\n\n']))
    stream = client.get("/v9/events", cast_to=m.Event, stream=True, stream_cls=rt.Stream[m.Event])
    assert [e.output for e in stream] == ["o"]


def test_escape_hatch_raw_content(rt: Any, m: Any, make_client: Any, server: FaultServer) -> None:
    client = make_client()
    echo = client.post("/v9/raw", cast_to=m.Echo, content=b"\x00\x01bin")
    assert echo.body == "\x00\x01bin" and echo.headers["content-type"] == "application/octet-stream"
    assert echo.headers["content-length"] == "5"
    echo = client.put("/v9/raw", cast_to=m.Echo, content="héllo")
    assert echo.body == "héllo" and echo.headers["content-type"] == "text/plain; charset=utf-8"
    for method in ("patch", "delete"):
        echo = getattr(client, method)(
            "/v9/raw",
            cast_to=m.Echo,
            content="a,b\n",
            options={"headers": {"Content-Type": "text/csv"}},  # the caller's type wins
        )
        assert echo.method == method.upper() and echo.body == "a,b\n"
        assert echo.headers["content-type"] == "text/csv"
    requests_before = len(server.requests)
    with pytest.raises(TypeError, match="either `content` or `body`"):
        client.post("/v9/raw", cast_to=m.Echo, content=b"x", body={"a": 1})
    with pytest.raises(TypeError, match="either `content` or `body`"):
        client.post("/v9/raw", cast_to=m.Echo, content=b"x", files={"f": b"y"})
    for wrong in (bytearray(b"x"), {"a": "b"}, 7, _chunks_async()):
        with pytest.raises(rt.InvalidArgumentTypeError, match="an iterable of bytes for `content`"):
            client.post("/v9/raw", cast_to=m.Echo, content=wrong)
    assert len(server.requests) == requests_before


def _chunks(produced: list[bytes]) -> Any:
    for chunk in (b"one,", b"two,", b"three"):
        produced.append(chunk)
        yield chunk


async def _chunks_async(produced: list[bytes] | None = None) -> Any:
    for chunk in (b"one,", b"two,", b"three"):
        if produced is not None:
            produced.append(chunk)
        yield chunk


def test_escape_hatch_streams_an_iterable_once(
    m: Any, make_client: Any, server: FaultServer
) -> None:
    """Chunks are produced while sending (not before), chunked; a failure is not retried, since
    the body cannot be replayed."""
    client = make_client(max_retries=3)
    produced: list[bytes] = []
    echo = client.post("/v9/stream", cast_to=m.Echo, content=_chunks(produced))
    assert echo.body == "one,two,three" and echo.headers["transfer-encoding"] == "chunked"
    assert echo.headers["content-type"] == "application/octet-stream"
    server.script("/v9/flaky-upload", Step(status=503), Step(body={}))
    with pytest.raises(Exception, match="503"):
        client.put("/v9/flaky-upload", cast_to=m.Echo, content=_chunks([]))
    assert len(server.requests_for("/v9/flaky-upload")) == 1


def test_absolute_url_gets_credentials_only_on_the_api_origin(
    m: Any, make_client: Any, other_server: FaultServer
) -> None:
    client = make_client()
    echo = client.get(f"{other_server.url}/elsewhere", cast_to=m.Echo)
    assert echo.path == "/elsewhere" and "authorization" not in echo.headers
    same = client.get(f"{str(client.base_url).rstrip('/')}/same", cast_to=m.Echo)
    assert same.headers["authorization"] == f"Bearer {SECRET}"


def test_follow_redirects_option(rt: Any, m: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/old", Step(status=302, headers={"Location": "/new"}))
    client = make_client()
    assert client.get("/old", cast_to=m.Echo).path == "/new"
    with pytest.raises(rt.APIStatusError) as info:
        client.get("/old", cast_to=m.Echo, options={"follow_redirects": False})
    assert info.value.status_code == 302


def test_copy_options_merge_and_replace(rt: Any, make_client: Any) -> None:
    client = make_client(default_headers={"X-Foo": "bar"}, default_query={"q": "1"})
    assert client.default_headers["X-Foo"] == "bar" and client.default_query == {"q": "1"}
    assert client.default_headers["User-Agent"] == "rt-tests/1.0"
    assert "Authorization" not in client.default_headers  # credentials are not "defaults"
    merged = copy_options(client, rt, default_headers={"X-Bar": "b"}, default_query={"r": "2"})
    assert merged["default_headers"] == {"X-Foo": "bar", "X-Bar": "b"}
    assert merged["default_query"] == {"q": "1", "r": "2"}
    replaced = copy_options(client, rt, set_default_headers={}, set_default_query={"s": "3"})
    assert replaced["default_headers"] == {} and replaced["default_query"] == {"s": "3"}
    with pytest.raises(ValueError, match="mutually exclusive"):
        copy_options(client, rt, default_headers={"a": "b"}, set_default_headers={})
    with pytest.raises(ValueError, match="mutually exclusive"):
        copy_options(client, rt, default_query={"a": "b"}, set_default_query={})
    kept = copy_options(client, rt, max_retries=7, timeout=None)
    assert kept["max_retries"] == 7 and kept["timeout"] is None
    assert kept["http_client"] is client._client  # the copy shares the connection pool


def test_base_url_setter_applies_the_slash_rule(make_client: Any) -> None:
    client = make_client(base_url="https://example.com/from_init")
    assert client.base_url == "https://example.com/from_init/"
    client.base_url = "https://example.com/from_setter"
    assert client.base_url == "https://example.com/from_setter/"
    with pytest.raises(ValueError, match="absolute http"):
        client.base_url = "example.com/api"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"base_url": "api.example.com"}, ValueError, "absolute http"),
        ({"base_url": "ftp://example.com"}, ValueError, "absolute http"),
        ({"max_retries": None}, TypeError, "max_retries cannot be None"),
        ({"max_retries": -1}, ValueError, "max_retries must be >= 0"),
        ({"max_retries": "3"}, TypeError, "max_retries must be an int"),
    ],
)
def test_constructor_validation(
    make_client: Any, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        make_client(**kwargs)


@pytest.mark.anyio
async def test_http_client_of_the_wrong_kind(rt: Any, server: FaultServer) -> None:
    async with httpx.AsyncClient() as async_http:
        with pytest.raises(TypeError, match="Invalid `http_client` arg"):
            rt.SyncAPIClient(
                base_url=server.url,
                credential=None,
                auth=None,
                user_agent="t",
                http_client=async_http,
            )
    with httpx.Client() as sync_http, pytest.raises(TypeError, match="Invalid `http_client` arg"):
        rt.AsyncAPIClient(
            base_url=server.url, credential=None, auth=None, user_agent="t", http_client=sync_http
        )


def _timeout_of(client: Any, rt: Any) -> httpx.Timeout:
    request = client._build_request(rt.RequestOptions("get", "/x"), stream=False)
    return httpx.Timeout(**request.extensions["timeout"])


def test_custom_http_client_timeout_is_honoured(rt: Any, make_client: Any) -> None:
    with httpx.Client(timeout=None) as http:
        assert _timeout_of(make_client(http_client=http), rt) == httpx.Timeout(None)
    with httpx.Client(timeout=httpx.Timeout(7.0)) as http:
        assert _timeout_of(make_client(http_client=http), rt) == httpx.Timeout(7.0)
        explicit = make_client(http_client=http, timeout=3.0)
        assert _timeout_of(explicit, rt) == httpx.Timeout(3.0)
    with httpx.Client() as http:  # httpx's own 5 s default is not a choice: ours applies
        assert _timeout_of(make_client(http_client=http), rt) == rt.DEFAULT_TIMEOUT


def test_default_timeout_is_a_class_knob(rt: Any, server: FaultServer) -> None:
    class Slow(rt.SyncAPIClient):
        default_timeout = httpx.Timeout(600.0, connect=5.0)

    with Slow(base_url=server.url, credential=None, auth=None, user_agent="t") as client:
        assert _timeout_of(client, rt) == httpx.Timeout(600.0, connect=5.0)
        widened = client._build_request(
            rt.RequestOptions("get", "/x", server_wait=3600), stream=False
        )
        assert widened.extensions["timeout"]["read"] == 3610.0  # the server's wait + a margin
        caller = client._build_request(
            rt.RequestOptions("get", "/x", server_wait=3600, timeout=5.0), stream=False
        )
        assert caller.extensions["timeout"]["read"] == 5.0  # an explicit timeout wins


def test_default_httpx_clients(rt: Any, m: Any, server: FaultServer) -> None:
    http = rt.DefaultHttpxClient(headers={"X-Proxy": "p"})
    assert http.timeout == rt.DEFAULT_TIMEOUT and http.follow_redirects is False
    with rt.SyncAPIClient(
        base_url=server.url, credential=None, auth=None, user_agent="t", http_client=http
    ) as client:
        assert client.get("/x", cast_to=m.Echo).headers["x-proxy"] == "p"
    http.close()
    assert rt.DefaultAsyncHttpxClient().timeout == rt.DEFAULT_TIMEOUT


@pytest.mark.anyio
async def test_aiohttp_transport(rt: Any, m: Any, server: FaultServer) -> None:
    http = rt.DefaultAioHttpClient()
    async with rt.AsyncAPIClient(
        base_url=server.url,
        credential=SECRET,
        auth=rt.BearerAuth(),
        user_agent="t",
        http_client=http,
    ) as client:
        echo = await client.post("/a", cast_to=m.Echo, body={"k": "v"})
        assert echo.body == '{"k":"v"}' and echo.headers["authorization"] == f"Bearer {SECRET}"
        server.script("/e", Step(chunks=['data: {"type": "task.done", "output": "o"}\n\n']))
        stream = await client.get(
            "/e", cast_to=m.Event, stream=True, stream_cls=rt.AsyncStream[m.Event]
        )
        assert [e.output async for e in stream] == ["o"]
    await http.aclose()


def test_every_error_derives_from_the_root(rt: Any) -> None:
    for name in (
        "APIError",
        "APIKeyMissingError",
        "APIConnectionError",
        "APITimeoutError",
        "APIStatusError",
        "APIResponseValidationError",
        "ResponseTooLargeError",
        "InvalidArgumentValueError",
        "InvalidArgumentTypeError",
    ):
        assert issubclass(getattr(rt, name), rt.SDKError), name
    assert issubclass(rt.InvalidArgumentValueError, ValueError)
    assert issubclass(rt.InvalidArgumentTypeError, TypeError)


@pytest.mark.anyio
async def test_async_escape_hatches(m: Any, make_async_client: Any) -> None:
    client = make_async_client()
    echo = await client.get("/v9/x", cast_to=m.Echo, options={"params": {"a": "b"}})
    assert echo.query == [["a", "b"]]
    echo = await client.post("/v9/x", cast_to=m.Echo, body={"a": 1})
    assert echo.method == "POST" and echo.body == '{"a":1}'
    for method in ("put", "patch", "delete"):
        echo = await getattr(client, method)("/v9/x", cast_to=m.Echo)
        assert echo.method == method.upper()
    for method in ("post", "put", "patch", "delete"):
        echo = await getattr(client, method)("/v9/x", cast_to=m.Echo, content=b"\x00raw")
        assert echo.body == "\x00raw" and echo.headers["content-type"] == "application/octet-stream"
    echo = await client.post("/v9/x", cast_to=m.Echo, content="té")
    assert echo.body == "té" and echo.headers["content-type"] == "text/plain; charset=utf-8"
    with pytest.raises(TypeError, match="either `content` or `body`"):
        await client.post("/v9/x", cast_to=m.Echo, content="x", body={"a": 1})
    produced: list[bytes] = []
    echo = await client.post("/v9/x", cast_to=m.Echo, content=_chunks_async(produced))
    assert echo.body == "one,two,three" and produced == [b"one,", b"two,", b"three"]
    echo = await client.patch("/v9/x", cast_to=m.Echo, content=_chunks([]))
    assert echo.body == "one,two,three"


def test_bytes_body_is_sent_raw_with_a_deprecation_warning(m: Any, make_client: Any) -> None:
    with pytest.deprecated_call(match="pass raw bytes via the `content` parameter") as record:
        echo = make_client().post("/v9/raw", cast_to=m.Echo, body=b"\x00\x01bin")
    assert echo.body == "\x00\x01bin" and echo.headers["content-type"] == "application/octet-stream"
    assert record[0].filename == __file__  # points at the caller's line


@pytest.mark.anyio
async def test_async_bytes_body_is_sent_raw_with_a_deprecation_warning(
    m: Any, make_async_client: Any
) -> None:
    with pytest.deprecated_call(match="pass raw bytes via the `content` parameter") as record:
        echo = await make_async_client().put("/v9/raw", cast_to=m.Echo, body=b"raw")
    assert echo.body == "raw" and echo.headers["content-type"] == "application/octet-stream"
    assert record[0].filename == __file__


def test_platform_headers_only_when_the_client_names_a_prefix(
    rt: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    plain = make_client()
    assert not [name for name in plain.get("/p", cast_to=m.Echo).headers if "-lang" in name]

    class Branded(rt.SyncAPIClient):  # as a client generated with `client.platform_headers`
        platform_headers = "X-Acme"

    with Branded(
        base_url=server.url, credential=SECRET, auth=rt.BearerAuth(), user_agent="a/1"
    ) as c:
        sent = c.get("/p", cast_to=m.Echo).headers
    assert sent["x-acme-lang"] == "python" and sent["x-acme-package-version"] == "1.2.3"
    assert {"x-acme-os", "x-acme-arch", "x-acme-runtime", "x-acme-runtime-version"} <= set(sent)


@pytest.mark.parametrize(
    ("machine", "system", "arch", "os_name"),
    [
        ("x86_64", "Linux", "x64", "Linux"),
        ("AMD64", "Windows", "x64", "Windows"),
        ("aarch64", "Linux", "arm64", "Linux"),
        ("arm64", "Darwin", "arm64", "MacOS"),
        ("armv7l", "Linux", "arm", "Linux"),
        ("i686", "FreeBSD", "x32", "FreeBSD"),
        ("riscv64", "Haiku", "other:riscv64", "Other:haiku"),
        ("", "", "other:unknown", "Other:unknown"),
    ],
)
def test_platform_facts_name_os_and_architecture(
    rt: Any, monkeypatch: pytest.MonkeyPatch, machine: str, system: str, arch: str, os_name: str
) -> None:
    import platform

    base = __import__(f"{rt.__name__}._base_client", fromlist=["_platform_facts"])
    monkeypatch.setattr(platform, "machine", lambda: machine)
    monkeypatch.setattr(platform, "system", lambda: system)
    base._platform_facts.cache_clear()
    try:
        facts = dict(base._platform_facts())
    finally:
        base._platform_facts.cache_clear()
    assert (facts["Arch"], facts["OS"], facts["Lang"]) == (arch, os_name, "python")
