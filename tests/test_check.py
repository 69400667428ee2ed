"""`apigen check`: in sync, hand edits, spec/config/generator changes, missing/extra files, custom
code."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import fingerprint
from generator.check import check
from generator.cli import main
from generator.config import load_config
from generator.emit import render as render_module


def run_check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_in_sync_exits_0_without_rendering(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_check(capsys)
    assert (code, out) == (0, "")
    assert "in sync" in err and "manifest hashes match" in err
    config = load_config(project / "apigen.yaml")
    assert (
        check(project / "spec/public-openapi.json", config, project / "generated").rendered is False
    )


@pytest.mark.usefixtures("project")
def test_full_comparison_agrees_when_in_sync(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_check(capsys, "--full")
    assert (code, out) == (0, "")
    assert "rendered and compared" in err


def test_hand_edited_file_is_named(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    client = project / "generated/parallel_api/_client.py"
    client.write_text(client.read_text() + "\nHACK = 1\n")
    code, out, _ = run_check(capsys)
    assert code == 1
    assert "+++ b/parallel_api/_client.py" in out and "-HACK = 1" in out
    summary = out.strip().splitlines()[-1]
    assert "edited by hand: parallel_api/_client.py" in summary
    assert "spec changed" not in summary and "generator changed" not in summary


def test_changed_spec_is_reported_with_a_diff(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = project / "spec/public-openapi.json"
    data = json.loads(spec.read_text())
    data["info"]["version"] = "0.1.3"
    spec.write_text(json.dumps(data, indent=2))
    code, out, _ = run_check(capsys)
    assert code == 1
    assert "--- a/parallel_api/_version.py" in out
    assert '-__version__ = "0.1.2"' in out and '+__version__ = "0.1.3"' in out
    summary = out.strip().splitlines()[-1]
    assert "the spec changed since generation (info.version 0.1.2 → 0.1.3)" in summary
    assert "edited by hand" not in summary


def test_changed_config_is_reported(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = project / "apigen.yaml"
    config.write_text(config.read_text().replace("env_prefix: PARALLEL", "env_prefix: PARALLEL_AI"))
    code, out, _ = run_check(capsys)
    assert code == 1
    assert "the config changed" in out.strip().splitlines()[-1]
    assert "PARALLEL_AI_API_KEY" in out


def test_custom_code_and_changelog_are_never_drift(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = project / "generated/parallel_api/lib"
    (lib / "__init__.py").write_text('"""My helpers."""\n\nVALUE = 42\n')
    (lib / "helpers.py").write_text("def helper() -> int:\n    return 1\n")
    (project / "generated/CHANGELOG.md").write_text("# Changelog\n\nedited by hand\n")
    assert run_check(capsys)[0] == 0
    assert run_check(capsys, "--full")[0] == 0


def test_deleted_file_is_missing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "generated/parallel_api/types/_models.py").unlink()
    code, out, _ = run_check(capsys)
    assert code == 1
    assert "missing: parallel_api/types/_models.py" in out.strip().splitlines()[-1]


def test_extra_file_in_the_package_is_reported(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "generated/parallel_api/resources/stray.py").write_text("X = 1\n")
    code, out, _ = run_check(capsys)
    assert code == 1
    assert "extra: parallel_api/resources/stray.py" in out.strip().splitlines()[-1]


@pytest.fixture
def edited_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The generator's templates with one edit, swapped in for the duration of a test."""
    templates = tmp_path / "templates"
    shutil.copytree(render_module.templates_dir(), templates)
    version = templates / "package/_version.py.jinja"
    version.write_text(version.read_text() + "\nTEMPLATE_EDIT = True\n")
    monkeypatch.setattr(render_module, "templates_dir", lambda: templates)
    monkeypatch.setattr(fingerprint, "templates_dir", lambda: templates)
    render_module.environment.cache_clear()
    fingerprint.generator_fingerprint.cache_clear()
    yield templates
    monkeypatch.undo()
    render_module.environment.cache_clear()
    fingerprint.generator_fingerprint.cache_clear()


@pytest.mark.usefixtures("project", "edited_templates")
def test_template_change_is_detected(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_check(capsys)
    assert code == 1
    assert "+TEMPLATE_EDIT = True" in out
    summary = out.strip().splitlines()[-1]
    assert "the generator changed (its templates or source)" in summary
    assert "edited by hand" not in summary


def test_stale_fingerprint_alone_is_not_drift(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A generator edit that leaves the output unchanged only turns the fast path off."""
    manifest = project / "generated/.apigen-manifest.json"
    data = json.loads(manifest.read_text())
    data["generator"]["fingerprint"] = "0" * 64
    manifest.write_text(json.dumps(data, indent=2) + "\n")
    code, out, err = run_check(capsys)
    assert (code, out) == (0, "")
    assert "rendered and compared" in err and "refreshes the manifest" in err
