"""The output folder is the user's: its mode, its symlinks, a symlink to it, and real failures.

Regeneration replaces only what apigen generates, keeps everything else exactly (modes, links),
and when the machine stops it (a full disk, a read-only folder, no permission) the error says so
in one line and every file — spec, config, tree — is exactly as before.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from tests.support.hostile import run_cli, tree_digest, write_spec
from tests.support.sandbox import PRELUDE, REPO, run_sandboxed


def _spec(version: str = "1", description: str = "old") -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Folder", "version": version, "description": description},
        "paths": {
            "/items": {
                "get": {
                    "operationId": "listItems",
                    "tags": ["items"],
                    "description": description,
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
    }


NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def _as_nobody(*command: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run ``command`` as user nobody (root ignores permission bits; nobody does not)."""
    if os.geteuid() != 0:
        pytest.fail("this test switches to user nobody and must run as root (as CI does)")
    python = str(REPO / ".venv/bin/python")
    with _passable_above(REPO.resolve()):
        probe = subprocess.run(
            [*NOBODY, python, "-c", "import click"], capture_output=True, check=False
        )
        if probe.returncode != 0:
            pytest.fail(f"user nobody cannot run {python}: the checkout must be world-readable")
        return subprocess.run(
            [*NOBODY, python, *command], capture_output=True, text=True, check=False, **kwargs
        )


@contextlib.contextmanager
def _passable_above(path: Path) -> Iterator[None]:
    """Let other users pass through (``x``, not list) each folder above ``path`` that stops them
    (a clone in ``mktemp -d`` or in a private home folder), and put every mode back after."""
    changed: list[tuple[Path, int]] = []
    try:
        for folder in path.parents:
            mode = _mode(folder)
            if not mode & stat.S_IXOTH:
                folder.chmod(mode | stat.S_IXOTH)
                changed.append((folder, mode))
        yield
    finally:
        for folder, mode in reversed(changed):
            folder.chmod(mode)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def _generated(tmp_path: Path) -> tuple[Path, Path, Path]:
    """An output folder generated from the old spec, and a new spec that changes its files."""
    old = write_spec(tmp_path / "old", _spec(description="old"))
    new = write_spec(tmp_path / "new", _spec(description="new"))
    out = tmp_path / "out"
    assert main(["-q", "generate", str(old), "-o", str(out)]) == 0
    return old, new, out


# ------------------------------------------------------------------------------------- modes
@pytest.mark.usefixtures("umask_022")
def test_regeneration_keeps_folder_modes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _, new, out = _generated(tmp_path)
    assert _mode(out) == 0o755  # a new folder gets the umask default, not mkdtemp's 0700
    (out / "notes").mkdir(mode=0o750)
    os.chmod(out / "notes", 0o750)
    os.chmod(out, 0o775)
    assert main(["-q", "generate", str(new), "-o", str(out)]) == 0
    assert "new" in (out / "README.md").read_text()  # the tree really was replaced
    assert _mode(out) == 0o775
    assert _mode(out / "notes") == 0o750
    (package,) = [p for p in out.iterdir() if (p / "_client.py").is_file()]
    assert _mode(package) == 0o755


def test_new_output_folder_follows_the_umask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    spec = write_spec(tmp_path, _spec())
    old = os.umask(0o027)
    try:
        assert main(["-q", "generate", str(spec), "-o", str(tmp_path / "out")]) == 0
    finally:
        os.umask(old)
    assert _mode(tmp_path / "out") == 0o750
    assert _mode(tmp_path / "out" / "README.md") == 0o640


@pytest.mark.usefixtures("umask_022")
def test_a_non_root_user_can_read_and_import_the_regenerated_tree() -> None:
    """A second CI account (here: nobody) must still read what root regenerated."""
    base = Path(os.environ.get("TMPDIR", "/tmp")) / f"apigen-mode-{os.getpid()}"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(mode=0o755)
    try:
        os.chmod(base, 0o755)
        _, new, out = _generated(base)
        assert run_cli("-q", "generate", new, "-o", out, cwd=base).returncode == 0
        (package,) = [p.name for p in out.iterdir() if (p / "_client.py").is_file()]
        done = _as_nobody(
            "-B",
            "-c",
            f"import {package}; print('ok')",
            cwd=out,
            env={"PATH": os.environ["PATH"], "PYTHONPATH": str(out)},
        )
        assert done.stdout.strip() == "ok", done.stderr
    finally:
        shutil.rmtree(base, ignore_errors=True)


