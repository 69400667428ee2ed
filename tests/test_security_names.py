"""Hostile names become valid, distinct identifiers that still map to the right wire names."""

from __future__ import annotations

import importlib
import inspect
import keyword
from pathlib import Path
from typing import Any

import pydantic
import pytest

from tests.support.hostile import imported, ruff_findings, run_cli, write_spec

NAMES = [
    *keyword.kwlist,
    *keyword.softkwlist,
    "print",
    "list",
    "dict",
    "str",
    "int",
    "type",
    "id",
    "object",
    "property",
    "super",
    "len",
    "__init__",
    "__class__",
    "__dict__",
    "__private",
    "__",
    "_",
    "_x",
    "__slots__",
    "__annotations__",
    "BaseModel",
    "Field",
    "Any",
    "List",
    "Optional",
    "datetime",
    "date",
    "httpx",
    "Client",
    "Self",
    "Literal",
    "Annotated",
    "TypedDict",
    "Required",
    "NOT_GIVEN",
    "NotGiven",
    "Stream",
    "model_config",
    "model_fields",
    "model_dump",
    "json",
    "dict",
    "copy",
    "schema",
    "validate",
    "construct",
    "fields",
    "to_dict",
    "to_json",
    "parse_obj",
    "foo",
    "Foo",
    "FOO",
    "f_oo",
    "f-oo",
    "f.oo",
    "f oo",
    "foo2",
    "foo_",
    "foo-2",
    "",
    " ",
    "-",
    "0",
    "1st",
    "123abc",
    "9lives",
    "x" * 300 + "a",
    "x" * 300 + "b",
    "ｆｏｏ",
    "ﬁle",
    "naïve",
    "ключ",
    "键",
    "🐍",
    "é",
    "e\u0301",
    "İ",
    "ß",
    "Straße",
    "content-type",
    "X-Request-ID",
    "$ref",
    "@type",
    "a/b",
    "a\\b",
    "..",
    "../x",
]
NAMES = list(dict.fromkeys(NAMES))


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("names")
    props = {name: {"type": "string"} for name in NAMES}
    schemas: dict[str, Any] = {
        "Wide": {"type": "object", "properties": props, "required": NAMES[:5]}
    }
    for name in NAMES:  # every name as a schema name too (object schemas become models)
        schemas[name or "empty"] = {"type": "object", "properties": {name: {"type": "integer"}}}
    paths = {}
    for i, name in enumerate(NAMES):
        paths[f"/n{i}"] = {
            "get": {
                "operationId": name,
                "tags": [name],
                "parameters": [
                    {"name": name or "empty", "in": "query", "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Wide"}}
                        },
                    }
                },
            }
        }
    paths["/"] = {
        verb: {
            "operationId": op,
            "requestBody": {
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Wide"}}}
            },
            "responses": {"200": {"description": "ok"}},
        }
        for verb, op in (
            ("get", "request"),
            ("put", "close"),
            ("post", "with_options"),
            ("patch", "with_raw_response"),
        )
    }
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Names", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }
    spec_path = write_spec(root, spec)
    result = run_cli("generate", spec_path, "-o", root / "out", cwd=root, timeout=300)
    assert result.returncode == 0, result.stderr
    assert ruff_findings(root / "out") == ""
    with imported(root / "out") as pkg:
        yield pkg, root / "out"


def test_model_fields_are_distinct_identifiers_mapping_to_wire_names(package: Any) -> None:
    pkg, _ = package
    types = importlib.import_module(pkg.__name__ + ".types")
    fields = types.Wide.model_fields
    assert len(fields) == len(NAMES)
    for name in fields:
        assert name.isidentifier() and name.isascii() and not keyword.iskeyword(name), name
        assert not name.startswith("_") and len(name) <= 90  # 80 plus a de-duplicating counter
    assert {name if f.alias is None else f.alias for name, f in fields.items()} == set(NAMES)


def test_payload_with_every_wire_key_round_trips(package: Any) -> None:
    pkg, _ = package
    types = importlib.import_module(pkg.__name__ + ".types")
    wire = {name: f"v{i}" for i, name in enumerate(NAMES)}
    model = types.Wide.model_validate(wire)
    assert model.to_dict() == wire
    assert model.model_extra == {}
    assert types.Wide.model_validate_json(model.to_json()).to_dict() == wire


def test_no_field_shadows_a_model_attribute(package: Any) -> None:
    pkg, _ = package
    types = importlib.import_module(pkg.__name__ + ".types")
    runtime_base = importlib.import_module(pkg.__name__ + "._models").BaseModel
    public = {a for a in dir(pydantic.BaseModel) if not a.startswith("_")} | {"to_dict", "to_json"}
    models = [
        c
        for c in (getattr(types, name) for name in types.__all__)  # resolved lazily
        if isinstance(c, type) and issubclass(c, runtime_base)
    ]
    assert len(models) > len(NAMES)
    for cls in models:
        assert not public & set(cls.model_fields), cls
        assert cls.model_dump is runtime_base.model_dump


def test_class_names_distinct_and_models_importable(package: Any) -> None:
    pkg, _ = package
    types = importlib.import_module(pkg.__name__ + ".types")
    names = list(types.__all__)
    assert len(names) == len({n.lower() for n in names})
    models = [getattr(types, n) for n in names if not n.endswith("Param")]
    assert len(models) == len(NAMES) + 1  # Wide + one model per name
    for name in names:
        assert name.isidentifier() and name.isascii() and name[0].isupper(), name


def test_request_params_keep_wire_keys(package: Any) -> None:
    pkg, _ = package
    types = importlib.import_module(pkg.__name__ + ".types")
    assert set(types.WideParam.__annotations__) == set(NAMES)


def test_client_members_are_not_replaced(package: Any) -> None:
    pkg, out = package
    client_mod = importlib.import_module(pkg.__name__ + "._client")
    base = importlib.import_module(pkg.__name__ + "._base_client").SyncAPIClient
    exported = [getattr(client_mod, n) for n in client_mod.__all__]
    (client_cls,) = [c for c in exported if isinstance(c, type) and issubclass(c, base)]
    for member in ("request", "close", "is_closed"):
        assert getattr(client_cls, member) is getattr(base, member)
    assert "base_url" in inspect.signature(client_cls.with_options).parameters  # not an operation
    methods = {n for n in client_cls.__dict__ if not n.startswith("_")}
    assert {"request2", "close2", "with_options2"} <= methods
    resources = sorted(p.stem for p in (out / pkg.__name__ / "resources").glob("*.py"))
    assert all(r.isidentifier() and not keyword.iskeyword(r) for r in resources)


def test_every_operation_has_a_distinct_method(package: Any) -> None:
    pkg, out = package
    source = "".join(p.read_text() for p in (out / pkg.__name__ / "resources").rglob("*.py"))
    for i in range(len(NAMES)):
        assert f'path="/n{i}"' in source
    assert sum(1 for p in Path(out).rglob("*.py") if p.name != "__init__.py") > 10
