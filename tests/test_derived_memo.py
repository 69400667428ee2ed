"""Facts worked out once per API (``Api.memo``) and on demand (``PageStyles``) are the facts
worked out afresh: the default placements naming shares with its named copy, and the page
styles ``apigen diff`` detects one operation at a time."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from generator.diff import diff_apis
from generator.errors import ApigenError
from generator.ir.model import Api
from generator.naming.methods import (
    Placement,
    _default_placements,
    default_placements,
    share_placements,
)
from generator.naming.resources import build_resource_tree
from generator.pagination import PaginationConfig
from generator.pagination.detect import PageStyles, page_styles
from generator.pipeline import load_api
from tests.conftest import SPEC


def _facts(placements: tuple[Placement, ...] | list[Placement]) -> list[tuple[object, ...]]:
    return [(p.operation.pointer, p.resource, p.name, p.rule, p.fallback) for p in placements]


def _spec(tmp_path: Path, name: str, answer: dict[str, Any]) -> Path:
    """Two such specs share every path, operationId and schema name; only the shape of
    ``Thing`` (what ``GET /things`` answers) differs."""
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "operationId": "getThings",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Thing"}
                                }
                            },
                        }
                    },
                },
                "post": {
                    "operationId": "postThings",
                    "responses": {"204": {"description": "done"}},
                },
            }
        },
        "components": {"schemas": {"Thing": answer}},
    }
    path = tmp_path / name
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


def _fresh(api: Api) -> list[tuple[object, ...]]:
    return _facts(_default_placements(api))


def test_named_api_reuses_the_placements_naming_worked_out() -> None:
    api = load_api(SPEC)[1]
    shared = default_placements(api)
    assert shared is default_placements(api)
    assert _facts(shared) == _fresh(api)


def test_apis_sharing_names_keep_their_own_placements(tmp_path: Path) -> None:
    listing = {"type": "array", "items": {"type": "object", "properties": {"id": {}}}}
    single = {"type": "object", "properties": {"id": {"type": "string"}}}
    a = load_api(_spec(tmp_path, "a.json", listing))[1]
    b = load_api(_spec(tmp_path, "b.json", single))[1]
    assert _facts(default_placements(a)) == _fresh(a)
    assert _facts(default_placements(b)) == _fresh(b)
    names = {p.operation.operation_id: p.name for p in default_placements(a)}
    assert names["getThings"] == "list"
    names = {p.operation.operation_id: p.name for p in default_placements(b)}
    assert names["getThings"] == "retrieve"
    # The trees (and so the diff's method paths) follow each API's own placements.
    paths = {
        b.operation.operation_id: ".".join(n.path + (b.name,))
        for n in build_resource_tree(b, {}).walk()
        for b in n.methods
    }
    assert paths["getThings"] == "things.retrieve"
    report = diff_apis(a, b)
    assert any(c.kind == "method-renamed" for c in report.changes)


def test_placements_are_not_shared_with_an_api_of_other_shapes(tmp_path: Path) -> None:
    listing = {"type": "array", "items": {"type": "object", "properties": {"id": {}}}}
    single = {"type": "object", "properties": {"id": {"type": "string"}}}
    a = load_api(_spec(tmp_path, "a.json", listing))[1]
    b = load_api(_spec(tmp_path, "b.json", single))[1]
    default_placements(a)
    # Same operations, other shapes: sharing would name GET /things from a's list.
    other = replace(a, schemas=b.schemas)
    share_placements(a, other)
    assert _facts(default_placements(other)) == _fresh(other)
    assert default_placements(other) is not default_placements(a)


def test_page_styles_on_demand_match_the_full_pass() -> None:
    api = load_api(SPEC)[1]
    every = page_styles(api)
    lazy = PageStyles(api)
    assert {op.pointer: lazy.style(op) for op in api.operations if lazy.style(op)} == every


def test_page_styles_check_configured_operations_up_front() -> None:
    api = load_api(SPEC)[1]
    config = PaginationConfig(operations={"GET /no/such/path": None})
    with pytest.raises(ApigenError, match="unknown operation") as eager:
        page_styles(api, config)
    with pytest.raises(ApigenError, match="unknown operation") as lazy:
        PageStyles(api, config)
    assert str(eager.value) == str(lazy.value)