# ------------------------------------------------------------------------------------- links
def test_symlinks_inside_the_output_folder_are_carried_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _, new, out = _generated(tmp_path)
    shared = tmp_path / "shared_lib"
    shared.mkdir()
    (shared / "helpers.py").write_text("VALUE = 1\n")
    (package,) = [p for p in out.iterdir() if (p / "_client.py").is_file()]
    (package / "mylib").symlink_to("../../shared_lib")  # a folder, by a relative link
    (out / "NOTES.md").symlink_to(shared / "helpers.py")  # a file, by an absolute link
    assert main(["-q", "generate", str(new), "-o", str(out)]) == 0
    assert "new" in (out / "README.md").read_text()
    assert (package / "mylib").is_symlink()
    assert os.readlink(package / "mylib") == "../../shared_lib"
    assert (package / "mylib" / "helpers.py").read_text() == "VALUE = 1\n"
    assert os.readlink(out / "NOTES.md") == str(shared / "helpers.py")
    assert (shared / "helpers.py").read_text() == "VALUE = 1\n"  # never written through


def test_a_symlinked_custom_code_folder_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _, new, out = _generated(tmp_path)
    (package,) = [p for p in out.iterdir() if (p / "_client.py").is_file()]
    mine = tmp_path / "my_lib"
    shutil.move(package / "lib", mine)
    (mine / "extra.py").write_text("EXTRA = 2\n")
    (package / "lib").symlink_to(mine)
    assert main(["-q", "generate", str(new), "-o", str(out)]) == 0
    assert (package / "lib").is_symlink() and (package / "lib" / "extra.py").is_file()
    assert main(["check", str(new), "-o", str(out)]) == 0


def test_a_symlink_where_apigen_generates_a_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    _, new, out = _generated(tmp_path)
    (package,) = [p for p in out.iterdir() if (p / "_client.py").is_file()]
    elsewhere = tmp_path / "elsewhere"
    shutil.move(package / "resources", elsewhere)
    (package / "resources").symlink_to(elsewhere)
    before = tree_digest(out)
    capsys.readouterr()
    assert main(["generate", str(new), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("apigen: error: ") and "is a symlink to a folder" in err
    assert tree_digest(out) == before and (package / "resources").is_symlink()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".apigen-")] == []


def test_a_symlinked_output_folder_is_written_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _, new, real = _generated(tmp_path)
    (tmp_path / "links").mkdir()
    link = tmp_path / "links" / "out"
    link.symlink_to(real)
    assert main(["-q", "generate", str(new), "-o", str(link)]) == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.is_dir() and not real.is_symlink()
    assert "new" in (real / "README.md").read_text()
    for folder in (tmp_path, tmp_path / "links"):
        assert [p.name for p in folder.iterdir() if p.name.startswith(".apigen-")] == []
    assert main(["check", str(new), "-o", str(link)]) == 0


# ------------------------------------------------------------------------ real failures (root)
_GENERATE_ON_SMALL_DISK = (
    PRELUDE
    + r"""
import shutil
disk = PAYLOAD["disk"]
small_disk(disk, PAYLOAD["size"])
shutil.copytree(PAYLOAD["old_tree"], disk + "/out", symlinks=True)
before = digest(disk + "/out")
fill(disk, PAYLOAD["leave"])
run = apigen("generate", PAYLOAD["new_spec"], "-o", disk + "/out", cwd=PAYLOAD["cwd"])
print(json.dumps({**run, "same": digest(disk + "/out") == before, "leftovers": leftovers(disk)}))
"""
)


