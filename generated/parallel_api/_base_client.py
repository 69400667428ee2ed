"""HTTP plumbing shared by every generated client: request building, auth, retries, redirects.

Generated methods only describe a call (`RequestOptions`); everything about *how* it goes over
the wire lives here so it is written (and tested) once.
"""

from __future__ import annotations

import importlib
import json
import logging
import random
import re
import time
import uuid
import warnings
import weakref
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Collection,
    Iterable,
    Mapping,
    Sequence,
)
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from types import TracebackType
from typing import Any, ClassVar, Literal, TypeVar, cast, overload
from urllib.parse import quote

import anyio
import httpx
from typing_extensions import Self, override

from ._auth import ApiKeyAuth, BasicAuth, BearerAuth
from ._exceptions import (
    APIError,
    APIStatusError,
    APITimeoutError,
    InvalidArgumentTypeError,
    InvalidArgumentValueError,
    ResponseTooLargeError,
    status_error_class,
    status_error_message,
    transport_error,
)
from ._files import MultipartFormat, PartEncoding, multipart_parts, prepare_files
from ._logs import logger, redact, register_secrets
from ._pagination import AsyncPaginator, Pagination, SyncPage, request_sync_page
from ._qs import QueryParam, serialize_query
from ._response import (
    RAW_RESPONSE_HEADER,
    APIResponse,
    AsyncAPIResponse,
    ResponseMode,
    parse_response,
)
from ._streaming import AsyncStream, Stream
from ._types import (
    NOT_GIVEN,
    AsyncRawContent,
    Headers,
    NotGiven,
    Omit,
    Query,
    RawContent,
    RequestExtras,
    Timeout,
)
from ._utils import format_scalar, to_jsonable
from ._version import __version__

__all__ = [
    "DEFAULT_CONNECTION_LIMITS",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "HTTPX_DEFAULT_TIMEOUT",
    "AsyncAPIClient",
    "BaseClient",
    "DefaultAioHttpClient",
    "DefaultAsyncHttpxClient",
    "DefaultHttpxClient",
    "FinalRequestOptions",
    "RequestOptions",
    "SyncAPIClient",
    "make_request_options",
]

DEFAULT_TIMEOUT = httpx.Timeout(timeout=60.0, connect=5.0)
"""Fallback when the generated client names none (it usually does: ``default_timeout``)."""
HTTPX_DEFAULT_TIMEOUT = httpx.Timeout(5.0)
"""What an ``httpx.Client()`` built without a timeout has; such a client gets ours instead."""
DEFAULT_MAX_RETRIES = 2
DEFAULT_CONNECTION_LIMITS = httpx.Limits(max_connections=1000, max_keepalive_connections=100)
MAX_REDIRECTS = 20

AuthScheme = ApiKeyAuth | BearerAuth | BasicAuth
RetryPolicy = Literal["safe", "on_status"]
_T = TypeVar("_T")
_StreamT = TypeVar("_StreamT", bound=Stream[Any])
_AsyncStreamT = TypeVar("_AsyncStreamT", bound=AsyncStream[Any])

# Methods whose repetition has no further effect (RFC 9110 §9.2.2): always safe to retry.
_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
# Failures after which the server cannot have acted on the request.
_NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_NOT_PROCESSED_STATUSES = frozenset({408, 429, 503})
# Added to an operation's own server-side wait (e.g. a `timeout` query parameter) so the
# client does not give up just before the server answers.
SERVER_WAIT_MARGIN = 10.0


class DefaultHttpxClient(httpx.Client):
    """An `httpx.Client` with the generated client's defaults, to customise (proxies, ...)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
        kwargs.setdefault("limits", DEFAULT_CONNECTION_LIMITS)
        kwargs.setdefault("follow_redirects", False)
        super().__init__(**kwargs)


def DefaultAioHttpClient(**kwargs: Any) -> httpx.AsyncClient:
    """An `httpx.AsyncClient` sending through aiohttp (the optional ``aiohttp`` extra, built on
    httpx-aiohttp), with the generated client's defaults; pass it as ``http_client=``."""
    try:
        module = importlib.import_module("httpx_aiohttp")
    except ImportError as exc:
        raise RuntimeError(
            "DefaultAioHttpClient needs httpx-aiohttp: install this package's `aiohttp` extra"
        ) from exc
    kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
    kwargs.setdefault("limits", DEFAULT_CONNECTION_LIMITS)
    kwargs.setdefault("follow_redirects", False)
    client_class = cast(type[httpx.AsyncClient], module.HttpxAiohttpClient)
    return client_class(**kwargs)


class DefaultAsyncHttpxClient(httpx.AsyncClient):
    """An `httpx.AsyncClient` with the generated client's defaults."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
        kwargs.setdefault("limits", DEFAULT_CONNECTION_LIMITS)
        kwargs.setdefault("follow_redirects", False)
        super().__init__(**kwargs)


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
    file_fields: Collection[str] = ()
    """Multipart fields declared binary: their values must be files (else TypeError)."""
    encoding: Mapping[str, PartEncoding] | None = None
    """The operation's OpenAPI ``encoding`` object for multipart fields."""
    content: AsyncRawContent | NotGiven | None = None
    """A raw body (text is sent UTF-8 encoded); ``NOT_GIVEN`` when an optional body was omitted."""
    content_type: str | None = None
    extra_headers: Headers | None = None
    extra_query: Query | None = None
    extra_body: Mapping[str, object] | None = None
    timeout: Timeout | NotGiven = NOT_GIVEN
    max_retries: int | NotGiven = NOT_GIVEN
    idempotency_key: str | None = None
    server_wait: object = None
    """Seconds the server may hold this call (the operation's own timeout parameter); the read
    timeout grows to cover it unless the caller passed ``timeout``."""
    follow_redirects: bool = True
    """Follow same-origin redirects (other origins are never followed)."""
    default_headers: Mapping[str, str] = field(default_factory=dict[str, str])
    """Headers this operation always sends (config); a header argument of the same name is
    comma-joined before it (an HTTP list), and ``extra_headers`` replace both."""
    default_query: Mapping[str, str] = field(default_factory=dict[str, str])
    """Query parameters this operation always sends (config); arguments replace them."""

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
_UNSAFE_SEGMENTS = ("", ".", "..")


def _render_path(template: str, params: Mapping[str, object]) -> str:
    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        value = params.get(name, NOT_GIVEN)
        text = "" if isinstance(value, NotGiven) else format_scalar(value)
        if text in _UNSAFE_SEGMENTS:
            # An empty, "." or ".." segment would silently hit a different route.
            what = "a non-empty value" if not text else "a value other than '.' and '..'"
            raise InvalidArgumentValueError(f"Expected {what} for `{name}` but received {text!r}")
        return quote(text, safe="")

    return _PATH_PARAM.sub(substitute, template)


