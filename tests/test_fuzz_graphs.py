"""Property-based: tiny graphs of schemas import in every declaration order (issue 17, point 1).

A graph is three components (four under ``make fuzz``), each an object, a union, an array, an
alias (a ``$ref`` or an ``allOf`` of one ref) or a null-only schema, whose members refer to any
component, itself included, plainly, nullably or as array items. Classes of bugs this finds: an
alias used as ``X | None`` before it is defined, a ref to a null-only schema (``None | None``),
aliases that contain each other, self-compositions. One spec holds the graph once per
declaration order of its components (each copy under its own prefix), so one generation and
one import check them all: every module imports and every exported type builds a pydantic
schema (what fails at run time, not at import, when an annotation cannot be evaluated).

Bounded for CI; ``make fuzz`` selects the larger profile with ``APIGEN_FUZZ_PROFILE=full``,
which also runs pyright (basic mode, 0 errors) on each client.
"""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path
from typing import Any

import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import find_config
from generator.errors import ApigenError
from generator.pipeline import render
from tests.support.hostile import import_all, imported
from tests.support.pyright import pyright_report

settings.register_profile(
    "graphs-ci",
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "graphs-full",
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FULL = os.environ.get("APIGEN_FUZZ_PROFILE") == "full"
MAX_NODES = 4 if FULL else 3
"""Components per graph: four have 24 declaration orders, three (CI) six."""

PRIMITIVES = ({"type": "string"}, {"type": "integer"}, {"type": "boolean"})
KINDS = ("object", "union", "array", "alias", "allof-alias", "null")


def _ref(index: int) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/N{index}"}


def _use(draw: st.DrawFn, size: int) -> dict[str, Any]:
    """How one schema refers to another (or to a primitive)."""
    target = draw(st.integers(0, size - 1))
    form = draw(st.sampled_from(("ref", "nullable", "array", "primitive")))
    if form == "ref":
        return _ref(target)
    if form == "nullable":
        return {"anyOf": [_ref(target), {"type": "null"}]}
    if form == "array":
        return {"type": "array", "items": _ref(target)}
    return dict(draw(st.sampled_from(PRIMITIVES)))


@st.composite
def graphs(draw: st.DrawFn) -> list[dict[str, Any]]:
    """The component schemas N0..Nk; refs inside say ``N<i>``."""
    size = draw(st.integers(3, MAX_NODES))
    nodes: list[dict[str, Any]] = []
    for _ in range(size):
        kind = draw(st.sampled_from(KINDS))
        if kind == "object":
            count = draw(st.integers(1, 2))
            properties = {f"p{i}": _use(draw, size) for i in range(count)}
            required = [name for name in properties if draw(st.booleans())]
            node: dict[str, Any] = {"type": "object", "properties": properties}
            if required:
                node["required"] = required
        elif kind == "union":
            members = [_use(draw, size) for _ in range(draw(st.integers(2, 3)))]
            node = {draw(st.sampled_from(("oneOf", "anyOf"))): members}
        elif kind == "array":
            node = {"type": "array", "items": _use(draw, size)}
        elif kind == "alias":
            node = _ref(draw(st.integers(0, size - 1)))
        elif kind == "allof-alias":
            node = {"allOf": [_ref(draw(st.integers(0, size - 1)))], "description": "An alias."}
        else:
            node = {"type": "null"}
        nodes.append(node)
    return nodes


def _renamed(node: Any, prefix: str) -> Any:
    """``node`` with every ``N<i>`` ref pointing at the copy named ``<prefix>N<i>``."""
    if isinstance(node, dict):
        return {
            key: (
                value.replace("/schemas/N", f"/schemas/{prefix}N")
                if key == "$ref"
                else _renamed(value, prefix)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_renamed(item, prefix) for item in node]
    return node


def _spec(nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """One copy of the graph per declaration order, all reachable from one operation."""
    schemas: dict[str, Any] = {}
    for number, order in enumerate(itertools.permutations(range(len(nodes)))):
        for index in order:
            schemas[f"O{number}N{index}"] = _renamed(nodes[index], f"O{number}")
    root = {
        "type": "object",
        "properties": {name: {"$ref": f"#/components/schemas/{name}"} for name in schemas},
    }
    ok = {"description": "ok", "content": {"application/json": {"schema": root}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Graph", "version": "1"},
        "paths": {"/graph": {"get": {"operationId": "graph", "responses": {"200": ok}}}},
        "components": {"schemas": schemas},
    }


def _pure_ref_cycle(nodes: list[dict[str, Any]]) -> bool:
    """Refs that only point at each other, which an operation reaching them is refused for."""
    for start in range(len(nodes)):
        seen: set[int] = set()
        current = start
        while "$ref" in nodes[current] and current not in seen:
            seen.add(current)
            current = int(nodes[current]["$ref"].rsplit("N", 1)[1])
            if current == start:
                return True
    return False


# ``make fuzz`` type-checks each of its 150 graphs with pyright: longer than the suite's cap.
@pytest.mark.timeout(3600 if FULL else 300)
@settings.get_profile("graphs-full" if FULL else "graphs-ci")
@given(nodes=graphs())
def test_tiny_graphs_import_in_every_declaration_order(
    tmp_path_factory: pytest.TempPathFactory, nodes: list[dict[str, Any]]
) -> None:
    root = tmp_path_factory.mktemp("graph")
    spec_path = root / "spec.json"
    spec_path.write_text(json.dumps(_spec(nodes)), encoding="utf-8")
    if _pure_ref_cycle(nodes):
        with pytest.raises(ApigenError, match="circular \\$ref chain"):
            render(
                spec_path, find_config(None, str(spec_path)), staging_parent=root, out_name="out"
            )
        return
    generation = render(
        spec_path, find_config(None, str(spec_path)), staging_parent=root, out_name="out"
    )
    out = Path(generation.staging)
    with imported(out) as package:
        import_all(out, package)
        types_mod = __import__(package.__name__ + ".types", fromlist=["__all__"])
        for name in types_mod.__all__:
            pydantic.TypeAdapter(getattr(types_mod, name))  # evaluates every annotation
    if FULL:
        errors, _ = pyright_report(out, {})
        assert errors == [], json.dumps(nodes)
    generation.discard()
