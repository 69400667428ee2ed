"""A change to a shared schema is rated for every place it is used (issue 12, point 2).

Each case changes the component ``Shared`` in one way and reaches it from the operations in one
way (directly, through an array, a map, an ``anyOf``, an ``allOf``, or a property of another
model), used by a request body, a response, both, or nothing. The report must rate the change by
the direction rules, let the worst usage win, and name every usage.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.diff import Change, Severity, diff_apis
from generator.pipeline import load_api

B, P, N = Severity.BREAKING, Severity.POTENTIALLY_BREAKING, Severity.NON_BREAKING
REF = {"$ref": "#/components/schemas/Shared"}
SHARED: dict[str, Any] = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": {"type": "string"},
        "kind": {"type": "string", "enum": ["a", "b"]},
        "note": {"type": "string"},
    },
}

# How the operations reach ``Shared``.
VIA: dict[str, Callable[[], dict[str, Any]]] = {
    "direct": lambda: dict(REF),
    "array": lambda: {"type": "array", "items": dict(REF)},
    "map": lambda: {"type": "object", "additionalProperties": dict(REF)},
    "anyOf": lambda: {"anyOf": [dict(REF), {"type": "string"}]},
    "allOf": lambda: {
        "allOf": [dict(REF), {"type": "object", "properties": {"extra": {"type": "string"}}}]
    },
    "property": lambda: {"$ref": "#/components/schemas/Holder"},
}


def _add_required(shared: dict[str, Any]) -> None:
    shared["properties"]["owner"] = {"type": "string"}
    shared["required"].append("owner")


def _add_optional(shared: dict[str, Any]) -> None:
    shared["properties"]["color"] = {"type": "string"}


def _remove_field(shared: dict[str, Any]) -> None:
    del shared["properties"]["note"]


def _add_enum_value(shared: dict[str, Any]) -> None:
    shared["properties"]["kind"]["enum"].append("c")


def _remove_enum_value(shared: dict[str, Any]) -> None:
    shared["properties"]["kind"]["enum"].remove("b")


def _make_optional(shared: dict[str, Any]) -> None:
    shared["required"].remove("id")


def _make_required(shared: dict[str, Any]) -> None:
    shared["required"].append("note")


def _make_nullable(shared: dict[str, Any]) -> None:
    shared["properties"]["note"] = {"type": ["string", "null"]}


def _change_type(shared: dict[str, Any]) -> None:
    shared["properties"]["id"] = {"type": "integer"}


# change class → (mutation, kind, rating in a request, rating in a response)
CHANGES: dict[str, tuple[Callable[[dict[str, Any]], None], str, Severity, Severity]] = {
    "required-field-added": (_add_required, "required-field-added", B, N),
    "optional-field-added": (_add_optional, "field-added", N, N),
    "field-removed": (_remove_field, "field-removed", B, B),
    "enum-value-added": (_add_enum_value, "enum-value-added", N, P),
    "enum-value-removed": (_remove_enum_value, "enum-value-removed", B, N),
    "field-became-optional": (_make_optional, "field-became-optional", N, B),
    "field-became-required": (_make_required, "field-became-required", B, N),
    "became-nullable": (_make_nullable, "became-nullable", N, B),
    "type-changed": (_change_type, "type-changed", B, B),
}
USAGES = ("request", "response", "both", "none")


def _spec(shared: dict[str, Any], via: str, usage: str) -> dict[str, Any]:
    body = {"content": {"application/json": {"schema": VIA[via]()}}, "required": True}
    ok = {"description": "ok", "content": {"application/json": {"schema": VIA[via]()}}}
    empty = {"description": "ok"}
    paths: dict[str, Any] = {"/ping": {"get": {"operationId": "ping", "responses": {"204": empty}}}}
    if usage in ("request", "both"):
        paths["/things"] = {
            "post": {"operationId": "createThing", "requestBody": body, "responses": {"204": empty}}
        }
    if usage in ("response", "both"):
        paths["/things/{id}"] = {
            "get": {
                "operationId": "getThing",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"200": ok},
            }
        }
    holder = {"type": "object", "required": ["shared"], "properties": {"shared": dict(REF)}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Things", "version": "1"},
        "paths": paths,
        "components": {"schemas": {"Shared": shared, "Holder": holder}},
    }


def _diff(tmp_path: Path, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    files = []
    for name, data in (("old.json", old), ("new.json", new)):
        path = tmp_path / name
        path.write_text(json.dumps(data), encoding="utf-8")
        files.append(load_api(path)[1])
    return list(diff_apis(files[0], files[1]).changes)


def _expected(usage: str, request: Severity, response: Severity) -> Severity:
    return {
        "request": request,
        "response": response,
        "both": min(request, response, key=lambda s: s.rank),
        "none": N,
    }[usage]


# An unused component is reached by no operation, so only "direct" applies to "none".
MATRIX = [
    (change, via, usage)
    for change in sorted(CHANGES)
    for via in sorted(VIA)
    for usage in USAGES
    if usage != "none" or via == "direct"
]


@pytest.mark.parametrize(("change", "via", "usage"), MATRIX)
def test_shared_schema_change_is_rated_per_usage(
    tmp_path: Path, change: str, via: str, usage: str
) -> None:
    mutate, kind, request, response = CHANGES[change]
    new_shared = copy.deepcopy(SHARED)
    mutate(new_shared)
    changes = _diff(
        tmp_path, _spec(copy.deepcopy(SHARED), via, usage), _spec(new_shared, via, usage)
    )
    found = [c for c in changes if c.kind == kind]
    if via == "allOf" and usage != "none":
        # allOf copies Shared's fields into the wrapper: the wrapper carries the usages, and
        # Shared itself (still a generated type) is used by no operation.
        unused = [c for c in found if c.location.startswith("Shared")]
        assert [(c.severity, [u.direction for u in c.usages]) for c in unused] == [(N, ["none"])]
        found = [c for c in found if c not in unused]
    expected_directions = {
        "request": ["request"],
        "response": ["response"],
        "both": ["request", "response"],
        "none": ["none"],
    }[usage]
    if via == "allOf" and usage == "both":
        # ... and each operation's allOf is its own wrapper type: one change per usage.
        assert sorted(u.direction for c in found for u in c.usages) == expected_directions
        assert all(c.severity is _expected(c.usages[0].direction, request, response) for c in found)
        return
    assert len(found) == 1, found
    (c,) = found
    assert c.severity is _expected(usage, request, response)
    assert sorted(u.direction for u in c.usages) == expected_directions
    for u in c.usages:
        assert u.severity is _expected(u.direction, request, response)
        if u.direction != "none":
            assert u.route in ("POST /things", "GET /things/{id}")
            assert u.method.startswith("client.")


def test_a_parameter_reused_across_operations_is_reported_for_each(tmp_path: Path) -> None:
    def spec(limit: dict[str, Any]) -> dict[str, Any]:
        ref = {"$ref": "#/components/parameters/Limit"}
        ok = {"description": "ok"}
        return {
            "openapi": "3.1.0",
            "info": {"title": "Things", "version": "1"},
            "paths": {
                "/a": {
                    "get": {"operationId": "listA", "parameters": [ref], "responses": {"204": ok}}
                },
                "/b": {
                    "get": {"operationId": "listB", "parameters": [ref], "responses": {"204": ok}}
                },
            },
            "components": {"parameters": {"Limit": {"name": "limit", "in": "query", **limit}}},
        }

    changes = _diff(
        tmp_path,
        spec({"schema": {"type": "integer"}}),
        spec({"schema": {"type": "string"}, "required": True}),
    )
    assert [(c.kind, c.severity, c.route) for c in changes] == [
        ("parameter-became-required", B, "GET /a"),
        ("type-changed", B, "GET /a"),
        ("parameter-became-required", B, "GET /b"),
        ("type-changed", B, "GET /b"),
    ]


def test_an_enum_shared_by_a_parameter_and_a_response_takes_the_worst(tmp_path: Path) -> None:
    def spec(values: list[str]) -> dict[str, Any]:
        ref = {"$ref": "#/components/schemas/Mode"}
        return {
            "openapi": "3.1.0",
            "info": {"title": "Things", "version": "1"},
            "paths": {
                "/runs": {
                    "get": {
                        "operationId": "listRuns",
                        "parameters": [{"name": "mode", "in": "query", "schema": ref}],
                        "responses": {
                            "200": {
                                "description": "ok",
                                "content": {"application/json": {"schema": ref}},
                            }
                        },
                    }
                }
            },
            "components": {"schemas": {"Mode": {"type": "string", "enum": values}}},
        }

    (change,) = _diff(tmp_path, spec(["fast", "slow"]), spec(["fast", "slow", "auto"]))
    assert (change.kind, change.severity, change.location) == ("enum-value-added", P, "Mode")
    assert [(u.role, u.severity) for u in change.usages] == [
        ("query parameter 'mode'", N),
        ("response 200", P),
    ]
