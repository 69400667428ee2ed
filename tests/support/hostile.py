"""Helpers for the security tests: run the CLI in a fresh interpreter, hash trees, import output."""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args: str | Path, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``apigen ARGS`` in a child interpreter (a crash or hang cannot take the test run with it)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("APIGEN_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def write_spec(folder: Path, spec: dict[str, Any] | str | bytes, name: str = "spec.json") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(spec, dict):
        path.write_text(json.dumps(spec), encoding="utf-8")
    elif isinstance(spec, str):
        path.write_text(spec, encoding="utf-8")
    else:
        path.write_bytes(spec)
    return path


def tree_digest(root: Path) -> dict[str, str]:
    """Relative path → sha256 of every file below ``root`` (empty when it does not exist)."""
    if not root.exists():
        return {}
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def package_name(out: Path) -> str:
    """The generated package's import name (the folder holding ``_client.py``)."""
    (client,) = out.glob("*/_client.py")
    return client.parent.name


@contextmanager
def imported(out: Path) -> Iterator[ModuleType]:
    """Import the generated package from ``out``; unload it afterwards."""
    name = package_name(out)
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(name)
    finally:
        sys.path.remove(str(out))
        for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[mod]


def import_all(out: Path, package: ModuleType) -> list[ModuleType]:
    """Every module of the generated package, imported."""
    root = out / package.__name__
    modules = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(out).with_suffix("")
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        modules.append(importlib.import_module(".".join(parts)))
    return modules


def ruff_findings(folder: Path) -> str:
    """``ruff check`` (pyflakes and syntax rules, no project config) output; empty when clean."""
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run(
        [
            str(ruff),
            "check",
            "--isolated",
            "--select",
            "E4,E7,E9,F",
            "--quiet",
            "--output-format",
            "concise",
            str(folder),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout + result.stderr
