"""Spec text is data: hostile strings in every slot of a spec never become code.

The same spec is generated twice: once with hostile strings and once with benign ones in the
same slots. With every identifier and string constant masked, the two outputs must have the same
syntax tree: no statement, call, import or expression came from spec text. Then the hostile
package is imported and exercised and its literals are compared with the spec, exactly.
"""

from __future__ import annotations

import ast
import importlib
import py_compile
import re
import typing
import unicodedata
from pathlib import Path
from typing import Any

import anyio
import pytest
import tomllib
from mcp import Client

from generator.literals import clean_text
from tests.support.hostile import (
    import_all,
    imported,
    ruff_findings,
    run_cli,
    tree_digest,
    write_spec,
)

PAYLOADS = [
    '"""; __import__("pathlib").Path(CANARY).touch(); """',
    "'''; __import__('pathlib').Path(CANARY).touch(); '''",
    '\\"; __import__("pathlib").Path(CANARY).touch() #',
    "x\\",
    "nul\x00byte",
    "line\nbreak; __import__('os')",
    "cr\r\nlf",
    "# comment: __import__('os')",
    "{{ 7*7 }} {{ config }}",
    "{% for x in range(3) %}loop{% endfor %} {# hidden #}",
    "para\u2029sep line\u2028sep",
    "bidi \u202eevil\u202c \u2066iso\u2069",
    "zero\u200bwidth \ufeffbom",
    "lookalike раураl ＡＢＣ",
    "tab\tvtab\x0bff\x0c",
    'ends with quote "',
    'ends with escaped quote \\"',
    "emoji 🐍 astral \U0001f600",
    "surrogate-free \x7f del",
    "f'{__import__(\"os\")}'",
]
CANARY_TOKEN = "CANARY"


def _strings(canary: Path, hostile: bool) -> list[str]:
    if not hostile:
        return [f"benign text {i}" for i in range(len(PAYLOADS))]
    return [f"s{i} " + p.replace(CANARY_TOKEN, repr(str(canary))) for i, p in enumerate(PAYLOADS)]


def build_spec(strings: list[str]) -> dict[str, Any]:
    """Every string goes into every slot that reaches generated files."""
    n = len(strings)
    props = {
        s: {
            "type": "string",
            "description": s,
            "title": s,
            "default": s,
            "example": s,
            "pattern": s,
            "x-ext": s,
        }
        for s in strings
    }
    props["choice"] = {"type": "string", "enum": strings, "description": strings[0]}
    props["tag"] = {"const": strings[1], "default": strings[1]}
    schemas: dict[str, Any] = {
        s: {
            "type": "object",
            "description": s,
            "title": s,
            "properties": props,
            "required": [strings[0]],
        }
        for s in strings
    }
    schemas["Choice"] = {"type": "string", "enum": strings}
    paths: dict[str, Any] = {}
    for i, s in enumerate(strings):
        paths[f"/items{i}/{{item_id}}/{s}"] = {
            "post": {
                "operationId": s,
                "tags": [s],
                "summary": s,
                "description": s,
                "x-ext": {s: s},
                "parameters": [
                    {
                        "name": "item_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                        "description": s,
                    },
                    {
                        "name": s,
                        "in": "query",
                        "schema": {"type": "string", "enum": strings, "default": s},
                    },
                    {
                        "name": f"x-{i}-{s}",
                        "in": "header",
                        "schema": {"type": "string"},
                        "description": s,
                    },
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": f"#/components/schemas/{_escape(s)}"}
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": s,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{_escape(s)}"}
                            }
                        },
                    }
                },
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": strings[0], "version": strings[2], "description": strings[3]},
        # The URL slot takes a payload without control characters: those make no usable URL
        # (skipped with a warning, tests/test_servers.py), while quotes and code must round-trip.
        "servers": [{"url": "https://api.example.com/" + strings[0], "description": strings[5]}],
        "tags": [{"name": s, "description": s} for s in strings[:n]],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {strings[6]: {"type": "apiKey", "in": "header", "name": strings[7]}},
        },
        "security": [{strings[6]: []}],
        "x-top": strings,
    }


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


class _Mask(ast.NodeTransformer):
    """Replace every name and string so only the tree's shape remains."""

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return ast.copy_location(ast.Name(id="N", ctx=node.ctx), node)

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        value = "S" if isinstance(node.value, str) else node.value
        return ast.copy_location(ast.Constant(value=value), node)

    def generic_visit(self, node: ast.AST) -> ast.AST:
        for attr in ("name", "attr", "arg", "asname", "module"):
            if isinstance(getattr(node, attr, None), str):
                setattr(node, attr, "N")
        if isinstance(node, ast.Global | ast.Nonlocal):
            node.names = ["N"] * len(node.names)
        return super().generic_visit(node)


