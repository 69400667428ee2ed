"""The IR built from small specs that each exercise one construct."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import main
from generator.ir import (
    ArraySchema,
    LiteralSchema,
    MapSchema,
    ObjectSchema,
    PrimitiveSchema,
    RefSchema,
    UnionSchema,
)
from generator.ir.model import Api
from generator.naming import field_names
from generator.naming.arguments import parameter_name
from generator.pipeline import load_api

SPECS = Path(__file__).parent / "specs" / "ir"


@pytest.fixture(scope="module")
def api() -> Api:
    return load_api(SPECS / "constructs-31.yaml")[1]


def _prop(api: Api, schema_key: str, wire: str):  # type: ignore[no-untyped-def]
    named = api.schema(schema_key)
    assert isinstance(named.schema, ObjectSchema)
    return next(p for p in named.schema.properties if p.wire_name == wire)


def test_info_servers_security(api: Api) -> None:
    assert (api.title, api.version, api.openapi) == ("Constructs API", "1.2.3", "3.1.0")
    assert api.servers[0].url == "https://api.example.com/v1"  # server variables get their defaults
    assert api.security == ("Bearer",)
    assert api.security_schemes[0].type == "http" and api.security_schemes[0].scheme == "bearer"


def test_operations_and_parameters(api: Api) -> None:
    ops = {op.operation_id: op for op in api.operations}
    assert set(ops) == {"get_pet_pets__pet_id__get", "delete_pet", "events", "post_owners"}
    get = ops["get_pet_pets__pet_id__get"]
    params = {p.name: p for p in get.parameters}
    assert params["pet_id"].location == "path" and params["pet_id"].required  # path-level parameter
    assert (params["include"].style, params["include"].explode) == ("form", False)
    assert params["X-Trace"].location == "header" and parameter_name(params["X-Trace"]) == "x_trace"
    assert params["session"].location == "cookie"
    statuses = {r.status: r for r in get.responses}
    assert isinstance(statuses["404"].contents[0].schema, RefSchema)  # response $ref resolved
    assert ops["delete_pet"].deprecated
    assert ops["delete_pet"].responses[0].contents == ()


def test_circular_schema_is_a_ref_to_itself(api: Api) -> None:
    children = _prop(api, "Node", "children").schema
    assert isinstance(children, ArraySchema)
    assert isinstance(children.items, RefSchema) and children.items.ref == "Node"


def test_31_type_list_with_null_is_nullable(api: Api) -> None:
    nickname = _prop(api, "Pet", "nickname")
    assert isinstance(nickname.schema, PrimitiveSchema) and nickname.schema.nullable
    assert not nickname.required


def test_anyof_with_null_becomes_nullable_ref(api: Api) -> None:
    owner = _prop(api, "Pet", "owner").schema
    assert isinstance(owner, RefSchema) and owner.nullable and owner.ref == "Owner"


def test_enum_const_formats_defaults_read_only(api: Api) -> None:
    kind = _prop(api, "Pet", "kind")
    assert (
        isinstance(kind.schema, LiteralSchema)
        and kind.schema.values == ("cat", "dog")
        and kind.required
    )
    assert _prop(api, "Pet", "version").schema == LiteralSchema(values=(2,))
    born = _prop(api, "Pet", "born").schema
    assert isinstance(born, PrimitiveSchema) and born.format == "date-time"
    assert _prop(api, "Pet", "weight").schema.default == 1.5
    assert _prop(api, "Pet", "id").schema.read_only


def test_keyword_property_gets_safe_python_name(api: Api) -> None:
    pet = api.schema("Pet").schema
    assert isinstance(pet, ObjectSchema)
    assert field_names(pet)["class"] == "class_"


def test_maps_and_inline_objects(api: Api) -> None:
    labels = _prop(api, "Pet", "labels").schema
    assert isinstance(labels, MapSchema)
    meta = _prop(api, "Pet", "meta").schema
    assert isinstance(meta, RefSchema)
    hoisted = api.schema(meta.ref)
    assert hoisted.inline and hoisted.name == "PetMeta"
    created = next(op for op in api.operations if op.operation_id == "post_owners").responses[0]
    body = created.contents[0].schema
    assert isinstance(body, RefSchema) and api.schema(body.ref).name == "OwnerCreateResponse"
    tags = next(p for p in api.schema(body.ref).schema.properties if p.wire_name == "tags")  # type: ignore[union-attr]
    assert isinstance(tags.schema, MapSchema) and tags.schema.values == PrimitiveSchema(
        type="string"
    )


def test_discriminated_oneof_with_multi_value_mapping(api: Api) -> None:
    events = next(op for op in api.operations if op.operation_id == "events")
    ref = events.responses[0].contents[0]
    assert ref.media_type == "text/event-stream"
    assert isinstance(ref.schema, RefSchema)
    union = api.schema(ref.schema.ref).schema
    assert isinstance(union, UnionSchema) and union.exclusive
    assert union.discriminator is not None and union.discriminator.property_name == "type"
    assert dict(union.discriminator.mapping) == {
        "started": "Started",
        "progress.plan": "Progress",
        "progress.search": "Progress",
    }


def test_external_file_ref_is_bundled(api: Api) -> None:
    owner = api.schema("Owner").schema
    assert isinstance(owner, ObjectSchema)
    assert [p.wire_name for p in owner.properties] == ["name", "email"]
    body = next(op for op in api.operations if op.operation_id == "post_owners").request_body
    assert body is not None and body.required
    assert isinstance(body.contents[0].schema, RefSchema)


def test_all_of_merges_properties_and_required(api: Api) -> None:
    combined = api.schema("Combined").schema
    assert isinstance(combined, ObjectSchema)
    assert {(p.wire_name, p.required) for p in combined.properties} == {
        ("message", False),
        ("code", True),
    }


def test_plain_union(api: Api) -> None:
    shape = api.schema("Shape").schema
    assert isinstance(shape, UnionSchema) and shape.discriminator is None
    assert [v.type for v in shape.variants] == ["string", "integer"]  # type: ignore[union-attr]


def test_30_nullable_and_nullable_allof_ref() -> None:
    api = load_api(SPECS / "nullable-30.yaml")[1]
    thing = api.schema("Thing").schema
    assert isinstance(thing, ObjectSchema)
    props = {p.wire_name: p.schema for p in thing.properties}
    assert isinstance(props["name"], PrimitiveSchema) and props["name"].nullable
    assert (
        isinstance(props["parent"], RefSchema)
        and props["parent"].nullable
        and props["parent"].ref == "Thing"
    )
    assert props["size"] == LiteralSchema(values=(1, 2, 3))


def test_ir_is_deterministic(api: Api) -> None:
    again = load_api(SPECS / "constructs-31.yaml")[1]
    assert again == api


def test_ir_command_prints_json(capsys: pytest.CaptureFixture[str], repo_root: Path) -> None:
    assert main(["ir", str(repo_root / "spec" / "public-openapi.json")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["operations"]) == 31
    first = data["operations"][0]
    assert {"operation_id", "method", "path", "parameters", "responses"} <= set(first)
    assert any(s["name"] == "TaskRun" and s["schema"]["kind"] == "object" for s in data["schemas"])


def test_swagger_2_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no project apigen.yaml (and no note that it is not applied)
    spec = tmp_path / "swagger.json"
    spec.write_text('{"swagger": "2.0", "info": {"title": "x", "version": "1"}, "paths": {}}')
    assert main(["ir", str(spec)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("apigen: error:") and "Swagger 2.0" in err and "Traceback" not in err
