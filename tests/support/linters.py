"""ruff and mypy --strict over a generated client, as its maintainer would run them (pyright is
in ``tests/support/pyright.py``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def ruff_check(project: Path) -> subprocess.CompletedProcess[str]:
    """``ruff check`` inside the generated project (its own pyproject), no cache written."""
    return subprocess.run(
        [str(BIN / "ruff"), "check", "--no-cache", "."],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


def mypy_strict(project: Path, package: str, cache: Path) -> subprocess.CompletedProcess[str]:
    """``mypy --strict`` over ``package`` from the project folder, its cache in ``cache``."""
    return subprocess.run(
        [str(BIN / "mypy"), "--strict", "--cache-dir", str(cache), package],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
