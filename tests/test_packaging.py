"""generated/ as a distributable project: build, twine check, wheel contents, install and
type-check.

One build per session (sdist + wheel, into a temporary folder: generated/ stays clean), reused by
every test. ``--no-isolation`` uses the hatchling in the test venv, so no network is needed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path

import pytest

from generator.config import load_config
from generator.pipeline import load_api
from generator.plan import build_plan

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Dist:
    wheel: Path
    sdist: Path
    module: str
    distribution: str
    version: str


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dist]:
    _, api = load_api(ROOT / "spec" / "public-openapi.json")
    pkg = build_plan(api, load_config(ROOT / "apigen.yaml"))
    out = tmp_path_factory.mktemp("dist")
    before = sorted(p.name for p in GENERATED.iterdir())
    result = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(GENERATED)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert sorted(p.name for p in GENERATED.iterdir()) == before  # no dist/ or build/ left behind
    wheels, sdists = list(out.glob("*.whl")), list(out.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1
    yield Dist(wheels[0], sdists[0], pkg.module, pkg.distribution, pkg.version)


def test_twine_check_strict_passes(dist: Dist) -> None:
    result = subprocess.run(
        [str(BIN / "twine"), "check", "--strict", str(dist.wheel), str(dist.sdist)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2


def test_wheel_contents_and_metadata(dist: Dist) -> None:
    with zipfile.ZipFile(dist.wheel) as wheel:
        names = wheel.namelist()
        info = f"{dist.module}-{dist.version}.dist-info"
        metadata = Parser().parsestr(wheel.read(f"{info}/METADATA").decode())
        scripts = wheel.read(f"{info}/entry_points.txt").decode()
    assert f"{dist.module}/py.typed" in names
    assert f"{info}/licenses/LICENSE" in names
    assert f"{dist.module}/lib/__init__.py" in names and f"{dist.module}/_client.py" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert metadata["Name"] == dist.distribution and metadata["Version"] == dist.version
    assert metadata["License-Expression"] == "MIT"
    assert metadata["Requires-Python"] == ">=3.10"
    assert metadata["Description-Content-Type"] == "text/markdown"
    requires = metadata.get_all("Requires-Dist") or []
    core = {r.split(">")[0].split("<")[0].strip() for r in requires if "extra ==" not in r}
    assert core == {"httpx", "httpx-sse", "pydantic", "typing-extensions"}
    optional = {r.split(">")[0].split("<")[0].strip() for r in requires if "extra ==" in r}
    assert optional == {"httpx-aiohttp", "aiohttp", "mcp", "jsonschema"}  # `aiohttp`, `mcp`
    assert metadata.get_all("Provides-Extra") == ["aiohttp", "mcp"]
    assert f"{dist.module}/mcp/tools.json" in names  # the server's catalog ships as data
    assert scripts == f"[console_scripts]\n{dist.distribution}-mcp = {dist.module}.mcp:main\n"
    assert "Typing :: Typed" in (metadata.get_all("Classifier") or [])


def test_sdist_carries_the_docs(dist: Dist) -> None:
    with tarfile.open(dist.sdist) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    assert {
        "README.md",
        "api.md",
        "CHANGELOG.md",
        "LICENSE",
        "pyproject.toml",
        f"{dist.module}/py.typed",
    } <= names


@pytest.fixture(scope="session")
def fresh_venv(dist: Dist, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new venv with only the wheel installed; dependencies come from the test venv via a .pth."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60
    )
    python = venv / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(dist.wheel),
        ],
        check=True,
        timeout=120,
    )
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def test_wheel_installs_and_imports(dist: Dist, fresh_venv: Path, tmp_path: Path) -> None:
    code = (
        f"import {dist.module} as m, {dist.module}._client as c; "
        "print(m.__file__); print(m.__version__); print(c.USER_AGENT)"
    )
    result = subprocess.run(
        [str(fresh_venv / "bin" / "python"), "-c", code],
        cwd=tmp_path,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    location, version, user_agent = result.stdout.split("\n")[:3]
    assert location.startswith(str(fresh_venv))  # the installed wheel, not the source tree
    assert version == dist.version
    assert user_agent.startswith(f"{dist.distribution}/{dist.version} ")


def test_types_are_visible_to_users(fresh_venv: Path, tmp_path: Path) -> None:
    """pyright on a user script, resolving the package from the installed wheel only."""
    script = tmp_path / "user.py"
    script.write_text(
        "from parallel_api import Parallel, NotFoundError\n"
        "from parallel_api.types import TaskRun\n\n"
        "def run(client: Parallel) -> str:\n"
        "    task_run: TaskRun = client.task_run.create(input='q', processor='base')\n"
        "    status: str = task_run.status\n"
        "    return status\n\n"
        "def bad(client: Parallel) -> None:\n"
        "    client.task_run.create(input='q')  # missing processor\n"
        "    _ = NotFoundError\n"
    )
    result = subprocess.run(
        [
            str(BIN / "pyright"),
            "--pythonpath",
            str(fresh_venv / "bin" / "python"),
            "--outputjson",
            str(script),
        ],
        cwd=tmp_path,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(result.stdout)
    errors = [d for d in report["generalDiagnostics"] if d["severity"] == "error"]
    # Exactly the one deliberate mistake is reported: types flow from the wheel to the user.
    assert [(d["range"]["start"]["line"], "processor" in d["message"]) for d in errors] == [
        (9, True)
    ], errors
