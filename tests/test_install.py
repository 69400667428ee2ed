"""``pip install ./generated`` into a fresh virtual environment gives a working ``parallel_api``.

One venv per session (creating it and installing httpx/pydantic is the slow part); the package
is installed from a copy of generated/ so the build leaves nothing behind in the repository.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

from tests.support.parallel import ROOT, api

PROBE = """
import json, parallel_api
from parallel_api import Parallel, AsyncParallel, types
client = Parallel(api_key="k", base_url="http://127.0.0.1:9")
print(json.dumps({
    "file": parallel_api.__file__,
    "version": parallel_api.__version__,
    "method": callable(client.beta.task_run.create),
    "models": sorted(n for n in dir(types) if not n.startswith("_")),
    "typed": (
        __import__("importlib.resources").resources.files("parallel_api") / "py.typed"
    ).is_file(),
}))
"""


@pytest.fixture(scope="session")
def installed_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Python of a new venv with the generated package installed from PyPI-resolved deps."""
    root = tmp_path_factory.mktemp("install")
    source = root / "src"
    shutil.copytree(
        ROOT / "generated", source, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    env_dir = root / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    result = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            str(source),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=root,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return python


def test_installed_package_imports_outside_the_repository(
    installed_python: Path, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PARALLEL_API_KEY")}
    result = subprocess.run(
        [str(installed_python), "-c", PROBE],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert Path(report["file"]).is_relative_to(
        installed_python.parent.parent
    )  # site-packages, not generated/
    assert report["method"] is True
    assert report["typed"] is True
    version = (
        (ROOT / "generated" / "pyproject.toml")
        .read_text()
        .split('version = "', 1)[1]
        .split('"', 1)[0]
    )
    assert report["version"] == version
    assert {named.name for named in api().schemas} <= set(report["models"])


def test_installed_package_dependencies_are_consistent(installed_python: Path) -> None:
    result = subprocess.run(
        [str(installed_python), "-m", "pip", "check"],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