@pytest.mark.parametrize("leave", [0, 16 * 1024, 64 * 1024], ids=["full", "16k-free", "64k-free"])
def test_disk_full_during_generate_is_reported_and_changes_nothing(
    tmp_path: Path, leave: int
) -> None:
    _, new, out = _generated(tmp_path)
    result = run_sandboxed(
        _GENERATE_ON_SMALL_DISK,
        {
            "disk": str(tmp_path / "disk"),
            "size": 4 * 1024 * 1024,
            "old_tree": str(out),
            "new_spec": str(new),
            "leave": leave,
            "cwd": str(tmp_path),
        },
    )
    assert result["code"] == 2, result["stderr"]
    assert result["stderr"].startswith("apigen: error: no space left on device writing ")
    assert result["stderr"].count("\n") == 1 and "internal error" not in result["stderr"]
    assert result["same"] and result["leftovers"] == []


_UPDATE_ON_SMALL_DISK = (
    PRELUDE
    + r"""
import shutil
disk = PAYLOAD["disk"]
small_disk(disk, PAYLOAD["size"])
project = disk + "/project"
shutil.copytree(PAYLOAD["project"], project, symlinks=True)
before = digest(project)
fill(disk, PAYLOAD["leave"])
run = apigen("update", "--from", PAYLOAD["new_spec"], cwd=project)
print(json.dumps({**run, "same": digest(project) == before, "leftovers": leftovers(project)}))
"""
)


def _small_project(tmp_path: Path) -> tuple[Path, Path]:
    """A project (apigen.yaml, spec.json, out/) and a new upstream spec with the same version,
    so an update must change all three: the spec, apigen.yaml (package.post) and the tree."""
    project = tmp_path / "project"
    write_spec(project, _spec(description="old"))
    (project / "apigen.yaml").write_text("spec: spec.json\noutput: out\npackage:\n  license: MIT\n")
    assert run_cli("-q", "generate", cwd=project).returncode == 0
    new = write_spec(tmp_path / "upstream", _spec(description="new"))
    return project, new


@pytest.mark.parametrize("leave", [0, 16 * 1024, 64 * 1024], ids=["full", "16k-free", "64k-free"])
def test_disk_full_during_update_leaves_spec_config_and_tree_old(
    tmp_path: Path, leave: int
) -> None:
    project, new = _small_project(tmp_path)
    result = run_sandboxed(
        _UPDATE_ON_SMALL_DISK,
        {
            "disk": str(tmp_path / "disk"),
            "size": 4 * 1024 * 1024,
            "project": str(project),
            "new_spec": str(new),
            "leave": leave,
        },
    )
    assert result["code"] == 2, result["stderr"]
    last = result["stderr"].splitlines()[-1]  # after the same-version warning
    assert last.startswith("apigen: error: no space left on device writing ")
    assert "internal error" not in result["stderr"]
    assert result["same"] and result["leftovers"] == []


_READ_ONLY = (
    PRELUDE
    + r"""
target = PAYLOAD["read_only"]
before = digest(PAYLOAD["out"])
read_only(target)
run = apigen(*PAYLOAD["args"], cwd=PAYLOAD["cwd"])
print(json.dumps({**run, "same": digest(PAYLOAD["out"]) == before,
                  "leftovers": leftovers(os.path.dirname(PAYLOAD["out"]))}))
"""
)


@pytest.mark.parametrize("which", ["output-folder", "whole-project"])
def test_read_only_output_folder_is_a_clear_error(tmp_path: Path, which: str) -> None:
    _, new, out = _generated(tmp_path)
    result = run_sandboxed(
        _READ_ONLY,
        {
            "read_only": str(out if which == "output-folder" else tmp_path),
            "out": str(out),
            "args": ["generate", str(new), "-o", str(out)],
            "cwd": str(tmp_path),
        },
    )
    assert result["code"] == 2
    assert result["stderr"] == f"apigen: error: read-only file system writing {out}\n"
    assert result["same"] and result["leftovers"] == []


