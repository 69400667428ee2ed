"""Shared fixtures: repository paths and an importable copy of the generated Parallel client."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
SPEC = ROOT / "spec" / "public-openapi.json"
SPECS = ROOT / "tests" / "specs"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(GENERATED) not in sys.path:
    sys.path.insert(0, str(GENERATED))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A regenerated copy of the project (spec, config, generated/), made once per test module."""
    from tests.support.project import copy_project

    return copy_project(tmp_path_factory.mktemp("pristine"))


@pytest.fixture
def project(pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of ``pristine`` for one test, which runs with it as the working directory."""
    dest = tmp_path / "project"
    shutil.copytree(pristine, dest)
    monkeypatch.chdir(dest)
    return dest
