"""Server-sent-event streams yielding validated items.

Framing is parsed by httpx-sse's decoders; this module adds typing, `[DONE]`/`error`
handling, truncation detection and guaranteed connection cleanup.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator
from types import TracebackType
from typing import (
    TYPE_CHECKING,
    Any,
    Generic,
    TypeVar,
    cast,
)

import httpx
from httpx_sse import ServerSentEvent

# The public EventSource API silently drops a half-received event at EOF; the decoders let us
# see line boundaries and report truncation. httpx-sse is pinned <0.5 for this reason.
from httpx_sse._decoders import SSEDecoder, SSELineDecoder  # pyright: ignore[reportPrivateUsage]

from ._exceptions import APIError, APIResponseValidationError, transport_error
from ._models import construct_response

if TYPE_CHECKING:
    from ._base_client import AsyncAPIClient, SyncAPIClient

__all__ = ["AsyncStream", "SSEFraming", "Stream"]

_T = TypeVar("_T")


class SSEFraming:
    """Turns decoded text lines into events and remembers whether an event is half-read."""

    def __init__(self) -> None:
        self._events = SSEDecoder()
        self._pending = False

    def feed(self, line: str) -> ServerSentEvent | None:
        if line == "":
            self._pending = False
        elif not line.startswith(":"):
            self._pending = True
        return self._events.decode(line)

    @property
    def truncated(self) -> bool:
        """True when the body ended after event fields but before the blank line ending them."""
        return self._pending


def _parse_event(sse: ServerSentEvent, cast_to: Any, response: httpx.Response, strict: bool) -> Any:
    try:
        data = json.loads(sse.data)
    except (ValueError, RecursionError) as exc:
        raise APIResponseValidationError(
            response, sse.data, f"Stream event data is not valid JSON: {exc}"
        ) from exc
    if sse.event == "error":
        message = "An error occurred during streaming"
        if isinstance(data, dict):
            err: Any = cast(dict[str, Any], data).get("error", data)
            if isinstance(err, dict) and isinstance(cast(dict[str, Any], err).get("message"), str):
                message = str(cast(dict[str, Any], err)["message"])
        raise APIError(message, response.request, data)
    return construct_response(cast_to, data, response=response, strict=strict, what="Stream event")


def _truncated_error(response: httpx.Response) -> APIError:
    return APIError(
        "Event stream ended in the middle of an event (connection closed before the "
        "terminating blank line); the stream was truncated.",
        response.request,
    )


def _transport_error(response: httpx.Response, exc: Exception) -> APIError:
    return transport_error(response.request, exc, while_="Event stream interrupted")


class Stream(Generic[_T]):
    """Iterator over a streamed response; closes the connection however iteration ends."""

    response: httpx.Response

    def __init__(
        self, *, cast_to: Any, response: httpx.Response, client: SyncAPIClient | None = None
    ) -> None:
        self.response = response
        self._cast_to = cast_to
        self._client = client
        self._iterator = self._stream()

    def __iter__(self) -> Iterator[_T]:
        # A generator wrapper so that `break` in a for-loop closes (and so releases) the stream.
        try:
            yield from self._iterator
        finally:
            self.close()

    def __next__(self) -> _T:
        return next(self._iterator)

    def _stream(self) -> Generator[_T, None, None]:
        response = self.response
        framing = SSEFraming()
        lines = SSELineDecoder()
        strict = self._client is not None and self._client.strict_response_validation
        try:
            try:
                for text in response.iter_text():
                    for line in lines.decode(text):
                        sse = framing.feed(line)
                        if sse is None or not sse.data:
                            continue  # per the SSE spec, events without data are not dispatched
                        if sse.data.startswith("[DONE]"):
                            return
                        yield _parse_event(sse, self._cast_to, response, strict)
                for line in lines.flush():
                    framing.feed(line)
            except httpx.TransportError as exc:
                raise _transport_error(response, exc) from exc
            if framing.truncated:
                raise _truncated_error(response)
        finally:
            response.close()

    def close(self) -> None:
        """Release the connection; safe to call more than once."""
        self._iterator.close()
        self.response.close()

    def __enter__(self) -> Stream[_T]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncStream(Generic[_T]):
    """Async iterator over a streamed response; use `async with` to close on early exit."""

    response: httpx.Response

    def __init__(
        self, *, cast_to: Any, response: httpx.Response, client: AsyncAPIClient | None = None
    ) -> None:
        self.response = response
        self._cast_to = cast_to
        self._client = client
        self._iterator = self._stream()

    def __aiter__(self) -> AsyncIterator[_T]:
        return self._iterator

    async def __anext__(self) -> _T:
        return await self._iterator.__anext__()

    async def _stream(self) -> AsyncGenerator[_T, None]:
        response = self.response
        framing = SSEFraming()
        lines = SSELineDecoder()
        strict = self._client is not None and self._client.strict_response_validation
        try:
            try:
                async for text in response.aiter_text():
                    for line in lines.decode(text):
                        sse = framing.feed(line)
                        if sse is None or not sse.data:
                            continue  # per the SSE spec, events without data are not dispatched
                        if sse.data.startswith("[DONE]"):
                            return
                        yield _parse_event(sse, self._cast_to, response, strict)
                for line in lines.flush():
                    framing.feed(line)
            except httpx.TransportError as exc:
                raise _transport_error(response, exc) from exc
            if framing.truncated:
                raise _truncated_error(response)
        finally:
            await response.aclose()

    async def close(self) -> None:
        """Release the connection and finalize the iterator; safe to call more than once."""
        await self._iterator.aclose()
        await self.response.aclose()

    async def __aenter__(self) -> AsyncStream[_T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
