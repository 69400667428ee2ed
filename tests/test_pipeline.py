"""Pipeline behaviour that spans stages: config entries that outlive their operations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.config import load_config
from generator.pipeline import render

ROOT = Path(__file__).resolve().parent.parent


def test_naming_entry_for_a_removed_operation_is_a_warning_not_an_error(tmp_path: Path) -> None:
    spec = json.loads((ROOT / "spec" / "public-openapi.json").read_text())
    del spec["paths"]["/v1alpha/monitors/{monitor_id}"]["delete"]
    copy = tmp_path / "spec.json"
    copy.write_text(json.dumps(spec))
    generation = render(copy, load_config(ROOT / "apigen.yaml"))
    try:
        messages = [str(w) for w in generation.warnings]
        assert any(
            "DELETE /v1alpha/monitors/{monitor_id}" in m and "matches no operation" in m
            for m in messages
        )
        monitors = (
            generation.staging / "parallel_api" / "resources" / "alpha" / "monitors.py"
        ).read_text()
        assert "def delete(" not in monitors and "def update(" in monitors
        assert len(generation.api.operations) == 30
    finally:
        generation.discard()


def test_check_without_config_does_not_depend_on_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.cli import main

    spec = tmp_path / "specs" / "api.yaml"
    spec.parent.mkdir()
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: Tiny, version: '1'}\n"
        "paths: {/ping: {get: {operationId: ping, responses: {'204': {description: ok}}}}}\n"
    )
    out = tmp_path / "out"
    monkeypatch.chdir(tmp_path)
    assert main(["generate", str(spec), "-o", str(out)]) == 0
    monkeypatch.chdir(spec.parent)
    assert main(["check", str(spec), "-o", str(out)]) == 0
    assert main(["check", "--full", str(spec), "-o", str(out)]) == 0


@pytest.mark.parametrize("change", [False, True], ids=["unchanged", "changed"])
def test_generate_reads_the_old_manifest_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: bool
) -> None:
    from generator.cli import main
    from generator.write.manifest import Manifest

    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: Tiny, version: '1'}\n"
        "paths: {/ping: {get: {operationId: ping, responses: {'204': {description: ok}}}}}\n"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["-q", "generate", str(spec), "-o", "out"]) == 0
    if change:
        spec.write_text(spec.read_text().replace("version: '1'", "version: '2'"))
    reads = []
    real = Manifest.read.__func__  # type: ignore[attr-defined]

    def counted(cls: type[Manifest], folder: Path) -> Manifest | None:
        reads.append(folder)
        return real(cls, folder)  # type: ignore[no-any-return]

    monkeypatch.setattr(Manifest, "read", classmethod(counted))
    assert main(["-q", "generate", str(spec), "-o", "out"]) == 0
    assert reads == [tmp_path / "out"]


def test_render_lifts_the_collector_exemption_it_takes() -> None:
    """Stages freeze the long-lived heap and collect less often (generator/heap.py); the
    caller's process must get its collector back as it was, or every later cycle would leak."""
    import gc

    thresholds = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    generation = render(ROOT / "spec" / "public-openapi.json", load_config(ROOT / "apigen.yaml"))
    generation.discard()
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds
