"""Response parsing, binary bodies, and the raw/streaming wrappers (`client.with_raw_response`,
`client.with_streaming_response`)."""

from __future__ import annotations

import codecs
import datetime
import functools
import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, cast

import anyio
import httpx
from typing_extensions import ParamSpec, override

from ._exceptions import APIError, APIResponseValidationError, transport_error
from ._logs import logger
from ._models import construct_response
from ._streaming import AsyncStream, Stream

if TYPE_CHECKING:
    from ._base_client import AsyncAPIClient, SyncAPIClient

__all__ = [
    "RAW_RESPONSE_HEADER",
    "APIResponse",
    "AsyncAPIResponse",
    "AsyncBinaryResponse",
    "AsyncResponseContextManager",
    "BinaryResponse",
    "ResponseContextManager",
    "async_to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
    "construct_response",
    "parse_response",
    "to_raw_response_wrapper",
    "to_streamed_response_wrapper",
]

_P = ParamSpec("_P")
_R = TypeVar("_R")

# Marker header: a request carrying it gets an APIResponse back ("raw": body read, "stream":
# body left unread until asked). It is stripped before sending.
RAW_RESPONSE_HEADER = "X-Runtime-Raw-Response"
ResponseMode = Literal["raw", "stream"]


def _json_encoding(response: httpx.Response) -> str:
    """The charset the Content-Type names, else UTF-8 (JSON's own encoding, RFC 8259).

    Only a header that mentions a charset is parsed (`response.encoding` parses every one with
    the email package, a few microseconds per call for the common bare `application/json`).
    """
    if "charset" not in response.headers.get("content-type", "").lower():
        return "utf-8"
    charset = response.charset_encoding
    try:
        return codecs.lookup(charset).name if charset else "utf-8"
    except LookupError:  # a charset Python does not know: UTF-8, as httpx falls back
        return "utf-8"


def decode_json_body(response: httpx.Response) -> object:
    """Strictly decode a JSON body, raising a typed error on bad UTF-8 or bad JSON."""
    encoding = _json_encoding(response)
    try:
        text = response.content.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise APIResponseValidationError(
            response, None, f"Response body is not valid {encoding}: {exc}"
        ) from exc
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:  # RecursionError: hostile nesting depth
        raise APIResponseValidationError(
            response, text[:2000], f"Expected a JSON response body but could not parse it: {exc}"
        ) from exc


def _is_json(response: httpx.Response) -> bool:
    media = str(response.headers.get("content-type", "")).partition(";")[0].strip().lower()
    return media.endswith(("/json", "+json"))


def _is_binary_type(cast_to: Any) -> bool:
    return isinstance(cast_to, type) and issubclass(cast_to, (BinaryResponse, AsyncBinaryResponse))


def parse_response(
    *,
    cast_to: Any,
    response: httpx.Response,
    client: SyncAPIClient | AsyncAPIClient | None,
    stream: bool,
    stream_cls: type[Stream[Any] | AsyncStream[Any]] | None,
) -> Any:
    """Turn a successful response into `cast_to` (see docs/runtime.md for the rules)."""
    if stream:
        cls: Any = stream_cls or (
            AsyncStream if isinstance(response.stream, httpx.AsyncByteStream) else Stream
        )
        return cls(cast_to=cast_to, response=response, client=client)
    if cast_to is None:
        return None
    if cast_to is httpx.Response:
        return response
    if _is_binary_type(cast_to):
        return cast_to(response)
    if cast_to is bytes:
        return response.content
    if cast_to is str:
        return response.text
    if not response.content:
        return None
    strict = client is not None and client.strict_response_validation
    try:
        data = decode_json_body(response)
    except APIResponseValidationError:
        if strict or _is_json(response):
            raise
        # A server that answers with text where JSON was declared: hand over the text rather
        # than fail a call that succeeded (strict mode raises).
        logger.debug(
            "Expected JSON but got %r; returning the text", response.headers.get("content-type")
        )
        return response.text
    return construct_response(cast_to, data, response=response, strict=strict)


def _interrupted(response: httpx.Response, exc: httpx.TransportError) -> APIError:
    """A transport failure while reading a body the caller streams (`with_streaming_response`,
    binary downloads): the package's error, like every other failure."""
    return transport_error(response.request, exc, while_="Response body interrupted")


# --------------------------------------------------------------------------- binary bodies


class _BinaryBase:
    """A non-JSON body: the bytes as they came, never decoded to a lossy `str`."""

    response: httpx.Response

    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    @property
    def status_code(self) -> int:
        return self.response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.response.headers

    @property
    def content_type(self) -> str | None:
        value: str | None = self.response.headers.get("content-type")
        return value

    @override
    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] {self.content_type or ''}>".replace(
            " >", ">"
        )