def test_output_folder_the_user_may_not_write_is_a_clear_error() -> None:
    """As user nobody (root ignores permission bits): a folder owned by root, mode 0755."""
    base = Path(os.environ.get("TMPDIR", "/tmp")) / f"apigen-perm-{os.getpid()}"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(mode=0o755)
    try:
        os.chmod(base, 0o777)  # nobody may write beside the output folder, not inside it
        _, new, out = _generated(base)
        os.chmod(out, 0o755)
        before = tree_digest(out)
        done = _as_nobody(
            "-B",
            "-m",
            "generator",
            "generate",
            str(new),
            "-o",
            str(out),
            cwd=base,
            env={"PATH": os.environ["PATH"], "PYTHONPATH": str(REPO), "HOME": str(base)},
        )
        assert done.returncode == 2
        assert done.stderr == f"apigen: error: permission denied writing {out}\n"
        assert tree_digest(out) == before
    finally:
        shutil.rmtree(base, ignore_errors=True)


# ---------------------------------------------------- every write of update's commit, in-process
def _update_write_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many files a successful update writes through the write stage (on a scratch copy)."""
    from generator.write import files

    project, new = _small_project(tmp_path / "count")
    calls = 0
    real = files.create

    def counting(path: Path, data: bytes) -> None:
        nonlocal calls
        calls += 1
        real(path, data)

    monkeypatch.setattr(files, "create", counting)
    monkeypatch.chdir(project)
    assert main(["-q", "update", "--from", str(new)]) == 0
    monkeypatch.undo()
    return calls


def _leftovers(root: Path) -> list[Path]:
    """Staging folders, new files or backups a failed run left anywhere below ``root``."""
    return [*root.rglob(".apigen-tmp-*"), *root.rglob(".apigen-old-*")]


def _project_state(project: Path) -> dict[str, Any]:
    return {"tree": tree_digest(project), "names": sorted(os.listdir(project))}


def test_disk_full_at_every_write_of_update_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """ENOSPC injected at the 1st, 2nd, ... write of the whole update (staged tree, manifest,
    CHANGELOG, the new spec and apigen.yaml beside their targets): always exit 2, one line naming
    the path, and the spec, config and tree exactly the old ones, with nothing left behind."""
    from generator.write import files

    total = _update_write_count(tmp_path, monkeypatch)
    assert total > 5
    project, new = _small_project(tmp_path / "run")
    before = _project_state(project)
    monkeypatch.chdir(project)
    real = files.create
    for failing in range(1, total + 1):
        calls = 0

        def full_disk(path: Path, data: bytes, failing: int = failing) -> None:
            nonlocal calls
            calls += 1
            if calls == failing:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
            real(path, data)

        monkeypatch.setattr(files, "create", full_disk)
        capsys.readouterr()
        assert main(["update", "--from", str(new)]) == 2, f"write {failing} of {total}"
        err = capsys.readouterr().err.splitlines()[-1]  # after the same-version warning
        assert err.startswith("apigen: error: no space left on device writing "), err
        assert _project_state(project) == before, f"write {failing} of {total}"
        assert _leftovers(tmp_path) == []
    monkeypatch.setattr(files, "create", real)
    assert main(["-q", "update", "--from", str(new)]) == 0  # and then it works
    assert (
        json.loads((project / "out/.apigen-manifest.json").read_text())["package_version"]
        == "1.post1"
    )


def test_failed_folder_swap_puts_spec_and_config_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The last step (the folder swap) fails after the spec and apigen.yaml were renamed into
    place: both are renamed back, so all three are the old ones."""
    from generator.write import commit as commit_module

    project, new = _small_project(tmp_path)
    before = _project_state(project)
    monkeypatch.chdir(project)

    def broken_swap(_staging: Path, out_dir: Path) -> None:
        assert (project / "spec.json").read_bytes() == new.read_bytes()  # really installed
        raise OSError(errno.EIO, os.strerror(errno.EIO), str(out_dir))

    monkeypatch.setattr(commit_module, "swap_into_place", broken_swap)
    assert main(["update", "--from", str(new)]) == 2
    assert "input/output error" in capsys.readouterr().err
    assert _project_state(project) == before
    assert _leftovers(tmp_path) == []
