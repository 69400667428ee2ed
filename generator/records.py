"""``@record``: apigen's frozen dataclass, built faster.

A frozen dataclass refuses ``__setattr__``, so the ``__init__`` that :mod:`dataclasses` writes
stores every field through ``object.__setattr__``: about three times the cost of a plain
class's. apigen builds its IR, plan and views out of such records, ~2.5 million of them on
Microsoft Graph beta, where that store alone was ~10 % of a run. A record is the same frozen
dataclass (equality, hashing, ``repr``, ``replace``, ``fields``, pattern matching, and the
frozen error on assignment), with an ``__init__`` of the same signature that stores through
each slot's descriptor: 40 % less per record. A record without slots keeps the generated
``__init__``: writing its ``__dict__`` directly is faster still but makes CPython build a full
dict per instance instead of sharing the class's keys (+30 MB at Graph beta's peak).
"""

from __future__ import annotations

import dataclasses
import inspect
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:  # typing.dataclass_transform is 3.11+; only type checkers read it

    def dataclass_transform(**_: object) -> Callable[[Any], Any]:
        return lambda decorated: decorated


T = TypeVar("T")


@overload
def record(cls: type[T], /) -> type[T]: ...


@overload
def record(*, slots: bool = True, eq: bool = True) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def record(
    cls: type[T] | None = None, /, *, slots: bool = True, eq: bool = True
) -> type[T] | Callable[[type[T]], type[T]]:
    """``@dataclass(frozen=True, slots=slots, eq=eq)`` with the faster ``__init__``.

    ``slots=False`` keeps an instance ``__dict__`` (for ``functools.cached_property``) and the
    generated ``__init__``.
    """

    def build(target: type[T]) -> type[T]:
        made = dataclasses.dataclass(frozen=True, slots=slots, eq=eq)(target)
        if slots:
            made.__init__ = _fast_init(made)  # type: ignore[method-assign]
        return made

    return build if cls is None else build(cls)


def _fast_init(cls: type) -> Callable[..., None]:
    """An ``__init__`` for the slotted frozen dataclass ``cls`` that does what its generated
    one does (parameters, defaults and factories, fields outside ``__init__``,
    ``__post_init__``)."""
    generated = cls.__dict__["__init__"]
    self_parameter, *parameters = inspect.signature(generated).parameters.values()
    fields = dataclasses.fields(cls)
    if [p.name for p in parameters] != [f.name for f in fields if f.init]:
        raise TypeError(f"@record takes plain fields only (no InitVar): {cls.__qualname__}")
    if any(f.name.startswith(_PREFIX) for f in fields):
        raise TypeError(f"@record reserves names starting with {_PREFIX!r}: {cls.__qualname__}")
    self_name = self_parameter.name
    namespace: dict[str, Any] = {}
    header = [self_name]
    for parameter in parameters:
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY and "*" not in header:
            header.append("*")
        if parameter.default is inspect.Parameter.empty:
            header.append(parameter.name)
        else:  # a factory field's default is dataclasses' sentinel, tested for below
            namespace[f"{_PREFIX}default_{parameter.name}"] = parameter.default
            header.append(f"{parameter.name}={_PREFIX}default_{parameter.name}")
    body = []
    for field in fields:
        value = _value(field, namespace)
        if value is not None:
            namespace[f"{_PREFIX}set_{field.name}"] = _slot(cls, field.name).__set__
            body.append(f"{_PREFIX}set_{field.name}({self_name}, {value})")
    if hasattr(cls, "__post_init__"):
        body.append(f"{self_name}.__post_init__()")
    source = f"def __init__({', '.join(header)}):\n    " + "\n    ".join(body or ["pass"])
    exec(compile(source, f"<record {cls.__qualname__}>", "exec"), namespace)  # noqa: S102
    init: Callable[..., None] = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__annotations__ = dict(generated.__annotations__)
    return init


_PREFIX = "__record_"
"""Names of the generated ``__init__``'s own globals (defaults, factories, slot setters)."""


def _value(field: dataclasses.Field[Any], namespace: dict[str, Any]) -> str | None:
    """The expression a field is stored from; ``None`` for a field the generated ``__init__``
    leaves unset (outside ``__init__``, without a default)."""
    name = field.name
    if field.default_factory is not dataclasses.MISSING:
        namespace[f"{_PREFIX}factory_{name}"] = field.default_factory
        if not field.init:
            return f"{_PREFIX}factory_{name}()"
        return f"{_PREFIX}factory_{name}() if {name} is {_PREFIX}default_{name} else {name}"
    if field.init:
        return name
    if field.default is not dataclasses.MISSING:
        namespace[f"{_PREFIX}default_{name}"] = field.default
        return f"{_PREFIX}default_{name}"
    return None


def _slot(cls: type, name: str) -> Any:
    """The member descriptor that stores ``name`` (a base class's, for an inherited field)."""
    for klass in cls.__mro__:
        found = klass.__dict__.get(name)
        if isinstance(found, types.MemberDescriptorType):
            return found
    raise TypeError(f"@record: {cls.__qualname__}.{name} has no slot")


__all__ = ["record"]
