"""Default resource and method names come from the HTTP shape of the API (no config).

Each test builds a small spec in memory and reads the method paths of the plan: the same names
the generated client, README and ``api.md`` print.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.cli import main
from generator.config import ProjectConfig, load_config
from generator.pipeline import load_api
from generator.plan import build_plan

ITEM = {"$ref": "#/components/schemas/Item"}
LIST = {"type": "object", "properties": {"data": {"type": "array", "items": ITEM}}}


def _op(operation_id: str, body: Any = ITEM, **extra: Any) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": body}}}
        },
        **extra,
    }


def _param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _spec(paths: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Shapes", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": {"Item": {"type": "object", "properties": {"id": {"type": "string"}}}}
        },
    }


def _methods(
    tmp_path: Path, paths: dict[str, Any], config: ProjectConfig | None = None
) -> dict[str, str]:
    """``"METHOD /path"`` → the method path a caller writes (``client.files.list``)."""
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(_spec(paths)))
    _, api = load_api(spec)
    plan = build_plan(api, config or load_config(None))
    return {
        f"{op.operation.method.upper()} {op.operation.path}": op.target
        for op in plan.methods()
        if not op.alias_of
    }


CRUD = {
    "/v1/files": {
        "get": _op("listFiles", LIST),
        "post": _op("uploadFile"),
    },
    "/v1/files/{file_id}": {
        "parameters": [_param("file_id")],
        "get": _op("getFileById"),
        "post": _op("modifyFile"),
        "delete": _op("removeFile"),
    },
    "/v1/files/{file_id}/cancel": {"parameters": [_param("file_id")], "post": _op("cancelIt")},
    "/v1/vector_stores/{vs_id}/files/{file_id}": {
        "parameters": [_param("vs_id"), _param("file_id")],
        "get": _op("getVectorStoreFile"),
    },
    "/v1beta/assistants": {"get": _op("listAssistants", LIST)},
}


def test_crud_verbs_actions_nesting_and_versions(tmp_path: Path) -> None:
    assert _methods(tmp_path, CRUD) == {
        "GET /v1/files": "client.files.list",
        "POST /v1/files": "client.files.create",
        "GET /v1/files/{file_id}": "client.files.retrieve",
        "POST /v1/files/{file_id}": "client.files.update",
        "DELETE /v1/files/{file_id}": "client.files.delete",
        "POST /v1/files/{file_id}/cancel": "client.files.cancel",
        "GET /v1/vector_stores/{vs_id}/files/{file_id}": "client.vector_stores.files.retrieve",
        "GET /v1beta/assistants": "client.beta.assistants.list",
    }


def test_a_prefix_every_path_shares_is_dropped(tmp_path: Path) -> None:
    paths = {"/api" + path: item for path, item in CRUD.items()}
    named = _methods(tmp_path, paths)
    assert named["GET /api/v1/files"] == "client.files.list"
    assert named["GET /api/v1beta/assistants"] == "client.beta.assistants.list"


def test_text_that_is_not_a_url_path_segment_is_no_structure(tmp_path: Path) -> None:
    """A space, quote or backslash is not URL path text: the path is read up to that segment,
    so spec text there never becomes resource words (or files, or attributes)."""
    paths = {
        "/files/{file_id}": {"parameters": [_param("file_id")], "get": _op("getFile")},
        '/files/{file_id}/a "quoted" note/../x.touch()': {
            "parameters": [_param("file_id")],
            "post": _op("annotateFile"),
        },
        "/reports/q1 summary": {"get": _op("getSummary")},
    }
    named = _methods(tmp_path, paths)
    assert named['POST /files/{file_id}/a "quoted" note/../x.touch()'] == "client.files.annotate"
    assert named["GET /files/{file_id}"] == "client.files.retrieve"
    assert named["GET /reports/q1 summary"] == "client.reports.retrieve"


def test_a_client_named_from_the_title_yields_to_a_type_of_that_name(tmp_path: Path) -> None:
    """``_client.py`` imports the types its root methods return: a client class named like one
    would shadow it (ruff F811, and the annotation would name the client)."""
    spec = _spec({"/upload": {"post": _op("upload")}})
    spec["info"]["title"] = "api.item"
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    _, api = load_api(path)
    plan = build_plan(api, load_config(None))
    assert (plan.client_class, plan.module) == ("ItemClient", "item_client")
    assert [t.target for t in plan.methods()] == ["client.upload"]


def test_operation_ids_and_document_order_do_not_matter(tmp_path: Path) -> None:
    renamed = {
        path: {
            key: (
                {**value, "operationId": "x" + value["operationId"]}
                if key != "parameters"
                else value
            )
            for key, value in item.items()
        }
        for path, item in reversed(CRUD.items())
    }
    assert _methods(tmp_path, renamed) == _methods(tmp_path, CRUD)


def test_adding_an_operation_renames_no_existing_method(tmp_path: Path) -> None:
    before = _methods(tmp_path, CRUD)
    more = {
        **CRUD,
        "/v1/files/{file_id}": {**CRUD["/v1/files/{file_id}"], "put": _op("replaceFile")},
        "/v2/files": {"get": _op("listFilesV2", LIST)},
    }
    after = _methods(tmp_path, more)
    assert {key: after[key] for key in before} == before
    assert after["PUT /v1/files/{file_id}"] != after["POST /v1/files/{file_id}"]
    assert after["GET /v2/files"] != after["GET /v1/files"]
    assert len(set(after.values())) == len(after)


def test_rpc_style_paths_use_the_operation_id_without_the_resource_noun(tmp_path: Path) -> None:
    paths = {
        "/chat.postMessage": {"post": _op("chat.postMessage")},
        "/": {"get": _op("root_status__get")},  # FastAPI: name + path + method
    }
    named = _methods(tmp_path, paths)
    assert named["POST /chat.postMessage"] == "client.chat.post_message"
    assert named["GET /"] == "client.root_status"


def test_configured_names_win(tmp_path: Path) -> None:
    config = ProjectConfig(resources={"GET /v1/files": ("storage.everything",)})
    named = _methods(tmp_path, CRUD, config)
    assert named["GET /v1/files"] == "client.storage.everything"
    assert named["POST /v1/files"] == "client.files.create"


def test_generate_reports_methods_the_previous_generation_named_otherwise(
    tmp_path: Path, capsys: Any
) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(_spec(CRUD)))
    out = tmp_path / "out"
    pinned = tmp_path / "apigen.yaml"
    pinned.write_text(f"spec: {spec}\noutput: {out}\nresources:\n  listFiles: [files.list_files]\n")
    assert main(["generate", "--config", str(pinned)]) == 0
    manifest = json.loads((out / ".apigen-manifest.json").read_text())
    assert manifest["methods"]["GET /v1/files"] == "files.list_files"
    capsys.readouterr()
    pinned.write_text(f"spec: {spec}\noutput: {out}\n")  # back to the default names
    assert main(["generate", "--config", str(pinned)]) == 0
    err = capsys.readouterr().err
    assert "renamed client.files.list_files() to client.files.list() (GET /v1/files)" in err
    assert err.count("renamed client.") == 1
    assert main(["generate", "--config", str(pinned)]) == 0  # nothing renamed this time
    assert "renamed" not in capsys.readouterr().err


def _schema_names(tmp_path: Path, components: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    spec = tmp_path / "types.json"
    item = {"$ref": "#/components/schemas/Item"}
    body = {"content": {"application/json": {"schema": item}}}
    document = _spec({"/tools": {"post": _op("createTool", item, requestBody=body)}})
    document["components"]["schemas"].update(components)
    spec.write_text(json.dumps(document))
    _, api = load_api(spec)
    return {named.key: (named.name, named.request_name) for named in api.schemas}


def test_a_component_named_like_a_request_type_is_never_param_param(tmp_path: Path) -> None:
    obj = {"type": "object", "properties": {"name": {"type": "string"}}}

    def sent(*keys: str) -> dict[str, Any]:
        props = {key.lower(): {"$ref": f"#/components/schemas/{key}"} for key in keys}
        return {"Item": {"type": "object", "properties": props}}

    names = _schema_names(tmp_path, {"ToolParam": obj, **sent("ToolParam")})
    assert names["ToolParam"] == ("Tool", "ToolParam")
    # `Tool` is another component's name: both keep their own, the request types follow
    both = _schema_names(tmp_path, {"ToolParam": obj, "Tool": obj, **sent("ToolParam", "Tool")})
    assert both["Tool"] == ("Tool", "ToolParam2")
    assert both["ToolParam"] == ("ToolParam", "ToolInputParam")
    # a schema no request sends gets no request type, so it holds no request type's name
    unsent = _schema_names(tmp_path, {"ToolParam": obj, "Tool": obj})
    assert unsent["Tool"] == ("Tool", None)


def test_verbose_generate_names_each_collision(tmp_path: Path, capsys: Any) -> None:
    more = {
        **CRUD,
        "/v1/files/{file_id}": {**CRUD["/v1/files/{file_id}"], "put": _op("replaceFile")},
    }
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(_spec(more)))
    with_config = tmp_path / "apigen.yaml"
    with_config.write_text(f"spec: {spec}\noutput: {tmp_path / 'out'}\n")
    assert main(["-v", "generate", "--config", str(with_config)]) == 0
    lines = [line for line in capsys.readouterr().err.splitlines() if "name collision" in line]
    assert len(lines) == 1 and lines[0].startswith("apigen: name collision: client.files.update")
    assert "POST /v1/files/{file_id}" in lines[0] and "PUT /v1/files/{file_id}" in lines[0]
