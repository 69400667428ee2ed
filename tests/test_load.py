"""Stage 1 (loader): parsing, locations, bundling, checks and resource limits."""

from __future__ import annotations

import hashlib
import http.server
import json
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # no shared conftest: make `generator` importable from a checkout
    sys.path.insert(0, str(REPO))

from generator.errors import ApigenError
from generator.load import Document, load_spec

SPECS = Path(__file__).parent / "specs" / "load"
PARALLEL = Path(__file__).parent.parent / "spec" / "public-openapi.json"


def spec(name: str) -> str:
    return str(SPECS / name)


def load_error(source: str | Path, **kwargs: Any) -> ApigenError:
    with pytest.raises(ApigenError) as info:
        load_spec(source, **kwargs)
    return info.value


def all_refs(node: Any) -> list[str]:
    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("$ref"), str):
                found.append(item["$ref"])
            stack.extend(v for k, v in item.items() if k != "example")
        elif isinstance(item, list):
            stack.extend(item)
    return found


# -- reading and parsing ----------------------------------------------------------------------


def test_json_31_document_loads_with_hash_and_version() -> None:
    doc = load_spec(spec("api-3.1.json"))
    raw = (SPECS / "api-3.1.json").read_bytes()
    assert doc.openapi_version == "3.1.0"
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()
    assert doc.source == spec("api-3.1.json")
    assert doc.warnings == ()


def test_invalid_json_reports_line_and_column() -> None:
    err = load_error(spec("broken.json"))
    assert err.location == f"{spec('broken.json')}:4:13"
    assert err.message.startswith("invalid JSON")
    assert err.exit_code == 2


def test_invalid_yaml_reports_line_and_column() -> None:
    err = load_error(spec("broken.yaml"))
    assert err.location is not None and err.location.startswith(f"{spec('broken.yaml')}:8:")
    assert "invalid YAML" in err.message and "flow sequence" in err.message


def test_python_tags_are_rejected_not_executed() -> None:
    err = load_error(spec("python-tag.yaml"))
    assert "unsupported YAML tag !!python/object/apply:os.system" in err.message
    assert err.location == f"{spec('python-tag.yaml')}:4:9"


def test_yaml_keys_stay_strings_and_timestamps_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    path.write_text(
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "x-meta: {on: 2024-01-02, 200: ok, null: x}\n"
    )
    doc = load_spec(path)
    assert doc.data["x-meta"] == {"on": "2024-01-02", "200": "ok", "null": "x"}


def test_json_content_in_a_yaml_file_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text('{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {}}')
    assert load_spec(path).openapi_version == "3.0.0"


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    err = load_error(tmp_path / "nope.yaml")
    assert err.message == "cannot read spec: No such file or directory"
    assert err.location == str(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.yaml", "spec is empty"),
        ("top-list.yaml", "not an OpenAPI document: the top level is a list, not a mapping"),
    ],
)
def test_not_a_document(name: str, message: str) -> None:
    err = load_error(spec(name))
    assert err.message == message
    assert err.one_line() == f"{spec(name)}: {message}"


def test_empty_bytes_file(tmp_path: Path) -> None:
    (tmp_path / "e.json").write_bytes(b"  \n")
    assert load_error(tmp_path / "e.json").message == "spec is empty"


def test_swagger_2_is_refused_with_a_conversion_hint() -> None:
    err = load_error(spec("swagger2.json"))
    assert (
        err.message
        == "Swagger 2.0 is not supported; convert it to OpenAPI 3 (e.g. with swagger2openapi)"
    )
    assert err.pointer == "#/swagger"
    assert err.exit_code == 2


