"""The process entry (``python -m generator``, the ``apigen`` script) ends with ``os._exit``, so a
huge run skips freeing its heap: its exit code and everything it printed to a pipe must still
come out whole, and in-process callers of ``main`` must never be exited."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.entry import main

REPO = Path(__file__).resolve().parents[1]
DIFF = REPO / "tests/specs/diff/operation-added"


def _apigen(*args: str, cwd: Path = DIFF) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_piped_output_is_complete_and_the_exit_code_kept() -> None:
    done = _apigen("diff", str(DIFF / "old.yaml"), str(DIFF / "new.yaml"), "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)  # a pipe is block-buffered: nothing may be left unflushed
    assert report["changes"], report


def test_an_error_exits_2_with_its_one_line_message(tmp_path: Path) -> None:
    spec = tmp_path / "broken.json"
    spec.write_text('{"openapi": "3.1.0", "info": ', encoding="utf-8")
    done = _apigen("generate", str(spec), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("apigen: error:") and done.stderr.endswith("\n")
    assert not (tmp_path / "out").exists()


def test_main_returns_to_an_in_process_caller(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "generate" in capsys.readouterr().out


def test_the_console_script_exits_the_same_way() -> None:
    script = Path(sys.executable).parent / "apigen"
    done = subprocess.run(
        [str(script), "diff", str(DIFF / "old.yaml"), str(DIFF / "new.yaml"), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["changes"]