def _header_value(value: object) -> str | None:
    if isinstance(value, (NotGiven, Omit)) or value is None:
        return None
    if isinstance(value, (list, tuple)):
        items = cast(Sequence[object], value)
        return ",".join(format_scalar(v) for v in items if not isinstance(v, NotGiven))
    return format_scalar(value)


def _set_headers(headers: dict[str, tuple[str, str]], values: Mapping[str, str]) -> None:
    """Set each of `values` on a request's headers (keyed by lower-cased name), replacing any
    value of the same name whatever its case."""
    for name, value in values.items():
        headers[name.lower()] = (name, value)


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


_OS_NAMES = {
    "darwin": "MacOS",
    "ios": "iOS",
    "ipados": "iOS",
    "android": "Android",
    "windows": "Windows",
    "linux": "Linux",
    "freebsd": "FreeBSD",
    "openbsd": "OpenBSD",
}


@lru_cache(maxsize=1)
def _platform_facts() -> tuple[tuple[str, str], ...]:
    """What this process runs on, read once (``platform`` is imported only by clients that
    send platform headers)."""
    import platform

    system = platform.system().lower()
    machine = platform.machine().lower()
    if machine in ("arm64", "aarch64"):
        arch = "arm64"
    elif machine.startswith("arm"):
        arch = "arm"
    elif machine in ("x86_64", "amd64"):
        arch = "x64"
    elif machine in ("i386", "i686", "x86"):
        arch = "x32"
    else:
        arch = f"other:{machine or 'unknown'}"
    return (
        ("Lang", "python"),
        ("Package-Version", __version__),
        ("OS", _OS_NAMES.get(system, f"Other:{system or 'unknown'}")),
        ("Arch", arch),
        ("Runtime", platform.python_implementation()),
        ("Runtime-Version", platform.python_version()),
    )


def _platform_headers(prefix: str | None) -> dict[str, str]:
    """``<prefix>-Lang``, ``<prefix>-OS``, ...; nothing when the client sends no platform
    headers."""
    if prefix is None:
        return {}
    return {f"{prefix}-{name}": value for name, value in _platform_facts()}


def _normalize_base_url(base_url: str | httpx.URL) -> httpx.URL:
    url = httpx.URL(base_url)
    if url.scheme not in ("http", "https") or not url.host:
        raise InvalidArgumentValueError(
            f"base_url must be an absolute http(s) URL such as 'https://api.example.com', "
            f"got {str(base_url)!r}"
        )
    if not url.raw_path.endswith(b"/"):
        url = url.copy_with(raw_path=url.raw_path + b"/")
    return url


def _url_prefix(base_url: httpx.URL) -> str | None:
    """`base_url` as text that a quoted relative path can be appended to, or None when it has
    a query or fragment (then the path goes into `raw_path`, as it always did)."""
    if base_url.query or base_url.fragment:
        return None
    text = str(base_url)
    return text if text.endswith("/") else text + "/"  # httpx prints an empty path as ""


def _check_max_retries(max_retries: object) -> int:
    if max_retries is None:
        raise TypeError("max_retries cannot be None; pass 0 to disable retries")
    if not isinstance(max_retries, int) or isinstance(max_retries, bool):
        raise TypeError(f"max_retries must be an int, got {type(max_retries).__name__}")
    if max_retries < 0:
        raise InvalidArgumentValueError(f"max_retries must be >= 0, got {max_retries}")
    return max_retries


def _as_timeout(timeout: Timeout) -> httpx.Timeout:
    return timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)


def _widen_read(timeout: httpx.Timeout, server_wait: object) -> httpx.Timeout:
    if isinstance(server_wait, bool) or not isinstance(server_wait, (int, float)):
        return timeout
    wanted = float(server_wait) + SERVER_WAIT_MARGIN
    if timeout.read is None or timeout.read >= wanted:
        return timeout
    return httpx.Timeout(
        connect=timeout.connect, read=wanted, write=timeout.write, pool=timeout.pool
    )


def _cap_timeout(timeout: httpx.Timeout, remaining: float) -> httpx.Timeout:
    """Each phase's timeout, never longer than what is left of the total deadline."""

    def cap(value: float | None) -> float:
        return remaining if value is None else min(value, remaining)

    return httpx.Timeout(
        connect=cap(timeout.connect),
        read=cap(timeout.read),
        write=cap(timeout.write),
        pool=cap(timeout.pool),
    )


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
        pass
    import email.utils  # only for an HTTP-date Retry-After: not worth its import at start-up

    try:
        parsed = email.utils.parsedate_tz(raw)
        if parsed is None:
            return None
        return email.utils.mktime_tz(parsed) - time.time()
    except (ValueError, OverflowError, OSError):  # dates outside what the platform can represent
        return None


def _should_retry(response: httpx.Response) -> bool:
    forced = response.headers.get("x-should-retry", "").lower()
    if forced == "true":
        return True
    if forced == "false":
        return False
    return response.status_code in (408, 409, 429) or response.status_code >= 500


def _retry_safe(
    request: httpx.Request,
    error: Exception | None,
    response: httpx.Response | None,
    policy: RetryPolicy = "safe",
) -> bool:
    """Whether this failure of `request` may be retried under the client's `policy`.

    Idempotent methods and requests carrying an idempotency key always qualify. Any other
    request after a transport error only when it cannot have reached the server; after a
    retryable status only when that status proves the server did not act on it (``"safe"``), or
    after any retryable status (``"on_status"``: the server answered, and its API promises that
    a failed call had no effect). See docs/runtime.md.
    """
    if request.method in _IDEMPOTENT_METHODS or request.extensions.get("idempotent"):
        return True
    if error is not None:
        return isinstance(error, _NOT_SENT_ERRORS)
    if policy == "on_status":
        return True
    assert response is not None
    if response.headers.get("x-should-retry", "").lower() == "true":
        return True
    return response.status_code in _NOT_PROCESSED_STATUSES


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host, url.port or default


def _response_body(response: httpx.Response) -> object | None:
    """Best-effort decoded error body: JSON if possible, else text, else None."""
    if not response.content:
        return None
    try:
        body: object = json.loads(response.content)
    except (ValueError, RecursionError):
        return response.content.decode("utf-8", errors="replace")
    return body


