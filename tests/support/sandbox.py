"""Real environment failures for tests: a full disk, a read-only folder, an unprivileged user.

Root ignores permission bits, so a read-only output folder is a read-only bind mount and a full
disk is a small tmpfs, both made inside a private mount namespace (``unshare --mount``: nothing
is visible outside the test, and everything vanishes with it). As root that needs no setup; as
another user it needs unprivileged user namespaces (``unshare -Urm``). Where neither works the
test fails and says why: these cases are never skipped silently.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]


def _namespace() -> list[str]:
    candidates = [["unshare", "--mount", "--propagation", "private"]]
    if os.geteuid() != 0:
        candidates = [
            ["unshare", "--user", "--map-root-user", "--mount", "--propagation", "private"]
        ]
    for command in candidates:
        probe = subprocess.run([*command, "true"], capture_output=True, check=False)
        if probe.returncode == 0:
            return command
    pytest.fail(
        "these tests need a private mount namespace (run as root, or enable unprivileged user "
        "namespaces) to make a real full disk or read-only folder"
    )


def run_sandboxed(script: str, payload: dict[str, Any], timeout: float = 240) -> dict[str, Any]:
    """Run Python ``script`` in a private mount namespace; it reads ``PAYLOAD`` (a dict) and must
    print one JSON object as its last line, which is returned."""
    program = (
        "import json, os, subprocess, sys\n"
        f"PAYLOAD = json.loads({json.dumps(json.dumps(payload))})\n"
        f"sys.path.insert(0, {str(REPO)!r})\n" + script
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("APIGEN_DEBUG", None)
    done = subprocess.run(
        [*_namespace(), sys.executable, "-c", program],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


PRELUDE = r'''
def sh(*command):
    subprocess.run(command, check=True, capture_output=True)

def small_disk(folder, size):
    """A tmpfs of ``size`` bytes at ``folder`` (visible only inside this namespace)."""
    os.makedirs(folder, exist_ok=True)
    sh("mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "apigen-test", folder)

def fill(folder, leave):
    """Fill the file system of ``folder`` until only ``leave`` bytes are free."""
    path = os.path.join(folder, ".filler")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    size = os.path.getsize(path)
    os.truncate(path, max(0, size - leave))

def read_only(folder):
    sh("mount", "--bind", folder, folder)
    sh("mount", "-o", "remount,bind,ro", folder)

def apigen(*args, cwd):
    done = subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True
    )
    return {"code": done.returncode, "stderr": done.stderr}

def digest(root):
    from tests.support.hostile import tree_digest
    from pathlib import Path
    return tree_digest(Path(root))

def leftovers(folder):
    return sorted(n for n in os.listdir(folder) if n.startswith(".apigen-"))
'''
