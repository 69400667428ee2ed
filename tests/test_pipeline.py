"""Pipeline behaviour that spans stages: config entries that outlive their operations."""

from __future__ import annotations

import json
from pathlib import Path

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
        assert any("DELETE /v1alpha/monitors/{monitor_id}" in m and "matches no operation" in m for m in messages)
        monitors = (generation.staging / "parallel_api" / "resources" / "alpha" / "monitors.py").read_text()
        assert "def delete(" not in monitors and "def update(" in monitors
        assert len(generation.api.operations) == 30
    finally:
        generation.discard()
