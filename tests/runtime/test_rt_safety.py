"""Safety: path segments, Retry-After edge cases, retries of non-idempotent calls, and the
optional total deadline and response-size bounds."""

from __future__ import annotations

import gzip
from typing import Any

import pytest

from tests.support.fault_server import FaultServer, Step


@pytest.mark.parametrize("value", ["", ".", ".."])
def test_unsafe_path_segment_raises_before_sending(
    rt: Any, make_client: Any, server: FaultServer, value: str
) -> None:
    options = rt.RequestOptions("post", "/v1alpha/monitors/{monitor_id}", {"monitor_id": value})
    with pytest.raises(ValueError, match="monitor_id") as info:
        make_client().request(None, options)
    assert isinstance(info.value, rt.SDKError)
    assert server.requests == []


def test_dots_inside_a_segment_are_fine(rt: Any, m: Any, make_client: Any) -> None:
    options = rt.RequestOptions("get", "/runs/{id}/result", {"id": "..."})
    assert make_client().request(m.Echo, options).path == "/runs/.../result"
    options = rt.RequestOptions("get", "/runs/{id}/result", {"id": "../x"})
    assert make_client().request(m.Echo, options).raw_target == "/runs/..%2Fx/result"


@pytest.mark.parametrize(
    "retry_after",
    ["Mon, 01 Jan 99999 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "99999999999999999999999"],
)
def test_out_of_range_retry_after_falls_back_to_backoff(
    rt: Any, make_client: Any, server: FaultServer, retry_after: str
) -> None:
    client = make_client()
    client._initial_retry_delay = 0.01
    server.script("/r", Step(status=429, headers={"Retry-After": retry_after}), Step(body={}))
    client.request(None, rt.RequestOptions("get", "/r"))
    assert len(server.requests_for("/r")) == 2
    options = rt.RequestOptions("get", "/r")
    delay = client._calculate_retry_timeout(
        2, options, _response({"Retry-After": retry_after}).headers
    )
    assert delay <= 0.01


def _response(headers: dict[str, str]) -> Any:
    import httpx

    return httpx.Response(429, headers=headers)


def _idempotent_client(rt: Any, server: FaultServer) -> Any:
    class Client(rt.SyncAPIClient):
        idempotency_header = "Idempotency-Key"

    client = Client(base_url=server.url, credential=None, auth=None, user_agent="t")
    client._initial_retry_delay = 0.01
    return client


def test_idempotency_key_generated_once_and_reused(rt: Any, server: FaultServer) -> None:
    server.script("/runs", Step(status=500), Step(status=500), Step(body={}))
    with _idempotent_client(rt, server) as client:
        client.request(None, rt.RequestOptions("post", "/runs", json_body={}))
        client.request(None, rt.RequestOptions("post", "/runs", json_body={}))
        client.request(None, rt.RequestOptions("get", "/runs"))
    keys = [r.headers.get("idempotency-key") for r in server.requests_for("/runs")]
    assert len(keys) == 5 and keys[0] == keys[1] == keys[2] and keys[3] != keys[0]
    assert keys[0] and keys[0].startswith("apigen-retry-") and keys[4] is None  # GET: none


def test_read_timeout_on_post_without_key_is_not_retried(
    rt: Any, make_client: Any, server: FaultServer
) -> None:
    server.script("/runs", Step(delay=1.0, body={}))
    with pytest.raises(rt.APITimeoutError):
        make_client(timeout=0.2).request(None, rt.RequestOptions("post", "/runs", json_body={}))
    assert len(server.requests_for("/runs")) == 1  # one task run created, not three


def test_post_retries_only_failures_the_server_did_not_act_on(
    rt: Any, make_client: Any, server: FaultServer
) -> None:
    client = make_client()
    client._initial_retry_delay = 0.01
    server.script("/a", Step(status=500), Step(body={}))
    with pytest.raises(rt.InternalServerError):
        client.request(None, rt.RequestOptions("post", "/a", json_body={}))
    for status in (408, 429, 503):
        server.script(f"/s{status}", Step(status=status), Step(body={}))
        client.request(None, rt.RequestOptions("post", f"/s{status}", json_body={}))
        assert len(server.requests_for(f"/s{status}")) == 2
    server.script("/forced", Step(status=500, headers={"x-should-retry": "true"}), Step(body={}))
    client.request(None, rt.RequestOptions("post", "/forced", json_body={}))
    assert len(server.requests_for("/forced")) == 2
    server.script("/g", Step(status=500), Step(body={}))
    client.request(None, rt.RequestOptions("get", "/g"))  # GET is idempotent: retried
    assert len(server.requests_for("/g")) == 2


def test_post_with_key_retries_a_read_timeout(rt: Any, server: FaultServer) -> None:
    server.script("/runs", Step(delay=1.0, body={}), Step(body={}))
    with _idempotent_client(rt, server) as client:
        client.request(None, rt.RequestOptions("post", "/runs", json_body={}, timeout=0.3))
    requests = server.requests_for("/runs")
    assert len(requests) == 2
    assert requests[0].headers["idempotency-key"] == requests[1].headers["idempotency-key"]


def test_connection_refused_post_is_retried(rt: Any, make_client: Any) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = make_client(base_url=f"http://127.0.0.1:{port}")
    client._initial_retry_delay = 0.01
    attempts: list[int] = []
    original = client._next_delay

    def counting(*args: Any, **kwargs: Any) -> Any:
        delay = original(*args, **kwargs)
        attempts.append(0 if delay is None else 1)
        return delay

    client._next_delay = counting
    with pytest.raises(rt.APIConnectionError):
        client.request(None, rt.RequestOptions("post", "/x", json_body={}))
    assert attempts == [1, 1, 0]  # nothing reached a server: safe to retry twice


def test_total_timeout_bounds_a_slow_drip(
    rt: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    drip: list[Any] = ['{"id": "']
    drip += [0.1, "x"] * 100  # each chunk well within the read timeout, 10 s in all
    drip += ['"}']
    server.script("/drip", Step(chunks=drip, headers={"Content-Type": "application/json"}))
    import time

    start = time.monotonic()
    with pytest.raises(rt.APITimeoutError):
        make_client(total_timeout=0.5, max_retries=0).request(
            m.Item, rt.RequestOptions("get", "/drip")
        )
    assert time.monotonic() - start < 2.0
    # Without the bound the same body is read to the end.
    server.script("/short", Step(chunks=['{"id": "', 0.05, 'ok"}']))
    assert make_client().request(m.Item, rt.RequestOptions("get", "/short")).id == "ok"


def test_max_response_bytes_stops_a_gzip_bomb(
    rt: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    bomb = gzip.compress(b" " * 50_000_000)  # ~50 KB on the wire, 50 MB decoded
    server.script(
        "/bomb",
        Step(body=bomb, headers={"Content-Encoding": "gzip", "Content-Type": "application/json"}),
    )
    with pytest.raises(rt.ResponseTooLargeError, match="max_response_bytes=1000000"):
        make_client(max_response_bytes=1_000_000).request(m.Item, rt.RequestOptions("get", "/bomb"))
    server.script("/ok", Step(body={"id": "fits"}))
    client = make_client(max_response_bytes=1_000_000)
    assert client.request(m.Item, rt.RequestOptions("get", "/ok")).id == "fits"
    server.script("/err", Step(status=400, body={"message": "x" * 2_000_000}))
    with pytest.raises(rt.ResponseTooLargeError):  # error bodies are bounded too
        client.request(None, rt.RequestOptions("get", "/err"))


@pytest.mark.anyio
async def test_async_safety(rt: Any, make_async_client: Any, server: FaultServer) -> None:
    client = make_async_client(timeout=0.2)
    with pytest.raises(ValueError):
        await client.request(None, rt.RequestOptions("get", "/x/{id}", {"id": ".."}))
    server.script("/runs", Step(delay=1.0, body={}))
    with pytest.raises(rt.APITimeoutError):
        await client.request(None, rt.RequestOptions("post", "/runs", json_body={}))
    assert len(server.requests_for("/runs")) == 1
    server.script(
        "/bomb",
        Step(
            body=gzip.compress(b"[" + b"1," * 1_000_000 + b"1]"),
            headers={"Content-Encoding": "gzip"},
        ),
    )
    bounded = make_async_client(max_response_bytes=10_000)
    with pytest.raises(rt.ResponseTooLargeError):
        await bounded.request(list[int], rt.RequestOptions("get", "/bomb"))
    server.script("/drip", Step(chunks=["[1"] + [0.1, ",1"] * 50 + ["]"]))
    with pytest.raises(rt.APITimeoutError):
        await make_async_client(total_timeout=0.4, max_retries=0).request(
            list[int], rt.RequestOptions("get", "/drip")
        )
