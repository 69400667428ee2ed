"""``@record`` builds the same frozen dataclass as ``@dataclass(frozen=True, slots=True)``, with
its own ``__init__``: the same signature, the same stored values, the same errors."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import FrozenInstanceError, field
from typing import Any

import pytest

import generator
from generator.records import record


def _define(decorate: Callable[[type], type]) -> tuple[type, type]:
    """The same two classes (a base and a subclass) under ``decorate``."""

    @decorate
    class Base:
        first: int
        tags: list[str] = field(default_factory=list)
        label: str = "base"

    @decorate
    class Sample(Base):
        count: int = 0
        seen: list[int] = field(default_factory=list, init=False)
        fixed: str = field(default="fixed", init=False)
        limit: int = field(default=10, kw_only=True)
        extra: dict[str, int] = field(default_factory=dict, kw_only=True)

        def __post_init__(self) -> None:
            self.seen.append(self.first)

    return Base, Sample


FAST = _define(record)
PLAIN = _define(dataclasses.dataclass(frozen=True, slots=True))

CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((1,), {}),
    ((1, ["a"]), {}),
    ((1, ["a"], "x", 3), {"limit": 4, "extra": {"k": 1}}),
    ((), {"first": 2, "label": "y", "count": 5}),
    ((), {"first": 2, "tags": []}),
]
BAD_CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((), {}),  # missing first
    ((1, [], "x", 3, 4), {}),  # limit is keyword-only
    ((1,), {"seen": []}),  # not an __init__ field
    ((1,), {"first": 1}),  # given twice
    ((1,), {"unknown": 1}),
]


@pytest.mark.parametrize("index", [0, 1])
def test_signature_is_the_generated_one(index: int) -> None:
    assert str(inspect.signature(FAST[index])) == str(inspect.signature(PLAIN[index]))
    assert FAST[index].__init__.__qualname__ == PLAIN[index].__init__.__qualname__


@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_fields_are_stored_as_the_generated_init_stores_them(
    args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    fast, plain = FAST[1](*args, **kwargs), PLAIN[1](*args, **kwargs)
    assert repr(fast) == repr(plain).replace(PLAIN[1].__qualname__, FAST[1].__qualname__)
    assert fast.seen == [fast.first]  # __post_init__ ran once
    assert dataclasses.astuple(fast) == dataclasses.astuple(plain)


@pytest.mark.parametrize(("args", "kwargs"), BAD_CALLS)
def test_bad_calls_fail_alike(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    with pytest.raises(TypeError):
        PLAIN[1](*args, **kwargs)
    with pytest.raises(TypeError):
        FAST[1](*args, **kwargs)


def test_factories_give_each_instance_its_own_value() -> None:
    one, two = FAST[1](1), FAST[1](1)
    assert one.tags == two.tags == [] and one.tags is not two.tags
    assert one.extra is not two.extra and one.seen is not two.seen
    given = ["t"]
    assert FAST[1](1, given).tags is given


@record
class _Point:
    x: int
    y: int = 0


def test_a_record_stays_a_frozen_slotted_dataclass() -> None:
    sample = FAST[1](1, ["a"], limit=3)
    with pytest.raises(FrozenInstanceError):
        sample.count = 1  # type: ignore[misc]
    assert not hasattr(sample, "__dict__")
    assert sample == FAST[1](1, ["a"], limit=3) and sample != FAST[1](2)
    assert hash(_Point(1)) == hash(_Point(1, 0)) != hash(_Point(0, 1))
    changed = dataclasses.replace(sample, count=9)
    assert (changed.count, changed.limit, changed.seen) == (9, 3, [1])
    base = FAST[0]
    match base(7):
        case base(first, tags, label):  # __match_args__
            assert (first, tags, label) == (7, [], "base")


def test_a_field_called_self() -> None:
    @record
    class Odd:
        self: int
        other: str = "o"

    assert Odd(self=1).self == 1 and Odd(2, "p").other == "p"


def test_unsupported_fields_are_refused() -> None:
    with pytest.raises(TypeError, match="InitVar"):

        @record
        class WithInitVar:
            seed: dataclasses.InitVar[int]

    with pytest.raises(TypeError, match="reserves"):  # (a class body would mangle the name)
        record(type("Clashing", (), {"__annotations__": {"__record_set_x": "int"}}))


def _records() -> list[type]:
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(generator.__path__, "generator."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and dataclasses.is_dataclass(value):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found)]


def _twin(cls: type) -> type:
    """The plain frozen dataclass with ``cls``'s fields."""
    specs = [
        (
            f.name,
            f.type,
            field(
                default=f.default, default_factory=f.default_factory, init=f.init, kw_only=f.kw_only
            ),  # type: ignore[call-overload]
        )
        for f in dataclasses.fields(cls)
    ]
    return dataclasses.make_dataclass(cls.__name__, specs, frozen=True, slots=True)


def test_every_slotted_record_of_apigen_has_the_generated_signature() -> None:
    slotted = [cls for cls in _records() if cls.__init__.__code__.co_filename.startswith("<record")]
    assert len(slotted) > 50  # the IR, plan, naming and view records
    for cls in slotted:
        assert str(inspect.signature(cls)) == str(inspect.signature(_twin(cls))), cls
