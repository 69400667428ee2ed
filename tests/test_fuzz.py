"""Property-based: random valid specs generate packages that import and round-trip valid data.

Schemas come from adversarial name alphabets (quotes, backslashes, separators, bidi, non-ASCII),
with unions, enums, nullability, arrays, maps and a recursive component. For each generated spec
the package must byte-compile and import; instances drawn from the *source* schema
(hypothesis-jsonschema, checked with jsonschema) must validate into the generated types and dump
back by alias unchanged.

Bounded for CI; ``make fuzz`` selects the larger profile with ``APIGEN_FUZZ_PROFILE=full``.
"""

from __future__ import annotations

import compileall
import importlib
import itertools
import os
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pydantic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from generator.config import find_config
from generator.pipeline import render

settings.register_profile(
    "ci",
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "full",
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = "full" if os.environ.get("APIGEN_FUZZ_PROFILE") == "full" else "ci"

ALPHABET = list("aZz_-. 09\"'\\#{}%$@/~") + ["\u2028", "\u202e", "é", "键", "ｆ", "\x00", "İ"]
names = st.text(alphabet=ALPHABET, min_size=0, max_size=6)
scalar_values = st.text(alphabet=ALPHABET, min_size=0, max_size=5)

primitives = st.one_of(
    st.sampled_from(
        [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}, {"type": "number"}]
    ),
    st.lists(scalar_values, min_size=1, max_size=4, unique=True).map(
        lambda v: {"type": "string", "enum": v}
    ),
    st.sampled_from([{"type": ["string", "null"]}, {"type": "integer", "nullable": True}]),
)


def _extend(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    objects = st.dictionaries(names, children, min_size=1, max_size=4).flatmap(
        lambda props: st.sets(st.sampled_from(sorted(props))).map(
            lambda required: {"type": "object", "properties": props, "required": sorted(required)}
        )
    )
    return st.one_of(
        objects,
        children.map(lambda c: {"type": "array", "items": c}),
        children.map(lambda c: {"type": "object", "additionalProperties": c}),
        st.lists(children, min_size=2, max_size=3).map(lambda v: {"anyOf": v}),
        children.map(lambda c: {"anyOf": [c, {"type": "null"}]}),
    )


schemas = st.recursive(primitives, _extend, max_leaves=8)
NODE = {
    "type": "object",
    "properties": {
        "value": {"type": "integer"},
        "next": {"anyOf": [{"$ref": "#/components/schemas/Node"}, {"type": "null"}]},
    },
    "required": ["value"],
}
_counter = itertools.count()


def _spec(components: dict[str, Any]) -> dict[str, Any]:
    all_components = {**components, "Node": NODE}
    paths = {
        f"/c{i}": {
            "get": {
                "operationId": f"get{i}",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{_escape(key)}"}
                            }
                        },
                    }
                },
            }
        }
        for i, key in enumerate(all_components)
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": f"Fuzz {next(_counter)} {os.getpid()}", "version": "1"},
        "paths": paths,
        "components": {"schemas": all_components},
    }


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1").replace("%", "%25")


def _node(depth: int) -> dict[str, Any]:
    return {"value": depth, "next": _node(depth - 1) if depth else None}


def _type_of(types_mod: Any, named: dict[str, str], key: str) -> Any:
    return getattr(types_mod, named[key])


def _dump(type_: Any, value: Any) -> Any:
    adapter = pydantic.TypeAdapter(type_)
    return adapter.dump_python(
        adapter.validate_python(value), mode="json", by_alias=True, exclude_unset=True
    )


@settings.get_profile(PROFILE)
@given(
    components=st.dictionaries(
        names.filter(lambda n: n.strip() != ""), schemas, min_size=1, max_size=3
    ),
    data=st.data(),
)
def test_random_specs_generate_importable_round_tripping_packages(
    tmp_path_factory: Any, components: dict[str, Any], data: st.DataObject
) -> None:
    import json

    from tests.support.hostile import imported

    root = tmp_path_factory.mktemp("fuzz")
    spec = _spec(components)
    spec_path = root / "spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    generation = render(
        spec_path, find_config(None, str(spec_path)), staging_parent=root, out_name="out"
    )
    out = generation.staging
    named = {s.key.removeprefix("components/schemas/"): s.name for s in generation.api.schemas}
    assert compileall.compile_dir(str(out), quiet=2, legacy=False, ddir="x")
    with imported(out) as package:
        types_mod = importlib.import_module(package.__name__ + ".types")
        for key, schema in components.items():
            instance = data.draw(from_schema(schema), label=f"instance of {key!r}")
            jsonschema.validate(instance, schema)
            assert _dump(_type_of(types_mod, named, key), instance) == instance
        node = _node(data.draw(st.integers(0, 4), label="node depth"))
        assert _dump(_type_of(types_mod, named, "Node"), node) == node
    assert sys.modules.get(package.__name__) is None
    generation.discard()
    assert not Path(out).exists()
