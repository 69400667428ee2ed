"""Retry policy: which failures are retried, how long we wait, and how many attempts."""

from __future__ import annotations

import email.utils
import logging
import time
from typing import Any

import pytest

from tests.support.fault_server import FaultServer, Step

FAST = {"retry-after-ms": "1"}


def _call(rt: Any, client: Any, path: str = "/r", **kw: Any) -> Any:
    return client.request(None, rt.RequestOptions("get", path, **kw))


def test_429_retry_after_seconds_is_honoured(
    rt: Any, make_client: Any, server: FaultServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=rt.__name__)
    server.script("/r", Step(status=429, headers={"Retry-After": "1"}), Step(status=200, body={}))
    start = time.monotonic()
    _call(rt, make_client())
    elapsed = time.monotonic() - start
    assert len(server.requests_for("/r")) == 2
    assert 0.95 <= elapsed < 3
    retry_logs = [r for r in caplog.records if r.name == rt.__name__ and "Retrying" in r.message]
    assert len(retry_logs) == 1 and retry_logs[0].levelno == logging.DEBUG
    assert "1.00 seconds" in retry_logs[0].message


def test_retry_after_ms(rt: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/r", Step(status=429, headers={"retry-after-ms": "150"}), Step(body={}))
    start = time.monotonic()
    _call(rt, make_client())
    assert 0.14 <= time.monotonic() - start < 1.0
    assert len(server.requests_for("/r")) == 2


def test_retry_after_http_date(rt: Any, make_client: Any, server: FaultServer) -> None:
    when = email.utils.formatdate(time.time() + 1, usegmt=True)
    server.script("/r", Step(status=503, headers={"Retry-After": when}), Step(body={}))
    _call(rt, make_client())
    assert len(server.requests_for("/r")) == 2


def test_retry_delay_computation(rt: Any, make_client: Any) -> None:
    import httpx

    client = make_client(max_retries=6)
    options = rt.RequestOptions("get", "/r")

    def delay(retries_taken: int, headers: dict[str, str]) -> float:
        # Stainless's hook shape: (remaining retries, options, response headers).
        remaining = 6 - retries_taken
        return float(client._calculate_retry_timeout(remaining, options, httpx.Headers(headers)))

    future = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 28 <= delay(0, {"Retry-After": future}) <= 30
    assert delay(0, {"retry-after-ms": "2500"}) == 2.5
    assert delay(0, {"Retry-After": "3"}) == 3.0
    # Out-of-range hints fall back to exponential backoff with jitter.
    for attempt, ceiling in [(0, 0.5), (1, 1.0), (2, 2.0), (5, 8.0)]:
        assert ceiling * 0.75 <= delay(attempt, {"Retry-After": "120"}) <= ceiling
    # No response (a transport failure): backoff alone.
    assert 0.375 <= client._calculate_retry_timeout(6, options, None) <= 0.5


def test_503_exhausts_retries(rt: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/r", Step(status=503, headers=FAST, body={"message": "down"}))
    with pytest.raises(rt.InternalServerError) as info:
        _call(rt, make_client(max_retries=2))
    assert len(server.requests_for("/r")) == 3
    assert info.value.status_code == 503


def test_backoff_without_hint(rt: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/r", Step(status=500), Step(status=500), Step(body={}))
    client = make_client()
    client._initial_retry_delay = 0.05
    start = time.monotonic()
    _call(rt, client)
    # 0.05*[0.75,1] + 0.1*[0.75,1]
    assert 0.11 <= time.monotonic() - start < 1.0
    assert len(server.requests_for("/r")) == 3


def test_per_request_max_retries_override(rt: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/r", Step(status=503, headers=FAST))
    with pytest.raises(rt.InternalServerError):
        _call(rt, make_client(max_retries=5), max_retries=0)
    assert len(server.requests_for("/r")) == 1
    with pytest.raises(rt.InternalServerError):
        _call(rt, make_client(max_retries=0), max_retries=1)
    assert len(server.requests_for("/r")) == 3


def test_connection_reset_retried_then_succeeds(
    rt: Any, make_client: Any, server: FaultServer
) -> None:
    server.script("/r", Step(reset=True), Step(body={"ok": True}))
    client = make_client()
    client._initial_retry_delay = 0.01
    assert client.request(dict, rt.RequestOptions("get", "/r")) == {"ok": True}
    assert len(server.requests_for("/r")) == 2


def test_connection_reset_exhausted(rt: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/r", Step(reset=True))
    client = make_client(max_retries=2)
    client._initial_retry_delay = 0.01
    with pytest.raises(rt.APIConnectionError) as info:
        _call(rt, client)
    assert not isinstance(info.value, rt.APITimeoutError)
    assert len(server.requests_for("/r")) == 3


def test_timeout(rt: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/r", Step(delay=2.0, body={}))
    start = time.monotonic()
    with pytest.raises(rt.APITimeoutError):
        _call(rt, make_client(max_retries=0), timeout=0.2)
    assert time.monotonic() - start < 1.5
    assert len(server.requests_for("/r")) == 1


def test_timeout_retried(rt: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/r", Step(delay=2.0, body={}), Step(body={"n": 1}))
    client = make_client(max_retries=1, timeout=0.2)
    client._initial_retry_delay = 0.01
    assert client.request(dict, rt.RequestOptions("get", "/r")) == {"n": 1}


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502])
def test_retryable_statuses(rt: Any, make_client: Any, server: FaultServer, status: int) -> None:
    server.script("/r", Step(status=status, headers=FAST), Step(body={}))
    _call(rt, make_client())
    assert len(server.requests_for("/r")) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_not_retried(
    rt: Any, make_client: Any, server: FaultServer, status: int
) -> None:
    server.script("/r", Step(status=status, headers=FAST))
    with pytest.raises(rt.APIStatusError):
        _call(rt, make_client())
    assert len(server.requests_for("/r")) == 1


def test_x_should_retry_header(rt: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/no", Step(status=500, headers={**FAST, "x-should-retry": "false"}))
    with pytest.raises(rt.InternalServerError):
        _call(rt, make_client(), "/no")
    assert len(server.requests_for("/no")) == 1

    server.script(
        "/yes", Step(status=400, headers={**FAST, "x-should-retry": "true"}), Step(body={})
    )
    _call(rt, make_client(), "/yes")
    assert len(server.requests_for("/yes")) == 2


def test_idempotency_key_stable_across_retries(
    rt: Any, make_client: Any, server: FaultServer
) -> None:
    server.script("/r", Step(status=500, headers=FAST), Step(body={}))
    client = make_client()
    client.request(None, rt.RequestOptions("post", "/r", json_body={}, idempotency_key="k1"))
    assert [r.headers["idempotency-key"] for r in server.requests_for("/r")] == ["k1", "k1"]


@pytest.mark.anyio
async def test_async_retries(rt: Any, make_async_client: Any, server: FaultServer) -> None:
    server.script("/r", Step(status=429, headers={"retry-after-ms": "100"}), Step(body={"a": 1}))
    client = make_async_client()
    start = time.monotonic()
    assert await client.request(dict, rt.RequestOptions("get", "/r")) == {"a": 1}
    assert time.monotonic() - start >= 0.09

    server.script("/x", Step(status=503, headers=FAST))
    with pytest.raises(rt.InternalServerError):
        await client.request(None, rt.RequestOptions("get", "/x", max_retries=2))
    assert len(server.requests_for("/x")) == 3


@pytest.mark.anyio
async def test_async_reset_and_timeout(
    rt: Any, make_async_client: Any, server: FaultServer
) -> None:
    client = make_async_client(max_retries=1)
    client._initial_retry_delay = 0.01
    server.script("/reset", Step(reset=True))
    with pytest.raises(rt.APIConnectionError):
        await client.request(None, rt.RequestOptions("get", "/reset"))
    assert len(server.requests_for("/reset")) == 2

    server.script("/slow", Step(delay=2.0, body={}))
    with pytest.raises(rt.APITimeoutError):
        await client.request(None, rt.RequestOptions("get", "/slow", timeout=0.2, max_retries=0))


def _policy_client(rt: Any, server: FaultServer, *, is_async: bool = False, **cls: Any) -> Any:
    """A client class as generated with `client.retry_non_idempotent` / `retry_count_header`."""
    base = rt.AsyncAPIClient if is_async else rt.SyncAPIClient
    klass = type("Configured", (base,), cls)
    return klass(base_url=server.url, credential="k", auth=rt.BearerAuth(), user_agent="t/1")


@pytest.mark.parametrize("status", [409, 500, 502, 504])
def test_on_status_retries_a_post_after_any_retryable_status(
    rt: Any, make_client: Any, server: FaultServer, status: int
) -> None:
    server.script("/p", Step(status=status, headers=FAST), Step(body={}))
    with _policy_client(rt, server, retry_non_idempotent="on_status") as client:
        client.request(None, rt.RequestOptions("post", "/p", json_body={}))
    assert len(server.requests_for("/p")) == 2
    # The default policy ("safe") raises: the server may have acted on the POST.
    server.script("/s", Step(status=status, headers=FAST), Step(body={}))
    with pytest.raises(rt.APIStatusError):
        make_client().request(None, rt.RequestOptions("post", "/s", json_body={}))
    assert len(server.requests_for("/s")) == 1


def test_on_status_still_raises_a_post_read_timeout_and_reset(rt: Any, server: FaultServer) -> None:
    server.script("/slow", Step(delay=2.0, body={}))
    server.script("/reset", Step(reset=True))
    with _policy_client(rt, server, retry_non_idempotent="on_status") as client:
        with pytest.raises(rt.APITimeoutError):
            client.request(None, rt.RequestOptions("post", "/slow", json_body={}, timeout=0.2))
        with pytest.raises(rt.APIConnectionError):
            client.request(None, rt.RequestOptions("post", "/reset", json_body={}))
    assert len(server.requests_for("/slow")) == 1
    assert len(server.requests_for("/reset")) == 1


@pytest.mark.anyio
async def test_async_on_status_retries_a_post(rt: Any, server: FaultServer) -> None:
    server.script("/p", Step(status=500, headers=FAST), Step(body={}))
    client = _policy_client(
        rt, server, is_async=True, retry_non_idempotent="on_status", retry_count_header="x-rc"
    )
    async with client:
        await client.request(None, rt.RequestOptions("post", "/p", json_body={}))
    assert [r.headers["x-rc"] for r in server.requests_for("/p")] == ["0", "1"]


def test_retry_count_header_counts_attempts_and_yields_to_the_caller(
    rt: Any, make_client: Any, server: FaultServer
) -> None:
    server.script("/r", Step(status=503, headers=FAST), Step(status=503, headers=FAST), Step())
    with _policy_client(rt, server, retry_count_header="x-retry-count") as client:
        _call(rt, client)
        assert [r.headers["x-retry-count"] for r in server.requests_for("/r")] == ["0", "1", "2"]
        _call(rt, client, "/o", extra_headers={"x-retry-count": rt.Omit()})
        _call(rt, client, "/w", extra_headers={"x-retry-count": "42"})
    assert "x-retry-count" not in server.requests_for("/o")[0].headers
    assert server.requests_for("/w")[0].headers["x-retry-count"] == "42"
    _call(rt, make_client(), "/n")  # not configured: not sent
    assert "x-retry-count" not in server.requests_for("/n")[0].headers
