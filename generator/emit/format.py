"""Formatting the rendered Python in one batch (ruff format by default; black on request)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from ..errors import ApigenError

LINE_LENGTH = 100


def _tool(name: str) -> str:
    """The formatter installed beside this interpreter (the venv), else the one on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise ApigenError(f"formatter {name!r} is not installed")
    return found


def format_tree(root: Path, formatter: str = "ruff") -> None:
    """Format every ``.py`` file below ``root`` in place, with settings independent of any config.

    Imports and ``__all__`` are sorted by ruff's fixer first (templates list them unsorted).
    """
    # --no-cache: the staging folder is new every run, and a cache would land in the caller's cwd.
    sort = [
        _tool("ruff"),
        "check",
        "--isolated",
        "--no-cache",
        "--fix-only",
        "--quiet",
        "--exit-zero",
        "--select",
        "I001,RUF022",
        "--target-version",
        "py310",
        "--line-length",
        str(LINE_LENGTH),
        str(root),
    ]
    _run(sort, "ruff")
    if formatter == "black":
        command = [
            _tool("black"),
            "--quiet",
            "--line-length",
            str(LINE_LENGTH),
            "--target-version",
            "py310",
            str(root),
        ]
    else:
        command = [
            _tool("ruff"),
            "format",
            "--isolated",
            "--no-cache",
            "--quiet",
            "--line-length",
            str(LINE_LENGTH),
            "--target-version",
            "py310",
            str(root),
        ]
    _run(command, formatter)


def _run(command: list[str], tool: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise ApigenError(
            f"generated code failed to format ({tool}): {detail[0] if detail else 'unknown error'}"
        )
