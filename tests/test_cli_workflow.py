"""The CLI as a maintainer uses it: options anywhere, what -v promises, which config applies,
versions that are not PEP 440, and an output folder without tool caches."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from tests.support.hostile import write_spec

ROOT = Path(__file__).resolve().parent.parent


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


TINY = {
    "openapi": "3.1.0",
    "info": {"title": "Tiny", "version": "1"},
    "paths": {
        "/ping": {"get": {"operationId": "ping", "responses": {"204": {"description": "ok"}}}}
    },
}


# ------------------------------------------------------------------------------ global options
@pytest.mark.parametrize(
    "args",
    [["-q", "generate", "{spec}", "-o", "{out}"], ["generate", "{spec}", "-o", "{out}", "-q"]],
    ids=["before", "after"],
)
def test_global_options_work_before_and_after_the_subcommand(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    spec = write_spec(tmp_path, TINY)
    filled = [a.format(spec=spec, out=tmp_path / "out") for a in args]
    assert run(capsys, *filled) == (0, "", "")  # -q: nothing printed
    assert run(capsys, "check", str(spec), "-o", str(tmp_path / "out"), "--quiet") == (0, "", "")
    code, _, err = run(capsys, "ir", str(spec), "-v")
    assert code == 0 and "apigen: timing: ir: load" in err


def test_strict_after_the_subcommand_is_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    spec = dict(TINY, info={"title": "Tiny", "version": "unversioned"})
    sloppy = json.loads(json.dumps(spec))
    sloppy["paths"]["/ping"]["get"]["parameters"] = [
        {"name": "q", "in": "query", "schema": {"type": "string", "pattern": "("}}
    ]
    path = write_spec(tmp_path, sloppy)
    code, _, err = run(capsys, "generate", str(path), "-o", str(tmp_path / "out"), "--strict")
    assert code == 2 and "--strict makes warnings errors" in err
    assert not (tmp_path / "out").exists()


def test_strict_applies_to_diff_and_update(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.support.project import tree_digest

    spec = json.loads((project / "spec/public-openapi.json").read_text())
    spec["info"]["version"] = "0.2.0"
    get = next(iter(spec["paths"].values()))
    op = next(v for k, v in get.items() if k in ("get", "post"))
    op["parameters"] = [
        *op.get("parameters", []),
        {"name": "zz", "in": "query", "schema": {"type": "string", "pattern": "("}},
    ]
    sloppy = write_spec(project.parent / "upstream", spec)
    old = str(project / "spec/public-openapi.json")
    assert run(capsys, "diff", old, str(sloppy))[0] == 0
    code, _, err = run(capsys, "diff", old, str(sloppy), "--strict")
    assert code == 2 and "--strict makes warnings errors" in err
    before = tree_digest(project)
    code, _, err = run(capsys, "update", "--from", str(sloppy), "--strict")
    assert code == 2 and "--strict makes warnings errors" in err
    assert tree_digest(project) == before


# ------------------------------------------------------------------------------- what -v prints
def test_verbose_prints_stage_timings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    spec = write_spec(tmp_path, TINY)
    code, _, err = run(capsys, "-v", "generate", str(spec), "-o", str(tmp_path / "out"))
    assert code == 0
    line = next(x for x in err.splitlines() if x.startswith("apigen: timing: generate: "))
    assert re.fullmatch(
        r"apigen: timing: generate: load [\d.]+ s, ir [\d.]+ s, name [\d.]+ s, plan [\d.]+ s, "
        r"render [\d.]+ s, format [\d.]+ s, write [\d.]+ s, total [\d.]+ s",
        line,
    )
    code, _, err = run(capsys, "-v", "check", str(spec), "-o", str(tmp_path / "out"))
    assert code == 0 and "apigen: timing: check: check " in err
    assert "timing" not in run(capsys, "generate", str(spec), "-o", str(tmp_path / "out"))[2]


def test_verbose_update_lists_stale_resources_entries_and_timings(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = json.loads((project / "spec/public-openapi.json").read_text())
    spec["info"]["version"] = "0.2.0"
    del spec["paths"]["/v1alpha/monitors/{monitor_id}"]["delete"]
    upstream = write_spec(project.parent / "upstream", spec)
    code, _, err = run(capsys, "-v", "update", "--from", str(upstream))
    assert code == 0, err
    assert (
        "apigen: warning: apigen.yaml#/resources/DELETE /v1alpha/monitors/{monitor_id}: "
        "naming config entry 'DELETE /v1alpha/monitors/{monitor_id}' matches no operation; ignored"
    ) in err
    assert re.search(r"apigen: timing: update: fetch [\d.]+ s, load .* write [\d.]+ s", err)


# ------------------------------------------------------------------------------- which config
def test_config_about_another_spec_is_not_applied_and_a_note_says_so(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = project / "other.json"
    copy.write_bytes((project / "spec/public-openapi.json").read_bytes())
    code, _, err = run(capsys, "generate", str(copy), "-o", str(project / "plain"))
    assert code == 0
    assert (
        "apigen: note: ./apigen.yaml is not applied: it is about spec/public-openapi.json, "
        f"not {copy} (pass --config apigen.yaml to apply it)\n"
    ) in err
    assert (project / "plain/parallel_client").is_dir()  # default names, as the note warned
    for args in (
        ["generate", str(copy), "-o", str(project / "configured"), "--config", "apigen.yaml"],
        ["--config", "apigen.yaml", "generate", str(copy), "-o", str(project / "configured")],
    ):
        code, _, err = run(capsys, *args)
        assert code == 0 and "not applied" not in err
        assert (project / "configured/parallel_api").is_dir()


def test_help_says_when_the_default_config_applies(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "generate", "--help")
    assert code == 0
    text = " ".join(out.split())
    assert "when it is about SPEC" not in text
    assert "Default: ./apigen.yaml when no SPEC is given or SPEC is its `spec:`" in text
    for option in ("-q, --quiet", "-v, --verbose", "--strict", "--config PATH"):
        assert option in out


# ------------------------------------------------------------------------- versions, not PEP 440
def test_a_version_that_is_not_pep_440_is_normalised_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    spec = write_spec(tmp_path, dict(TINY, info={"title": "Tiny", "version": "0.1.2-mod"}))
    code, _, err = run(capsys, "-v", "generate", str(spec), "-o", str(tmp_path / "out"))
    assert code == 0
    assert (
        "#/info/version: info.version '0.1.2-mod' is not a plain PEP 440 release; "
        "the package is versioned 0.1.2"
    ) in err
    manifest = json.loads((tmp_path / "out/.apigen-manifest.json").read_text())
    assert manifest["package_version"] == "0.1.2"


def test_breaking_update_that_only_gets_a_post_release_is_flagged_loudly(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = json.loads((project / "spec/public-openapi.json").read_text())
    spec["info"]["version"] = "0.1.2-mod"
    del spec["paths"]["/v1/tasks/runs/{run_id}/input"]  # an operation removed: breaking
    upstream = write_spec(project.parent / "upstream", spec)
    code, _, err = run(capsys, "update", "--from", str(upstream))
    assert code == 0, err
    assert (
        "apigen: warning: BREAKING changes, but the package version only moves 0.1.2 → "
        "0.1.2.post1: the spec's info.version '0.1.2-mod' gives the same release"
    ) in err
    changelog = (project / "generated/CHANGELOG.md").read_text()
    entry = changelog[changelog.index("## 0.1.2.post1") :]
    assert entry.splitlines()[2].startswith("> **Warning:** BREAKING changes, but the package")
    assert entry.index("> **Warning:**") < entry.index("### Breaking changes")


# ---------------------------------------------------------------------- no caches, a .gitignore
def test_no_tool_cache_is_left_in_the_output_folder_and_a_gitignore_ships(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = json.loads((project / "spec/public-openapi.json").read_text())
    spec["info"]["version"] = "0.2.0"
    upstream = write_spec(project.parent / "upstream", spec)
    for args in (["generate"], ["check", "--full"], ["update", "--from", str(upstream)]):
        assert run(capsys, *args)[0] == 0
    caches = {".ruff_cache", ".mypy_cache", ".pytest_cache", "__pycache__", ".pyright"}
    assert [p for p in project.rglob("*") if p.name in caches] == []
    ignored = (project / "generated/.gitignore").read_text().splitlines()
    assert {"__pycache__/", "dist/", ".ruff_cache/", ".mypy_cache/", ".venv/"} <= set(ignored)
    assert main(["check"]) == 0  # the maintainer's .gitignore is not drift, and kept:
    (project / "generated/.gitignore").write_text("mine\n")
    assert (
        main(["-q", "generate"]) == 0 and (project / "generated/.gitignore").read_text() == "mine\n"
    )


def test_make_puts_every_tool_cache_at_the_repository_root() -> None:
    """What every recipe of the Makefile sees: caches of ruff, mypy and Python's bytecode point
    at the repository root (git-ignored), never into generated/ where `cd generated` would put
    them."""
    probe = 'show-caches:\n\t@echo "$$RUFF_CACHE_DIR|$$MYPY_CACHE_DIR|$$PYTHONPYCACHEPREFIX"\n'
    done = subprocess.run(
        ["make", "-s", "-f", "Makefile", "-f", "-", "show-caches"],
        input=probe,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    caches = [Path(p) for p in done.stdout.strip().split("|")]
    assert caches == [ROOT / ".ruff_cache", ROOT / ".mypy_cache", ROOT / ".pycache"]
