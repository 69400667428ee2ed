"""HTTP plumbing shared by every generated client: request building, auth, retries, redirects.

Generated methods only describe a call (`RequestOptions`); everything about *how* it goes over
the wire lives here so it is written (and tested) once.
"""

from __future__ import annotations

import email.utils
import json
import logging
import os
import random
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from types import TracebackType
from typing import Any, cast
from urllib.parse import quote

import anyio
import httpx
from typing_extensions import Self, override

from ._auth import ApiKeyAuth, BasicAuth, BearerAuth
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    status_error_class,
    status_error_message,
)
from ._logs import logger, redact, register_secrets
from ._pagination import AsyncPaginator, Pagination, SyncPage, request_sync_page
from ._qs import QueryParam, serialize_query
from ._response import RAW_RESPONSE_HEADER, APIResponse, AsyncAPIResponse, parse_response
from ._streaming import AsyncStream, Stream
from ._types import NOT_GIVEN, Headers, NotGiven, Omit, Query, Timeout
from ._utils import format_scalar, to_jsonable

__all__ = [
    "DEFAULT_CONNECTION_LIMITS",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "AsyncAPIClient",
    "RequestOptions",
    "SyncAPIClient",
]

DEFAULT_TIMEOUT = httpx.Timeout(timeout=60.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
DEFAULT_CONNECTION_LIMITS = httpx.Limits(max_connections=1000, max_keepalive_connections=100)
MAX_REDIRECTS = 20

AuthScheme = ApiKeyAuth | BearerAuth | BasicAuth


@dataclass
class RequestOptions:
    """Everything a generated method knows about one call; see docs/runtime.md."""

    method: str
    path: str
    path_params: Mapping[str, object] = field(default_factory=dict[str, object])
    query: Sequence[QueryParam] = ()
    headers: Mapping[str, object] = field(default_factory=dict[str, object])
    cookies: Mapping[str, object] = field(default_factory=dict[str, object])
    json_body: object = NOT_GIVEN
    form_body: Mapping[str, object] | NotGiven | None = None
    multipart: Mapping[str, object] | NotGiven | None = None
    content: bytes | str | NotGiven | None = None
    """A raw body (text is sent UTF-8 encoded); ``NOT_GIVEN`` when an optional body was omitted."""
    content_type: str | None = None
    extra_headers: Headers | None = None
    extra_query: Query | None = None
    extra_body: Mapping[str, object] | None = None
    timeout: Timeout | NotGiven = NOT_GIVEN
    max_retries: int | NotGiven = NOT_GIVEN
    idempotency_key: str | None = None

    @override
    def __repr__(self) -> str:
        # Header/cookie values may carry user-supplied credentials: never print them.
        parts: list[str] = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("headers", "extra_headers", "cookies") and value:
                value = {k: "[REDACTED]" for k in value}
            parts.append(f"{f.name}={value!r}")
        return redact(f"RequestOptions({', '.join(parts)})")


class _SafeRequest(httpx.Request):
    """An httpx.Request whose repr cannot leak an apiKey carried in the query string."""

    @override
    def __repr__(self) -> str:
        return f"<Request({self.method!r}, {redact(str(self.url))!r})>"


# --------------------------------------------------------------------------- request building

_PATH_PARAM = re.compile(r"\{([^{}]+)\}")
_JSON_CONTENT_TYPE = "application/json"
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"


def _render_path(template: str, params: Mapping[str, object]) -> str:
    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        value = params.get(name, NOT_GIVEN)
        text = "" if isinstance(value, NotGiven) else format_scalar(value)
        if not text:
            # An empty segment would silently hit a different route.
            raise ValueError(f"Expected a non-empty value for path parameter {name!r}")
        return quote(text, safe="")

    return _PATH_PARAM.sub(substitute, template)


def _header_value(value: object) -> str | None:
    if isinstance(value, (NotGiven, Omit)) or value is None:
        return None
    if isinstance(value, (list, tuple)):
        items = cast(Sequence[object], value)
        return ",".join(format_scalar(v) for v in items if not isinstance(v, NotGiven))
    return format_scalar(value)


def _override_params(
    params: list[tuple[str, str]], overrides: Sequence[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Later sources replace every earlier value of the same name."""
    if not overrides:
        return params
    names = {name for name, _ in overrides}
    return [p for p in params if p[0] not in names] + list(overrides)


def _plain_query(query: Mapping[str, object] | None) -> list[tuple[str, str]]:
    return serialize_query([QueryParam(k, v) for k, v in (query or {}).items()])


def _is_file(value: object) -> bool:
    if isinstance(value, (bytes, bytearray)) or hasattr(value, "read"):
        return True
    if isinstance(value, tuple):
        parts = cast(tuple[object, ...], value)
        if len(parts) not in (2, 3):
            return False
        content = parts[1]
        return isinstance(content, (bytes, bytearray)) or hasattr(content, "read")
    return False


def _file_part(value: Any) -> tuple[str | None, bytes, str | None]:
    if isinstance(value, tuple):
        parts = cast(tuple[Any, ...], value)
        filename: str | None = parts[0]
        content: Any = parts[1]
        content_type: str | None = parts[2] if len(parts) == 3 else None
    else:
        filename = os.path.basename(str(getattr(value, "name", ""))) or "upload"
        content, content_type = value, None
    data: bytes | str = content.read() if hasattr(content, "read") else bytes(content)
    if isinstance(data, str):
        data = data.encode("utf-8")
    return filename, data, content_type


def _multipart_parts(
    fields_: Mapping[str, object],
) -> list[tuple[str, tuple[str | None, bytes, str | None]]]:
    """Every field becomes a part; non-file fields are parts without a filename."""
    parts: list[tuple[str, tuple[str | None, bytes, str | None]]] = []
    for name, value in fields_.items():
        if isinstance(value, NotGiven) or value is None:
            continue
        values = cast(list[object], value) if isinstance(value, list) else [value]
        for item in values:
            if _is_file(item):
                parts.append((name, _file_part(item)))
            elif isinstance(item, (dict, list)):
                parts.append((name, (None, json.dumps(to_jsonable(item)).encode(), None)))
            else:
                parts.append((name, (None, format_scalar(item).encode("utf-8"), None)))
    return parts


# --------------------------------------------------------------------------- retry policy


def _retry_after_seconds(headers: httpx.Headers) -> float | None:
    """Server-suggested delay from `retry-after-ms` or `Retry-After` (seconds or HTTP date)."""
    try:
        return float(headers["retry-after-ms"]) / 1000
    except (KeyError, ValueError):
        pass
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        return float(raw)
    except ValueError:
        parsed = email.utils.parsedate_tz(raw)
        if parsed is None:
            return None
        return email.utils.mktime_tz(parsed) - time.time()


def _should_retry(response: httpx.Response) -> bool:
    forced = response.headers.get("x-should-retry", "").lower()
    if forced == "true":
        return True
    if forced == "false":
        return False
    return response.status_code in (408, 409, 429) or response.status_code >= 500


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host, url.port or default


def _response_body(response: httpx.Response) -> object | None:
    """Best-effort decoded error body: JSON if possible, else text, else None."""
    if not response.content:
        return None
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError):
        return response.content.decode("utf-8", errors="replace")


class _BaseClient:
    """State and pure logic shared by the sync and async clients."""

    _initial_retry_delay: float = 0.5
    _max_retry_delay: float = 8.0

    def __init__(
        self,
        *,
        base_url: str | httpx.URL,
        credential: str | None,
        auth: AuthScheme | None,
        timeout: Timeout | NotGiven,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        default_query: Mapping[str, object] | None,
        user_agent: str,
    ) -> None:
        url = httpx.URL(base_url)
        if not url.raw_path.endswith(b"/"):
            url = url.copy_with(raw_path=url.raw_path + b"/")
        self.base_url = url
        self.timeout: Timeout = DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else timeout
        self.max_retries = max_retries
        self._credential = credential
        self._auth = auth
        self._custom_headers: dict[str, str] = dict(default_headers or {})
        self._custom_query: dict[str, object] = dict(default_query or {})
        self._user_agent = user_agent
        if credential and auth is not None:
            register_secrets(auth.secret_forms(credential))

    @override
    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} base_url={str(self.base_url)!r} auth={self._auth!r} "
            f"max_retries={self.max_retries}>"
        )

    def _copy_kwargs(self) -> dict[str, Any]:
        """Constructor arguments reproducing this client (shares the HTTP connection pool)."""
        return {
            "base_url": self.base_url,
            "credential": self._credential,
            "auth": self._auth,
            "timeout": self.timeout,
            "max_retries": self.max_retries,
            "default_headers": dict(self._custom_headers),
            "default_query": dict(self._custom_query),
            "http_client": self._http_client(),
            "user_agent": self._user_agent,
        }

    def _http_client(self) -> httpx.Client | httpx.AsyncClient:
        raise NotImplementedError

    # ---- building

    def _build_request(self, options: RequestOptions, *, stream: bool) -> _SafeRequest:
        path = _render_path(options.path, options.path_params).lstrip("/")
        path = quote(path, safe=_PATH_SAFE)  # literal non-ASCII in templates; keeps our escapes
        url = self.base_url.copy_with(raw_path=self.base_url.raw_path + path.encode("ascii"))

        headers = httpx.Headers()
        headers["Accept"] = "text/event-stream" if stream else _JSON_CONTENT_TYPE
        headers["User-Agent"] = self._user_agent
        headers.update(self._custom_headers)

        auth_headers: dict[str, str] = {}
        auth_params: dict[str, str] = {}
        cookies: dict[str, str] = {}
        for name, value in options.cookies.items():
            text = _header_value(value)
            if text is not None:
                cookies[name] = text
        if self._auth is not None and self._credential:
            self._auth.apply(self._credential, auth_headers, auth_params, cookies)
        headers.update(auth_headers)

        params = _plain_query(self._custom_query)
        params = _override_params(params, serialize_query(options.query))
        params = _override_params(params, list(auth_params.items()))
        params = _override_params(params, _plain_query(options.extra_query))

        content, content_type, files = self._build_body(options)
        if content_type is not None:
            headers["Content-Type"] = content_type

        for name, value in options.headers.items():
            text = _header_value(value)
            if text is not None:
                headers[name] = text
        if options.idempotency_key is not None:
            headers["Idempotency-Key"] = options.idempotency_key
        for name, value in (options.extra_headers or {}).items():
            if isinstance(value, Omit):
                headers.pop(name, None)
            else:
                headers[name] = value
        if cookies:
            jar = "; ".join(f"{k}={v}" for k, v in cookies.items())
            existing = headers.get("Cookie")
            headers["Cookie"] = f"{existing}; {jar}" if existing else jar
        if files is not None:
            headers.pop("Content-Type", None)  # httpx adds it with the boundary

        timeout = options.timeout if not isinstance(options.timeout, NotGiven) else self.timeout
        if not isinstance(timeout, httpx.Timeout):
            timeout = httpx.Timeout(timeout)
        return _SafeRequest(
            options.method.upper(),
            url,
            # None when there is no query at all: httpx then reuses the parsed URL instead of
            # parsing it again (a query in base_url is still replaced, as before).
            params=httpx.QueryParams(tuple(params)) if params or url.query else None,
            headers=headers,
            content=content,
            files=files,
            extensions={"timeout": timeout.as_dict()},
        )

    def _build_body(
        self, options: RequestOptions
    ) -> tuple[bytes | None, str | None, list[Any] | None]:
        """Return (content, content_type, multipart files) for the one body kind in use."""
        extra = dict(options.extra_body or {})
        if options.multipart is not None and not isinstance(options.multipart, NotGiven):
            return None, None, _multipart_parts({**options.multipart, **extra})
        if options.form_body is not None and not isinstance(options.form_body, NotGiven):
            pairs = _plain_query({**options.form_body, **extra})
            encoded = str(httpx.QueryParams(tuple(pairs))).encode("ascii")
            return encoded, "application/x-www-form-urlencoded", None
        if options.content is not None and not isinstance(options.content, NotGiven):
            raw = options.content.encode("utf-8") if isinstance(options.content, str) else options.content
            return raw, options.content_type or "application/octet-stream", None
        body = options.json_body
        if isinstance(body, NotGiven) and not extra:
            return None, None, None
        data: Any = None if isinstance(body, NotGiven) else to_jsonable(body)
        if extra:
            data = {**data, **to_jsonable(extra)} if isinstance(data, dict) else to_jsonable(extra)
        encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return encoded, options.content_type or _JSON_CONTENT_TYPE, None

    @staticmethod
    def _split_raw_marker(options: RequestOptions) -> tuple[RequestOptions, bool]:
        """Remove the raw-response marker header so it never reaches the wire."""
        extra = options.extra_headers or {}
        marker = next((k for k in extra if k.lower() == RAW_RESPONSE_HEADER.lower()), None)
        if marker is None:
            return options, False
        remaining = {k: v for k, v in extra.items() if k != marker}
        return replace(options, extra_headers=remaining), extra[marker] == "raw"

    @staticmethod
    def _prepare_options(options: RequestOptions) -> RequestOptions:
        # File objects can only be read once; read them now so retries resend the same bytes.
        if not options.multipart or isinstance(options.multipart, NotGiven):
            return options
        prepared: dict[str, object] = {}
        for name, value in options.multipart.items():
            if isinstance(value, list):
                items: list[object] = value  # pyright: ignore[reportUnknownVariableType]
                prepared[name] = [_file_part(v) if _is_file(v) else v for v in items]
            else:
                prepared[name] = _file_part(value) if _is_file(value) else value
        return replace(options, multipart=prepared)

    # ---- retries, redirects, errors

    def _max_retries_for(self, options: RequestOptions) -> int:
        return self.max_retries if isinstance(options.max_retries, NotGiven) else options.max_retries

    def _retry_delay(self, retries_taken: int, response: httpx.Response | None) -> float:
        if response is not None:
            suggested = _retry_after_seconds(response.headers)
            if suggested is not None and 0 < suggested <= 60:
                return suggested
        delay = min(self._initial_retry_delay * 2**retries_taken, self._max_retry_delay)
        return delay * (1 - 0.25 * random.random())

    def _log_retry(
        self, request: httpx.Request, delay: float, retries_taken: int, max_retries: int, why: str
    ) -> None:
        logger.debug(
            "Retrying %s %s in %.2f seconds (retry %d of %d) after %s",
            request.method,
            request.url.path,
            delay,
            retries_taken + 1,
            max_retries,
            why,
        )

    def _next_redirect(self, request: httpx.Request, response: httpx.Response) -> httpx.URL | None:
        """Where to follow a redirect to, or None to hand the 3xx back (other origins)."""
        if not response.has_redirect_location:
            return None
        target = request.url.join(response.headers["location"])
        if _origin(target) != _origin(request.url):
            logger.debug("Not following redirect to a different origin: %s", redact(str(target)))
            return None
        return target

    @staticmethod
    def _redirect_request(
        request: httpx.Request, response: httpx.Response, target: httpx.URL
    ) -> _SafeRequest:
        method = request.method
        status = response.status_code
        if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
            method = "GET"
        headers = httpx.Headers(request.headers)
        headers["Host"] = target.netloc.decode("ascii")
        if method != request.method:
            for name in ("Content-Type", "Content-Length", "Transfer-Encoding"):
                headers.pop(name, None)
            stream = None
        else:
            stream = request.stream
        return _SafeRequest(
            method, target, headers=headers, stream=stream, extensions=request.extensions
        )

    def _make_status_error(self, response: httpx.Response) -> APIStatusError:
        body = _response_body(response)
        message = status_error_message(response.status_code, body)
        if response.has_redirect_location:
            message += " (redirect to a different origin not followed)"
        logger.debug("Request failed: %s", redact(message))
        return status_error_class(response.status_code)(redact(message), response, body)


class SyncAPIClient(_BaseClient):
    """Blocking client base; generated clients subclass it."""

    _client: httpx.Client

    def __init__(
        self,
        *,
        base_url: str | httpx.URL,
        credential: str | None,
        auth: AuthScheme | None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx.Client | None = None,
        user_agent: str,
    ) -> None:
        super().__init__(
            base_url=base_url,
            credential=credential,
            auth=auth,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            user_agent=user_agent,
        )
        self._owns_client = http_client is None
        self._client = http_client or httpx.Client(
            limits=DEFAULT_CONNECTION_LIMITS, follow_redirects=False
        )

    @override
    def _http_client(self) -> httpx.Client:
        return self._client

    def request(
        self,
        cast_to: Any,
        options: RequestOptions,
        *,
        stream: bool = False,
        stream_cls: type[Stream[Any]] | None = None,
    ) -> Any:
        """Send `options` with retries and return the parsed result (see docs/runtime.md)."""
        options, raw = self._split_raw_marker(options)
        options = self._prepare_options(options)
        max_retries = self._max_retries_for(options)
        retries_taken = 0
        while True:
            request = self._build_request(options, stream=stream)
            if logger.isEnabledFor(logging.DEBUG):  # skip rendering the URL on every call
                logger.debug("Sending %s %s", request.method, redact(str(request.url)))
            try:
                response = self._send(request, stream=stream)
            except httpx.TransportError as exc:
                if retries_taken < max_retries:
                    self._sleep(request, None, retries_taken, max_retries, type(exc).__name__)
                    retries_taken += 1
                    continue
                if isinstance(exc, httpx.TimeoutException):
                    raise APITimeoutError(request) from exc
                raise APIConnectionError(request=request) from exc
            if response.is_success:
                break
            if retries_taken < max_retries and _should_retry(response):
                response.close()
                self._sleep(request, response, retries_taken, max_retries, str(response.status_code))
                retries_taken += 1
                continue
            try:
                response.read()
            finally:
                response.close()
            raise self._make_status_error(response)

        if raw:
            return APIResponse[Any](
                raw=response, cast_to=cast_to, client=self, stream=stream, stream_cls=stream_cls
            )
        return parse_response(
            cast_to=cast_to, response=response, client=self, stream=stream, stream_cls=stream_cls
        )

    def request_page(
        self, item_type: Any, options: RequestOptions, pagination: Pagination
    ) -> SyncPage[Any]:
        """The first page of a list endpoint, a `SyncPage[item_type]` (see _pagination.py).

        With the raw-response marker it is an `APIResponse` whose `.parse()` is the page (the
        raw-response wrappers declare that type).
        """
        options, raw = self._split_raw_marker(options)
        page = request_sync_page(self, item_type, options, pagination, raw=raw)
        return cast("SyncPage[Any]", page)

    def _sleep(
        self,
        request: httpx.Request,
        response: httpx.Response | None,
        retries_taken: int,
        max_retries: int,
        why: str,
    ) -> None:
        delay = self._retry_delay(retries_taken, response)
        self._log_retry(request, delay, retries_taken, max_retries, why)
        time.sleep(delay)

    def _send(self, request: httpx.Request, *, stream: bool) -> httpx.Response:
        for _ in range(MAX_REDIRECTS + 1):
            response = self._client.send(request, stream=stream, follow_redirects=False)
            target = self._next_redirect(request, response)
            if target is None:
                return response
            response.close()
            request = self._redirect_request(request, response, target)
        raise APIError(f"Exceeded {MAX_REDIRECTS} redirects", request)

    def is_closed(self) -> bool:
        return self._client.is_closed

    def close(self) -> None:
        """Close pooled connections (only if this client created the httpx client)."""
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncAPIClient(_BaseClient):
    """Async client base; mirrors `SyncAPIClient`."""

    _client: httpx.AsyncClient

    def __init__(
        self,
        *,
        base_url: str | httpx.URL,
        credential: str | None,
        auth: AuthScheme | None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx.AsyncClient | None = None,
        user_agent: str,
    ) -> None:
        super().__init__(
            base_url=base_url,
            credential=credential,
            auth=auth,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            user_agent=user_agent,
        )
        self._owns_client = http_client is None
        self._client = http_client or httpx.AsyncClient(
            limits=DEFAULT_CONNECTION_LIMITS, follow_redirects=False
        )

    @override
    def _http_client(self) -> httpx.AsyncClient:
        return self._client

    async def request(
        self,
        cast_to: Any,
        options: RequestOptions,
        *,
        stream: bool = False,
        stream_cls: type[AsyncStream[Any]] | None = None,
    ) -> Any:
        """Send `options` with retries and return the parsed result (see docs/runtime.md)."""
        options, raw = self._split_raw_marker(options)
        options = self._prepare_options(options)
        max_retries = self._max_retries_for(options)
        retries_taken = 0
        while True:
            request = self._build_request(options, stream=stream)
            if logger.isEnabledFor(logging.DEBUG):  # skip rendering the URL on every call
                logger.debug("Sending %s %s", request.method, redact(str(request.url)))
            try:
                response = await self._send(request, stream=stream)
            except httpx.TransportError as exc:
                if retries_taken < max_retries:
                    await self._sleep(request, None, retries_taken, max_retries, type(exc).__name__)
                    retries_taken += 1
                    continue
                if isinstance(exc, httpx.TimeoutException):
                    raise APITimeoutError(request) from exc
                raise APIConnectionError(request=request) from exc
            if response.is_success:
                break
            if retries_taken < max_retries and _should_retry(response):
                await response.aclose()
                await self._sleep(
                    request, response, retries_taken, max_retries, str(response.status_code)
                )
                retries_taken += 1
                continue
            try:
                await response.aread()
            finally:
                await response.aclose()
            raise self._make_status_error(response)

        if raw:
            return AsyncAPIResponse[Any](
                raw=response, cast_to=cast_to, client=self, stream=stream, stream_cls=stream_cls
            )
        return parse_response(
            cast_to=cast_to, response=response, client=self, stream=stream, stream_cls=stream_cls
        )

    def request_page(
        self, item_type: Any, options: RequestOptions, pagination: Pagination
    ) -> AsyncPaginator[Any]:
        """A list endpoint's pages: await for the first `AsyncPage`, or iterate every item."""
        options, raw = self._split_raw_marker(options)
        return AsyncPaginator(
            client=self, item_type=item_type, options=options, pagination=pagination, raw=raw
        )

    async def _sleep(
        self,
        request: httpx.Request,
        response: httpx.Response | None,
        retries_taken: int,
        max_retries: int,
        why: str,
    ) -> None:
        delay = self._retry_delay(retries_taken, response)
        self._log_retry(request, delay, retries_taken, max_retries, why)
        await anyio.sleep(delay)

    async def _send(self, request: httpx.Request, *, stream: bool) -> httpx.Response:
        for _ in range(MAX_REDIRECTS + 1):
            response = await self._client.send(request, stream=stream, follow_redirects=False)
            target = self._next_redirect(request, response)
            if target is None:
                return response
            await response.aclose()
            request = self._redirect_request(request, response, target)
        raise APIError(f"Exceeded {MAX_REDIRECTS} redirects", request)

    def is_closed(self) -> bool:
        return self._client.is_closed

    async def close(self) -> None:
        """Close pooled connections (only if this client created the httpx client)."""
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
