"""Hostile response bodies: every one ends in a typed, catchable error (or a documented parse).

Complements test_rt_errors_responses.py / test_rt_streaming.py with what a broken or malicious
server can send: missing fields, wrong shapes, huge and deeply nested bodies, bodies that stop
or stall mid-way, invalid UTF-8 inside an event stream. Each case is bounded by a client timeout.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.fault_server import FaultServer, Step, sse


def _get(rt: Any, path: str) -> Any:
    return rt.RequestOptions("get", path)


@pytest.mark.parametrize(
    "body",
    [
        {},  # both fields missing
        {"count": 1},  # required "id" missing
        {"id": None},
        {"id": ["a"]},
        [{"id": "a"}],  # a list where an object is expected
        "id",
        None,
    ],
    ids=["empty", "missing-id", "null-id", "list-id", "list-body", "string-body", "null-body"],
)
def test_body_not_matching_model_is_a_validation_error(
    rt: Any, m: Any, make_client: Any, server: FaultServer, body: Any
) -> None:
    server.script("/i", Step(body=json.dumps(body), headers={"Content-Type": "application/json"}))
    with pytest.raises(rt.APIResponseValidationError) as info:
        make_client(strict_response_validation=True).request(m.Item, _get(rt, "/i"))
    assert isinstance(info.value, rt.APIError)
    assert info.value.body == body


def test_huge_body_parses_within_bounds(
    rt: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    items = [{"id": f"i{n}", "count": n} for n in range(200_000)]  # ~6 MB of JSON
    server.script("/big", Step(body=items))
    parsed = make_client(timeout=30).request(list[m.Item], _get(rt, "/big"))
    assert len(parsed) == 200_000 and parsed[-1].count == 199_999


def test_huge_string_field_is_kept_whole(
    rt: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    server.script("/big", Step(body={"id": "x" * 8_000_000}))
    assert len(make_client(timeout=30).request(m.Item, _get(rt, "/big")).id) == 8_000_000


def test_deeply_nested_body_is_a_typed_error_not_recursion(
    rt: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    depth = 100_000
    server.script(
        "/deep", Step(body="[" * depth + "]" * depth, headers={"Content-Type": "application/json"})
    )
    with pytest.raises(rt.APIResponseValidationError):
        make_client().request(m.Item, _get(rt, "/deep"))


def test_body_shorter_than_content_length_is_a_connection_error(
    rt: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    server.script(
        "/short",
        Step(chunks=['{"id": "a", "cou'], chunked=False, headers={"Content-Length": "500"}),
    )
    with pytest.raises(rt.APIConnectionError):
        make_client(max_retries=0, timeout=5).request(m.Item, _get(rt, "/short"))


def test_body_that_stalls_times_out(rt: Any, m: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/stall", Step(chunks=['{"id": ', 3.0, '"a"}']))
    with pytest.raises(rt.APITimeoutError):
        make_client(max_retries=0, timeout=0.5).request(m.Item, _get(rt, "/stall"))


def test_stream_that_stalls_mid_event_times_out(
    rt: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    first = sse(data=json.dumps({"type": "task.progress.a", "pct": 1}))
    server.script("/events", Step(chunks=[first, 'data: {"type"', 3.0, "}\n\n"]))
    stream = make_client(max_retries=0, timeout=0.5).request(
        m.Event, _get(rt, "/events"), stream=True
    )
    events = iter(stream)
    assert next(events).pct == 1
    with pytest.raises(rt.APIError):
        next(events)


def test_invalid_utf8_in_stream_is_replaced_not_a_crash(
    rt: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    """Event streams decode leniently (docs/runtime.md): bad bytes become U+FFFD."""
    bad = b'data: {"type": "task.done", "output": "a\xff\xfeb"}\n\n'
    server.script("/events", Step(chunks=[bad], headers={"Content-Type": "text/event-stream"}))
    events = list(make_client().request(m.Event, _get(rt, "/events"), stream=True))
    assert [e.output for e in events] == ["a\ufffd\ufffdb"]


def test_event_that_does_not_match_any_variant(
    rt: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    server.script("/events", Step(chunks=[sse(data=json.dumps({"type": "task.unknown", "x": 1}))]))
    with pytest.raises(rt.APIResponseValidationError):
        strict = make_client(strict_response_validation=True)
        list(strict.request(m.Event, _get(rt, "/events"), stream=True))


@pytest.mark.anyio
async def test_async_body_not_matching_model(
    rt: Any, m: Any, make_async_client: Any, server: FaultServer
) -> None:
    server.script("/i", Step(body={"count": "x"}))
    with pytest.raises(rt.APIResponseValidationError):
        strict = make_async_client(strict_response_validation=True)
        await strict.request(m.Item, _get(rt, "/i"))


@pytest.mark.anyio
async def test_async_stall_times_out(
    rt: Any, m: Any, make_async_client: Any, server: FaultServer
) -> None:
    server.script("/stall", Step(chunks=['{"id": ', 3.0, '"a"}']))
    with pytest.raises(rt.APITimeoutError):
        await make_async_client(max_retries=0, timeout=0.5).request(m.Item, _get(rt, "/stall"))
