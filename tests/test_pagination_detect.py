"""Recognising page styles from small specs, near-misses that must not paginate, and config."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.config import load_config
from generator.errors import ApigenError
from generator.ir import ArraySchema, RefSchema
from generator.ir.model import Api
from generator.pagination import PageStyle, PaginationConfig, StyleRule
from generator.pagination.detect import page_styles
from generator.pipeline import load_api

ITEM = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
}


def _q(name: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema or {"type": "string"}}


LIMIT = _q("limit", {"type": "integer"})


def _array(items: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"type": "array", "items": items or {"$ref": "#/components/schemas/Item"}}


def _envelope(**props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": props}


def _api(
    tmp_path: Path,
    body: dict[str, Any],
    params: list[dict[str, Any]] | None = None,
    *,
    method: str = "get",
    headers: dict[str, Any] | None = None,
    extra_paths: dict[str, Any] | None = None,
) -> Api:
    response: dict[str, Any] = {
        "description": "ok",
        "content": {"application/json": {"schema": body}},
    }
    if headers is not None:
        response["headers"] = headers
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/things": {
                method: {
                    "operationId": "listThings",
                    "parameters": params or [],
                    "responses": {"200": response},
                }
            },
            **(extra_paths or {}),
        },
        "components": {
            "schemas": {"Item": ITEM},
            "headers": {"link": {"schema": {"type": "string"}}},
        },
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    return load_api(path)[1]


def _style(api: Api, key: str = "listThings") -> PageStyle | None:
    op = next(op for op in api.operations if op.operation_id == key)
    return page_styles(api).get(op.pointer)


def _detect(tmp_path: Path, body: dict[str, Any], *params: dict[str, Any], **kw: Any) -> Any:
    return _style(_api(tmp_path, body, list(params), **kw))


# --------------------------------------------------------------------------- each style


def test_after_with_last_id_and_has_more(tmp_path: Path) -> None:
    body = _envelope(
        object={"type": "string", "enum": ["list"]},
        data=_array(),
        first_id={"type": "string"},
        last_id={"type": "string"},
        has_more={"type": "boolean"},
    )
    style = _detect(tmp_path, body, _q("after"), _q("before"), LIMIT)
    assert style is not None
    assert (style.kind, style.items, style.param) == ("cursor", ("data",), "after")
    assert (style.next_cursor, style.has_more, style.item_cursor) == (
        ("last_id",),
        ("has_more",),
        None,
    )
    assert style.item_schema == RefSchema(ref="Item")
    assert style.runtime_class == "CursorPagination"
    assert style.runtime_arguments() == (
        ("param", "after"),
        ("next_cursor", "last_id"),
        ("has_more", "has_more"),
    )


def test_starting_after_uses_the_last_items_id(tmp_path: Path) -> None:
    body = _envelope(data=_array(), has_more={"type": "boolean"}, url={"type": "string"})
    style = _detect(tmp_path, body, _q("starting_after"), _q("ending_before"), LIMIT)
    assert style is not None
    assert (style.kind, style.param, style.item_cursor) == ("cursor", "starting_after", "id")
    assert style.has_more == ("has_more",) and style.next_cursor is None


@pytest.mark.parametrize(
    ("param", "field", "items"),
    [
        ("cursor", "next_cursor", "data"),
        ("pageToken", "nextPageToken", "items"),
        ("page_token", "next_page_token", "users"),
        ("iterator", "iterator", "data"),
    ],
)
def test_cursor_parameter_and_next_cursor_field(
    tmp_path: Path, param: str, field: str, items: str
) -> None:
    body = _envelope(**{items: _array(), field: {"type": ["string", "null"]}})
    style = _detect(tmp_path, body, _q(param), LIMIT)
    assert style is not None
    assert (style.kind, style.items, style.param, style.next_cursor) == (
        "cursor",
        (items,),
        param,
        (field,),
    )


def test_cursor_nested_in_a_metadata_object(tmp_path: Path) -> None:
    meta = _envelope(**{"continue": {"type": "string"}, "resourceVersion": {"type": "string"}})
    body = _envelope(kind={"type": "string"}, items=_array(), metadata=meta)
    style = _detect(tmp_path, body, _q("continue"), LIMIT)
    assert style is not None
    assert (style.kind, style.next_cursor) == ("cursor", ("metadata", "continue"))
    assert style.runtime_arguments()[0] == ("items", "items")
    assert ("next_cursor", ("metadata", "continue")) in style.runtime_arguments()


def test_string_page_with_next_page_is_a_page_token(tmp_path: Path) -> None:
    body = _envelope(data=_array(), has_more={"type": "boolean"}, next_page={"type": "string"})
    style = _detect(tmp_path, body, _q("page"), LIMIT)
    assert style is not None
    assert (style.kind, style.param, style.next_cursor) == ("cursor", "page", ("next_page",))


def test_after_with_a_non_url_next_is_a_cursor(tmp_path: Path) -> None:
    body = _envelope(data=_array(), has_more={"type": "boolean"}, next={"type": "string"})
    style = _detect(tmp_path, body, _q("after"), LIMIT)
    assert style is not None
    assert (style.kind, style.next_cursor) == ("cursor", ("next",))


def test_offset_and_limit(tmp_path: Path) -> None:
    body = _envelope(results=_array(), total={"type": "integer"})
    integer = {"type": "integer"}
    style = _detect(tmp_path, body, _q("offset", integer), LIMIT)
    assert style is not None
    assert (style.kind, style.items, style.param, style.total) == (
        "offset",
        ("results",),
        "offset",
        ("total",),
    )


def test_skip_and_top(tmp_path: Path) -> None:
    style = _detect(
        tmp_path, _array(), _q("$skip", {"type": "integer"}), _q("$top", {"type": "integer"})
    )
    assert style is not None and (style.kind, style.items, style.param) == ("offset", (), "$skip")


def test_page_and_per_page_over_a_bare_array(tmp_path: Path) -> None:
    page = _q("page", {"type": "integer", "default": 1})
    style = _detect(tmp_path, _array(), page, _q("per_page", {"type": "integer"}))
    assert style is not None
    assert (style.kind, style.items, style.param, style.first_page) == (
        "page_number",
        (),
        "page",
        1,
    )
    assert style.runtime_arguments() == (("items", ()), ("param", "page"))


def test_zero_based_page_number_with_page_count(tmp_path: Path) -> None:
    body = _envelope(content=_array(), page=_envelope(totalPages={"type": "integer"}))
    page = _q("pageNumber", {"type": "integer", "default": 0})
    style = _detect(tmp_path, body, page)
    assert style is not None
    assert (style.kind, style.items, style.first_page, style.total_pages) == (
        "page_number",
        ("content",),
        0,
        ("page", "totalPages"),
    )
    assert ("first_page", 0) in style.runtime_arguments()


def test_deprecated_paging_parameter_is_the_fallback(tmp_path: Path) -> None:
    integer = {"type": "integer"}
    skip = {**_q("skip", integer), "deprecated": True}
    page, size = _q("page", integer), _q("pageSize", integer)
    style = _detect(tmp_path, _array(), skip, page, size)
    assert style is not None and (style.kind, style.param) == ("page_number", "page")
    style = _detect(tmp_path, _array(), skip, size)
    assert style is not None and (style.kind, style.param) == ("offset", "skip")


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (
            _envelope(
                count={"type": "integer"},
                next={"type": ["string", "null"], "format": "uri"},
                previous={"type": ["string", "null"], "format": "uri"},
                results=_array(),
            ),
            ("next",),
        ),
        (
            _envelope(value=_array(), **{"@odata.nextLink": {"type": "string"}}),
            ("@odata.nextLink",),
        ),
        (
            _envelope(
                data=_array(),
                _links=_envelope(next=_envelope(href={"type": "string"})),
            ),
            ("_links", "next", "href"),
        ),
        (_envelope(data=_array(), links=_envelope(next={"type": "string"})), ("links", "next")),
    ],
    ids=["next-uri", "odata", "hal", "json-api"],
)
def test_next_url_in_the_body(tmp_path: Path, body: dict[str, Any], path: tuple[str, ...]) -> None:
    style = _detect(tmp_path, body, LIMIT)
    assert style is not None
    assert (style.kind, style.next_url) == ("next_url", path)


def test_cursor_parameter_with_a_next_uri_follows_the_url(tmp_path: Path) -> None:
    body = _envelope(results=_array(), next={"type": "string", "format": "uri"})
    style = _detect(tmp_path, body, _q("cursor"))
    assert style is not None and style.kind == "next_url"


def test_link_header(tmp_path: Path) -> None:
    headers = {"Link": {"$ref": "#/components/headers/link"}}
    params = [_q("per_page", {"type": "integer"}), _q("page", {"type": "integer"})]
    style = _style(_api(tmp_path, _array(), params, headers=headers))
    assert style is not None
    assert (style.kind, style.items, style.runtime_arguments()) == ("link_header", (), ())


def test_data_envelope_without_paging_is_one_page(tmp_path: Path) -> None:
    body = _envelope(object={"type": "string", "enum": ["list"]}, data=_array())
    style = _detect(tmp_path, body)
    assert style is not None
    assert (style.kind, style.items, style.runtime_class) == ("single", ("data",), "NoPagination")
    assert _detect(tmp_path, body, method="post") == style  # a list a POST returns, too


def test_item_schema_is_the_array_items(tmp_path: Path) -> None:
    inline = {"type": "object", "properties": {"n": {"type": "integer"}}}
    body = _envelope(data=_array(inline), next_cursor={"type": "string"})
    style = _detect(tmp_path, body, _q("cursor"))
    assert style is not None
    api = _api(tmp_path, body, [_q("cursor")])
    response = api.operations[0].responses[0].contents[0].schema
    assert isinstance(response, RefSchema)
    envelope = api.schema(response.ref).schema
    data = next(p for p in envelope.properties if p.wire_name == "data")  # type: ignore[union-attr]
    assert isinstance(data.schema, ArraySchema) and style.item_schema == data.schema.items


# --------------------------------------------------------------------------- near-misses


@pytest.mark.parametrize(
    ("body", "params", "why"),
    [
        (
            _envelope(id={"type": "string"}, next={"type": "string"}),
            [_q("page", {"type": "integer"}), LIMIT],
            "a single object is not a list",
        ),
        (_array(), [_q("offset", {"type": "integer"})], "an offset without a limit"),
        (
            _envelope(data=_array(), has_more={"type": "boolean"}),
            [_q("after", {"type": "string", "format": "date-time"}), LIMIT],
            "a date-time 'after' is a filter",
        ),
        (
            _envelope(data=_array(), has_more={"type": "boolean"}, last_id={"type": "string"}),
            [],
            "has_more but no way to ask for the next page",
        ),
        (_array(), [_q("page")], "a string page with nothing to page by"),
        (_array(), [_q("page", {"type": "integer"})], "a page number alone"),
        (
            _envelope(data=_array(), summary=_envelope(total={"type": "number"})),
            [],
            "an envelope carrying more than the list",
        ),
        (_envelope(results=_array()), [], "a one-page envelope not named data"),
        (
            _envelope(data=_envelope(id={"type": "string"}), errors=_array()),
            [_q("page", {"type": "integer"}), LIMIT],
            "an error list beside a single object",
        ),
        (
            _envelope(data=_array(), next_cursor={"type": "string"}),
            [_q("after", {"type": "boolean"})],
            "a boolean 'after' is a flag",
        ),
        (
            _envelope(a=_array(), b=_array(), next_cursor={"type": "string"}),
            [_q("cursor")],
            "two unconventional arrays: no telling which is the list",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_near_misses_are_not_paginated(
    tmp_path: Path, body: dict[str, Any], params: list[dict[str, Any]], why: str
) -> None:
    assert _detect(tmp_path, body, *params) is None, why


def test_post_with_cursor_fields_is_not_paginated(tmp_path: Path) -> None:
    body = _envelope(data=_array(), next_cursor={"type": "string"})
    assert _detect(tmp_path, body, _q("cursor"), method="post") is None


def test_link_header_on_a_single_object_is_not_paginated(tmp_path: Path) -> None:
    headers = {"Link": {"schema": {"type": "string"}}}
    api = _api(tmp_path, _envelope(id={"type": "string"}), headers=headers)
    assert _style(api) is None


def test_non_json_list_is_not_paginated(tmp_path: Path) -> None:
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "parameters": [_q("cursor")],
                    "responses": {
                        "200": {
                            "description": "csv",
                            "content": {"text/csv": {"schema": {"type": "string"}}},
                        }
                    },
                }
            }
        },
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    assert _style(load_api(path)[1]) is None


# --------------------------------------------------------------------------- configured styles

IRREGULAR = _envelope(
    records=_array(),
    paging=_envelope(until={"type": "integer"}),
    extra=_envelope(k={"type": "string"}),
)
OTHER = {
    "/others": {
        "get": {
            "operationId": "listOthers",
            "parameters": [_q("until", {"type": "integer"})],
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": _envelope(records=_array())}},
                }
            },
        }
    },
    "/cursored": {
        "get": {
            "operationId": "listCursored",
            "parameters": [_q("cursor")],
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {
                        "application/json": {
                            "schema": _envelope(data=_array(), next_cursor={"type": "string"})
                        }
                    },
                }
            },
        }
    },
}


def _irregular(tmp_path: Path) -> Api:
    return _api(tmp_path, IRREGULAR, [_q("until", {"type": "integer"})], extra_paths=OTHER)


def _pointer(api: Api, operation_id: str) -> str:
    return next(op.pointer for op in api.operations if op.operation_id == operation_id)


def test_operation_override(tmp_path: Path) -> None:
    api = _irregular(tmp_path)
    assert _style(api) is None  # nothing built-in fits
    rule = StyleRule(kind="cursor", param="until", next_cursor=("paging", "until"))
    styles = page_styles(api, PaginationConfig(operations={"GET /things": rule}))
    style = styles[_pointer(api, "listThings")]
    assert (style.kind, style.items, style.param, style.next_cursor, style.origin) == (
        "cursor",
        ("records",),
        "until",
        ("paging", "until"),
        "config",
    )
    assert _pointer(api, "listCursored") in styles  # the others are still detected


def test_operation_override_false_disables_detection(tmp_path: Path) -> None:
    api = _irregular(tmp_path)
    styles = page_styles(api, PaginationConfig(operations={"listCursored": None}))
    assert _pointer(api, "listCursored") not in styles


def test_global_style_applies_where_the_spec_declares_its_fields(tmp_path: Path) -> None:
    api = _irregular(tmp_path)
    rule = StyleRule(kind="cursor", param="until", next_cursor=("paging", "until"))
    styles = page_styles(api, PaginationConfig(styles=(rule,)))
    assert styles[_pointer(api, "listThings")].origin == "config"
    assert _pointer(api, "listOthers") not in styles  # has `until` but no paging.until
    assert styles[_pointer(api, "listCursored")].origin == "detected"


def test_detect_false_paginates_only_configured_operations(tmp_path: Path) -> None:
    api = _irregular(tmp_path)
    rule = StyleRule(kind="cursor", param="until", next_cursor=("paging", "until"))
    config = PaginationConfig(detect=False, operations={"listThings": rule})
    assert set(page_styles(api, config)) == {_pointer(api, "listThings")}


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (StyleRule(kind="cursor", param="nope", next_cursor=("paging", "until")), "'nope'"),
        (StyleRule(kind="cursor", param="until"), "needs 'next_cursor' or 'item_cursor'"),
        (StyleRule(kind="offset"), "needs 'param'"),
        (StyleRule(kind="single", items=("extra",)), "'items' extra is not a list"),
        (StyleRule(kind="next_url", next_url=("paging", "next")), "paging.next"),
    ],
)
def test_override_that_does_not_fit_is_an_error(
    tmp_path: Path, rule: StyleRule, message: str
) -> None:
    api = _irregular(tmp_path)
    with pytest.raises(ApigenError) as info:
        page_styles(api, PaginationConfig(operations={"GET /things": rule}), config_file="a.yaml")
    assert message in info.value.message
    assert info.value.pointer == "pagination/operations/GET /things"
    assert info.value.location == "a.yaml"


def test_unknown_operation_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ApigenError, match="unknown operation 'GET /nope'"):
        page_styles(_irregular(tmp_path), PaginationConfig(operations={"GET /nope": None}))


def test_detection_is_deterministic(tmp_path: Path) -> None:
    api = _irregular(tmp_path)
    assert page_styles(api) == page_styles(api)
    assert list(page_styles(api)) == [_pointer(api, "listCursored")]


# --------------------------------------------------------------------------- apigen.yaml


def _config(tmp_path: Path, text: str) -> Any:
    path = tmp_path / "apigen.yaml"
    path.write_text(text)
    return load_config(path)


def test_pagination_section_parses(tmp_path: Path) -> None:
    config = _config(
        tmp_path,
        """
