"""Generated imports and ``__all__`` come out in the order ruff's sorters want (``I001``,
``RUF022``): apigen no longer runs them, so these check ``sort_order`` and ``import_block``
against ruff itself, on names chosen to hit every rule (case, digits, leading zeros, dots)."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

from generator.emit.imports import FromImport, import_block, import_lines
from generator.emit.sort_order import natural_key, sorted_dunder_all, sorted_members

RUFF = str(Path(sys.executable).parent / "ruff")
SETTINGS = ["--isolated", "--no-cache", "--line-length", "100", "--target-version", "py310"]


def _ruff_order_findings(folder: Path) -> str:
    """Format ``folder`` as apigen does, then what ruff's sorters would still change."""
    subprocess.run([RUFF, "format", *SETTINGS, "-q", str(folder)], check=True)
    found = subprocess.run(
        [RUFF, "check", *SETTINGS, "--select", "I001,RUF022", "--output-format", "concise"]
        + [str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.returncode in (0, 1), found.stderr
    return "" if found.returncode == 0 else found.stdout


def _random_name(rng: random.Random) -> str:
    """An identifier from a small alphabet, so names collide on case, prefixes and digits."""
    style = rng.choice(("constant", "class", "variable", "mixed"))
    parts = []
    for _ in range(rng.randint(1, 3)):
        word = "".join(rng.choice("abAB_") for _ in range(rng.randint(1, 3)))
        if rng.random() < 0.5:
            word += rng.choice(("0", "1", "2", "9", "10", "01", "007", "12"))
        parts.append(word)
    name = "_".join(parts)
    if style == "constant":
        name = name.upper()
    elif style == "class":
        name = name[:1].upper() + name[1:]
    elif style == "variable":
        name = name.lower()
    if not name[0].isalpha() and name[0] != "_":
        name = "x" + name
    return name


def _random_module(rng: random.Random) -> str:
    stems = ["typing", "os", "collections.abc", "json", "httpx", "pydantic", "typing_extensions"]
    if rng.random() < 0.4:
        return rng.choice(stems)
    dots = "." * rng.randint(1, 3)
    path = ".".join(
        rng.choice(("_types", "types", "a", "a1", "a_b", "A", "x2", "x10", "_models_2"))
        for _ in range(rng.randint(0, 2))
    )
    return dots + path


def test_natural_key_orders_digit_runs_by_value_and_leading_zeros_first() -> None:
    names = ["v10", "v2", "v1", "v01", "v", "v_1", "v1a", "va"]
    assert sorted(names, key=natural_key) == ["v", "v01", "v1", "v1a", "v2", "v10", "v_1", "va"]
    # a dot sorts before a digit (natord compares them as characters)
    assert sorted(["a1", "a.b"], key=natural_key) == ["a.b", "a1"]


def test_members_go_constants_classes_then_the_rest() -> None:
    members = ["cast", "Any", "TYPE_CHECKING", "overload", "Literal", "T", "__version__"]
    assert sorted_members(members) == [
        "TYPE_CHECKING",
        "Any",
        "Literal",
        "T",
        "__version__",
        "cast",
        "overload",
    ]
    assert sorted_dunder_all(["Parallel", "AsyncParallel", "DEFAULT_TIMEOUT"]) == [
        "DEFAULT_TIMEOUT",
        "AsyncParallel",
        "Parallel",
    ]


def test_import_lines_split_sections_and_relative_levels() -> None:
    names = {"httpx", "cast", "Sequence", "Body", "NOT_GIVEN", "TaskRun", "cached_property"}
    lines = import_lines(
        names, "resources.beta", extra=[FromImport(".chat", ("Chat", "AsyncChat"))]
    )
    assert lines == [
        "from collections.abc import Sequence",
        "from functools import cached_property",
        "from typing import cast",
        "",
        "import httpx",
        "",
        "from ..._types import NOT_GIVEN, Body",
        "from ...types import TaskRun",
        "from .chat import AsyncChat, Chat",
    ]


def test_random_import_blocks_and_dunder_all_need_no_sorting(tmp_path: Path) -> None:
    rng = random.Random(20261204)
    for index in range(60):
        froms = [
            FromImport(
                _random_module(rng),
                tuple(_random_name(rng) for _ in range(rng.randint(1, 8))),
                exploded=rng.random() < 0.3,
            )
            for _ in range(rng.randint(1, 8))
        ]
        whole = {rng.choice(("os", "httpx", "builtins", "json", "anyio")) for _ in range(2)}
        names = sorted_dunder_all({_random_name(rng) for _ in range(rng.randint(1, 30))})
        exports = "".join(f"    {name!r},\n" for name in names)
        nested = import_block((), froms[:2], indent="    ")
        body = "\n".join(import_block(whole, froms))
        source = (
            f"from __future__ import annotations\n\n{body}\n\n"
            f"if TYPE_CHECKING:\n" + "\n".join(nested) + f"\n\n__all__ = [\n{exports}]\n"
        )
        (tmp_path / f"m{index}.py").write_text(source, encoding="utf-8")
    assert _ruff_order_findings(tmp_path) == ""


def test_an_unsorted_block_is_caught(tmp_path: Path) -> None:
    """The check above can fail: ruff flags members and ``__all__`` out of order."""
    (tmp_path / "m.py").write_text(
        "from typing import cast, Any\n\n__all__ = ['b', 'A']\n", encoding="utf-8"
    )
    findings = _ruff_order_findings(tmp_path)
    assert "I001" in findings and "RUF022" in findings
