"""SIGKILL at any instant of a large ``apigen generate`` leaves the old tree or the new one.

The killed run's process group (apigen and its ruff children) is killed at points spread over
the whole run; after each kill the output folder must hash exactly like the old or the new tree.
A later run cleans up what the killed one left and completes.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from generator.write.output import remove_stale, stage_files
from tests.support.hostile import REPO, run_cli, tree_digest, write_spec

OPERATIONS = 300
KILLS = 6


def _spec(title: str) -> dict[str, Any]:
    ok = {
        "200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/M"}}},
        }
    }
    paths = {
        f"/r{i // 30}/op{i}": {
            "get": {
                "operationId": f"op{i}",
                "tags": [f"r{i // 30}"],
                "description": title,
                "responses": ok,
            }
        }
        for i in range(OPERATIONS)
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Atomic", "version": "1", "description": title},
        "paths": paths,
        "components": {
            "schemas": {
                "M": {
                    "type": "object",
                    "description": title,
                    "properties": {"a": {"type": "string"}},
                }
            }
        },
    }


def _spawn(spec: Path, out: Path, cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "generate", str(spec), "-o", str(out)],
        cwd=cwd,  # as run_cli's runs: the manifest names the spec relative to the project
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes ruff with it
    )


def test_sigkill_leaves_old_or_new_tree(tmp_path: Path) -> None:
    old_spec = write_spec(tmp_path / "old", _spec("old text"))
    new_spec = write_spec(tmp_path / "new", _spec("new text"))
    out = tmp_path / "out"
    (out / "notes").mkdir(parents=True)
    (out / "notes" / "mine.txt").write_text("not generated: carried over")

    started = time.monotonic()
    assert run_cli("generate", old_spec, "-o", out, cwd=tmp_path).returncode == 0
    duration = time.monotonic() - started
    old_tree = tree_digest(out)
    reference = tmp_path / "reference" / "out"  # same folder name: the manifest records it
    shutil.copytree(out, reference)
    assert run_cli("generate", new_spec, "-o", reference, cwd=tmp_path).returncode == 0
    new_tree = tree_digest(reference)
    assert old_tree != new_tree

    rng = random.Random(9)
    outcomes = []
    for index in range(KILLS):
        # Spread over the run, with the last kills near its end (the swap).
        delay = duration * (index + rng.random()) / KILLS * 1.1
        process = _spawn(new_spec, out, tmp_path)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        tree = tree_digest(out)
        assert tree in (old_tree, new_tree), f"mixed tree after a kill at {delay:.2f}s"
        outcomes.append("new" if tree == new_tree else "old")
        if tree == new_tree:  # put the old tree back so later kills can still catch the swap
            assert run_cli("generate", old_spec, "-o", out, cwd=tmp_path).returncode == 0
    assert "old" in outcomes

    final = run_cli("generate", new_spec, "-o", out, cwd=tmp_path)
    assert final.returncode == 0, final.stderr
    assert tree_digest(out) == new_tree
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".apigen-")]
    assert leftovers == []


def test_stale_staging_of_a_dead_process_is_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(dead.stdout)
    stale = tmp_path / f".apigen-tmp-out-{dead_pid}-abc123"
    (stale / "pkg").mkdir(parents=True)
    alive = tmp_path / f".apigen-tmp-out-{os.getpid()}-zzz"
    alive.mkdir()
    other_output = tmp_path / f".apigen-tmp-out-2-{dead_pid}-abc"  # belongs to output "out-2"
    other_output.mkdir()
    staging = stage_files(out, [("a.txt", b"x")])
    try:
        assert not stale.exists()
        assert alive.exists() and other_output.exists()
    finally:
        for folder in (staging, alive, other_output):
            folder.rename(tmp_path / f"done-{folder.name}")


def test_old_tree_set_aside_by_a_killed_run_is_restored(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    backup = tmp_path / f".apigen-old-out-{int(dead.stdout)}-"
    backup.mkdir()
    (backup / "kept.txt").write_text(json.dumps({"old": True}))
    remove_stale(tmp_path / "out")
    assert json.loads((tmp_path / "out" / "kept.txt").read_text()) == {"old": True}
    assert not backup.exists()
