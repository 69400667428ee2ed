"""`bench/huge.py` runs the commit the Graph beta CPU goal was set against from git's history."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.bench import BENCH, load_bench_module


def test_the_baseline_is_that_commits_generator_and_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.syspath_prepend(str(BENCH))  # huge.py imports goals.py beside it
    huge = load_bench_module("huge")
    command = huge.export_generator("HEAD", tmp_path / "head")
    assert command is not None and f"PYTHONPATH={tmp_path / 'head'}" in command
    assert (tmp_path / "head" / "generator" / "pipeline.py").is_file()
    assert (tmp_path / "head" / "templates" / "package").is_dir()
    # A history without the commit (a shallow clone): no baseline, and stderr says why.
    assert huge.export_generator("0" * 40, tmp_path / "missing") is None
    assert "huge: no baseline 0000000000" in capsys.readouterr().err
