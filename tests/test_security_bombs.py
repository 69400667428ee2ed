"""Resource bombs and bad input through the CLI: one error line naming where, exit 2, output
untouched.

Every case runs ``apigen generate`` in a child interpreter with a timeout, over an output folder
that already holds a good generation, and compares the folder's hashes before and after.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.hostile import run_cli, tree_digest, write_spec
from tests.support.project import models_source

GOOD = {
    "openapi": "3.1.0",
    "info": {"title": "Good", "version": "1"},
    "paths": {"/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok"}}}}},
}


def _with_schema(schema: Any, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Bad", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "operationId": "a",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": schema}},
                        }
                    },
                }
            }
        },
        "components": {"schemas": {}},
    }
    spec.update(extra or {})
    return spec


def _deep_schema_spec(depth: int) -> str:
    """Nesting that passes the loader but not the IR builder (text: json.dumps would recurse)."""
    schema = '{"type": "object", "properties": {"n": ' * depth + '{"type": "string"}' + "}}" * depth
    return json.dumps(_with_schema({"$ref": "#/x"})).replace('{"$ref": "#/x"}', schema)


LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(9)
)

# name → (file name, content, text the one-line error must contain)
ERRORS: dict[str, tuple[str, Any, str]] = {
    "billion-laughs": ("spec.yaml", "openapi: 3.1.0\n" + LAUGHS, "alias"),
    "python-object-tag": (
        "spec.yaml",
        "openapi: 3.1.0\nx: !!python/object/apply:os.system ['touch CANARY']\n",
        "spec.yaml",
    ),
    "json-10000-deep": (
        "spec.json",
        '{"openapi": "3.1.0", "x": ' + "[" * 10_000 + "]" * 10_000 + "}",
        "spec.json",
    ),
    "yaml-10000-deep": (
        "spec.yaml",
        "openapi: 3.1.0\nx: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "spec.yaml",
    ),
    "schema-450-deep": (
        "spec.json",
        _deep_schema_spec(450),
        "#/paths/~1a/get/responses/200/content/application~1json/schema",
    ),
    "invalid-json": ("spec.json", '{"openapi": "3.1.0",\n  "info": {,}}', "spec.json:2"),
    "invalid-yaml": ("spec.yaml", "openapi: 3.1.0\ninfo:\n  title: [unclosed\n", "spec.yaml:"),
    "not-openapi": ("spec.json", {"hello": "world"}, "OpenAPI"),
    "top-level-list": ("spec.json", "[1, 2]", "not an OpenAPI document"),
    "swagger-2": (
        "spec.json",
        {"swagger": "2.0", "info": {"title": "x", "version": "1"}, "paths": {}},
        "2.0",
    ),
    "missing-ref": (
        "spec.json",
        _with_schema({"$ref": "#/components/schemas/Nope"}),
        "#/components/schemas/Nope",
    ),
    "ref-cycle": (
        "spec.json",
        _with_schema(
            {"$ref": "#/components/schemas/A"},
            {
                "components": {
                    "schemas": {
                        "A": {"$ref": "#/components/schemas/B"},
                        "B": {"$ref": "#/components/schemas/A"},
                    }
                }
            },
        ),
        "point at each other",
    ),
    "empty-file": ("spec.json", "", "empty"),
    "binary-garbage": ("spec.json", bytes(range(256)) * 4, "spec.json"),
}


@pytest.fixture
def populated(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    good = write_spec(tmp_path / "good", GOOD)
    out = tmp_path / "out"
    assert run_cli("generate", good, "-o", out, cwd=tmp_path).returncode == 0
    return out, tree_digest(out)


@pytest.mark.parametrize("case", ERRORS)
def test_bad_input_is_one_line_exit_2_output_untouched(
    tmp_path: Path, populated: tuple[Path, dict[str, str]], case: str
) -> None:
    out, before = populated
    name, content, expected = ERRORS[case]
    spec = write_spec(tmp_path / "bad", content, name)
    started = time.monotonic()
    result = run_cli("generate", spec, "-o", out, cwd=tmp_path, timeout=60)
    elapsed = time.monotonic() - started
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("apigen: error: "), result.stderr
    assert expected in lines[0]
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
    assert "internal error" not in result.stderr
    assert tree_digest(out) == before
    assert not any(p.name.startswith(".apigen-tmp-") for p in out.parent.iterdir())
    assert not (tmp_path / "CANARY").exists()
    assert elapsed < 60


# Inputs that are odd but usable: generated correctly, with a warning naming the pointer.
def test_duplicate_operation_ids_are_renamed_with_a_warning(tmp_path: Path) -> None:
    spec = {
        **GOOD,
        "paths": {
            "/a": {"get": {"operationId": "same", "responses": {"200": {"description": "ok"}}}},
            "/b": {"get": {"operationId": "same", "responses": {"200": {"description": "ok"}}}},
        },
    }
    result = run_cli(
        "-v", "generate", write_spec(tmp_path, spec), "-o", tmp_path / "out", cwd=tmp_path
    )
    assert result.returncode == 0
    assert "#/paths/~1b/get/operationId: duplicate operationId 'same'" in result.stderr
    source = "".join(p.read_text() for p in sorted((tmp_path / "out").glob("*/resources/*.py")))
    # names come from the HTTP shape (client.a.retrieve, client.b.retrieve), not the ids
    assert (
        source.count("    def retrieve(") == 2 and 'path="/a"' in source and 'path="/b"' in source
    )


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "pattern": "([unclosed"},
        {"type": "integer", "default": "not a number"},
        {"type": "string", "enum": ["a", "b"], "default": 7},
        {"type": "string", "format": "\x00bogus"},
    ],
    ids=["invalid-regex", "string-default-on-integer", "default-outside-enum", "nul-format"],
)
def test_unusable_constraints_do_not_break_generation(
    tmp_path: Path, schema: dict[str, Any]
) -> None:
    spec = _with_schema({"type": "object", "properties": {"v": schema}})
    result = run_cli("generate", write_spec(tmp_path, spec), "-o", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    models = models_source(tmp_path / "out")
    assert "v: " in models


def test_deep_arrays_within_the_limit_generate(tmp_path: Path) -> None:
    """395 nested arrays: under the IR's depth limit, rendered (recursively) and formatted."""
    schema = '{"type": "array", "items": ' * 395 + '{"type": "string"}' + "}" * 395
    spec = json.dumps(_with_schema({"$ref": "#/x"})).replace('{"$ref": "#/x"}', schema)
    result = run_cli("generate", write_spec(tmp_path, spec), "-o", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = "".join(p.read_text() for p in (tmp_path / "out").glob("*/resources/*.py"))
    assert "list[" * 395 + "str" + "]" * 395 in source.replace("\n", "").replace(" ", "")


def test_enormous_enum(tmp_path: Path) -> None:
    values = [f"v{i}" for i in range(100_000)]
    spec = _with_schema({"type": "object", "properties": {"v": {"type": "string", "enum": values}}})
    result = run_cli(
        "generate", write_spec(tmp_path, spec), "-o", tmp_path / "out", cwd=tmp_path, timeout=120
    )
    assert result.returncode == 0, result.stderr
    models = models_source(tmp_path / "out")
    assert '"v99999"' in models and models.count('"v') >= 100_000


def _many_operations(count: int) -> dict[str, Any]:
    ok = {
        "200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/M"}}},
        }
    }
    paths = {
        f"/r{i // 100}/op{i}": {
            "get": {"operationId": f"op{i}", "tags": [f"r{i // 100}"], "responses": ok}
        }
        for i in range(count)
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Big", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": {"M": {"type": "object", "properties": {"a": {"type": "string"}}}}
        },
    }


# The full 100,000 operations: about 30 s and 570 MiB peak on the 2-core machine, so CI runs it.
OPERATIONS = 100_000


def test_many_operations(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, json.dumps(_many_operations(OPERATIONS)))
    result = run_cli("generate", spec, "-o", tmp_path / "out", cwd=tmp_path, timeout=3600)
    assert result.returncode == 0, result.stderr
    source = "".join(p.read_text() for p in (tmp_path / "out").glob("*/resources/*.py"))
    assert len(re.findall(r"def op[0-9]+\(", source)) == 2 * OPERATIONS  # sync and async
