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
    """A run turns the collector off and freezes what it leaves alive (generator/heap.py); the
    caller's process must get its collector back as it was, or every later cycle would leak."""
    import gc

    thresholds = gc.get_threshold()
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    generation = render(ROOT / "spec" / "public-openapi.json", load_config(ROOT / "apigen.yaml"))
    generation.discard()
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    assert gc.get_threshold() == thresholds
    gc.disable()  # a caller that had it off keeps it off
    try:
        render(ROOT / "spec" / "public-openapi.json", load_config(ROOT / "apigen.yaml")).discard()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_a_run_leaves_alive_is_not_left_young() -> None:
    """Left in the young generation, a run's survivors would be walked by the first collection
    after it (~0.6 s on Graph beta), then again as middle-aged ones; they join the oldest."""
    import gc

    generation = render(ROOT / "spec" / "public-openapi.json", load_config(ROOT / "apigen.yaml"))
    try:
        young = len(gc.get_objects(0)) + len(gc.get_objects(1))
        assert young < 500  # the run's survivors are tens of thousands (in the oldest)
        assert len(gc.get_objects(2)) > 10_000
    finally:
        generation.discard()


def test_the_collector_is_off_while_a_run_works() -> None:
    """What the run saves: no collection while it works (generator/heap.py)."""
    import gc

    from generator.heap import long_lived_stages

    with long_lived_stages():
        assert not gc.isenabled()
        with long_lived_stages():  # nested stages (load_api inside render) keep it off
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