class _Budget:
    """The optional bounds of one logical call: a total deadline and a maximum body size."""

    __slots__ = ("deadline", "max_bytes")

    def __init__(self, total_timeout: float | None, max_bytes: int | None) -> None:
        self.deadline = None if total_timeout is None else time.monotonic() + total_timeout
        self.max_bytes = max_bytes

    def remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()

    def check(self, request: httpx.Request, received: int, response: httpx.Response) -> None:
        if self.max_bytes is not None and received > self.max_bytes:
            raise ResponseTooLargeError(response, self.max_bytes)
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise APITimeoutError(request)


# HTTP clients handed to an API client: the first API client to receive one closes it (so
# `with Parallel(http_client=DefaultHttpxClient(...))` releases it); copies made by
# `with_options` share it and leave it open.
_CLAIMED: weakref.WeakSet[httpx.Client | httpx.AsyncClient] = weakref.WeakSet()


def _claim(http_client: httpx.Client | httpx.AsyncClient) -> bool:
    if http_client in _CLAIMED:
        return False
    _CLAIMED.add(http_client)
    return True


class BaseClient:
    """State and pure logic shared by the sync and async clients."""

    _initial_retry_delay: float = 0.5
    _max_retry_delay: float = 8.0
    default_timeout: ClassVar[httpx.Timeout] = DEFAULT_TIMEOUT
    """The generated client sets this from its config or the API (docs/runtime.md)."""
    idempotency_header: ClassVar[str | None] = None
    """When set, non-idempotent calls carry this header with a key reused on every retry."""
    retry_non_idempotent: ClassVar[RetryPolicy] = "safe"
    """Which failed POST/PATCH calls retry (see `_retry_safe`); the generated client sets it."""
    retry_count_header: ClassVar[str | None] = None
    """When set, every attempt carries this header with the number of retries before it."""
    platform_headers: ClassVar[str | None] = None
    """When set, a header prefix: every call says its language, OS, architecture, runtime and
    package version in ``<prefix>-Lang``, ``<prefix>-OS``, ... (the API's own SDKs send them)."""
    multipart_format: ClassVar[MultipartFormat] = "openapi"

    max_retries: int
    timeout: Timeout
    strict_response_validation: bool
    """Raise `APIResponseValidationError` when a response does not match its declared type
    (default: build the object tolerantly)."""
    max_response_bytes: int | None
    total_timeout: float | None

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
        http_client_timeout: httpx.Timeout | None,
        strict_response_validation: bool,
        max_response_bytes: int | None,
        total_timeout: float | None,
    ) -> None:
        self.base_url = base_url
        if isinstance(timeout, NotGiven):
            # A custom http_client's own timeout wins, unless it is httpx's 5 s default.
            custom = (
                http_client_timeout is not None and http_client_timeout != HTTPX_DEFAULT_TIMEOUT
            )
            timeout = http_client_timeout if custom else self.default_timeout
        self.timeout = timeout
        self.max_retries = _check_max_retries(max_retries)
        self.strict_response_validation = strict_response_validation
        self.max_response_bytes = max_response_bytes
        self.total_timeout = total_timeout
        self._credential = credential
        self._auth = auth
        self._custom_headers: dict[str, str] = dict(default_headers or {})
        self._custom_query: dict[str, object] = dict(default_query or {})
        self._header_template: dict[str, tuple[str, str]] | None = None
        self._user_agent = user_agent
        if credential and auth is not None:
            register_secrets(auth.secret_forms(credential))

    @property
    def base_url(self) -> httpx.URL:
        return self._base_url

    @base_url.setter
    def base_url(self, url: str | httpx.URL) -> None:
        self._base_url = _normalize_base_url(url)
        self._base_url_prefix: str | None = _url_prefix(self._base_url)

    @property
    def default_headers(self) -> dict[str, str]:
        """Headers sent on every call (without credentials); per-call headers override them."""
        return {
            "Accept": _JSON_CONTENT_TYPE,
            "User-Agent": self._user_agent,
            **_platform_headers(self.platform_headers),
            **self._custom_headers,
        }

    @property
    def default_query(self) -> dict[str, object]:
        return dict(self._custom_query)

    @override
    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} base_url={str(self.base_url)!r} auth={self._auth!r} "
            f"max_retries={self.max_retries}>"
        )

    def _copy_options(
        self,
        *,
        base_url: str | httpx.URL | None,
        timeout: Timeout | NotGiven,
        max_retries: int | NotGiven,
        default_headers: Mapping[str, str] | None,
        set_default_headers: Mapping[str, str] | None,
        default_query: Mapping[str, object] | None,
        set_default_query: Mapping[str, object] | None,
        http_client: httpx.Client | httpx.AsyncClient | None,
        strict_response_validation: bool | None,
        max_response_bytes: int | None | NotGiven,
        total_timeout: float | None | NotGiven,
    ) -> dict[str, Any]:
        """Generated `with_options`/`copy`: the settings of a copy, given what changes.

        ``default_headers`` merges into the current ones, ``set_default_headers`` replaces
        them (the same for query); unset values are kept.
        """
        if default_headers is not None and set_default_headers is not None:
            raise ValueError(
                "`default_headers` and `set_default_headers` arguments are mutually exclusive"
            )
        if default_query is not None and set_default_query is not None:
            raise ValueError(
                "`default_query` and `set_default_query` arguments are mutually exclusive"
            )
        headers = (
            dict(set_default_headers)
            if set_default_headers is not None
            else {
                **self._custom_headers,
                **(default_headers or {}),
            }
        )
        query = (
            dict(set_default_query)
            if set_default_query is not None
            else {
                **self._custom_query,
                **(default_query or {}),
            }
        )
        return {
            "base_url": base_url if base_url is not None else self.base_url,
            "timeout": self.timeout if isinstance(timeout, NotGiven) else timeout,
            "max_retries": self.max_retries if isinstance(max_retries, NotGiven) else max_retries,
            "default_headers": headers,
            "default_query": query,
            "http_client": http_client if http_client is not None else self._http_client(),
            "strict_response_validation": self.strict_response_validation
            if strict_response_validation is None
            else strict_response_validation,
            "max_response_bytes": self.max_response_bytes
            if isinstance(max_response_bytes, NotGiven)
            else max_response_bytes,
            "total_timeout": self.total_timeout
            if isinstance(total_timeout, NotGiven)
            else total_timeout,
        }

    def _http_client(self) -> httpx.Client | httpx.AsyncClient:
        raise NotImplementedError

    def _default_header_template(self) -> dict[str, tuple[str, str]]:
        """What every request starts from: the HTTP client's own headers (Accept-Encoding, or
        what a custom client sets), then ours and the caller's defaults. Built on first use.

        Keyed by lower-cased name, so a request merges its headers with dict operations and
        builds one `httpx.Headers` at the end: copying and updating an `httpx.Headers` costs a
        scan of every header per operation, which with a dozen headers was a visible share of
        each call.
        """
        headers = httpx.Headers(self._http_client().headers)
        headers["Accept"] = _JSON_CONTENT_TYPE
        headers["User-Agent"] = self._user_agent
        headers.update(_platform_headers(self.platform_headers))
        headers.update(self._custom_headers)
        template: dict[str, tuple[str, str]] = {}
        for raw_name, raw_value in headers.raw:  # the names as given, not lower-cased
            name, value = raw_name.decode(headers.encoding), raw_value.decode(headers.encoding)
            seen = template.get(name.lower())
            template[name.lower()] = (name, f"{seen[1]}, {value}" if seen else value)
        return template

    # ---- building

    def _target_url(self, path: str) -> tuple[httpx.URL, bool]:
        """The URL for `path` and whether it is on the API's origin (so may get credentials)."""
        if path.startswith(("http://", "https://")):
            url = httpx.URL(quote(path, safe=_PATH_SAFE + "?#"))
            return url, _origin(url) == _origin(self.base_url)
        path = quote(path.lstrip("/"), safe=_PATH_SAFE)  # literal non-ASCII; keeps our escapes
        prefix = self._base_url_prefix
        if prefix is not None:  # one parse of the joined text, as httpx does for a str URL
            return httpx.URL(prefix + path), True
        base = self.base_url
        return base.copy_with(raw_path=base.raw_path + path.encode("ascii")), True

    def _build_request(
        self, options: RequestOptions, *, stream: bool = False, retries_taken: int = 0
    ) -> _SafeRequest:
        url, same_origin = self._target_url(_render_path(options.path, options.path_params))

        template = self._header_template
        if template is None:
            template = self._header_template = self._default_header_template()
        headers = dict(template)  # lower-cased name -> (name as sent, value)
        if stream:
            headers["accept"] = ("Accept", "text/event-stream")

        auth_headers: dict[str, str] = {}
        auth_params: dict[str, str] = {}
        cookies: dict[str, str] = {}
        for name, value in options.cookies.items():
            text = _header_value(value)
            if text is not None:
                cookies[name] = text
        if self._auth is not None and self._credential and same_origin:
            self._auth.apply(self._credential, auth_headers, auth_params, cookies)
        _set_headers(headers, auth_headers)

        params = _plain_query(self._custom_query)
        if options.default_query:
            params = _override_params(params, list(options.default_query.items()))
        params = _override_params(params, serialize_query(options.query))
        params = _override_params(params, list(auth_params.items()))
        params = _override_params(params, _plain_query(options.extra_query))

        content, content_type, files = self._build_body(options)
        if content_type is not None:
            headers["content-type"] = ("Content-Type", content_type)

        operation_defaults = options.default_headers
        if operation_defaults:
            _set_headers(headers, operation_defaults)
        for name, value in options.headers.items():
            text = _header_value(value)
            if text is None:
                continue
            default = operation_defaults.get(name) if operation_defaults else None
            if default and default not in (part.strip() for part in text.split(",")):
                text = f"{text},{default}"
            headers[name.lower()] = (name, text)
        if options.idempotency_key is not None:
            name = self.idempotency_header or "Idempotency-Key"
            headers[name.lower()] = (name, options.idempotency_key)
        if self.retry_count_header is not None:
            headers[self.retry_count_header.lower()] = (self.retry_count_header, str(retries_taken))
        for name, value in (options.extra_headers or {}).items():
            if isinstance(value, Omit):
                headers.pop(name.lower(), None)
            else:
                headers[name.lower()] = (name, value)
        if cookies:
            jar = "; ".join(f"{k}={v}" for k, v in cookies.items())
            existing = headers.get("cookie")
            headers["cookie"] = (
                (existing[0], f"{existing[1]}; {jar}") if existing else ("Cookie", jar)
            )
        if files is not None and "boundary=" not in headers.get("content-type", ("", ""))[1]:
            headers.pop("content-type", None)  # httpx adds it with the boundary (or the caller's)

        if isinstance(options.timeout, NotGiven):
            timeout = _widen_read(_as_timeout(self.timeout), options.server_wait)
        else:
            timeout = _as_timeout(options.timeout)
        extensions: dict[str, Any] = {"timeout": timeout.as_dict()}
        if options.idempotency_key is not None:
            extensions["idempotent"] = True
        return _SafeRequest(
            options.method.upper(),
            url,
            # None when there is no query at all: httpx then reuses the parsed URL instead of
            # parsing it again (a query in base_url is still replaced, as before).
            params=httpx.QueryParams(tuple(params)) if params or url.query else None,
            headers=list(headers.values()),
            content=content,
            files=files,
            extensions=extensions,
        )

    def _build_body(
        self, options: RequestOptions
    ) -> tuple[AsyncRawContent | None, str | None, list[Any] | None]:
        """Return (content, content_type, multipart files) for the one body kind in use."""
        extra = dict(options.extra_body or {})
        if options.multipart is not None and not isinstance(options.multipart, NotGiven):
            parts = multipart_parts(
                {**options.multipart, **extra},
                file_fields=options.file_fields,
                encoding=options.encoding,
                fmt=self.multipart_format,
            )
            return None, None, parts
        if options.form_body is not None and not isinstance(options.form_body, NotGiven):
            pairs = _plain_query({**options.form_body, **extra})
            encoded = str(httpx.QueryParams(tuple(pairs))).encode("ascii")
            return encoded, "application/x-www-form-urlencoded", None
        if options.content is not None and not isinstance(options.content, NotGiven):
            raw = (
                options.content.encode("utf-8")
                if isinstance(options.content, str)
                else options.content
            )
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
    def _split_mode(options: RequestOptions) -> tuple[RequestOptions, ResponseMode | None]:
        """Remove the raw/streaming-response marker header so it never reaches the wire."""
        extra = options.extra_headers
        if not extra:
            return options, None
        marker = next((k for k in extra if k.lower() == RAW_RESPONSE_HEADER.lower()), None)
        if marker is None:
            return options, None
        remaining = {k: v for k, v in extra.items() if k != marker}
        mode: ResponseMode = "stream" if extra[marker] == "stream" else "raw"
        return replace(options, extra_headers=remaining), mode

    def _prepare_options(self, options: RequestOptions) -> RequestOptions:
        """Once per logical call: normalize uploads (so retries resend the same bytes and bad
        values fail before sending) and fix the idempotency key every retry will reuse."""
        multipart = options.multipart
        if multipart and not isinstance(multipart, NotGiven):
            options = replace(options, multipart=prepare_files(multipart, options.file_fields))
        if (
            self.idempotency_header is not None
            and options.idempotency_key is None
            and options.method.upper() not in _IDEMPOTENT_METHODS
        ):
            options = replace(options, idempotency_key=f"apigen-retry-{uuid.uuid4()}")
        return options

    def _budget(self) -> _Budget | None:
        if self.total_timeout is None and self.max_response_bytes is None:
            return None
        return _Budget(self.total_timeout, self.max_response_bytes)

    @staticmethod
    def _bounded_request(request: _SafeRequest, budget: _Budget | None) -> _SafeRequest:
        if budget is None:
            return request
        remaining = budget.remaining()
        if remaining is None:
            return request
        if remaining <= 0:
            raise APITimeoutError(request)
        timeout = _cap_timeout(httpx.Timeout(**request.extensions["timeout"]), remaining)
        request.extensions = {**request.extensions, "timeout": timeout.as_dict()}
        return request

    # ---- retries, redirects, errors

    def _max_retries_for(self, options: RequestOptions) -> int:
        return (
            self.max_retries if isinstance(options.max_retries, NotGiven) else options.max_retries
        )

    def _calculate_retry_timeout(
        self,
        remaining_retries: int,
        options: RequestOptions,
        response_headers: httpx.Headers | None,
    ) -> float:
        """Seconds before the next attempt: the server's `Retry-After` when it is within a
        minute, else exponential backoff with jitter. Named and shaped as in Stainless-generated
        SDKs, so tests that patch it there port unchanged."""
        if response_headers is not None:
            suggested = _retry_after_seconds(response_headers)
            if suggested is not None and 0 < suggested <= 60:
                return suggested
        retries_taken = max(self._max_retries_for(options) - remaining_retries, 0)
        delay = min(
            self._initial_retry_delay * 2.0 ** min(retries_taken, 32), self._max_retry_delay
        )
        return delay * (1 - 0.25 * random.random())

    def _next_delay(
        self,
        request: httpx.Request,
        options: RequestOptions,
        retries_taken: int,
        max_retries: int,
        budget: _Budget | None,
        error: Exception | None = None,
        response: httpx.Response | None = None,
    ) -> float | None:
        """Seconds to wait before retrying, or None when this failure is final."""
        if retries_taken >= max_retries:
            return None
        if response is not None and not _should_retry(response):
            return None
        if not _retry_safe(request, error, response, self.retry_non_idempotent):
            logger.debug(
                "Not retrying %s %s: the server may have acted on it and it has no idempotency key",
                request.method,
                request.url.path,
            )
            return None
        headers = response.headers if response is not None else None
        delay = self._calculate_retry_timeout(max_retries - retries_taken, options, headers)
        remaining = budget.remaining() if budget is not None else None
        if remaining is not None and delay >= remaining:
            return None
        why = type(error).__name__ if response is None else str(response.status_code)
        logger.debug(
            "Retrying %s %s in %.2f seconds (retry %d of %d) after %s",
            request.method,
            request.url.path,
            delay,
            retries_taken + 1,
            max_retries,
            why,
        )
        return delay

    def _next_redirect(
        self, request: httpx.Request, response: httpx.Response, follow: bool
    ) -> httpx.URL | None:
        """Where to follow a redirect to, or None to hand the 3xx back (other origins)."""
        if not follow or not response.has_redirect_location:
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


