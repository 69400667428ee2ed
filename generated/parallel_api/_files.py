"""File-upload values and multipart/form-data encoding.

A file field takes `bytes`, a binary file object, an `os.PathLike` (opened lazily and streamed,
named after the path) or a ``(filename, content[, content_type[, headers]])`` tuple; anything
else is an `InvalidArgumentTypeError` (a `TypeError`) before a byte is sent. Other fields follow
the operation's OpenAPI ``encoding`` object and OpenAPI's defaults, or the bracket form many
servers expect (``a[]=1``, ``a[b]=2``) when the client is configured for it.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any, Literal, cast

import pydantic

from ._exceptions import InvalidArgumentTypeError
from ._types import NotGiven
from ._utils import format_scalar, to_jsonable

__all__ = [
    "MultipartFormat",
    "PartEncoding",
    "PathFile",
    "multipart_parts",
    "prepare_file",
    "prepare_files",
]

MultipartFormat = Literal["openapi", "brackets"]
"""How non-file arrays and objects are sent: OpenAPI's defaults (repeated parts, JSON parts for
objects) or brackets (``a[]``, ``a[b]``) as PHP/Rails-style servers and Stainless SDKs do."""

FilePart = tuple[str | None, Any, str | None, Mapping[str, str]]
Part = tuple[str, FilePart]

_JSON_MEDIA = "application/json"
_NO_HEADERS: Mapping[str, str] = {}


@dataclass(frozen=True)
class PartEncoding:
    """One entry of an operation's OpenAPI ``encoding`` object (its ``headers`` describe what a
    part may carry; values come from a 4-tuple file value)."""

    content_type: str | None = None
    style: str | None = None
    explode: bool | None = None


class PathFile(io.RawIOBase):
    """A path uploaded as a file: opened on first read, closed at EOF, reopened on retry.

    httpx rewinds (``seek(0)``) before each send and sizes the part with ``seek(0, 2)``, so the
    file is streamed from disk with a Content-Length and never held in memory.
    """

    def __init__(self, path: os.PathLike[str] | str) -> None:
        super().__init__()
        self.path = os.fspath(path)
        self.name = os.path.basename(self.path)
        self._handle: IO[bytes] | None = None
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_END:
            return os.path.getsize(self.path) + offset  # sizing only; reading restarts at 0
        self._release()
        self._position = offset if whence == os.SEEK_SET else self._position + offset
        return self._position

    def read(self, size: int = -1) -> bytes:
        if self._handle is None:
            self._handle = open(self.path, "rb")  # noqa: SIM115 - closed at EOF or close()
            self._handle.seek(self._position)
        data = self._handle.read(size)
        self._position += len(data)
        if not data or size < 0:
            self._release()
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def _release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def close(self) -> None:
        self._release()
        super().close()


def _content_of(value: object, field_name: str) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, os.PathLike):
        return PathFile(cast("os.PathLike[str]", value))
    if isinstance(value, io.TextIOBase):
        raise InvalidArgumentTypeError(
            f"File field {field_name!r}: open the file in binary mode ('rb'), not text mode"
        )
    if hasattr(value, "read"):
        seekable = getattr(value, "seekable", None)
        if callable(seekable) and seekable():
            return value  # httpx rewinds it before every attempt
        data = cast(IO[bytes], value).read()  # read once so that a retry resends the same bytes
        if not isinstance(data, bytes):
            raise InvalidArgumentTypeError(
                f"File field {field_name!r}: the file object must return bytes from read()"
            )
        return data
    raise InvalidArgumentTypeError(
        f"File field {field_name!r} expects bytes, a binary file object, an os.PathLike or a "
        f"(filename, content[, content_type[, headers]]) tuple; got {type(value).__name__}"
    )


def prepare_file(value: object, field_name: str) -> FilePart:
    """Normalize one upload value to ``(filename, content, content_type, headers)``."""
    if isinstance(value, tuple):
        parts = cast(tuple[object, ...], value)
        if not 2 <= len(parts) <= 4 or not isinstance(parts[0], (str, type(None))):
            raise InvalidArgumentTypeError(
                f"File field {field_name!r}: a tuple must be (filename, content[, content_type"
                f"[, headers]]) with a str or None filename"
            )
        filename = parts[0]
        content = _content_of(parts[1], field_name)
        content_type = cast("str | None", parts[2]) if len(parts) > 2 else None
        headers = cast(Mapping[str, str], parts[3]) if len(parts) > 3 else _NO_HEADERS
        return filename, content, content_type, headers
    content = _content_of(value, field_name)
    if isinstance(content, bytes):
        filename = "upload"
    else:
        filename = os.path.basename(str(getattr(content, "name", ""))) or "upload"
    return filename, content, None, _NO_HEADERS


def _looks_like_file(value: object) -> bool:
    if isinstance(value, (bytes, bytearray, os.PathLike)) or hasattr(value, "read"):
        return True
    if isinstance(value, tuple):
        parts = cast(tuple[object, ...], value)
        return 2 <= len(parts) <= 4 and _looks_like_file(parts[1])
    return False


def _text_part(name: str, text: str, content_type: str | None = None) -> Part:
    # A fresh dict per part: httpx writes the part's Content-Type into it.
    headers = {"Content-Type": content_type} if content_type else {}
    return name, (None, text.encode("utf-8"), None, headers)


def _file_part(name: str, file: FilePart, encoding: PartEncoding | None) -> Part:
    filename, content, content_type, headers = file
    if content_type is None:
        import mimetypes  # its type map is read on first use; most clients never send a file

        content_type = (
            (encoding.content_type if encoding else None)
            or (filename and mimetypes.guess_type(filename)[0])
            or "application/octet-stream"
        )
    return name, (filename, content, content_type, dict(headers))


def _scalar_part(name: str, value: object, encoding: PartEncoding | None) -> Part:
    media = encoding.content_type if encoding else None
    if media and "json" in media:
        return _text_part(name, json.dumps(to_jsonable(value)), media)
    return _text_part(name, format_scalar(value), media)


def _bracket_parts(name: str, value: object, out: list[Part]) -> None:
    if isinstance(value, pydantic.BaseModel):
        value = to_jsonable(value)
    if isinstance(value, Mapping):
        for key, item in cast(Mapping[object, object], value).items():
            if not isinstance(item, NotGiven) and item is not None:
                _bracket_parts(f"{name}[{key}]", item, out)
    elif isinstance(value, (list, tuple)):
        for item in cast(Sequence[object], value):
            if _looks_like_file(item):
                out.append(_file_part(f"{name}[]", prepare_file(item, name), None))
            else:
                _bracket_parts(f"{name}[]", item, out)
    else:
        out.append(_scalar_part(name, value, None))


def _object_parts(
    name: str, value: object, encoding: PartEncoding | None, fmt: MultipartFormat
) -> list[Part]:
    """An object field: JSON by default (OpenAPI), or spread by style/brackets."""
    data = cast(Mapping[str, object], to_jsonable(value))
    style = encoding.style if encoding else None
    explicit_media = encoding.content_type if encoding else None
    if style == "deepObject" or (fmt == "brackets" and explicit_media is None and style is None):
        out: list[Part] = []
        _bracket_parts(name, data, out)
        return out
    if style == "form":
        if encoding is not None and encoding.explode is False:
            flat = ",".join(f"{k},{format_scalar(v)}" for k, v in data.items())
            return [_text_part(name, flat)]
        return [_text_part(k, format_scalar(v)) for k, v in data.items()]
    return [_text_part(name, json.dumps(data), explicit_media or _JSON_MEDIA)]


def _array_parts(
    name: str,
    items: Sequence[object],
    encoding: PartEncoding | None,
    fmt: MultipartFormat,
    is_file: bool,
) -> list[Part]:
    out: list[Part] = []
    if fmt == "brackets" and not (encoding and encoding.style):
        _bracket_parts(name, list(items), out)
        return out
    if encoding is not None and encoding.style == "form" and encoding.explode is False:
        return [_text_part(name, ",".join(format_scalar(item) for item in items))]
    for item in items:
        if isinstance(item, NotGiven) or item is None:
            continue
        if is_file or _looks_like_file(item):
            out.append(_file_part(name, prepare_file(item, name), encoding))
        elif isinstance(item, (Mapping, pydantic.BaseModel)):
            out.extend(_object_parts(name, item, encoding, "openapi"))
        else:
            out.append(_scalar_part(name, item, encoding))
    return out


def multipart_parts(
    fields: Mapping[str, object],
    *,
    file_fields: Collection[str] = (),
    encoding: Mapping[str, PartEncoding] | None = None,
    fmt: MultipartFormat = "openapi",
) -> list[Part]:
    """Every field as one or more parts, in order; `NOT_GIVEN`/`None` fields are left out."""
    parts: list[Part] = []
    for name, value in fields.items():
        if isinstance(value, NotGiven) or value is None:
            continue
        enc = encoding.get(name) if encoding else None
        is_file = name in file_fields
        if isinstance(value, list):
            parts.extend(_array_parts(name, cast(list[object], value), enc, fmt, is_file))
        elif is_file or _looks_like_file(value):
            parts.append(_file_part(name, prepare_file(value, name), enc))
        elif isinstance(value, (Mapping, pydantic.BaseModel)):
            parts.extend(_object_parts(name, value, enc, fmt))
        else:
            parts.append(_scalar_part(name, value, enc))
    return parts


def prepare_files(fields: Mapping[str, object], file_fields: Collection[str]) -> dict[str, object]:
    """Normalize every upload value once per call, so retries resend the same content and a
    wrong type fails before anything is sent."""
    prepared: dict[str, object] = {}
    for name, value in fields.items():
        must_be_file = name in file_fields
        if isinstance(value, list) and (must_be_file or any(map(_looks_like_file, value))):
            items = cast(list[object], value)
            prepared[name] = [
                prepare_file(item, name) if must_be_file or _looks_like_file(item) else item
                for item in items
            ]
        elif (
            not isinstance(value, NotGiven)
            and value is not None
            and (must_be_file or _looks_like_file(value))
        ):
            prepared[name] = prepare_file(value, name)
        else:
            prepared[name] = value
    return prepared
