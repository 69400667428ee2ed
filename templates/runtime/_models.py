"""Pydantic base model and response construction: strict validation or tolerant building.

Servers drift from their specs. By default a response that fails validation is still built:
fields that validate are typed, missing ones read as ``None``, wrong-typed ones keep the raw
value, unknown ones are kept, and a union picks its best-matching member. A client created with
``strict_response_validation=True`` raises instead (see docs/runtime.md).
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal, TypeVar, Union, cast

import httpx
import pydantic
from pydantic import ConfigDict
from pydantic.fields import FieldInfo

from ._exceptions import APIResponseValidationError
from ._logs import logger

__all__ = ["BaseModel", "construct_response", "construct_type", "validate_type"]

_T = TypeVar("_T")


class BaseModel(pydantic.BaseModel):
    """Response/request model that keeps unknown fields, so newer servers don't break old clients."""

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        protected_namespaces=(),
        arbitrary_types_allowed=True,
    )

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> object:
            # Only reached when normal lookup fails: a declared field the server left out of a
            # tolerantly built response reads as None instead of raising AttributeError.
            if name in type(self).__pydantic_fields__:
                return None
            return super().__getattr__(name)

    def to_dict(
        self,
        *,
        mode: Literal["json", "python"] = "python",
        by_alias: bool = True,
        exclude_unset: bool = True,
        exclude_none: bool = False,
    ) -> dict[str, object]:
        """Plain dict using wire (alias) names; unset fields omitted so round-trips are exact."""
        return self.model_dump(
            mode=mode,
            by_alias=by_alias,
            exclude_unset=exclude_unset,
            exclude_none=exclude_none,
            warnings=False,  # a tolerantly built model may hold raw, off-spec values
        )

    def to_json(
        self,
        *,
        indent: int | None = 2,
        by_alias: bool = True,
        exclude_unset: bool = True,
        exclude_none: bool = False,
    ) -> str:
        """JSON text using wire (alias) names."""
        return self.model_dump_json(
            indent=indent,
            by_alias=by_alias,
            exclude_unset=exclude_unset,
            exclude_none=exclude_none,
            warnings=False,
        )


@lru_cache(maxsize=512)
def _cached_adapter(type_: Any) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(type_)


def _adapter(type_: Any) -> pydantic.TypeAdapter[Any]:
    # Building a TypeAdapter compiles a validator; cache it, unless the type is unhashable
    # (e.g. some Annotated metadata), in which case build it fresh.
    try:
        return _cached_adapter(type_)
    except TypeError:
        return pydantic.TypeAdapter(type_)


def validate_type(type_: type[_T] | Any, value: object) -> _T:
    """Validate `value` into `type_` (model, union, discriminated union, list, Literal, ...).

    Raises `pydantic.ValidationError` on mismatch; the client turns that into
    `APIResponseValidationError`.
    """
    if type_ is object or type_ is Any:
        return cast(_T, value)
    return cast(_T, _adapter(type_).validate_python(value))


def construct_type(type_: type[_T] | Any, value: object) -> _T:
    """Like `validate_type`, but never raises: what does not validate is built tolerantly."""
    if type_ is object or type_ is Any:
        return cast(_T, value)
    try:
        return cast(_T, _adapter(type_).validate_python(value))
    except pydantic.ValidationError as exc:
        logger.debug(
            "Response did not match %s (%d errors, first at %s); built it tolerantly",
            _type_name(type_),
            exc.error_count(),
            ".".join(str(part) for part in exc.errors()[0]["loc"]) or "<root>",
        )
    return cast(_T, _build(type_, value, None))


def construct_response(
    cast_to: Any, data: object, *, response: httpx.Response, strict: bool, what: str = "Response"
) -> Any:
    """Decoded JSON → `cast_to`: validated when `strict`, else built tolerantly (never raises).

    The one hook for bodies, stream events and pages, so all follow the client's setting.
    """
    if not strict:
        return construct_type(cast_to, data)
    try:
        return validate_type(cast_to, data)
    except pydantic.ValidationError as exc:
        raise APIResponseValidationError(
            response, data, f"{what} did not match the expected type: {exc}"
        ) from exc


# --------------------------------------------------------------------------- tolerant building


def _type_name(type_: Any) -> str:
    return getattr(type_, "__name__", None) or repr(type_)


def _is_model(type_: Any) -> bool:
    return isinstance(type_, type) and issubclass(type_, pydantic.BaseModel)


def _valid(type_: Any, value: object) -> tuple[bool, object]:
    try:
        return True, _adapter(type_).validate_python(value)
    except pydantic.ValidationError:
        return False, value