class SyncAPIClient(BaseClient):
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
        strict_response_validation: bool = False,
        max_response_bytes: int | None = None,
        total_timeout: float | None = None,
    ) -> None:
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise TypeError(
                f"Invalid `http_client` argument: expected an httpx.Client, got "
                f"{type(http_client).__name__} (use the async client with httpx.AsyncClient)"
            )
        super().__init__(
            base_url=base_url,
            credential=credential,
            auth=auth,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            user_agent=user_agent,
            http_client_timeout=http_client.timeout if http_client is not None else None,
            strict_response_validation=strict_response_validation,
            max_response_bytes=max_response_bytes,
            total_timeout=total_timeout,
        )
        self._client = http_client or httpx.Client(
            limits=DEFAULT_CONNECTION_LIMITS, follow_redirects=False
        )
        self._owns_client = _claim(self._client)

    @override
    def _http_client(self) -> httpx.Client:
        return self._client

    @overload
    def request(
        self, cast_to: None, options: RequestOptions, *, stream: Literal[False] = False
    ) -> None: ...
    @overload
    def request(
        self, cast_to: type[_T], options: RequestOptions, *, stream: Literal[False] = False
    ) -> _T: ...
    @overload
    def request(
        self,
        cast_to: Any,
        options: RequestOptions,
        *,
        stream: Literal[True],
        stream_cls: type[_StreamT],
    ) -> _StreamT: ...
    @overload
    def request(
        self,
        cast_to: Any,
        options: RequestOptions,
        *,
        stream: bool = False,
        stream_cls: type[Stream[Any]] | None = None,
    ) -> Any: ...
    def request(
        self,
        cast_to: Any,
        options: RequestOptions,
        *,
        stream: bool = False,
        stream_cls: type[Stream[Any]] | None = None,
    ) -> Any:
        """Send `options` with retries and return the parsed result (see docs/runtime.md)."""
        options, mode = self._split_mode(options)
        options = self._prepare_options(options)
        max_retries = self._max_retries_for(options)
        budget = self._budget()
        unread = stream or mode == "stream"
        retries_taken = 0
        while True:
            request = self._bounded_request(
                self._build_request(options, stream=stream, retries_taken=retries_taken), budget
            )
            if logger.isEnabledFor(logging.DEBUG):  # skip rendering the URL on every call
                logger.debug("Sending %s %s", request.method, redact(str(request.url)))
            try:
                response = self._send(
                    request, unread or budget is not None, options.follow_redirects
                )
            except httpx.TransportError as exc:
                delay = self._next_delay(
                    request, options, retries_taken, max_retries, budget, error=exc
                )
                if delay is None:
                    raise transport_error(request, exc) from exc
                time.sleep(delay)
                retries_taken += 1
                continue
            if response.is_success:
                break
            delay = self._next_delay(
                request, options, retries_taken, max_retries, budget, response=response
            )
            if delay is not None:
                response.close()
                time.sleep(delay)
                retries_taken += 1
                continue
            try:
                self._read(response, budget)
            finally:
                response.close()
            raise self._make_status_error(response)

        if budget is not None and not unread:
            try:
                self._read(response, budget)
            finally:
                response.close()
        if mode is not None:
            return APIResponse[Any](
                raw=response,
                cast_to=cast_to,
                client=self,
                stream=stream,
                stream_cls=stream_cls,
                retries_taken=retries_taken,
            )
        return parse_response(
            cast_to=cast_to, response=response, client=self, stream=stream, stream_cls=stream_cls
        )

    @staticmethod
    def _read(response: httpx.Response, budget: _Budget | None) -> None:
        if budget is None:
            try:
                response.read()
            except httpx.TransportError as exc:  # a streamed call's error body, say
                raise transport_error(response.request, exc) from exc
            return
        chunks: list[bytes] = []
        received = 0
        try:
            for chunk in response.iter_bytes():
                received += len(chunk)
                budget.check(response.request, received, response)
                chunks.append(chunk)
        except httpx.TransportError as exc:
            raise transport_error(response.request, exc) from exc
        response._content = b"".join(chunks)  # pyright: ignore[reportPrivateUsage]  # what read() sets

    def request_page(
        self, item_type: Any, options: RequestOptions, pagination: Pagination
    ) -> SyncPage[Any]:
        """The first page of a list endpoint, a `SyncPage[item_type]` (see _pagination.py).

        With the raw-response marker it is an `APIResponse` whose `.parse()` is the page (the
        raw-response wrappers declare that type).
        """
        options, mode = self._split_mode(options)
        raw = mode is not None
        page = request_sync_page(self, item_type, options, pagination, raw=raw)
        return cast("SyncPage[Any]", page)

    def _send(self, request: httpx.Request, stream: bool, follow: bool) -> httpx.Response:
        for _ in range(MAX_REDIRECTS + 1):
            response = self._client.send(request, stream=stream, follow_redirects=False)
            target = self._next_redirect(request, response, follow)
            if target is None:
                return response
            response.close()
            request = self._redirect_request(request, response, target)
        raise APIError(f"Exceeded {MAX_REDIRECTS} redirects", request)

    # ---- escape hatches for endpoints the spec lacks (the client's auth, retries and errors)

    def _call(
        self,
        method: str,
        path: str,
        cast_to: Any,
        options: RequestExtras | None,
        body: object = NOT_GIVEN,
        files: Mapping[str, object] | None = None,
        content: RawContent | None = None,
        stream: bool = False,
        stream_cls: type[Stream[Any]] | None = None,
    ) -> Any:
        return self.request(
            cast_to,
            _extras_options(method, path, body, files, content, options, is_async=False),
            stream=stream,
            stream_cls=stream_cls,
        )

    @overload
    def get(
        self,
        path: str,
        *,
        cast_to: type[_T],
        options: RequestExtras | None = None,
        stream: Literal[False] = False,
    ) -> _T: ...
    @overload
    def get(
        self,
        path: str,
        *,
        cast_to: Any,
        options: RequestExtras | None = None,
        stream: Literal[True],
        stream_cls: type[_StreamT],
    ) -> _StreamT: ...
    def get(
        self,
        path: str,
        *,
        cast_to: Any,
        options: RequestExtras | None = None,
        stream: bool = False,
        stream_cls: type[Stream[Any]] | None = None,
    ) -> Any:
        """``GET path`` (relative to ``base_url``, or absolute) parsed into ``cast_to``."""
        return self._call("get", path, cast_to, options, stream=stream, stream_cls=stream_cls)

    @overload
    def post(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: object = NOT_GIVEN,
        content: RawContent | None = None,
        files: Mapping[str, object] | None = None,
        options: RequestExtras | None = None,
        stream: Literal[False] = False,
    ) -> _T: ...
    @overload
    def post(
        self,
        path: str,
        *,
        cast_to: Any,
        body: object = NOT_GIVEN,
        content: RawContent | None = None,
        files: Mapping[str, object] | None = None,
        options: RequestExtras | None = None,
        stream: Literal[True],
        stream_cls: type[_StreamT],
    ) -> _StreamT: ...
    def post(
        self,
        path: str,
        *,
        cast_to: Any,
        body: object = NOT_GIVEN,
        content: RawContent | None = None,
        files: Mapping[str, object] | None = None,
        options: RequestExtras | None = None,
        stream: bool = False,
        stream_cls: type[Stream[Any]] | None = None,
    ) -> Any:
        """``POST path`` with a JSON ``body``, multipart with ``files``, or raw ``content``."""
        return self._call("post", path, cast_to, options, body, files, content, stream, stream_cls)

    def put(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: object = NOT_GIVEN,
        content: RawContent | None = None,
        files: Mapping[str, object] | None = None,
        options: RequestExtras | None = None,
    ) -> _T:
        return cast(_T, self._call("put", path, cast_to, options, body, files, content))

    def patch(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: object = NOT_GIVEN,
        content: RawContent | None = None,
        options: RequestExtras | None = None,
    ) -> _T:
        return cast(_T, self._call("patch", path, cast_to, options, body, None, content))

    def delete(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: object = NOT_GIVEN,
        content: RawContent | None = None,
        options: RequestExtras | None = None,
    ) -> _T:
        return cast(_T, self._call("delete", path, cast_to, options, body, None, content))

    def is_closed(self) -> bool:
        return self._client.is_closed

    def close(self) -> None:
        """Close pooled connections (unless this client is a copy sharing another's pool)."""
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


