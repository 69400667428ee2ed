"""A throwaway copy of the Parallel project (spec, config, generated client) for workflow tests."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent.parent


def copy_project(dest: Path) -> Path:
    """Copy spec/, apigen.yaml and generated/ into ``dest`` and regenerate there, so the copy is in
    sync with the generator under test (not with whatever the working tree last committed)."""
    shutil.copytree(ROOT / "spec", dest / "spec")
    shutil.copy2(ROOT / "apigen.yaml", dest / "apigen.yaml")
    shutil.copytree(
        ROOT / "docs" / "readme", dest / "docs" / "readme"
    )  # apigen.yaml's readme_extra
    shutil.copytree(
        ROOT / "generated", dest / "generated", ignore=shutil.ignore_patterns("__pycache__", "dist")
    )
    assert main(["--quiet", "generate", "--config", str(dest / "apigen.yaml")]) == 0
    return dest


def tree_digest(root: Path) -> str:
    """One hash over every file's path and bytes: equal before and after, nothing was written."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def models_source(project: Path) -> str:
    """Every response-model module of a generated project (``types/_models.py``, ``_models_2.py``,
    … in order), joined: the types are split by the resources that use them."""
    files = list(project.glob("*/types/_models*.py"))
    assert files, f"no types/_models*.py under {project}"
    return "".join(
        p.read_text() for p in sorted(files, key=lambda p: int(p.stem[len("_models_") :] or 1))
    )
