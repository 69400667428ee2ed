"""The client plan's contract: the facts it keeps (chosen body, each argument's schema, spec
name and rename reason, return kind), annotations as values, the import table, and the naming
stage that runs before it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import load_config
from generator.emit.imports import import_lines
from generator.ir import ObjectSchema, RefSchema
from generator.ir.model import Api
from generator.pipeline import load_api
from generator.plan import AnnotationRenderer, ClientPlan, OperationPlan, build_plan

ROOT = Path(__file__).resolve().parent.parent

SPEC = """openapi: 3.1.0
info: {title: Shop, version: 1.0.0}
paths:
  /items/{item_id}:
    post:
      operationId: updateItem
      parameters:
        - {name: item_id, in: path, required: true, schema: {type: string}}
        - {name: timeout, in: query, schema: {type: integer}}
        - {name: name, in: query, schema: {type: string}}
        - {name: name, in: header, schema: {type: string}}
      requestBody:
        required: true
        content:
          multipart/form-data: {schema: {$ref: "#/components/schemas/Upload"}}
          application/json: {schema: {$ref: "#/components/schemas/Item"}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}
  /uploads:
    post:
      operationId: upload
      requestBody:
        content:
          multipart/form-data:
            schema: {type: object, properties: {file: {type: string, format: binary}}}
      responses:
        "204": {description: done}
  /notes:
    put:
      operationId: putNote
      requestBody:
        content: {multipart/form-data: {schema: {type: string}}}
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
  /events:
    get:
      operationId: events
      responses:
        "200":
          description: ok
          content: {text/event-stream: {schema: {$ref: "#/components/schemas/Item"}}}
components:
  schemas:
    Item:
      type: object
      required: [name]
      properties:
        name: {type: string}
        tags: {type: array, items: {$ref: "#/components/schemas/Tag"}}
        seen: {type: string, format: date-time}
        bar: {type: object, properties: {x: {type: integer}}}
    Tag: {type: object, properties: {label: {type: string}}}
    ItemBar: {type: string}
    Upload: {type: object, properties: {file: {type: string, format: binary}}}
