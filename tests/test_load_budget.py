"""The parse budget: a JSON spec whose parsed tree would be many times its size is refused before
it is parsed (bounded memory, a clear one-line error), and real specs are never refused.

The 80 MB and 200 MB cases of issue 18 run in ``make bench-huge`` (bench/huge.py); here a 24 MB
spec takes the same path through the CLI in a second or two, since nothing is parsed.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import orjson
import pytest

from generator.errors import ApigenError
from generator.load import budget, load_spec
from generator.load import parse as parse_module
from tests.support.hostile import run_cli, tree_digest, write_spec

REPO = Path(__file__).resolve().parent.parent
PARALLEL = REPO / "spec/public-openapi.json"


GOOD = {
    "openapi": "3.1.0",
    "info": {"title": "Good", "version": "1"},
    "paths": {"/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok"}}}}},
}


def _tiny_value_blob(megabytes: float) -> bytes:
    """A valid spec carrying an ``x-`` blob of one-key objects (~25x its size once parsed)."""
    count = int(megabytes * 2**20) // 8
    head = json.dumps(GOOD).encode()[:-1]
    return head + b', "x-blob": [' + b",".join([b'{"a":1}'] * count) + b"]}"


def _many_operations(copies: int) -> bytes:
    """Parallel's spec with its paths repeated under new prefixes: a large, ordinary spec."""
    spec: dict[str, Any] = json.loads(PARALLEL.read_text(encoding="utf-8"))
    paths = spec["paths"]
    spec["paths"] = {
        f"/copy{i}{path}": copy.deepcopy(item)
        for i in range(copies)
        for path, item in paths.items()
    }
    return json.dumps(spec).encode()


def _parsed_size(raw: bytes) -> int:
    """Bytes the parsed tree holds (plus the text it was parsed from), measured by tracemalloc."""
    tracemalloc.start()
    try:
        data = orjson.loads(raw)
        current, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del data
    return current + len(raw)


_PEAK_OF_CHILD = """
import resource, subprocess, sys
result = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=60)
sys.stderr.write(result.stderr)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)
sys.exit(result.returncode)
"""
"""Runs one command and prints its peak RSS in bytes (its only child, so the maximum is its own)."""


def test_cli_refuses_the_blob_in_one_line_with_bounded_memory(tmp_path: Path) -> None:
    out = tmp_path / "out"
    good = write_spec(tmp_path / "good", GOOD)
    assert run_cli("generate", good, "-o", out, cwd=tmp_path).returncode == 0
    before = tree_digest(out)
    spec = write_spec(tmp_path / "bad", _tiny_value_blob(24))
    command = [sys.executable, "-m", "generator", "generate", str(spec), "-o", str(out)]
    result = subprocess.run(
        [sys.executable, "-c", _PEAK_OF_CHILD, *command],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("apigen: error: "), result.stderr
    assert f"{spec}: spec would need about" in lines[0] and "memory once parsed" in lines[0]
    assert tree_digest(out) == before
    peak = int(result.stdout)
    assert peak < budget.FACTOR * spec.stat().st_size  # parsed, it would be ~25x


def test_blob_of_tiny_values_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "blob.json"
    spec.write_bytes(_tiny_value_blob(24))

    def never(_raw: bytes) -> Any:
        raise AssertionError("the oversized document was parsed")

    monkeypatch.setattr(parse_module.orjson, "loads", never)
    with pytest.raises(ApigenError) as caught:
        load_spec(spec)
    assert caught.value.location == str(spec)
    message = caught.value.one_line()
    assert "memory once parsed" in message and "the limit is 8x plus 256 MB" in message
    assert "\n" not in message


def test_limit_scales_with_the_spec_size() -> None:
    # The same blob passes when the limit grows with the document: 8x of a bigger spec.
    raw = _tiny_value_blob(24)
    needed = budget.estimated_size(raw)
    assert needed > budget.ALLOWANCE + budget.FACTOR * len(raw)
    padded = raw[:-1] + b', "x-text": "' + b"a" * (needed // budget.FACTOR) + b'"}'
    budget.check_parse_budget(padded, "padded.json")  # mostly string text: cheap to parse


def test_large_ordinary_spec_is_accepted() -> None:
    raw = _many_operations(40)
    assert len(raw) * 100 > budget.ALLOWANCE  # large enough that the budget is counted
    budget.check_parse_budget(raw, "big.json")


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: _tiny_value_blob(1), id="empty-objects"),
        pytest.param(lambda: b'{"x-a": [' + b",".join([b'"ab"'] * 200_000) + b"]}", id="strings"),
        pytest.param(lambda: PARALLEL.read_bytes(), id="parallel"),
        pytest.param(lambda: _many_operations(3), id="parallel-x3"),
    ],
)
def test_estimate_tracks_the_measured_parse(make: Any) -> None:
    raw = make()
    ratio = budget.estimated_size(raw) / _parsed_size(raw)
    assert 0.7 < ratio < 1.6, ratio
