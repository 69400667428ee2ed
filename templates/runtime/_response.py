"""Response parsing and the raw-response wrapper (`client.with_raw_response.x(...)`)."""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import httpx
import pydantic
from typing_extensions import ParamSpec

from ._exceptions import APIResponseValidationError
from ._models import construct_type
from ._streaming import AsyncStream, Stream

if TYPE_CHECKING:
    from ._base_client import AsyncAPIClient, SyncAPIClient

__all__ = [
    "RAW_RESPONSE_HEADER",
    "APIResponse",
    "AsyncAPIResponse",
    "async_to_raw_response_wrapper",
    "parse_response",
    "to_raw_response_wrapper",
]

_P = ParamSpec("_P")
_R = TypeVar("_R")

# Marker header: a request carrying it gets an APIResponse back. It is stripped before sending.
RAW_RESPONSE_HEADER = "X-Runtime-Raw-Response"


def decode_json_body(response: httpx.Response) -> object:
    """Strictly decode a JSON body, raising a typed error on bad UTF-8 or bad JSON."""
    try:
        text = response.content.decode(response.encoding or "utf-8")
    except (UnicodeDecodeError, LookupError) as exc:
        raise APIResponseValidationError(
            response, None, f"Response body is not valid {response.encoding or 'utf-8'}: {exc}"
        ) from exc
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:  # RecursionError: hostile nesting depth
        raise APIResponseValidationError(
            response, text[:2000], f"Expected a JSON response body but could not parse it: {exc}"
        ) from exc


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
    if cast_to is bytes:
        return response.content
    if cast_to is str:
        return response.text
    if not response.content:
        return None
    data = decode_json_body(response)
    try:
        return construct_type(cast_to, data)
    except pydantic.ValidationError as exc:
        raise APIResponseValidationError(
            response, data, f"Response did not match the expected type: {exc}"
        ) from exc


class _BaseAPIResponse(Generic[_R]):
    """Shared accessors of the raw HTTP response."""

    http_response: httpx.Response

    def __init__(
        self,
        *,
        raw: httpx.Response,
        cast_to: Any,
        client: Any,
        stream: bool = False,
        stream_cls: Any = None,
    ) -> None:
        self.http_response = raw
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
    def url(self) -> httpx.URL:
        return self.http_response.url

    @property
    def elapsed(self) -> datetime.timedelta:
        return self.http_response.elapsed

    @property
    def is_closed(self) -> bool:
        return self.http_response.is_closed

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] type={self._cast_to!r}>"

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
    """Raw response from a sync client; `.parse()` gives what the normal method would return."""

    @property
    def content(self) -> bytes:
        return self.http_response.read()

    @property
    def text(self) -> str:
        self.http_response.read()
        return self.http_response.text

    def json(self) -> object:
        self.http_response.read()
        return decode_json_body(self.http_response)

    def read(self) -> bytes:
        return self.http_response.read()

    def parse(self) -> _R:
        """Parse (once) into the method's return type."""
        if not self._stream:
            self.http_response.read()
        return self._parse()

    def close(self) -> None:
        self.http_response.close()


class AsyncAPIResponse(_BaseAPIResponse[_R]):
    """Raw response from an async client; body accessors are awaitable."""

    async def read(self) -> bytes:
        return await self.http_response.aread()

    @property
    def content(self) -> bytes:
        return self.http_response.content  # already read unless streaming

    @property
    def text(self) -> str:
        return self.http_response.text  # already read unless streaming

    async def json(self) -> object:
        await self.http_response.aread()
        return decode_json_body(self.http_response)

    async def parse(self) -> _R:
        """Parse (once) into the method's return type."""
        if not self._stream:
            await self.http_response.aread()
        return self._parse()

    async def close(self) -> None:
        await self.http_response.aclose()


def _with_raw_header(kwargs: dict[str, Any]) -> None:
    extra: dict[str, Any] = dict(kwargs.get("extra_headers") or {})
    extra[RAW_RESPONSE_HEADER] = "raw"
    kwargs["extra_headers"] = extra


def to_raw_response_wrapper(func: Callable[_P, _R]) -> Callable[_P, APIResponse[_R]]:
    """Wrap a generated sync method so it returns `APIResponse[R]` instead of `R`."""

    @functools.wraps(func)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> APIResponse[_R]:
        _with_raw_header(kwargs)
        return cast(APIResponse[_R], func(*args, **kwargs))

    return wrapped


def async_to_raw_response_wrapper(
    func: Callable[_P, Awaitable[_R]],
) -> Callable[_P, Awaitable[AsyncAPIResponse[_R]]]:
    """Wrap a generated async method so it returns `AsyncAPIResponse[R]` instead of `R`."""

    @functools.wraps(func)
    async def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> AsyncAPIResponse[_R]:
        _with_raw_header(kwargs)
        return cast(AsyncAPIResponse[_R], await func(*args, **kwargs))

    return wrapped
