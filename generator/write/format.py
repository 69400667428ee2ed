"""Formatting the rendered Python in one batch (ruff format by default; black on request)."""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from ..errors import ApigenError, EnvironmentFailure

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

    Imports and ``__all__`` arrive sorted (``emit.sort_order``), so formatting is one pass.
    """
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
    else:  # --no-cache: the staging folder is new every run; a cache would land in the cwd
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
    _run(command, formatter, root)


_OS_ERROR = re.compile(r"\(os error (\d+)\)|\[Errno (\d+)\]")
"""How ruff (Rust) and black (Python) print the OS error behind a failed write."""


def _run(command: list[str], tool: str, root: Path) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip()
        os_error = _OS_ERROR.search(output)
        if os_error is not None:  # a full disk while formatting is the machine's fault, not ours
            code = int(os_error.group(1) or os_error.group(2))
            if code in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EIO):
                raise EnvironmentFailure.from_os_error(OSError(code, os.strerror(code)), root)
        detail = output.splitlines()
        raise ApigenError(
            f"generated code failed to format ({tool}): {detail[0] if detail else 'unknown error'}"
        )
