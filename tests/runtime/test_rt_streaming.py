"""SSE streams: framing, typed items, termination, truncation and connection release."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.fault_server import FaultServer, Step, sse

PROGRESS_MULTILINE = '{"type": "task.progress.a",\n "pct": 10}'
STREAM = [
    ": keep-alive\n\n",
    sse(event="progress", data=PROGRESS_MULTILINE, id="1"),
    ": ping\n\n",
    sse(event="progress", data=json.dumps({"type": "task.progress.b", "pct": 50})),
    sse(event="done", data=json.dumps({"type": "task.done", "output": "ok"})),
    "data: [DONE]\n\n",
    sse(data=json.dumps({"type": "task.done", "output": "after done: never read"})),
]


def _stream_options(rt: Any) -> Any:
    return rt.RequestOptions("get", "/events")


def _check_events(m: Any, events: list[Any]) -> None:
    assert [type(e) for e in events] == [m.Progress, m.Progress, m.Done]
    assert [e.type for e in events] == ["task.progress.a", "task.progress.b", "task.done"]
    assert events[0].pct == 10 and events[2].output == "ok"


def test_sse_stream(rt: Any, m: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/events", Step(chunks=[*STREAM]))
    stream = make_client().request(m.Event, _stream_options(rt), stream=True, stream_cls=rt.Stream)
    assert isinstance(stream, rt.Stream)
    _check_events(m, list(stream))
    assert stream.response.is_closed
    assert server.requests_for("/events")[0].headers["accept"] == "text/event-stream"


def test_sse_split_across_writes(rt: Any, m: Any, make_client: Any, server: FaultServer) -> None:
    text = "".join(STREAM[:5])
    pieces: list[Any] = []
    for i in range(0, len(text), 7):  # cut mid-line and mid-UTF-8-free tokens, with flushes
        pieces += [text[i : i + 7], 0.001]
    server.script("/events", Step(chunks=pieces))
    _check_events(m, list(make_client().request(m.Event, _stream_options(rt), stream=True)))


def test_clean_close_without_done(rt: Any, m: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/events", Step(chunks=STREAM[:5], chunked=False))
    _check_events(m, list(make_client().request(m.Event, _stream_options(rt), stream=True)))


def test_truncated_stream_raises(rt: Any, m: Any, make_client: Any, server: FaultServer) -> None:
    partial = 'event: progress\ndata: {"type": "task.progress.a", "pct": 1}\n'  # no blank line
    server.script("/events", Step(chunks=[STREAM[1], partial], chunked=False))
    stream = make_client().request(m.Event, _stream_options(rt), stream=True)
    events = iter(stream)
    assert next(events).pct == 10  # the complete event is still delivered
    with pytest.raises(rt.APIError, match="truncated"):
        next(events)
    assert stream.response.is_closed


def test_broken_chunked_stream_raises(
    rt: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    server.script("/events", Step(chunks=[STREAM[1], "data: {"], truncate_chunked=True))
    stream = make_client().request(m.Event, _stream_options(rt), stream=True)
    with pytest.raises(rt.APIConnectionError, match="interrupted"):
        list(stream)


def test_error_event_raises(rt: Any, m: Any, make_client: Any, server: FaultServer) -> None:
    err = sse(event="error", data=json.dumps({"error": {"message": "quota exceeded"}}))
    server.script("/events", Step(chunks=[STREAM[1], err]))
    with pytest.raises(rt.APIError, match="quota exceeded") as info:
        list(make_client().request(m.Event, _stream_options(rt), stream=True))
    assert info.value.body == {"error": {"message": "quota exceeded"}}


def test_invalid_event_payload(rt: Any, m: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/events", Step(chunks=[sse(data='{"type": "unknown.kind"}')]))
    strict = make_client(strict_response_validation=True)
    with pytest.raises(rt.APIResponseValidationError):
        list(strict.request(m.Event, _stream_options(rt), stream=True))


def _endless(first: str) -> list[Any]:
    return [first] + [0.02, ": ping\n\n"] * 250  # bounded: ~5 s at most


def test_break_closes_connection(rt: Any, m: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/events", Step(chunks=_endless(STREAM[1])))
    stream = make_client().request(m.Event, _stream_options(rt), stream=True)
    for event in stream:
        assert event.pct == 10
        break
    assert stream.response.is_closed
    assert server.wait_for(lambda: server.disconnects == ["/events"], timeout=3)
    assert server.completed == []


def test_stream_error_status_raises_before_iterating(
    rt: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    server.script("/events", Step(status=404, body={"error": {"message": "no run"}}))
    with pytest.raises(rt.NotFoundError, match="no run"):
        make_client().request(m.Event, _stream_options(rt), stream=True)


@pytest.mark.anyio
async def test_async_sse_stream(
    rt: Any, m: Any, make_async_client: Any, server: FaultServer
) -> None:
    server.script("/events", Step(chunks=[*STREAM]))
    stream = await make_async_client().request(
        m.Event, _stream_options(rt), stream=True, stream_cls=rt.AsyncStream
    )
    assert isinstance(stream, rt.AsyncStream)
    _check_events(m, [e async for e in stream])
    assert stream.response.is_closed


@pytest.mark.anyio
async def test_async_truncated(
    rt: Any, m: Any, make_async_client: Any, server: FaultServer
) -> None:
    server.script("/events", Step(chunks=[STREAM[1], "data: {"], chunked=False))
    stream = await make_async_client().request(m.Event, _stream_options(rt), stream=True)
    with pytest.raises(rt.APIError, match="truncated"):
        async for _ in stream:
            pass
    assert stream.response.is_closed


@pytest.mark.anyio
async def test_async_break_closes_connection(
    rt: Any, m: Any, make_async_client: Any, server: FaultServer
) -> None:
    server.script("/events", Step(chunks=_endless(STREAM[1])))
    stream = await make_async_client().request(m.Event, _stream_options(rt), stream=True)
    async with stream:
        async for event in stream:
            assert event.pct == 10
            break
    assert stream.response.is_closed
    assert server.wait_for(lambda: server.disconnects == ["/events"], timeout=3)


def test_read_timeout_mid_stream_is_a_timeout_error(
    rt: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    server.script("/events", Step(chunks=[STREAM[1], 2.0, STREAM[1]]))
    stream = make_client(timeout=0.3).request(m.Event, _stream_options(rt), stream=True)
    with pytest.raises(rt.APITimeoutError):
        list(stream)
    assert stream.response.is_closed


@pytest.mark.anyio
async def test_async_stream_failures_are_package_errors(
    rt: Any, m: Any, make_async_client: Any, server: FaultServer
) -> None:
    server.script("/events", Step(chunks=[STREAM[1], 2.0, STREAM[1]]))
    client = make_async_client(timeout=0.3)
    stream = await client.request(m.Event, _stream_options(rt), stream=True)
    with pytest.raises(rt.APITimeoutError):
        [event async for event in stream]
    server.script("/events", Step(chunks=[STREAM[1], "data: {"], truncate_chunked=True))
    stream = await client.request(m.Event, _stream_options(rt), stream=True)
    with pytest.raises(rt.APIConnectionError, match="interrupted"):
        [event async for event in stream]


def test_error_body_cut_on_a_stream_call_is_a_connection_error(
    rt: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    server.script("/events", Step(status=400, chunks=['{"error": '], truncate_chunked=True))
    with pytest.raises(rt.APIConnectionError):
        make_client().request(m.Event, _stream_options(rt), stream=True)


@pytest.mark.anyio
async def test_async_error_body_cut_on_a_stream_call_is_a_connection_error(
    rt: Any, m: Any, make_async_client: Any, server: FaultServer
) -> None:
    server.script("/events", Step(status=400, chunks=['{"error": '], truncate_chunked=True))
    with pytest.raises(rt.APIConnectionError):
        await make_async_client().request(m.Event, _stream_options(rt), stream=True)
