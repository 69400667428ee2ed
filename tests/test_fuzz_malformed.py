"""Malformed values never crash the generator: each becomes a one-line error or a warning.

Valid specs are mutated one value at a time: a value replaced by one of another JSON type, a
wrong-typed item appended to a list, or a schema/operation keyword added with a wrong-typed
value (``required: [x, {anyOf: …}]``, ``type: {}``, ``tags: true``…). Loading, building the IR
and rendering every file must then either succeed or raise :class:`ApigenError`, which the CLI
prints as ``apigen: error: <pointer>: …``; any other exception is an ``internal error``.

The sample is drawn with a fixed seed, so a failure reproduces; ``make fuzz`` runs more of it.
"""

from __future__ import annotations

import copy
import json
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.config import ProjectConfig
from generator.emit.render import render_project
from generator.errors import ApigenError
from generator.pipeline import load_api
from generator.plan import build_plan

TESTS = Path(__file__).parent
FULL = os.environ.get("APIGEN_FUZZ_PROFILE") == "full"
#: Each spec with how many of its mutations are drawn: the small construct specs cheaply (the
#: corpus regressions, a dozen, 100 each in CI), the Parallel spec (real-world shapes, ~0.3 s a
#: run) a little.
SAMPLES = {
    **{spec: 2_000 if FULL else 200 for spec in sorted((TESTS / "specs" / "ir").glob("*.yaml"))},
    **{
        spec: 2_000 if FULL else 100 for spec in sorted((TESTS / "specs" / "corpus").glob("*.yaml"))
    },
    TESTS.parent / "spec" / "public-openapi.json": 1_000 if FULL else 40,
}
SEED = 20261201

WRONG: list[Any] = [None, True, 7, 2.5, "x", [], ["x"], [{"a": 1}], {}, {"a": 1}, [None], [[1]]]
KEYWORDS = [
    # schema keywords
    "type", "format", "items", "properties", "additionalProperties", "required", "enum", "const",
    "allOf", "anyOf", "oneOf", "not", "discriminator", "mapping", "propertyName", "nullable",
    "default", "example", "examples", "pattern", "minimum", "maxLength", "readOnly", "writeOnly",
    "$ref", "prefixItems", "title", "description",
    # operation, parameter, body and document keywords
    "parameters", "requestBody", "responses", "content", "schema", "style", "explode", "in",
    "name", "operationId", "tags", "security", "servers", "deprecated", "headers", "encoding",
    "variables", "url",
]  # fmt: skip

Path_ = tuple[str | int, ...]


def _nodes(value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _nodes(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _nodes(child, (*path, index))


def _mutations(doc: Any) -> list[tuple[Path_, Any]]:
    found: list[tuple[Path_, Any]] = []
    for path, value in _nodes(doc):
        if path:
            found += [(path, wrong) for wrong in WRONG if type(wrong) is not type(value)]
        if isinstance(value, dict):
            found += [((*path, k), w) for k in KEYWORDS if k not in value for w in WRONG]
        elif isinstance(value, list):
            found += [((*path, len(value)), wrong) for wrong in WRONG]
    return found


def _apply(doc: Any, path: Path_, value: Any) -> Any:
    doc = copy.deepcopy(doc)
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if isinstance(parent, list) and last == len(parent):
        parent.append(value)
    else:
        parent[last] = value
    return doc


def _read(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def _cases() -> list[tuple[str, Path_, Any]]:
    cases: list[tuple[str, Path_, Any]] = []
    draw = random.Random(SEED)
    for spec, count in SAMPLES.items():
        mutations = _mutations(_read(spec))
        cases += [(spec.name, p, v) for p, v in draw.sample(mutations, min(count, len(mutations)))]
    return cases


def test_every_spec_offers_more_mutations_than_are_drawn() -> None:
    for spec, count in SAMPLES.items():
        assert len(_mutations(_read(spec))) > count, spec.name


def test_malformed_values_are_errors_or_warnings_never_crashes(tmp_path: Path) -> None:
    docs = {spec.name: _read(spec) for spec in SAMPLES}
    target = tmp_path / "spec.json"
    crashes: list[str] = []
    for name, path, value in _cases():
        target.write_text(json.dumps(_apply(docs[name], path, value)), encoding="utf-8")
        try:
            _, api = load_api(target)
            render_project(build_plan(api, ProjectConfig()))
        except ApigenError:
            continue
        except Exception as exc:  # noqa: BLE001 - any other exception is the bug under test
            crashes.append(f"{name} /{'/'.join(map(str, path))} = {value!r}: {exc!r}")
    assert not crashes, f"{len(crashes)} internal errors, first: " + "; ".join(crashes[:5])


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("required",), ["id", {"anyOf": ["a", "b"]}], "'required' lists something other"),
        (("required",), True, "'required' is not a list"),
        (("type",), {}, "'type' is neither a string"),
        (("type",), ["string", {"a": 1}], "'type' lists something other than strings"),
    ],
)
def test_each_malformed_schema_value_is_a_warning_with_its_pointer(
    tmp_path: Path, path: Path_, value: Any, message: str
) -> None:
    schema: dict[str, Any] = {"type": "object", "properties": {"id": {"type": "string"}}}
    schema = _apply(schema, path, value)
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "tags": True,
        "components": {"schemas": {"Thing": schema}},
    }
    target = tmp_path / "spec.json"
    target.write_text(json.dumps(spec), encoding="utf-8")
    warnings: list[Any] = []
    load_api(target, warnings)
    texts = [str(w) for w in warnings]
    assert any(t.startswith("#/components/schemas/Thing") and message in t for t in texts), texts
