"""Exception hierarchy: one class per failure mode so callers can `except` precisely."""

from __future__ import annotations

import json
from typing import Any

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIKeyMissingError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "InvalidArgumentTypeError",
    "InvalidArgumentValueError",
    "NotFoundError",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "SDKError",
    "UnprocessableEntityError",
    "status_error_class",
    "status_error_message",
]


class SDKError(Exception):
    """Root of every error the package raises; the package exports it under its client's name."""


class InvalidArgumentValueError(SDKError, ValueError):
    """An argument's value can never make a valid request (e.g. a path parameter ``".."``)."""


class InvalidArgumentTypeError(SDKError, TypeError):
    """An argument has a type the client cannot send (e.g. a ``str`` where a file is expected)."""


class APIKeyMissingError(SDKError):
    """Raised by a generated client constructed without any credential."""


class APIError(SDKError):
    """Base of every error raised while talking to the API."""

    message: str
    request: httpx.Request
    body: object | None
    """The decoded JSON body if it was valid JSON, else the raw text, else None."""

    def __init__(self, message: str, request: httpx.Request, body: object | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body


class APIResponseValidationError(APIError):
    """The server answered successfully but the body does not match the declared type."""

    response: httpx.Response
    status_code: int

    def __init__(
        self, response: httpx.Response, body: object | None, message: str | None = None
    ) -> None:
        super().__init__(
            message or "Data returned by API invalid for expected schema.",
            response.request,
            body,
        )
        self.response = response
        self.status_code = response.status_code


class ResponseTooLargeError(APIError):
    """The response body grew past the client's ``max_response_bytes`` (decoded size)."""

    response: httpx.Response

    def __init__(self, response: httpx.Response, limit: int) -> None:
        super().__init__(
            f"Response body exceeded max_response_bytes={limit}; the rest was not read.",
            response.request,
        )
        self.response = response


class APIStatusError(APIError):
    """The server answered with a non-success status code (after any retries)."""

    response: httpx.Response
    status_code: int
    request_id: str | None

    def __init__(self, message: str, response: httpx.Response, body: object | None = None) -> None:
        super().__init__(message, response.request, body)
        self.response = response
        self.status_code = response.status_code
        self.request_id = response.headers.get("x-request-id")


class APIConnectionError(APIError):
    """No usable response: DNS, connect, reset, protocol or stream-framing failures."""

    def __init__(self, *, message: str = "Connection error.", request: httpx.Request) -> None:
        super().__init__(message, request, None)


class APITimeoutError(APIConnectionError):
    """The request exceeded its timeout (after any retries)."""

    def __init__(self, request: httpx.Request) -> None:
        super().__init__(message="Request timed out.", request=request)


def transport_error(request: httpx.Request, exc: Exception, *, while_: str = "") -> APIError:
    """The package's error for an httpx transport failure: a timeout is `APITimeoutError`,
    anything else (reset, protocol, DNS) `APIConnectionError` naming `while_` it happened."""
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(request)
    if while_:
        return APIConnectionError(message=f"{while_}: {type(exc).__name__}", request=request)
    return APIConnectionError(request=request)


class PaginationError(APIError):
    """Auto-pagination stopped: the server sent a next page that would loop or leave the API.

    `request` is the request of the last page fetched.
    """


class BadRequestError(APIStatusError):
    pass


class AuthenticationError(APIStatusError):
    pass


class PermissionDeniedError(APIStatusError):
    pass


class NotFoundError(APIStatusError):
    pass


class ConflictError(APIStatusError):
    pass


class UnprocessableEntityError(APIStatusError):
    pass


class RateLimitError(APIStatusError):
    pass


class InternalServerError(APIStatusError):
    pass


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status: int) -> type[APIStatusError]:
    """Map an HTTP status to the most specific exception class."""
    if status >= 500:
        return InternalServerError
    return _STATUS_CLASSES.get(status, APIStatusError)


def _first_str(*candidates: object) -> str | None:
    for candidate in candidates:
        if isinstance(candidate, str) and candidate:
            return candidate
    return None


def status_error_message(status: int, body: object | None) -> str:
    """Build `"Error code: 404 - <message> (ref_id: <id>)"` from common error-body shapes."""
    prefix = f"Error code: {status}"
    if isinstance(body, dict):
        data: dict[str, Any] = body  # pyright: ignore[reportUnknownVariableType]
        err = data.get("error")
        inner: dict[str, Any] = err if isinstance(err, dict) else {}  # pyright: ignore[reportUnknownVariableType]
        message = _first_str(
            inner.get("message"),
            data.get("message"),
            inner.get("detail"),
            data.get("detail"),
            err,
        )
        ref_id = _first_str(inner.get("ref_id"), data.get("ref_id"))
        if message is None:
            message = json.dumps(data, default=str)[:2000]
        suffix = f" (ref_id: {ref_id})" if ref_id else ""
        return f"{prefix} - {message}{suffix}"
    if isinstance(body, str) and body:
        return f"{prefix} - {body[:2000]}"
    if body is not None and not isinstance(body, str):
        return f"{prefix} - {body!r}"[:2000]
    return prefix
