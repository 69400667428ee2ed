"""The benchmark's scaling series (bench/scale.py) must stay a valid spec with N× the API.

If a copy kept a stale ``$ref`` or a duplicate operation id, the series would measure error
handling or name-collision resolution instead of generation, and time per operation would lie.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from generator.ir import build_api
from generator.load import load_spec
from tests.conftest import ROOT, SPEC


def _scale_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_scale", ROOT / "bench" / "scale.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_scale"] = module
    spec.loader.exec_module(module)
    return module


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for item in node for r in _refs(item)]
    return []


def test_replicated_spec_has_n_times_the_api_and_only_resolvable_refs() -> None:
    scale = _scale_module()
    base = json.loads(SPEC.read_text(encoding="utf-8"))
    spec = scale.replicate(base, 3)

    assert scale.count_operations(spec) == 3 * scale.count_operations(base)
    assert len(spec["components"]["schemas"]) == 3 * len(base["components"]["schemas"])
    assert spec["components"]["securitySchemes"] == base["components"]["securitySchemes"]
    ids = [
        op["operationId"]
        for item in spec["paths"].values()
        for op in item.values()
        if isinstance(op, dict)
    ]
    assert len(ids) == len(set(ids))
    refs = _refs(spec)
    assert any(r.endswith("C3") for r in refs)
    for ref in refs:
        section, name = ref.removeprefix("#/components/").split("/")
        assert name in spec["components"][section], ref
    assert scale.replicate(base, 1) == base


def test_replicated_spec_builds_three_times_the_ir(tmp_path: Path) -> None:
    scale = _scale_module()
    base_spec = json.loads(SPEC.read_text(encoding="utf-8"))
    path = tmp_path / "x3.json"
    path.write_text(json.dumps(scale.replicate(base_spec, 3)), encoding="utf-8")

    base = build_api(load_spec(SPEC))
    tripled = build_api(load_spec(path))

    assert len(tripled.operations) == 3 * len(base.operations)
    assert len(tripled.schemas) == 3 * len(base.schemas)
    paths = {op.path for op in tripled.operations}
    assert {f"/c3{op.path}" for op in base.operations} <= paths