pagination:
  styles:
    - {style: cursor, param: until, next_cursor: paging.until, items: records}
  operations:
    "GET /things": {style: next_url, next_url: ["@odata.nextLink"], items: []}
    listOthers: false
""",
    )
    pagination = config.pagination
    assert pagination.detect is True
    assert pagination.styles == (
        StyleRule(
            kind="cursor", items=("records",), param="until", next_cursor=("paging", "until")
        ),
    )
    assert pagination.operations == {
        "GET /things": StyleRule(kind="next_url", items=(), next_url=("@odata.nextLink",)),
        "listOthers": None,
    }
    assert _config(tmp_path, "pagination: false\n").pagination == PaginationConfig(detect=False)


def test_pagination_changes_the_config_digest_only_when_used(tmp_path: Path) -> None:
    plain = _config(tmp_path, "spec: x.json\n").digest()
    assert _config(tmp_path, "spec: x.json\npagination: {}\n").digest() == plain
    assert _config(tmp_path, "spec: x.json\npagination: false\n").digest() != plain


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("pagination: 3", "pagination: must be false or a mapping"),
        ("pagination: {detect: maybe}", "pagination.detect: must be true or false"),
        ("pagination: {auto: true}", "pagination: unknown keys: auto"),
        ("pagination: {styles: {style: cursor}}", "pagination.styles: must be a list"),
        ("pagination: {styles: [{style: pages}]}", "'style' must be one of cursor, offset"),
        ("pagination: {styles: [{style: cursor, cursor: x}]}", "unknown keys: cursor"),
        ("pagination: {styles: [{style: cursor, param: 1}]}", "'param' must be a non-empty"),
        ("pagination: {styles: [{style: page_number, first_page: a}]}", "'first_page' must be"),
        ("pagination: {styles: [{style: cursor, next_cursor: a..b}]}", "next_cursor: must be a"),
        ("pagination: {styles: [{style: cursor, has_more: []}]}", "has_more: must be a dotted"),
        ("pagination: {operations: {'GET /x': true}}", "pagination.operations['GET /x']: must"),
    ],
)
def test_pagination_section_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ApigenError) as info:
        _config(tmp_path, text + "\n")
    assert message in info.value.one_line()
    assert str(tmp_path / "apigen.yaml") in info.value.one_line()