def _shapes(out: Path) -> list[str]:
    """Masked syntax trees of every generated Python file, sorted (file names differ)."""
    return sorted(
        ast.dump(_Mask().visit(ast.parse(p.read_text(encoding="utf-8")))) for p in out.rglob("*.py")
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("inject")
    canary = root / "canary-was-created"
    outs = {}
    for kind in ("hostile", "benign"):
        strings = _strings(canary, kind == "hostile")
        spec = build_spec(strings)
        spec_path = write_spec(root / kind, spec)
        result = run_cli("generate", spec_path, "-o", root / kind / "out", cwd=root / kind)
        assert result.returncode == 0, result.stderr
        outs[kind] = {"out": root / kind / "out", "strings": strings, "spec": spec}
    return {"canary": canary, **outs}


def test_same_syntax_tree_as_benign_spec(generated: dict[str, Any]) -> None:
    hostile, benign = _shapes(generated["hostile"]["out"]), _shapes(generated["benign"]["out"])
    assert len(hostile) == len(benign)
    assert hostile == benign


def test_byte_compiles_and_ruff_clean(generated: dict[str, Any], tmp_path: Path) -> None:
    out = generated["hostile"]["out"]
    files = list(out.rglob("*.py"))
    assert len(files) > 20
    for index, path in enumerate(files):
        py_compile.compile(str(path), doraise=True, cfile=str(tmp_path / f"{index}.pyc"))
    assert ruff_findings(out) == ""
    tomllib.loads((out / "pyproject.toml").read_text(encoding="utf-8"))


def test_spec_text_only_in_string_tokens(generated: dict[str, Any]) -> None:
    """No import, call or name the benign output lacks: e.g. no ``__import__``/``os``/``touch``."""
    for path in generated["hostile"]["out"].rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        attrs = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        assert "__import__" not in names and "touch" not in attrs, path
        assert "exec" not in names and "eval" not in names, path


def test_import_and_use_run_no_payload(generated: dict[str, Any]) -> None:
    out, strings = generated["hostile"]["out"], generated["hostile"]["strings"]
    with imported(out) as package:
        modules = import_all(out, package)
        assert len(modules) > 10
        client_cls = next(getattr(package, n) for n in package.__all__ if _is_client(package, n))
        client = client_cls(api_key="k", base_url="http://127.0.0.1:9")
        assert "k" not in repr(client).replace(client_cls.__name__, "")
        client.close()
        types_mod = importlib.import_module(package.__name__ + ".types")
        for name in types_mod.__all__:
            obj = getattr(types_mod, name)
            if isinstance(obj, type) and hasattr(obj, "model_validate"):
                wire = {s: s for s in strings} | {"choice": strings[5], "tag": strings[1]}
                model = obj.model_validate(wire)
                assert model.to_dict() == wire
    assert not generated["canary"].exists()


def _is_client(package: Any, name: str) -> bool:
    obj = getattr(package, name)
    return isinstance(obj, type) and hasattr(obj, "with_options") and not name.startswith("Async")


def test_literals_round_trip_exactly(generated: dict[str, Any]) -> None:
    out, strings = generated["hostile"]["out"], generated["hostile"]["strings"]
    spec = generated["hostile"]["spec"]
    with imported(out) as package:
        client_mod = importlib.import_module(package.__name__ + "._client")
        version = importlib.import_module(package.__name__ + "._version")
        types_mod = importlib.import_module(package.__name__ + ".types")
        assert client_mod.DEFAULT_BASE_URL == spec["servers"][0]["url"]
        assert version.__spec_version__ == strings[2]
        assert typing.get_args(types_mod.Choice) == tuple(strings)
        model = next(
            getattr(types_mod, n)
            for n in types_mod.__all__
            if hasattr(getattr(types_mod, n), "model_fields")
        )
        aliases = {f.alias or name for name, f in model.model_fields.items()}
        assert aliases == {*strings, "choice", "tag"}
        tag_field = next(
            f
            for f in model.model_fields.values()
            if (f.alias or "") == "tag" or f.default == strings[1]
        )
        assert tag_field.default == strings[1]
        param = next(getattr(types_mod, n) for n in types_mod.__all__ if n.endswith("Param"))
        assert set(param.__annotations__) == {*strings, "choice", "tag"}
    paths = set()
    for path in out.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.keyword)
                and node.arg == "path"
                and isinstance(node.value, ast.Constant)
            ):
                paths.add(node.value.value)
    assert paths == set(spec["paths"])


def test_output_is_deterministic(generated: dict[str, Any], tmp_path: Path) -> None:
    spec = generated["hostile"]["spec"]
    spec_path = write_spec(tmp_path, spec)
    result = run_cli("generate", spec_path, "-o", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert tree_digest(tmp_path / "out") == tree_digest(generated["hostile"]["out"])


def test_mcp_tools_have_valid_names_and_clean_descriptions(generated: dict[str, Any]) -> None:
    """The hostile spec's server, listed by the SDK's client: every tool name is one the strictest
    hosts accept, distinct, and every description is the spec's text cleaned, nothing more."""
    out, spec = generated["hostile"]["out"], generated["hostile"]["spec"]
    (catalog,) = out.glob("*/mcp/tools.json")
    assert catalog.read_text(encoding="utf-8").isascii()  # escapes only: no raw control or bidi
    with imported(out) as package:
        server, _ = importlib.import_module(package.__name__ + ".mcp.server").configure([])

        async def listed() -> list[Any]:
            async with Client(server, mode="legacy") as client:
                return list((await client.list_tools()).tools)

        tools = anyio.run(listed)
    names = [tool.name for tool in tools]
    assert len(set(names)) == len(names) == len(spec["paths"])
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{1,64}", name) for name in names)
    expected = {
        f"{clean_text(operation['post']['summary'])}\n\nPOST {clean_text(path)}"
        for path, operation in spec["paths"].items()
    }
    assert {tool.description for tool in tools} == expected
    for tool in tools:
        shown = tool.description + (tool.title or "")
        unsafe = {ch for ch in shown if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")}
        assert unsafe <= {"\n", "\t"}, sorted(unsafe)  # no bidi, zero-width, NUL or CR
    assert not generated["canary"].exists()
