"""Shared type aliases and sentinels used by the runtime and by generated code.

`NOT_GIVEN` distinguishes "argument not passed" (omit it from the request) from an explicit
`None` (send JSON `null`), which plain `Optional` parameters cannot express.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterable, Iterable, Mapping
from typing import IO, Literal, TypeAlias, TypedDict

import httpx
from typing_extensions import Self, override

__all__ = [
    "NOT_GIVEN",
    "AsyncRawContent",
    "Body",
    "FileContent",
    "FileTypes",
    "Headers",
    "NotGiven",
    "Omit",
    "Query",
    "RawContent",
    "RequestExtras",
    "Timeout",
]


class NotGiven:
    """Sentinel for "the caller did not pass this argument"; falsy so `x or default` works."""

    _instance: Self | None = None

    def __new__(cls) -> Self:
        # A singleton keeps `is NOT_GIVEN` and isinstance() checks equivalent.
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    @override
    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()


class Omit:
    """Header value meaning "remove this header", e.g. to drop a client default per request."""

    def __bool__(self) -> Literal[False]:
        return False

    @override
    def __repr__(self) -> str:
        return "Omit()"


Headers: TypeAlias = Mapping[str, str | Omit]
Query: TypeAlias = Mapping[str, object]
Body: TypeAlias = Mapping[str, object]
Timeout: TypeAlias = float | httpx.Timeout | None

RawContent: TypeAlias = bytes | str | Iterable[bytes]
"""A raw request body: bytes, text (sent as UTF-8), or chunks streamed as they are produced."""
AsyncRawContent: TypeAlias = RawContent | AsyncIterable[bytes]
"""A raw request body for the async client, which can also stream an async iterable."""

FileContent: TypeAlias = bytes | IO[bytes] | os.PathLike[str]
"""Raw bytes, a binary file object (read from its position), or a path (opened and streamed)."""
FileTypes: TypeAlias = (
    FileContent
    | tuple[str | None, FileContent]
    | tuple[str | None, FileContent, str | None]
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
"""A file upload: content, or ``(filename, content[, content_type[, headers]])``."""


class RequestExtras(TypedDict, total=False):
    """Per-call settings of the generic ``client.get/post/...`` escape hatches."""

    headers: Headers
    params: Query
    extra_json: Mapping[str, object]
    timeout: Timeout
    max_retries: int
    idempotency_key: str
    follow_redirects: bool