class AsyncAPIClient(BaseClient):
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
        strict_response_validation: bool = False,
        max_response_bytes: int | None = None,
        total_timeout: float | None = None,
    ) -> None:
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise TypeError(
                f"Invalid `http_client` argument: expected an httpx.AsyncClient, got "
                f"{type(http_client).__name__} (use the sync client with httpx.Client)"
            )
        super().__init__(
            base_url=base_url,
            credential=credential,
            auth=auth,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            user_agent=user_agent,
            http_client_timeout=http_client.timeout if http_client is not None else None,
            strict_response_validation=strict_response_validation,
            max_response_bytes=max_response_bytes,
            total_timeout=total_timeout,
        )
        self._client = http_client or httpx.AsyncClient(
            limits=DEFAULT_CONNECTION_LIMITS, follow_redirects=False
        )
        self._owns_client = _claim(self._client)

    @override
    def _http_client(self) -> httpx.AsyncClient:
        return self._client

    @overload
    async def request(
        self, cast_to: None, options: RequestOptions, *, stream: Literal[False] = False
    ) -> None: ...
    @overload
    async def request(
        self, cast_to: type[_T], options: RequestOptions, *, stream: Literal[False] = False
    ) -> _T: ...
    @overload
    async def request(
        self,
        cast_to: Any,
        options: RequestOptions,
        *,
        stream: Literal[True],
        stream_cls: type[_AsyncStreamT],
    ) -> _AsyncStreamT: ...
    @overload
    async def request(
        self,
        cast_to: Any,
        options: RequestOptions,
        *,
        stream: bool = False,
        stream_cls: type[AsyncStream[Any]] | None = None,
    ) -> Any: ...
    async def request(
        self,
        cast_to: Any,
        options: RequestOptions,
        *,
        stream: bool = False,
        stream_cls: type[AsyncStream[Any]] | None = None,
    ) -> Any:
        """Send `options` with retries and return the parsed result (see docs/runtime.md)."""
        options, mode = self._split_mode(options)
        options = self._prepare_options(options)
        max_retries = self._max_retries_for(options)
        budget = self._budget()
        unread = stream or mode == "stream"
        retries_taken = 0
        while True:
            request = self._bounded_request(
                self._build_request(options, stream=stream, retries_taken=retries_taken), budget
            )
            if logger.isEnabledFor(logging.DEBUG):  # skip rendering the URL on every call
                logger.debug("Sending %s %s", request.method, redact(str(request.url)))
            try:
                response = await self._send(
                    request, unread or budget is not None, options.follow_redirects
                )
            except httpx.TransportError as exc:
                delay = self._next_delay(
                    request, options, retries_taken, max_retries, budget, error=exc
                )
                if delay is None:
                    raise transport_error(request, exc) from exc
                await anyio.sleep(delay)
                retries_taken += 1
                continue
            if response.is_success:
                break
            delay = self._next_delay(
                request, options, retries_taken, max_retries, budget, response=response
            )
            if delay is not None:
                await response.aclose()
                await anyio.sleep(delay)
                retries_taken += 1
                continue
            try:
                await self._read(response, budget)
            finally:
                await response.aclose()
            raise self._make_status_error(response)

        if budget is not None and not unread:
            try:
                await self._read(response, budget)
            finally:
                await response.aclose()
        if mode is not None:
            return AsyncAPIResponse[Any](
                raw=response,
                cast_to=cast_to,
                client=self,
                stream=stream,
                stream_cls=stream_cls,
                retries_taken=retries_taken,
            )
        return parse_response(
            cast_to=cast_to, response=response, client=self, stream=stream, stream_cls=stream_cls
        )

    @staticmethod
    async def _read(response: httpx.Response, budget: _Budget | None) -> None:
        if budget is None:
            try:
                await response.aread()
            except httpx.TransportError as exc:  # a streamed call's error body, say
                raise transport_error(response.request, exc) from exc
            return
        chunks: list[bytes] = []
        received = 0
        try:
            async for chunk in response.aiter_bytes():
                received += len(chunk)
                budget.check(response.request, received, response)
                chunks.append(chunk)
        except httpx.TransportError as exc:
            raise transport_error(response.request, exc) from exc
        response._content = b"".join(chunks)  # pyright: ignore[reportPrivateUsage]  # what aread() sets

    def request_page(
        self, item_type: Any, options: RequestOptions, pagination: Pagination
    ) -> AsyncPaginator[Any]:
        """A list endpoint's pages: await for the first `AsyncPage`, or iterate every item."""
        options, mode = self._split_mode(options)
        raw = mode is not None
        return AsyncPaginator(
            client=self, item_type=item_type, options=options, pagination=pagination, raw=raw
        )

    async def _send(self, request: httpx.Request, stream: bool, follow: bool) -> httpx.Response:
        for _ in range(MAX_REDIRECTS + 1):
            response = await self._client.send(request, stream=stream, follow_redirects=False)
            target = self._next_redirect(request, response, follow)
            if target is None:
                return response
            await response.aclose()
            request = self._redirect_request(request, response, target)
        raise APIError(f"Exceeded {MAX_REDIRECTS} redirects", request)

    # ---- escape hatches for endpoints the spec lacks (the client's auth, retries and errors)

    async def _call(
        self,
        method: str,
        path: str,
        cast_to: Any,
        options: RequestExtras | None,
        body: object = NOT_GIVEN,
        files: Mapping[str, object] | None = None,
        content: AsyncRawContent | None = None,
        stream: bool = False,
        stream_cls: type[AsyncStream[Any]] | None = None,
    ) -> Any:
        return await self.request(
            cast_to,
            _extras_options(method, path, body, files, content, options, is_async=True),
            stream=stream,
            stream_cls=stream_cls,
        )

    @overload
    async def get(
        self,
        path: str,
        *,
        cast_to: type[_T],
        options: RequestExtras | None = None,
        stream: Literal[False] = False,
    ) -> _T: ...
    @overload
    async def get(
        self,
        path: str,
        *,
        cast_to: Any,
        options: RequestExtras | None = None,
        stream: Literal[True],
        stream_cls: type[_AsyncStreamT],
    ) -> _AsyncStreamT: ...
    async def get(
        self,
        path: str,
        *,
        cast_to: Any,
        options: RequestExtras | None = None,
        stream: bool = False,
        stream_cls: type[AsyncStream[Any]] | None = None,
    ) -> Any:
        """``GET path`` (relative to ``base_url``, or absolute) parsed into ``cast_to``."""
        return await self._call("get", path, cast_to, options, stream=stream, stream_cls=stream_cls)

    @overload
    async def post(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: object = NOT_GIVEN,
        content: AsyncRawContent | None = None,
        files: Mapping[str, object] | None = None,
        options: RequestExtras | None = None,
        stream: Literal[False] = False,
    ) -> _T: ...
    @overload
    async def post(
        self,
        path: str,
        *,
        cast_to: Any,
        body: object = NOT_GIVEN,
        content: AsyncRawContent | None = None,
        files: Mapping[str, object] | None = None,
        options: RequestExtras | None = None,
        stream: Literal[True],
        stream_cls: type[_AsyncStreamT],
    ) -> _AsyncStreamT: ...
    async def post(
        self,
        path: str,
        *,
        cast_to: Any,
        body: object = NOT_GIVEN,
        content: AsyncRawContent | None = None,
        files: Mapping[str, object] | None = None,
        options: RequestExtras | None = None,
        stream: bool = False,
        stream_cls: type[AsyncStream[Any]] | None = None,
    ) -> Any:
        """``POST path`` with a JSON ``body``, multipart with ``files``, or raw ``content``."""
        return await self._call(
            "post", path, cast_to, options, body, files, content, stream, stream_cls
        )

    async def put(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: object = NOT_GIVEN,
        content: AsyncRawContent | None = None,
        files: Mapping[str, object] | None = None,
        options: RequestExtras | None = None,
    ) -> _T:
        return cast(_T, await self._call("put", path, cast_to, options, body, files, content))

    async def patch(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: object = NOT_GIVEN,
        content: AsyncRawContent | None = None,
        options: RequestExtras | None = None,
    ) -> _T:
        return cast(_T, await self._call("patch", path, cast_to, options, body, None, content))

    async def delete(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: object = NOT_GIVEN,
        content: AsyncRawContent | None = None,
        options: RequestExtras | None = None,
    ) -> _T:
        return cast(_T, await self._call("delete", path, cast_to, options, body, None, content))

    def is_closed(self) -> bool:
        return self._client.is_closed

    async def close(self) -> None:
        """Close pooled connections (unless this client is a copy sharing another's pool)."""
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