class BinaryResponse(_BinaryBase):
    """Binary body from a sync client. Read when the call returns, unless it came through
    `with_streaming_response`, where `iter_bytes()`/`stream_to_file()` stream from the socket."""

    @property
    def content(self) -> bytes:
        return self.read()

    def read(self) -> bytes:
        try:
            return self.response.read()
        except httpx.TransportError as exc:
            raise _interrupted(self.response, exc) from exc

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        try:
            yield from self.response.iter_bytes(chunk_size)
        except httpx.TransportError as exc:
            raise _interrupted(self.response, exc) from exc
        finally:
            self.response.close()

    def write_to_file(self, file: str | os.PathLike[str]) -> None:
        """Write the whole body to `file`."""
        with open(file, "wb") as out:
            out.write(self.content)

    def stream_to_file(
        self, file: str | os.PathLike[str], *, chunk_size: int | None = None
    ) -> None:
        """Copy the body to `file` chunk by chunk (constant memory when streamed)."""
        with open(file, "wb") as out:
            out.writelines(self.iter_bytes(chunk_size))

    def close(self) -> None:
        self.response.close()


class AsyncBinaryResponse(_BinaryBase):
    """Binary body from an async client; mirrors `BinaryResponse` with awaitables."""

    @property
    def content(self) -> bytes:
        return self.response.content  # read unless it came through with_streaming_response

    async def read(self) -> bytes:
        try:
            return await self.response.aread()
        except httpx.TransportError as exc:
            raise _interrupted(self.response, exc) from exc

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        try:
            async for chunk in self.response.aiter_bytes(chunk_size):
                yield chunk
        except httpx.TransportError as exc:
            raise _interrupted(self.response, exc) from exc
        finally:
            await self.response.aclose()

    async def write_to_file(self, file: str | os.PathLike[str]) -> None:
        data = await self.read()
        async with await anyio.open_file(file, "wb") as out:
            await out.write(data)

    async def stream_to_file(
        self, file: str | os.PathLike[str], *, chunk_size: int | None = None
    ) -> None:
        async with await anyio.open_file(file, "wb") as out:
            async for chunk in self.iter_bytes(chunk_size):
                await out.write(chunk)

    async def close(self) -> None:
        await self.response.aclose()


# --------------------------------------------------------------------------- raw responses


class _BaseAPIResponse(Generic[_R]):
    """Shared accessors of the raw HTTP response."""

    http_response: httpx.Response
    retries_taken: int
    """How many retries it took to get this response (0 = the first attempt)."""

    def __init__(
        self,
        *,
        raw: httpx.Response,
        cast_to: Any,
        client: Any,
        stream: bool = False,
        stream_cls: Any = None,
        retries_taken: int = 0,
    ) -> None:
        self.http_response = raw
        self.retries_taken = retries_taken
        self._cast_to = cast_to
        self._client = client
        self._stream = stream
        self._stream_cls = stream_cls
        self._parsed: Any = _UNSET

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def http_request(self) -> httpx.Request:
        return self.http_response.request

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    @property
    def elapsed(self) -> datetime.timedelta:
        return self.http_response.elapsed

    @property
    def is_closed(self) -> bool:
        return self.http_response.is_closed

    @override
    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] type={self._cast_to!r}>"

    def _reads_body(self) -> bool:
        """Whether parse() needs the whole body first (not for SSE streams or binary bodies)."""
        return not self._stream and not _is_binary_type(self._cast_to)

    def _parse(self) -> _R:
        if self._parsed is _UNSET:
            self._parsed = parse_response(
                cast_to=self._cast_to,
                response=self.http_response,
                client=self._client,
                stream=self._stream,
                stream_cls=self._stream_cls,
            )
        return cast(_R, self._parsed)


_UNSET: Any = object()


class APIResponse(_BaseAPIResponse[_R]):
    """Response from a sync client; `.parse()` gives what the normal method would return.

    From `with_raw_response` the body is already read; from `with_streaming_response` it is
    read only when asked (`read`, `iter_bytes`, `iter_text`, `iter_lines`, `parse`).
    """

    @property
    def content(self) -> bytes:
        return self.read()

    @property
    def text(self) -> str:
        self.read()
        return self.http_response.text

    def json(self) -> object:
        self.read()
        return decode_json_body(self.http_response)

    def read(self) -> bytes:
        try:
            return self.http_response.read()
        except httpx.TransportError as exc:
            raise _interrupted(self.http_response, exc) from exc

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        try:
            yield from self.http_response.iter_bytes(chunk_size)
        except httpx.TransportError as exc:
            raise _interrupted(self.http_response, exc) from exc

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        try:
            yield from self.http_response.iter_text(chunk_size)
        except httpx.TransportError as exc:
            raise _interrupted(self.http_response, exc) from exc

    def iter_lines(self) -> Iterator[str]:
        try:
            yield from self.http_response.iter_lines()
        except httpx.TransportError as exc:
            raise _interrupted(self.http_response, exc) from exc

    def parse(self) -> _R:
        """Parse (once) into the method's return type."""
        if self._reads_body():
            self.read()
        return self._parse()

    def close(self) -> None:
        self.http_response.close()


