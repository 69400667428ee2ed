"""OpenAPI query-parameter serialization (`style` + `explode`), independent of HTTP plumbing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

from ._types import NotGiven
from ._utils import format_scalar

__all__ = ["QueryParam", "QueryStyle", "serialize_query"]

QueryStyle = Literal["form", "spaceDelimited", "pipeDelimited", "deepObject"]

_DELIMITERS: dict[str, str] = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


@dataclass(frozen=True)
class QueryParam:
    """One declared query parameter as a generated method passes it."""

    name: str
    value: object
    style: QueryStyle = "form"
    explode: bool = True


def _items(value: Mapping[Any, Any]) -> list[tuple[str, object]]:
    return [(str(k), v) for k, v in value.items() if not isinstance(v, NotGiven)]


def _deep_object(prefix: str, value: object, out: list[tuple[str, str]]) -> None:
    if isinstance(value, Mapping):
        for key, item in _items(value):
            _deep_object(f"{prefix}[{key}]", item, out)
    elif isinstance(value, (list, tuple)):
        for item in cast(Sequence[object], value):
            if not isinstance(item, NotGiven):
                _deep_object(prefix, item, out)
    else:
        out.append((prefix, format_scalar(value)))


def _serialize_one(param: QueryParam, out: list[tuple[str, str]]) -> None:
    name, value = param.name, param.value
    if isinstance(value, NotGiven):
        return
    if param.style == "deepObject":
        _deep_object(name, value, out)
        return
    delimiter = _DELIMITERS.get(param.style, ",")
    if isinstance(value, (list, tuple)):
        seq = cast(Sequence[object], value)
        values = [format_scalar(v) for v in seq if not isinstance(v, NotGiven)]
        if not values:
            return
        if param.explode:
            out.extend((name, v) for v in values)
        else:
            out.append((name, delimiter.join(values)))
        return
    if isinstance(value, Mapping):
        pairs = _items(value)
        if param.explode:
            out.extend((k, format_scalar(v)) for k, v in pairs)
        else:
            out.append(
                (name, delimiter.join(f"{k}{delimiter}{format_scalar(v)}" for k, v in pairs))
            )
        return
    out.append((name, format_scalar(value)))


def serialize_query(params: Sequence[QueryParam]) -> list[tuple[str, str]]:
    """Flatten declared parameters into ordered `(name, value)` pairs.

    `NOT_GIVEN` values are omitted; an explicit `None` is sent as an empty value.
    """
    out: list[tuple[str, str]] = []
    for param in params:
        _serialize_one(param, out)
    return out