_BYTES_BODY_DEPRECATED = (
    "Passing raw bytes as `body` is deprecated and will be removed in a future version."
    " Please pass raw bytes via the `content` parameter instead."
)


def _extras_options(
    method: str,
    path: str,
    body: object,
    files: Mapping[str, object] | None,
    content: AsyncRawContent | None,
    options: RequestExtras | None,
    *,
    is_async: bool,
) -> RequestOptions:
    """`RequestOptions` for an escape-hatch call: ``body`` is JSON, or the non-file fields of a
    multipart body when ``files`` is given; ``content`` is a raw body (text is sent as UTF-8,
    an iterable is streamed and, since it cannot be replayed, never retried)."""
    extras: RequestExtras = options or {}
    max_retries: int | NotGiven = extras.get("max_retries", NOT_GIVEN)
    if isinstance(body, bytes) and content is None and files is None:
        # Bytes are no JSON: the caller means a raw body (the official SDKs' deprecated spelling).
        warnings.warn(_BYTES_BODY_DEPRECATED, DeprecationWarning, stacklevel=4)
        content = body
        body = NOT_GIVEN
    if content is not None:
        if not isinstance(body, NotGiven) or files is not None:
            raise InvalidArgumentTypeError("Pass either `content` or `body`/`files`, not both")
        if not _is_raw_content(content, is_async):
            kinds = (
                "bytes, str or an (async) iterable of bytes"
                if is_async
                else "bytes, str or an iterable of bytes"
            )
            raise InvalidArgumentTypeError(
                f"Expected {kinds} for `content` but received {type(content).__name__}"
            )
        if not isinstance(content, (bytes, str)):
            max_retries = 0
            if is_async and isinstance(content, Iterable):
                content = _async_chunks(content)  # httpx sends only async bodies there
        text = isinstance(content, str)
        body_options: dict[str, Any] = {
            "content": content,
            "content_type": "text/plain; charset=utf-8" if text else "application/octet-stream",
        }
    elif files is not None:
        fields_: dict[str, object] = (
            dict(cast(Mapping[str, object], body)) if isinstance(body, Mapping) else {}
        )
        fields_.update(files)
        body_options = {"multipart": fields_, "file_fields": tuple(files)}
    else:
        body_options = {"json_body": body}
    return RequestOptions(
        method=method,
        path=path,
        extra_headers=extras.get("headers"),
        extra_query=extras.get("params"),
        extra_body=extras.get("extra_json"),
        timeout=extras.get("timeout", NOT_GIVEN),
        max_retries=max_retries,
        idempotency_key=extras.get("idempotency_key"),
        follow_redirects=extras.get("follow_redirects", True),
        **body_options,
    )


