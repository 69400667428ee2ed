"""Determinism: the same spec and config give byte-identical output, and the committed
``generated/`` is exactly what a fresh generation produces (the CI drift gate)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import main
from generator.config import load_config
from generator.pipeline import generate
from tests.support.parallel import ROOT, SPEC

MANIFEST = ".apigen-manifest.json"


def tree(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` by relative POSIX path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_two_generations_are_byte_identical(tmp_path: Path) -> None:
    config = load_config(ROOT / "apigen.yaml")
    first, second = tmp_path / "a" / "out", tmp_path / "b" / "out"
    first.parent.mkdir()
    second.parent.mkdir()
    generate(SPEC, config, first)
    generate(SPEC, config, second)
    a, b = tree(first), tree(second)
    assert len(a) > 20 and "parallel_api/_client.py" in a
    assert sorted(a) == sorted(b)
    assert [path for path in a if a[path] != b[path]] == []


def test_fresh_generation_matches_committed_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    generation = generate(SPEC, load_config(ROOT / "apigen.yaml"), out)
    custom = set(generation.custom_files)  # lib/: the user's area, created once, never compared
    fresh = {path: data for path, data in tree(out).items() if path not in custom}
    assert fresh and not any(path.startswith("parallel_api/lib/") for path in fresh)
    committed = {path: data for path, data in tree(ROOT / "generated").items() if path in fresh}
    assert sorted(committed) == sorted(fresh), "files missing from generated/"
    assert [path for path in fresh if path != MANIFEST and fresh[path] != committed[path]] == []
    assert _manifest_facts(fresh[MANIFEST]) == _manifest_facts(committed[MANIFEST])


def _manifest_facts(data: bytes) -> dict[str, object]:
    """The manifest minus the generator fingerprint: ``apigen check`` deliberately accepts a
    stale fingerprint when the output bytes are unchanged (it then only suggests regenerating),
    so a generator refactor that changes no output does not force a new generated/ commit."""
    manifest = json.loads(data)
    manifest["generator"].pop("fingerprint", None)
    return dict(manifest)


def test_apigen_check_passes_on_the_repository(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["check"]) == 0, capsys.readouterr()