def test_non_openapi_mapping(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text('{"name": "package.json, not a spec"}')
    err = load_error(tmp_path / "x.json")
    assert "no 'openapi: 3.x' field" in err.message and err.pointer == "#/openapi"


def test_unsupported_major_version(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text('{"openapi": "4.0.0", "paths": {}}')
    assert "unsupported OpenAPI version '4.0.0'" in load_error(tmp_path / "x.json").message


def test_numeric_version_is_a_warning_not_an_error() -> None:
    doc = load_spec(spec("openapi-float.yaml"))
    assert doc.openapi_version == "3.0"
    assert [(w.pointer, w.message) for w in doc.warnings] == [
        ("#/openapi", "openapi version should be a string, not the number 3.0")
    ]


def test_redefined_yaml_anchor_refers_to_the_latest_definition(tmp_path: Path) -> None:
    # YAML 1.2 allows an anchor name to be defined again (OpenAI's 2024-10-09 spec does):
    # each alias takes the closest definition before it, merge keys included.
    path = tmp_path / "anchors.yaml"
    path.write_text(
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n"
        "    A: &s {type: string}\n    B: *s\n"
        "    C: &s {type: integer}\n    D: *s\n    E: {<<: *s, format: int64}\n"
        "    F: &s__2 {type: boolean}\n    G: *s__2\n    H: *s\n"
    )
    schemas = load_spec(path).data["components"]["schemas"]
    assert schemas["B"] == {"type": "string"}
    assert schemas["D"] == {"type": "integer"}
    assert schemas["E"] == {"type": "integer", "format": "int64"}
    assert schemas["G"] == {"type": "boolean"}
    assert schemas["H"] == {"type": "integer"}


def test_redefined_anchor_keeps_error_lines_and_bomb_limits(tmp_path: Path) -> None:
    path = tmp_path / "anchors.yaml"
    path.write_text(
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\n"
        "x-a: &a [1]\nx-b: &a [2]\n"
        "paths:\n  /p:\n    get:\n      parameters:\n        - {name: q, in: nowhere}\n"
    )
    err = load_error(path)
    assert err.location == f"{path}:9"
    # Two anchor names, each redefined at every other level: the alias check still sees 10**8.
    lines = ["openapi: 3.0.0", "l0: &p [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        name, inner = ("q", "p") if level % 2 else ("p", "q")
        lines.append(f"l{level}: &{name} [{', '.join([f'*{inner}'] * 10)}]")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n")
    assert "refusing an alias bomb" in load_error(bomb).message


# -- resource limits --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["bomb.yaml", "merge-bomb.yaml"])
def test_yaml_alias_bombs_are_refused_fast(name: str) -> None:
    start = time.perf_counter()
    err = load_error(spec(name))
    assert time.perf_counter() - start < 1.0
    assert "refusing an alias bomb" in err.message
    assert err.location is not None and err.location.startswith(spec(name) + ":")


def test_recursive_yaml_alias_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rec.yaml"
    path.write_text("openapi: 3.0.0\npaths: {}\nx-loop: &a [*a]\n")
    assert "recursive YAML alias" in load_error(path).message


def test_modest_alias_reuse_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "anchors.yaml"
    path.write_text(
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    A: &s {type: string}\n    B: *s\n"
        "    C: {<<: *s, format: email}\n"
    )
    schemas = load_spec(path).data["components"]["schemas"]
    assert schemas["B"] == {"type": "string"}
    assert schemas["C"] == {"type": "string", "format": "email"}


def test_json_nested_10000_levels_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"openapi": "3.0.0", "paths": {}, "x": ' + "[" * 10_000 + "]" * 10_000 + "}")
    err = load_error(path)
    assert err.message == "invalid JSON: nesting deeper than 1024 levels"
    assert err.location is not None and err.location.startswith(f"{path}:1:")


@pytest.mark.parametrize(
    "body",
    [
        "x: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "x:\n" + "".join(" " * (i + 1) + "k:\n" for i in range(10_000)),
    ],
    ids=["flow", "block"],
)
def test_yaml_nested_10000_levels_is_a_clear_error(tmp_path: Path, body: str) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("openapi: 3.0.0\npaths: {}\n" + body)
    err = load_error(path)
    assert "nesting depth" in err.message or "nesting too deep" in err.message
    assert err.location is not None and err.location.startswith(str(path))


def test_deep_but_legal_nesting_bundles_without_recursion(tmp_path: Path) -> None:
    depth = 1000
    schema = '{"$ref": "#/components/schemas/Leaf"}'
    for _ in range(depth):
        schema = '{"type": "array", "items": ' + schema + "}"
    path = tmp_path / "deep.json"
    path.write_text(
        '{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {},'
        '"components": {"schemas": {"Leaf": {"type": "string"}, "Deep": ' + schema + "}}}"
    )
    doc = load_spec(path)
    node = doc.data["components"]["schemas"]["Deep"]
    for _ in range(depth):
        node = node["items"]
    assert doc.resolve(node["$ref"]) == {"type": "string"}


# -- local refs -------------------------------------------------------------------------------


def test_unknown_local_ref_names_pointer_and_line() -> None:
    err = load_error(spec("unknown-ref.json"))
    pointer = "#/paths/~1pets/get/responses/200/content/application~1json/schema/$ref"
    assert err.pointer == pointer
    assert err.location == f"{spec('unknown-ref.json')}:12"
    assert err.message == "$ref target '#/components/schemas/Missing' does not exist"
    assert err.one_line() == f"{spec('unknown-ref.json')}:12 {pointer}: {err.message}"


def test_pure_ref_cycle_an_operation_needs_is_refused() -> None:
    err = load_error(spec("ref-cycle.yaml"))
    assert err.pointer == "#/components/schemas/A/$ref"
    assert err.location == f"{spec('ref-cycle.yaml')}:6"
    assert (
        "circular $ref chain: "
        "#/components/schemas/A → #/components/schemas/B → #/components/schemas/A" in err.message
    )


def test_pure_ref_cycle_no_operation_needs_loads(tmp_path: Path) -> None:
    """The IR degrades such components to Any with a warning (tests/test_generality.py)."""
    text = Path(spec("ref-cycle.yaml")).read_text().split("paths:")[0] + "paths: {}\n"
    path = tmp_path / "unused-cycle.yaml"
    path.write_text(text)
    doc = load_spec(path)
    assert doc.data["components"]["schemas"]["A"] == {"$ref": "#/components/schemas/B"}


def test_self_recursive_schema_is_fine_and_31_refs_resolve() -> None:
    doc = load_spec(spec("api-3.1.json"))
    schemas = doc.data["components"]["schemas"]
    assert schemas["Node"]["properties"]["children"]["items"] == {
        "$ref": "#/components/schemas/Node"
    }
    inner = schemas["A"]["properties"]["inner"]["$ref"]
    assert inner == "#/components/schemas/A/$defs/Inner"
    assert doc.resolve(inner) == {"type": "integer"}
    body = doc.data["webhooks"]["nodeCreated"]["post"]["requestBody"]["content"]["application/json"]
    assert doc.resolve(body["schema"]["$ref"]) == {"type": "string"}


def test_resolve_missing_and_nonlocal_refs_raise_with_pointer() -> None:
    doc = load_spec(spec("api-3.1.json"))
    with pytest.raises(ApigenError) as info:
        doc.resolve("#/components/schemas/Nope", at="#/paths/~1nodes")
    assert info.value.pointer == "#/paths/~1nodes"
    assert info.value.location == f"{spec('api-3.1.json')}:5"
    with pytest.raises(ApigenError, match="unresolved non-local"):
        doc.resolve("other.json#/X")


def test_locate_is_lazy_and_finds_lines_in_json_and_yaml() -> None:
    doc = load_spec(spec("api-3.1.json"))
    assert doc.locate("#/components/schemas/A/properties/b") == f"{spec('api-3.1.json')}:37"
    assert doc.locate("#/paths/~1nodes/get/responses/200") == f"{spec('api-3.1.json')}:8"
    yaml_doc = load_spec(spec("petstore-3.0.yaml"))
    assert (
        yaml_doc.locate("#/paths/~1pets~1{petId}/get/parameters/0")
        == f"{spec('petstore-3.0.yaml')}:26"
    )
    assert yaml_doc.locate("#/info/title") == f"{spec('petstore-3.0.yaml')}:3"
    assert yaml_doc.locate(None) is None


# -- external refs ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def petstore() -> Document:
    return load_spec(spec("petstore-3.0.yaml"))


def test_bundled_document_has_only_local_refs(petstore: Document) -> None:
    refs = all_refs(petstore.data)
    assert refs and all(ref.startswith("#/") for ref in refs)
    for ref in refs:
        petstore.resolve(ref)  # every one resolves


def test_component_that_is_a_file_ref_keeps_its_name(petstore: Document) -> None:
    schemas = petstore.data["components"]["schemas"]
    assert schemas["Pet"]["required"] == ["id", "name"]
    response = petstore.data["paths"]["/pets/{petId}"]["get"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Pet"}


def test_circular_refs_across_files_terminate(petstore: Document) -> None:
    schemas = petstore.data["components"]["schemas"]
    assert schemas["Pet"]["properties"]["owner"] == {"$ref": "#/components/schemas/owner"}
    assert schemas["owner"]["properties"]["pets"]["items"] == {"$ref": "#/components/schemas/Pet"}


def test_bundled_names_do_not_collide(petstore: Document) -> None:
    schemas = petstore.data["components"]["schemas"]
    assert schemas["Error"]["properties"] == {"code": {"type": "integer"}}  # root's own, untouched
    assert schemas["common_Error"]["properties"] == {"message": {"type": "string"}}
    not_found = petstore.data["paths"]["/pets/{petId}"]["get"]["responses"]["404"]
    assert not_found["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/common_Error"
    }


def test_refs_go_to_the_matching_components_section(petstore: Document) -> None:
    get = petstore.data["paths"]["/pets"]["get"]
    assert get["parameters"] == [{"$ref": "#/components/parameters/Limit"}]
    assert get["responses"]["default"] == {"$ref": "#/components/responses/Problem"}
    problem = petstore.data["components"]["responses"]["Problem"]
    assert problem["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/common_Error"
    }
    assert petstore.data["components"]["parameters"]["Limit"]["in"] == "query"


def test_same_external_target_is_bundled_once(petstore: Document) -> None:
    schemas = petstore.data["components"]["schemas"]
    copies = [name for name, value in schemas.items() if value.get("properties", {}).get("message")]
    assert copies == ["common_Error"]
    assert "pet" not in schemas  # pet.yaml referenced three times, bundled as Pet only


def test_defs_in_external_files_and_literal_examples(petstore: Document) -> None:
    pet = petstore.data["components"]["schemas"]["Pet"]
    assert petstore.resolve(pet["properties"]["tag"]["$ref"]) == {"type": "string"}
    assert petstore.resolve(pet["properties"]["example"]["$ref"]) == {"type": "string"}
    assert pet["example"]["$ref"] == "this is literal example data, never a reference"


def test_bundled_parts_locate_to_their_own_file(petstore: Document) -> None:
    assert (
        petstore.locate("#/components/schemas/Pet/properties/owner")
        == f"{SPECS / 'schemas' / 'pet.yaml'}:6"
    )
    assert (
        petstore.locate("#/components/schemas/owner/properties/pets")
        == f"{SPECS / 'schemas' / 'owner.json'}:5"
    )


def test_traversal_ref_is_refused_unless_allowed() -> None:
    err = load_error(spec("traversal.yaml"))
    assert "reads outside the spec's folder" in err.message and "allow_outside_refs" in err.message
    assert err.pointer == "#/paths/~1secret/get/responses/200/content/text~1plain/schema/$ref"
    assert err.location == f"{spec('traversal.yaml')}:12"


def test_outside_ref_allowed_by_flag(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "money.yaml").write_text("type: object\nproperties: {amount: {type: integer}}\n")
    api = tmp_path / "api"
    api.mkdir()
    (api / "spec.yaml").write_text(
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    Money: {$ref: ../shared/money.yaml}\n"
    )
    err = load_error(api / "spec.yaml")
    assert "reads outside the spec's folder" in err.message
    doc = load_spec(api / "spec.yaml", allow_outside_refs=True)
    assert doc.data["components"]["schemas"]["Money"]["properties"] == {
        "amount": {"type": "integer"}
    }


def test_absolute_path_ref_is_refused(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(
        "openapi: 3.0.0\npaths: {}\ncomponents: {schemas: {X: {$ref: /etc/hostname}}}\n"
    )
    err = load_error(tmp_path / "s.yaml")
    assert "reads outside the spec's folder" in err.message
    assert err.pointer == "#/components/schemas/X/$ref"


def test_missing_external_file_and_target(tmp_path: Path) -> None:
    (tmp_path / "other.yaml").write_text("Pet: {type: object}\n")
    (tmp_path / "s.yaml").write_text(
        "openapi: 3.0.0\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: gone.yaml}\n"
    )
    err = load_error(tmp_path / "s.yaml")
    assert "file" in err.message and "gone.yaml does not exist" in err.message
    assert err.location == f"{tmp_path / 's.yaml'}:5"
    (tmp_path / "s.yaml").write_text(
        "openapi: 3.0.0\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'other.yaml#/Cat'}\n"
    )
    err = load_error(tmp_path / "s.yaml")
    assert "$ref target 'other.yaml#/Cat' does not exist in" in err.message
    assert err.pointer == "#/components/schemas/A/$ref"


def test_external_file_parse_error_names_that_file(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"type": }')
    (tmp_path / "s.yaml").write_text(
        "openapi: 3.0.0\npaths: {}\ncomponents: {schemas: {A: {$ref: bad.json}}}\n"
    )
    err = load_error(tmp_path / "s.yaml")
    assert err.message.startswith("invalid JSON")
    assert err.location is not None and err.location.endswith("bad.json:1:10")


# -- structural checks and validation ---------------------------------------------------------


def test_invalid_parameter_location_is_an_error_with_line() -> None:
    err = load_error(spec("bad-param.yaml"))
    assert err.pointer == "#/paths/~1items/get/parameters/0"
    assert err.location == f"{spec('bad-param.yaml')}:7"
    assert "parameter 'in' must be one of query, header, path, cookie, not 'body'" in err.message


@pytest.mark.parametrize(
    ("body", "pointer", "message"),
    [
        ("paths: []\n", "#/paths", "paths must be a mapping"),
        ("paths: {/a: {get: [1]}}\n", "#/paths/~1a/get", "operation GET /a must be a mapping"),
        ("paths: {/a: 3}\n", "#/paths/~1a", "a path item must be a mapping"),
        (
            "paths: {/a: {get: {parameters: {}}}}\n",
            "#/paths/~1a/get/parameters",
            "parameters must be a list",
        ),
        (
            "paths: {}\ncomponents: {schemas: []}\n",
            "#/components/schemas",
            "components/schemas must be a mapping",
        ),
    ],
)
def test_structure_that_blocks_generation(
    tmp_path: Path, body: str, pointer: str, message: str
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("openapi: 3.0.0\ninfo: {title: t, version: '1'}\n" + body)
    err = load_error(path)
    assert err.pointer == pointer
    assert message in err.message
    assert err.location == f"{path}:{3 + body.count(chr(10)) - 1}"


def test_minor_violations_are_warnings() -> None:
    doc = load_spec(spec("minor-violations.yaml"))
    assert [(w.pointer, w.message) for w in doc.warnings] == [
        (
            "#/paths/~1items~1{id}/get/parameters/0",
            "path parameter 'id' must be required: true; treated as required",
        ),
    ]
    assert doc.locate(doc.warnings[0].pointer) == f"{spec('minor-violations.yaml')}:7"


def test_full_validation_findings_are_warnings_with_pointers() -> None:
    assert load_spec(spec("minor-violations.yaml")).warnings[0].pointer.startswith("#/paths")
    doc = load_spec(spec("minor-violations.yaml"), validate=True)
    findings = [w for w in doc.warnings if w.message.startswith("spec validation:")]
    assert findings, doc.warnings
    assert all(w.pointer.startswith("#") for w in findings)


def test_validation_off_by_default_and_auto_mode(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(
        json.dumps({"openapi": "3.0.0", "paths": {}, "info": {"title": "t"}})
    )  # no version
    assert not [w for w in load_spec(path).warnings if w.message.startswith("spec validation")]
    auto = load_spec(path, validate=None)  # small spec: auto validates
    assert any("'version' is a required property" in w.message for w in auto.warnings)


def test_parallel_spec_loads_with_local_refs_only() -> None:
    """(How long the load takes is measured in bench/, not asserted here.)"""
    doc = load_spec(PARALLEL)
    assert doc.openapi_version.startswith("3.")
    refs = all_refs(doc.data)
    assert refs and all(ref.startswith("#/") for ref in refs)


# -- URLs (127.0.0.1 only) --------------------------------------------------------------------


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "www"
    root.mkdir()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", root
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_load_from_url_with_relative_ref(server: tuple[str, Path]) -> None:
    base, root = server
    (root / "pet.json").write_text('{"type": "object", "properties": {"id": {"type": "integer"}}}')
    (root / "api.json").write_text(
        json.dumps(
            {
                "openapi": "3.0.0",
                "info": {"title": "t", "version": "1"},
                "paths": {},
                "components": {"schemas": {"Pet": {"$ref": "pet.json"}}},
            }
        )
    )
    doc = load_spec(f"{base}/api.json")
    assert doc.source == f"{base}/api.json"
    assert doc.data["components"]["schemas"]["Pet"]["properties"]["id"] == {"type": "integer"}


def test_http_error_is_clear(server: tuple[str, Path]) -> None:
    base, _ = server
    err = load_error(f"{base}/missing.yaml")
    assert err.message == "cannot fetch spec: HTTP 404 File not found"
    assert err.location == f"{base}/missing.yaml"


def test_connection_failure_is_clear() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    err = load_error(f"http://127.0.0.1:{port}/api.json", timeout=2)
    assert err.message.startswith("cannot fetch spec:")
    assert "refused" in err.message.lower()


def test_remote_ref_needs_permission(server: tuple[str, Path], tmp_path: Path) -> None:
    base, root = server
    (root / "money.json").write_text('{"type": "integer"}')
    path = tmp_path / "s.yaml"
    path.write_text(
        "openapi: 3.0.0\npaths: {}\n"
        f"components: {{schemas: {{M: {{$ref: '{base}/money.json'}}}}}}\n"
    )
    err = load_error(path)
    assert "remote $ref" in err.message and "allow_remote_refs" in err.message
    assert err.pointer == "#/components/schemas/M/$ref"
    doc = load_spec(path, allow_remote_refs=True)
    assert doc.data["components"]["schemas"]["M"] == {"type": "integer"}
