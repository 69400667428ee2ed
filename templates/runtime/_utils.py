"""Small value-formatting helpers shared by query, path, header and body encoding."""

from __future__ import annotations

import datetime as _dt
import enum
import uuid
from collections.abc import Mapping
from typing import Any

import pydantic

from ._types import NotGiven

__all__ = ["format_scalar", "is_mapping", "is_sequence", "strip_not_given", "to_jsonable"]


def is_mapping(value: object) -> bool:
    return isinstance(value, Mapping)


def is_sequence(value: object) -> bool:
    return isinstance(value, (list, tuple))


def format_scalar(value: object) -> str:
    """Render a scalar the way OpenAPI servers expect in paths, queries and headers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return format_scalar(value.value)
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    return str(value)


def strip_not_given(value: object) -> Any:
    """Drop `NOT_GIVEN` entries from nested dicts/lists (explicit `None` is kept)."""
    if isinstance(value, Mapping):
        items: Mapping[Any, Any] = value  # pyright: ignore[reportUnknownVariableType]
        return {k: strip_not_given(v) for k, v in items.items() if not isinstance(v, NotGiven)}
    if isinstance(value, (list, tuple)):
        seq: list[Any] | tuple[Any, ...] = value  # pyright: ignore[reportUnknownVariableType]
        return [strip_not_given(v) for v in seq if not isinstance(v, NotGiven)]
    return value


def to_jsonable(value: object) -> Any:
    """Convert request data to JSON-native types: models dumped by alias, dates/UUIDs as text."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(by_alias=True, exclude_unset=True, mode="json")
    if isinstance(value, Mapping):
        items: Mapping[Any, Any] = value  # pyright: ignore[reportUnknownVariableType]
        return {str(k): to_jsonable(v) for k, v in items.items() if not isinstance(v, NotGiven)}
    if isinstance(value, (list, tuple)):
        seq: list[Any] | tuple[Any, ...] = value  # pyright: ignore[reportUnknownVariableType]
        return [to_jsonable(v) for v in seq if not isinstance(v, NotGiven)]
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    return value