class AsyncAPIResponse(_BaseAPIResponse[_R]):
    """Response from an async client; body accessors are awaitable."""

    async def read(self) -> bytes:
        try:
            return await self.http_response.aread()
        except httpx.TransportError as exc:
            raise _interrupted(self.http_response, exc) from exc

    @property
    def content(self) -> bytes:
        return self.http_response.content  # already read unless streaming

    @property
    def text(self) -> str:
        return self.http_response.text  # already read unless streaming

    async def json(self) -> object:
        await self.read()
        return decode_json_body(self.http_response)

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        try:
            async for chunk in self.http_response.aiter_bytes(chunk_size):
                yield chunk
        except httpx.TransportError as exc:
            raise _interrupted(self.http_response, exc) from exc

    async def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        try:
            async for chunk in self.http_response.aiter_text(chunk_size):
                yield chunk
        except httpx.TransportError as exc:
            raise _interrupted(self.http_response, exc) from exc

    async def iter_lines(self) -> AsyncIterator[str]:
        try:
            async for line in self.http_response.aiter_lines():
                yield line
        except httpx.TransportError as exc:
            raise _interrupted(self.http_response, exc) from exc

    async def parse(self) -> _R:
        """Parse (once) into the method's return type."""
        if self._reads_body():
            await self.read()
        return self._parse()

    async def close(self) -> None:
        await self.http_response.aclose()


class ResponseContextManager(Generic[_R]):
    """`with client.with_streaming_response.x(...) as response:`; the call is sent on entry and
    the connection released on exit, however the block ends."""

    def __init__(self, send: Callable[[], APIResponse[_R]]) -> None:
        self._send = send
        self._response: APIResponse[_R] | None = None

    def __enter__(self) -> APIResponse[_R]:
        self._response = self._send()
        return self._response

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._response is not None:
            self._response.close()


class AsyncResponseContextManager(Generic[_R]):
    """`async with` counterpart of `ResponseContextManager`."""

    def __init__(self, send: Callable[[], Awaitable[AsyncAPIResponse[_R]]]) -> None:
        self._send = send
        self._response: AsyncAPIResponse[_R] | None = None

    async def __aenter__(self) -> AsyncAPIResponse[_R]:
        self._response = await self._send()
        return self._response

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._response is not None:
            await self._response.close()


def _with_mode(kwargs: dict[str, Any], mode: ResponseMode) -> None:
    extra: dict[str, Any] = dict(kwargs.get("extra_headers") or {})
    extra[RAW_RESPONSE_HEADER] = mode
    kwargs["extra_headers"] = extra


def to_raw_response_wrapper(func: Callable[_P, _R]) -> Callable[_P, APIResponse[_R]]:
    """Wrap a generated sync method so it returns `APIResponse[R]` instead of `R`."""

    @functools.wraps(func)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> APIResponse[_R]:
        _with_mode(kwargs, "raw")
        return cast(APIResponse[_R], func(*args, **kwargs))

    return wrapped


def async_to_raw_response_wrapper(
    func: Callable[_P, Awaitable[_R]],
) -> Callable[_P, Awaitable[AsyncAPIResponse[_R]]]:
    """Wrap a generated async method so it returns `AsyncAPIResponse[R]` instead of `R`."""

    @functools.wraps(func)
    async def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> AsyncAPIResponse[_R]:
        _with_mode(kwargs, "raw")
        return cast(AsyncAPIResponse[_R], await func(*args, **kwargs))

    return wrapped


def to_streamed_response_wrapper(
    func: Callable[_P, _R],
) -> Callable[_P, ResponseContextManager[_R]]:
    """Wrap a generated sync method so it returns a context manager over an unread response."""

    @functools.wraps(func)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> ResponseContextManager[_R]:
        _with_mode(kwargs, "stream")
        return ResponseContextManager(lambda: cast(APIResponse[_R], func(*args, **kwargs)))

    return wrapped


def async_to_streamed_response_wrapper(
    func: Callable[_P, Awaitable[_R]],
) -> Callable[_P, AsyncResponseContextManager[_R]]:
    """Async counterpart of `to_streamed_response_wrapper` (use with `async with`)."""

    @functools.wraps(func)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> AsyncResponseContextManager[_R]:
        _with_mode(kwargs, "stream")

        async def send() -> AsyncAPIResponse[_R]:
            return cast(AsyncAPIResponse[_R], await func(*args, **kwargs))

        return AsyncResponseContextManager(send)

    return wrapped