"""


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> ClientPlan:
    spec = tmp_path_factory.mktemp("plan") / "shop.yaml"
    spec.write_text(SPEC)
    return build_plan(load_api(spec)[1], load_config(None))


def _method(plan: ClientPlan, operation_id: str) -> OperationPlan:
    return next(op for op in plan.methods() if op.operation.operation_id == operation_id)


def test_the_chosen_body_is_a_fact_of_the_plan(shop: ClientPlan) -> None:
    op = _method(shop, "updateItem")
    assert op.body is not None
    assert (op.body.media_type, op.body.kind, op.body.content_type) == (
        "application/json",
        "json",
        None,
    )  # JSON wins over the multipart form listed first
    item = shop.api.schema("Item").schema
    assert isinstance(op.body.schema, RefSchema) and op.body.fields is item
    note = _method(shop, "putNote").body
    assert note is not None and (note.kind, note.content_type) == ("content", "multipart/form-data")
    assert note.fields is None  # a form that is not an object is sent as given


def test_arguments_keep_their_schema_spec_name_and_why_they_were_renamed(
    shop: ClientPlan,
) -> None:
    op = _method(shop, "updateItem")
    by_name = {arg.name: arg for arg in op.arguments}
    item = shop.api.schema("Item").schema
    assert isinstance(item, ObjectSchema)
    props = {p.wire_name: p for p in item.properties}
    assert [a.name for a in op.positional] == ["item_id"]
    assert by_name["tags"].schema is props["tags"].schema
    assert (by_name["tags"].location, by_name["tags"].spec_name) == ("body", "tags")
    timeout = by_name["api_timeout"]
    assert (timeout.spec_name, timeout.natural, timeout.renamed) == (
        "timeout",
        "timeout",
        "request-option",
    )
    # ``name`` is a query parameter, a header and a body field: first come, first served.
    assert (by_name["name"].location, by_name["name"].renamed) == ("query", None)
    assert (by_name["name_header"].location, by_name["name_header"].renamed) == ("header", "taken")
    assert (by_name["name_body"].spec_name, by_name["name_body"].renamed) == ("name", "taken")
    assert [a.required for a in op.keyword] == sorted(
        (a.required for a in op.keyword), reverse=True
    )


def test_multipart_binary_fields_are_file_arguments(shop: ClientPlan) -> None:
    [file] = _method(shop, "upload").arguments
    assert (file.location, file.annotation.text, file.annotation.imports) == (
        "body",
        "FileTypes",
        frozenset({"FileTypes"}),
    )
    [content] = _method(shop, "putNote").arguments
    assert (content.location, content.name, content.annotation.text) == (
        "whole-body",
        "content",
        "bytes",
    )


def test_return_kinds(shop: ClientPlan) -> None:
    update = _method(shop, "updateItem").returns
    assert (update.kind, update.annotation) == ("json", "Item")
    assert update.json is not None and update.json.refs == {"Item"}
    assert _method(shop, "upload").returns.kind == "none"
    assert _method(shop, "putNote").returns.kind == "text"
    events = _method(shop, "events").returns
    assert (events.kind, events.annotation, events.flag) == ("stream", "Stream[Item]", None)


def test_parallel_chat_completions_return_json_or_a_stream_by_flag() -> None:
    plan = build_plan(
        load_api(ROOT / "spec" / "public-openapi.json")[1], load_config(ROOT / "apigen.yaml")
    )
    [op] = [
        op for op in plan.methods() if op.method_path == ("beta", "chat", "completions", "create")
    ]
    assert op.returns.kind == "json-or-stream"
    assert op.returns.flag is not None and op.returns.flag.spec_name == "stream"
    assert op.returns.flag in op.arguments


def test_annotations_are_values_that_know_their_imports(shop: ClientPlan) -> None:
    api: Api = shop.api
    item = api.schema("Item").schema
    assert isinstance(item, ObjectSchema)
    props = {p.wire_name: p.schema for p in item.properties}
    request, response = AnnotationRenderer(api, "request"), AnnotationRenderer(api, "response")
    tags = request.render(props["tags"])
    assert (tags.text, tags.imports, tags.refs) == (
        "Sequence[TagParam]",
        {"Sequence"},
        {"TagParam"},
    )
    assert response.render(props["tags"]).text == "list[Tag]"
    seen = request.render(props["seen"])
    assert (seen.text, seen.imports) == ("str | datetime", {"datetime"})
    assert seen.nullable().text == "str | datetime | None"
    assert seen.nullable().nullable() == seen.nullable()


def test_models_fields_and_request_types_are_planned(shop: ClientPlan) -> None:
    types = {t.name: t for t in shop.types}
    item = types["Item"]
    assert item.kind == "model" and item.request is not None and item.request.name == "ItemParam"
    assert [f.name for f in item.fields] == ["name", "tags", "seen", "bar"]
    assert types["ItemBar"].kind == "alias" and types["ItemBar"].request is None
    assert types["Upload"].request is None  # multipart form not chosen: nothing sends it


def test_names_components_first_then_inline_ones_after_their_owner(shop: ClientPlan) -> None:
    named = {t.named.key: t.named for t in shop.types}
    assert named["ItemBar"].name == "ItemBar"  # the component keeps its name...
    inline = named["components/schemas/Item/properties/bar"]
    assert (inline.name, inline.request_name) == ("ItemBar2", "ItemBar2Param")  # ...inline yields
    assert (named["Item"].name, named["Item"].request_name) == ("Item", "ItemParam")


def test_import_table_writes_relative_imports_for_any_module() -> None:
    assert import_lines({"FileTypes", "Sequence", "TaskRun", "httpx"}, "resources.beta") == [
        "from collections.abc import Sequence",
        "",
        "import httpx",
        "",
        "from ..._types import FileTypes",
        "from ...types import TaskRun",
    ]
    assert import_lines({"BaseModel", "Tag"}, "types", {"Tag": "types._models"}) == [
        "from .._models import BaseModel",
        "from ._models import Tag",
    ]
    assert import_lines({"Mixin"}, "resources", {"Mixin": "lib.items"}) == [
        "from ..lib.items import Mixin"
    ]


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [("generator.ir", "generator.naming"), ("generator.plan", "generator.emit")],
)
def test_stages_import_only_earlier_stages(module: str, forbidden: str) -> None:
    """The IR knows nothing of naming, the plan nothing of rendering (no back edges)."""
    code = (
        f"import sys, {module}; "
        f"bad = sorted(m for m in sys.modules if m.startswith({forbidden!r})); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
