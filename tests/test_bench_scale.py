"""The benchmark's scaling series (bench/scale.py) must stay a valid spec with N× the API.

If a copy kept a stale ``$ref`` or a duplicate operation id, the series would measure error
handling or name-collision resolution instead of generation, and time per operation would lie.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.ir import build_api
from generator.load import load_spec
from tests.conftest import SPEC
from tests.support.bench import load_bench_module


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for item in node for r in _refs(item)]
    return []


def test_replicated_spec_has_n_times_the_api_and_only_resolvable_refs() -> None:
    scale = load_bench_module("scale")
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
    scale = load_bench_module("scale")
    base_spec = json.loads(SPEC.read_text(encoding="utf-8"))
    path = tmp_path / "x3.json"
    path.write_text(json.dumps(scale.replicate(base_spec, 3)), encoding="utf-8")

    base = build_api(load_spec(SPEC))
    tripled = build_api(load_spec(path))

    assert len(tripled.operations) == 3 * len(base.operations)
    assert len(tripled.schemas) == 3 * len(base.schemas)
    paths = {op.path for op in tripled.operations}
    assert {f"/c3{op.path}" for op in base.operations} <= paths