def _build_value(type_: Any, value: object, discriminator: str | None) -> object:
    """Validated value if it validates, else a tolerant build (or the raw value)."""
    if discriminator is None:
        ok, result = _valid(type_, value)
        if ok:
            return result
    return _build(type_, value, discriminator)


def _build(type_: Any, value: object, discriminator: str | None) -> object:
    origin = typing.get_origin(type_)
    if origin is typing.Annotated:
        inner, *metadata = typing.get_args(type_)
        for item in metadata:
            if isinstance(item, FieldInfo) and isinstance(item.discriminator, str):
                discriminator = item.discriminator
        return _build(inner, value, discriminator)
    if _is_model(type_):
        if isinstance(value, Mapping):
            return _build_model(type_, cast(Mapping[str, object], value))
        return value
    if origin is Union or origin is types.UnionType:
        return _build_union(typing.get_args(type_), value, discriminator)
    if origin in (list, Sequence, tuple) and isinstance(value, list):
        args = typing.get_args(type_)
        item_type = args[0] if args else Any
        return [_build_value(item_type, item, None) for item in cast(list[object], value)]
    if origin in (dict, Mapping) and isinstance(value, Mapping):
        args = typing.get_args(type_)
        item_type = args[1] if len(args) == 2 else Any
        items = cast(Mapping[object, object], value)
        return {key: _build_value(item_type, item, None) for key, item in items.items()}
    return value  # a primitive, Literal or enum that does not validate keeps the raw value


def _build_model(cls: type[pydantic.BaseModel], data: Mapping[str, object]) -> pydantic.BaseModel:
    fields = cls.model_fields
    wire_names = _wire_names(cls)
    values: dict[str, object] = {}
    for key, raw in data.items():
        name = wire_names.get(key)
        if name is None:
            values[key] = raw  # unknown: kept as an extra field
            continue
        info = fields[name]
        discriminator = info.discriminator if isinstance(info.discriminator, str) else None
        values[name] = _build_value(_field_type(info), raw, discriminator)
    known = {name for name in values if name in fields}
    return cls.model_construct(_fields_set=known, **values)


def _field_type(info: FieldInfo) -> Any:
    # Field constraints (min_length, ...) live in metadata; validating against them keeps a
    # value that breaks only a constraint raw, as a strict parse would have rejected it.
    if info.metadata:
        return typing.Annotated[(info.annotation, *info.metadata)]
    return info.annotation


@lru_cache(maxsize=512)
def _wire_names(cls: type[pydantic.BaseModel]) -> dict[str, str]:
    """Wire name (alias, and the field name itself) → field name."""
    names: dict[str, str] = {}
    for name, info in cls.model_fields.items():
        names[name] = name
        if info.alias:
            names[info.alias] = name
    return names


def _literal_values(cls: type[pydantic.BaseModel], field: str) -> tuple[object, ...]:
    info = cls.model_fields.get(field)
    if info is None:
        return ()
    values: list[object] = []
    for arg in _flatten(info.annotation):
        if typing.get_origin(arg) is Literal:
            values.extend(typing.get_args(arg))
    return tuple(value.value if isinstance(value, enum.Enum) else value for value in values)


def _flatten(type_: Any) -> list[Any]:
    origin = typing.get_origin(type_)
    if origin is typing.Annotated:
        return _flatten(typing.get_args(type_)[0])
    if origin is Union or origin is types.UnionType:
        return [member for arg in typing.get_args(type_) for member in _flatten(arg)]
    return [type_]


def _build_union(members: tuple[Any, ...], value: object, discriminator: str | None) -> object:
    models = [m for member in members for m in _flatten(member) if _is_model(m)]
    if discriminator is not None and isinstance(value, Mapping):
        data = cast(Mapping[str, object], value)
        for model in models:
            field = model.model_fields.get(discriminator)
            wire = (field.alias or discriminator) if field is not None else discriminator
            if data.get(wire, data.get(discriminator)) in _literal_values(model, discriminator):
                return _build_value(model, data, None)
    for member in members:
        ok, result = _valid(member, value)
        if ok:
            return result
    if not models or not isinstance(value, Mapping):
        return value
    data = cast(Mapping[str, object], value)
    best = max(models, key=lambda model: _match_score(model, data))
    return _build_model(best, data)


def _match_score(cls: type[pydantic.BaseModel], data: Mapping[str, object]) -> tuple[int, int]:
    """(fields that validate, known keys): a Literal tag that disagrees rules a member out."""
    wire_names = _wire_names(cls)
    valid = known = 0
    for key, raw in data.items():
        name = wire_names.get(key)
        if name is None:
            continue
        known += 1
        info = cls.model_fields[name]
        literals = _literal_values(cls, name)
        if literals and raw not in literals:
            return (-1, -1)
        if _valid(_field_type(info), raw)[0]:
            valid += 1
    return (valid, known)
