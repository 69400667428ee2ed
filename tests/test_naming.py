"""Identifier rules: every spec string becomes a valid, distinct, non-shadowing Python name."""

from __future__ import annotations

import keyword
import subprocess
import sys
from pathlib import Path

import pydantic
import pytest

from generator.config import load_config
from generator.naming import (
    UniqueNamer,
    class_name,
    field_name,
    method_name,
    module_name,
    snake_case,
)
from generator.naming.methods import strip_framework_suffix
from generator.pipeline import generate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Run ID", "run_id"),
        ("parallel-beta", "parallel_beta"),
        ("HTTPCode", "http_code"),
        ("userID", "user_id"),
        ("already_snake", "already_snake"),
        ("Café crème", "cafe_creme"),
    ],
)
def test_snake_case(text: str, expected: str) -> None:
    assert snake_case(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "class",
        "def",
        "None",
        "True",
        "match",
        "type",
        "json",
        "model_config",
        "schema",
        "copy",
        "dict",
        "str",
        "datetime",
        "",
        "123abc",
        "__init__",
        "日本語",
        "a" * 300,
        "-",
        "BaseModel",
        "Field",
    ],
)
def test_field_names_are_valid_and_safe(text: str) -> None:
    name = field_name(text)
    assert name.isidentifier() and not keyword.iskeyword(name)
    assert name not in {"json", "model_config", "schema", "copy", "dict", "str", "datetime"}
    assert not name.startswith("__")
    assert not hasattr(pydantic.BaseModel, name)  # would shadow a model attribute or method
    assert len(name) <= 81


@pytest.mark.parametrize(
    "text",
    [
        "BaseModel",
        "Field",
        "Any",
        "List",
        "Optional",
        "datetime",
        "httpx",
        "Client",
        "None",
        "stream",
        "1st place",
        "",
    ],
)
def test_class_names_never_shadow_runtime_imports(text: str) -> None:
    name = class_name(text)
    assert name.isidentifier() and name[0].isupper()
    assert name not in {"BaseModel", "Field", "Any", "List", "Optional", "Client", "None", "Stream"}


def test_unique_namer_resolves_case_and_separator_collisions() -> None:
    namer = UniqueNamer()
    names = [namer.claim(field_name(t)) for t in ["user-id", "user_id", "UserId", "userId"]]
    assert names == ["user_id", "user_id2", "user_id3", "user_id4"]


def test_module_and_method_names() -> None:
    assert module_name("Tasks (Beta)") == "tasks_beta"
    assert module_name("con") == "con_"  # reserved Windows file name
    assert module_name("../../etc") == "etc"
    assert method_name("import") == "import_"
    assert method_name("list") == "list"


def test_fastapi_suffix_is_stripped() -> None:
    assert (
        strip_framework_suffix("tasks_runs_post_v1_tasks_runs_post", "post", "/v1/tasks/runs")
        == "tasks_runs_post"
    )
    assert (
        strip_framework_suffix(
            "tasks_runs_get_v1_tasks_runs__run_id__get", "get", "/v1/tasks/runs/{run_id}"
        )
        == "tasks_runs_get"
    )
    assert strip_framework_suffix("listPets", "get", "/pets") == "listPets"


def test_class_names_cannot_take_resource_class_suffixes() -> None:
    assert class_name("pets resource") == "PetsResourceModel"
    assert class_name("PetsResourceWithRawResponse") == "PetsResourceWithRawResponseModel"
    assert class_name("ResourceList") == "ResourceList"


def test_schema_named_like_a_resource_class_generates_clean_code(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.1.0\n"
        "info: {title: Pets, version: '1'}\n"
        "paths:\n"
        "  /pets:\n"
        "    get:\n"
        "      operationId: list\n"
        "      tags: [pets]\n"
        "      responses:\n"
        "        '200':\n"
        "          description: ok\n"
        "          content:\n"
        "            application/json:\n"
        "              schema: {$ref: '#/components/schemas/PetsResource'}\n"
        "components:\n"
        "  schemas:\n"
        "    PetsResource:\n"
        "      type: object\n"
        "      properties: {name: {type: string}}\n"
    )
    out = tmp_path / "out"
    generate(spec, load_config(None), out)
    code = "from pets_client import Pets; print(Pets.__name__)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=out, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    module = (out / "pets_client" / "resources" / "pets.py").read_text()
    assert "PetsResourceModel" in module and "class PetsResource(SyncAPIResource)" in module
