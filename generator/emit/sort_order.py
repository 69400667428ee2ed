"""The orders ruff's import sorter (``I001``) and ``__all__`` sorter (``RUF022``) expect.

Generated modules are written in these orders, so the formatter needs no sorting pass: on a spec
of 10,000 modules that pass cost ~3 s CPU, about a tenth of the whole run.
``tests/test_sort_order.py`` checks every rule here against ruff itself.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Literal

_DIGITS = re.compile(r"([0-9]+)")

NaturalKey = tuple[str | tuple[int, int, str], ...]


def natural_key(text: str) -> NaturalKey:
    """``natord`` order, as ruff compares names: runs of digits by value (``v2`` < ``v10``),
    everything else by code point.

    Each text run but the last carries a ``0``: where natord compares a digit with the other
    name's next character, the key compares that ``0`` with it, which ranks them the same way
    (no character but a digit falls between ``0`` and ``9``). A run with a leading zero compares
    digit by digit and before any run without one, as natord does."""
    if _DIGITS.search(text) is None:
        return (text,)
    parts = _DIGITS.split(text)
    key: list[str | tuple[int, int, str]] = []
    for index, part in enumerate(parts):
        if index % 2:
            key.append((0, 0, part) if part[0] == "0" else (1, len(part), part))
        else:
            key.append(part + "0" if index < len(parts) - 1 else part)
    return tuple(key)


def member_type(name: str) -> Literal[0, 1, 2]:
    """isort's ``order-by-type``: constants (``NOT_GIVEN``), then classes, then the rest."""
    if len(name) > 1 and name.isupper():
        return 0
    if name[:1].isupper():
        return 1
    return 2


@functools.lru_cache(maxsize=1 << 12)  # the runtime names, imported by most modules
def member_key(name: str) -> tuple[object, ...]:
    """Where ``name`` sits among the members of a ``from`` import: by type, then naturally
    without case, then with case."""
    return member_type(name), natural_key(name.lower()), natural_key(name)


@functools.lru_cache(maxsize=1 << 12)
def module_key(module: str) -> tuple[object, ...]:
    """Where an import of ``module`` (relative when it starts with dots) sits in its section:
    relative ones furthest first (``...`` before ``.``; a bare ``.`` before ``.x``), then by name
    naturally without case, then with case."""
    name = module.lstrip(".")
    level = len(module) - len(name)
    return -level, (0,) if not name else (1, natural_key(name.lower()), natural_key(name))


def dunder_all_key(name: str) -> tuple[int, NaturalKey]:
    """RUF022's order of ``__all__``: constants, classes, the rest; each naturally, with case."""
    return member_type(name), natural_key(name)


def sorted_dunder_all(names: Iterable[str]) -> list[str]:
    return sorted(names, key=dunder_all_key)


def sorted_members(names: Iterable[str]) -> list[str]:
    """The members of one ``from`` import, in order."""
    return sorted(names, key=member_key)
