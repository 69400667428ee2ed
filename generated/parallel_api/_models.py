"""Pydantic base model and a cached validator for arbitrary response types."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal, TypeVar, cast

import pydantic
from pydantic import ConfigDict

__all__ = ["BaseModel", "construct_type"]

_T = TypeVar("_T")


class BaseModel(pydantic.BaseModel):
    """Response/request model that keeps unknown fields, so newer servers don't break old clients."""

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        protected_namespaces=(),
        arbitrary_types_allowed=True,
    )

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
            mode=mode, by_alias=by_alias, exclude_unset=exclude_unset, exclude_none=exclude_none
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
            indent=indent, by_alias=by_alias, exclude_unset=exclude_unset, exclude_none=exclude_none
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


def construct_type(type_: type[_T] | Any, value: object) -> _T:
    """Validate `value` into `type_` (model, union, discriminated union, list, Literal, ...).

    Raises `pydantic.ValidationError` on mismatch; the client turns that into
    `APIResponseValidationError`.
    """
    if type_ is object or type_ is Any:
        return cast(_T, value)
    return cast(_T, _adapter(type_).validate_python(value))
