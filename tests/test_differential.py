"""Differential test: apigen's models against datamodel-code-generator's models of the same spec.

datamodel-code-generator (dmcg) is an independent JSON Schema → pydantic v2 implementation, so
for every component schema both sets of models must agree on which JSON documents are valid:
the spec's examples, instances hypothesis-jsonschema generates from the schema (all valid, so
both must accept) and simple mutants of them (a required property dropped, or given a value of
the wrong JSON type), which probe the reject side.

Generated instances follow OpenAPI, not bare JSON Schema, in two documented ways (see
``standalone_schema``):

- a discriminated ``oneOf`` variant always carries its tag. OpenAPI requires the tag in the
  payload; dmcg enforces that through pydantic's discriminator, while apigen may
  accept a tag-less object that matches one variant (lenient responses). That is a
  difference by design, so tag-less objects are not generated.
- objects carry no undeclared keys (``EXTRA_KEYS`` below).

Otherwise no exclusions are needed: on this spec both model sets agree on every case.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import hypothesis
import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis_jsonschema import from_schema

from tests.support.parallel import SPEC, api, raw_spec, types_module

COMPONENTS = sorted(raw_spec()["components"]["schemas"])
MAX_EXAMPLES = 8


@pytest.fixture(scope="module")
def dmcg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """dmcg's models of spec/public-openapi.json, imported under a throwaway module name."""
    out = tmp_path_factory.mktemp("dmcg") / "dmcg_parallel_models.py"
    command = [
        str(Path(sys.executable).parent / "datamodel-codegen"),
        "--input", str(SPEC),
        "--input-file-type", "openapi",
        "--output-model-type", "pydantic_v2.BaseModel",
        "--output", str(out),
        "--target-python-version", "3.10",
        "--use-annotated",
        "--use-union-operator",
        "--field-constraints",
        "--enum-field-as-literal", "all",  # plain strings in and out, as apigen does
        "--disable-timestamp",
    ]  # fmt: skip
    result = subprocess.run(command, check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    spec = importlib.util.spec_from_file_location(out.stem, out)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[out.stem] = module  # pydantic resolves forward references through sys.modules
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[out.stem]


def _adapter(tp: Any) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(tp)


def accepts(adapter: pydantic.TypeAdapter[Any], instance: Any) -> bool:
    """Does the model accept this JSON document (validated from JSON text, as off the wire)?"""
    try:
        adapter.validate_json(json.dumps(instance))
    except pydantic.ValidationError:
        return False
    return True


def apigen_type(component: str) -> Any:
    return getattr(types_module(), api().schema(component).name)


def standalone_schema(component: str) -> dict[str, Any]:
    """The component schema with every ``$ref`` inlined (the spec has no recursive schemas)."""
    schemas = raw_spec()["components"]["schemas"]

    def inline(node: Any, seen: frozenset[str]) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                name = node["$ref"].rsplit("/", 1)[-1]
                assert name not in seen, f"recursive schema {name}"
                return inline(schemas[name], seen | {name})
            out = {
                k: inline(v, seen)
                for k, v in node.items()
                if k not in ("discriminator", "examples", "example")
            }
            if "properties" in out and "additionalProperties" not in out:
                out["additionalProperties"] = False  # see EXTRA_KEYS below
            if (
                "discriminator" in node
            ):  # OpenAPI: the tag MUST be present (JSON Schema alone lets it go)
                tag = node["discriminator"]["propertyName"]
                for variant in out.get("oneOf", out.get("anyOf", [])):
                    variant["required"] = sorted({*variant.get("required", []), tag})
                if "oneOf" in out:  # distinct required tags make the variants exclusive: anyOf is
                    out["anyOf"] = out.pop("oneOf")  # equivalent and far cheaper to generate
            return out
        if isinstance(node, list):
            return [inline(v, seen) for v in node]
        return node

    return inline(schemas[component], frozenset({component}))


def spec_examples(component: str) -> list[Any]:
    schema = raw_spec()["components"]["schemas"][component]
    return list(schema.get("examples") or ()) + ([schema["example"]] if "example" in schema else [])


def mutants(component: str, instance: Any) -> Iterator[tuple[str, Any]]:
    """Invalid variants of a valid instance: one required property missing or mistyped."""
    schema = standalone_schema(component)
    if not isinstance(instance, dict) or "properties" not in schema:
        return
    for name in schema.get("required", ()):
        if name not in instance:
            continue
        dropped = copy.deepcopy(instance)
        del dropped[name]
        yield f"without {name}", dropped
        mistyped = copy.deepcopy(instance)
        mistyped[name] = [[]] if not isinstance(instance[name], list) else {"x": [[]]}
        yield f"{name} mistyped", mistyped


# EXTRA_KEYS: generated objects carry no undeclared keys. Both sides accept those by design
# (apigen keeps them in ``model_extra``, dmcg's default config ignores them), so they cannot
# disagree; and drawing arbitrary JSON for them was 90% of this test's run time.


def disagreements(component: str, dmcg: ModuleType, instances: list[Any]) -> list[str]:
    mine = _adapter(apigen_type(component))
    theirs = _adapter(getattr(dmcg, component))
    found: list[str] = []
    for instance in instances:
        cases = [("valid", instance), *mutants(component, instance)]
        for label, case in cases:
            a, d = accepts(mine, case), accepts(theirs, case)
            if label == "valid":
                assert d, f"dmcg rejects a valid {component} instance: {case!r}"
            if a != d:
                found.append(
                    f"{component} {label}: apigen={'accepts' if a else 'rejects'}, "
                    f"dmcg={'accepts' if d else 'rejects'}: {case!r}"
                )
    return found


def test_every_component_has_a_model_on_both_sides(dmcg: ModuleType) -> None:
    missing = [
        c
        for c in COMPONENTS
        if not hasattr(dmcg, c) or not hasattr(types_module(), api().schema(c).name)
    ]
    assert missing == []


@pytest.mark.parametrize("component", COMPONENTS)
def test_models_agree(component: str, dmcg: ModuleType) -> None:
    problems = disagreements(component, dmcg, spec_examples(component))
    assert problems == []

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,  # the same instances on every run: a failure reproduces
        suppress_health_check=list(HealthCheck),
        phases=[hypothesis.Phase.generate],
    )
    @given(from_schema(standalone_schema(component)))
    def agree(instance: Any) -> None:
        assert disagreements(component, dmcg, [instance]) == []

    agree()
