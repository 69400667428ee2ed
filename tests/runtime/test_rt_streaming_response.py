"""`with_streaming_response`: the body stays unread until asked; the connection is released
on exit."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.fault_server import FaultServer, Step, sse

LINES = ["first line\n", "second line\n", '{"id": "x", "count": 2}']


class _Resource:
    """A stand-in for a generated resource method, built on the runtime's wrappers."""

    def __init__(self, rt: Any, client: Any, cast_to: Any, stream: bool = False) -> None:
        self._rt, self._client, self._cast_to, self._stream = rt, client, cast_to, stream

    def call(self, path: str, **kwargs: Any) -> Any:
        options = self._rt.RequestOptions("get", path, extra_headers=kwargs.get("extra_headers"))
        return self._client.request(self._cast_to, options, stream=self._stream)


def _streamed(rt: Any, client: Any, cast_to: Any, path: str, stream: bool = False) -> Any:
    resource = _Resource(rt, client, cast_to, stream)
    return rt.to_streamed_response_wrapper(resource.call)(path)


def test_body_is_read_only_when_asked(rt: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/s", Step(chunks=["a" * 10, 0.05, "b" * 10], headers={"X-Id": "7"}))
    with _streamed(rt, make_client(), bytes, "/s") as response:
        assert response.status_code == 200 and response.headers["x-id"] == "7"
        assert not response.is_closed  # nothing read yet
        assert b"".join(response.iter_bytes()) == b"a" * 10 + b"b" * 10
    assert response.is_closed


def test_iter_lines_text_and_parse(rt: Any, m: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/s", Step(chunks=list(LINES), headers={"Content-Type": "text/plain"}))
    client = make_client()
    with _streamed(rt, client, m.Item, "/s") as response:
        assert list(response.iter_lines()) == ["first line", "second line", LINES[2]]
    with _streamed(rt, client, m.Item, "/s") as response:
        assert "".join(response.iter_text()) == "".join(LINES)
    server.script("/j", Step(body={"id": "x", "count": 2}))
    with _streamed(rt, client, m.Item, "/j") as response:
        item = response.parse()
        assert isinstance(item, m.Item) and item.count == 2
        assert response.read() == b'{"id": "x", "count": 2}'
        assert response.retries_taken == 0 and response.http_request.method == "GET"


def test_connection_released_on_early_exit(rt: Any, make_client: Any, server: FaultServer) -> None:
    endless: list[Any] = ["x" * 100] + [0.02, "y" * 100] * 250  # bounded: ~5 s at most
    server.script("/s", Step(chunks=endless))
    with pytest.raises(RuntimeError), _streamed(rt, make_client(), bytes, "/s") as response:
        next(response.iter_bytes())
        raise RuntimeError("user code failed mid-body")
    assert response.is_closed
    assert server.wait_for(lambda: server.disconnects == ["/s"], timeout=3)


def test_error_status_raises_on_enter_and_releases(
    rt: Any, make_client: Any, server: FaultServer
) -> None:
    server.script("/s", Step(status=404, body={"error": {"message": "gone"}}))
    manager = _streamed(rt, make_client(max_retries=0), bytes, "/s")
    with pytest.raises(rt.NotFoundError, match="gone"), manager:
        pytest.fail("the block must not run")
    assert server.wait_for(lambda: server.open_connections <= 1)


def test_sse_parse_gives_the_stream(rt: Any, m: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/e", Step(chunks=[sse(data=json.dumps({"type": "task.done", "output": "o"}))]))
    with _streamed(rt, make_client(), m.Event, "/e", stream=True) as response:
        events = list(response.parse())
    assert [e.output for e in events] == ["o"] and response.is_closed


def test_marker_header_never_reaches_the_wire(
    rt: Any, make_client: Any, server: FaultServer
) -> None:
    with _streamed(rt, make_client(), bytes, "/echo") as response:
        response.read()
    assert rt.RAW_RESPONSE_HEADER.lower() not in server.requests[-1].headers


@pytest.mark.anyio
async def test_async_streaming_response(
    rt: Any, m: Any, make_async_client: Any, server: FaultServer
) -> None:
    server.script("/s", Step(chunks=list(LINES), headers={"Content-Type": "text/plain"}))
    client = make_async_client()
    resource = _Resource(rt, client, m.Item)
    call = rt.async_to_streamed_response_wrapper(resource.call)
    async with call("/s") as response:
        assert response.status_code == 200 and not response.is_closed
        assert [line async for line in response.iter_lines()] == [
            "first line",
            "second line",
            LINES[2],
        ]
    assert response.is_closed
    async with call("/s") as response:
        assert b"".join([chunk async for chunk in response.iter_bytes()]) == "".join(LINES).encode()
    server.script("/j", Step(body={"id": "z"}))
    async with call("/j") as response:
        assert (await response.parse()).id == "z"
    server.script("/e", Step(chunks=["x" * 100] + [0.02, "y" * 100] * 250))
    with pytest.raises(RuntimeError):
        async with call("/e") as response:
            async for _ in response.iter_text():
                raise RuntimeError("stop")
    assert response.is_closed
    assert server.wait_for(lambda: server.disconnects == ["/e"], timeout=3)


def test_body_failures_while_streaming_are_package_errors(
    rt: Any, make_client: Any, server: FaultServer
) -> None:
    # A connection dropped mid-body, and a read timeout between chunks, while the caller reads.
    server.script("/cut", Step(chunks=["a" * 10], truncate_chunked=True))
    server.script("/slow", Step(chunks=["a" * 10, 2.0, "b"]))
    client = make_client(timeout=0.3, max_retries=0)
    for read in (
        lambda r: r.read(),
        lambda r: list(r.iter_bytes()),
        lambda r: list(r.iter_text()),
        lambda r: list(r.iter_lines()),
        lambda r: r.parse(),
    ):
        cut = pytest.raises(rt.APIConnectionError, match="Response body interrupted")
        with _streamed(rt, client, bytes, "/cut") as response, cut:
            read(response)
        with _streamed(rt, client, bytes, "/slow") as response, pytest.raises(rt.APITimeoutError):
            read(response)


def test_binary_download_failures_are_package_errors(
    rt: Any, make_client: Any, server: FaultServer, tmp_path: Any
) -> None:
    server.script("/cut", Step(chunks=["a" * 10], truncate_chunked=True))
    with _streamed(rt, make_client(), rt.BinaryResponse, "/cut") as response:
        binary = rt.BinaryResponse(response.http_response)
        with pytest.raises(rt.APIConnectionError, match="Response body interrupted"):
            binary.stream_to_file(tmp_path / "out.bin")


@pytest.mark.anyio
async def test_async_body_failures_while_streaming_are_package_errors(
    rt: Any, make_async_client: Any, server: FaultServer
) -> None:
    server.script("/cut", Step(chunks=["a" * 10], truncate_chunked=True))
    server.script("/slow", Step(chunks=["a" * 10, 2.0, "b"]))
    client = make_async_client(timeout=0.3, max_retries=0)
    call = rt.async_to_streamed_response_wrapper(_Resource(rt, client, bytes).call)
    async with call("/cut") as response:
        with pytest.raises(rt.APIConnectionError, match="Response body interrupted"):
            [chunk async for chunk in response.iter_bytes()]
    async with call("/slow") as response:
        with pytest.raises(rt.APITimeoutError):
            await response.read()
    async with call("/cut") as response:
        binary = rt.AsyncBinaryResponse(response.http_response)
        with pytest.raises(rt.APIConnectionError, match="Response body interrupted"):
            await binary.read()