# ---- request options under the names Stainless-generated SDKs use, for code ported from them


def make_request_options(
    *,
    query: Query | None = None,
    extra_headers: Headers | None = None,
    extra_query: Query | None = None,
    extra_body: Mapping[str, object] | None = None,
    timeout: Timeout | NotGiven = NOT_GIVEN,
    idempotency_key: str | None = None,
) -> RequestExtras:
    """`options=` for `client.get/post/...`: a method's per-request keywords as `RequestExtras`
    (``query`` and ``extra_query`` merge, ``extra_query`` winning)."""
    extras: RequestExtras = {}
    if query or extra_query:
        extras["params"] = {**(query or {}), **(extra_query or {})}
    if extra_headers:
        extras["headers"] = extra_headers
    if extra_body:
        extras["extra_json"] = extra_body
    if not isinstance(timeout, NotGiven):
        extras["timeout"] = timeout
    if idempotency_key is not None:
        extras["idempotency_key"] = idempotency_key
    return extras


class FinalRequestOptions:
    """One call's options spelled as in Stainless-generated SDKs (``url``, ``params``,
    ``json_data``, ``extra_json``, ``files``); constructing one gives this runtime's
    `RequestOptions`, which `_build_request` and `request` take."""

    def __new__(  # type: ignore[misc]  # a constructor of RequestOptions, not of this class
        cls,
        *,
        method: str,
        url: str,
        params: Query | None = None,
        headers: Headers | None = None,
        json_data: object = None,
        extra_json: Mapping[str, object] | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        files: Sequence[tuple[str, object]] | None = None,
        idempotency_key: str | None = None,
    ) -> RequestOptions:
        extras: RequestExtras = {}
        if params is not None:
            extras["params"] = params
        if headers is not None:
            extras["headers"] = headers
        if extra_json is not None:
            extras["extra_json"] = extra_json
        if not isinstance(timeout, NotGiven):
            extras["timeout"] = timeout
        if not isinstance(max_retries, NotGiven):
            extras["max_retries"] = max_retries
        if idempotency_key is not None:
            extras["idempotency_key"] = idempotency_key
        body = NOT_GIVEN if json_data is None else json_data
        parts = dict(files) if files is not None else None
        return _extras_options(method, url, body, parts, None, extras, is_async=False)

    @classmethod
    def construct(cls, **options: Any) -> RequestOptions:
        """Pydantic's unvalidated constructor in those SDKs; the same as calling the class here."""
        return cls.__new__(cls, **options)


def _is_raw_content(content: object, is_async: bool) -> bool:
    """bytes, str, or chunks of bytes (not a mapping or a buffer of ints, which iterate too)."""
    if isinstance(content, (bytes, str)):
        return True
    if isinstance(content, (Mapping, bytearray, memoryview)):
        return False
    return isinstance(content, Iterable) or (is_async and isinstance(content, AsyncIterable))


async def _async_chunks(chunks: Iterable[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk
