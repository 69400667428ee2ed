"""Status codes map to exception classes; successful bodies map to declared types."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.fault_server import FaultServer, Step

ERROR_CLASSES = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
    500: "InternalServerError",
    503: "InternalServerError",
    418: "APIStatusError",
}

ERROR_BODY = {
    "type": "error",
    "error": {"ref_id": "abc", "message": "Not found", "detail": {"field": "id"}},
}


@pytest.mark.parametrize(("status", "cls_name"), ERROR_CLASSES.items())
def test_status_error_classes(
    rt: Any, make_client: Any, server: FaultServer, status: int, cls_name: str
) -> None:
    server.script("/e", Step(status=status, body=ERROR_BODY, headers={"x-request-id": "req-9"}))
    with pytest.raises(rt.APIStatusError) as info:
        make_client(max_retries=0).request(None, rt.RequestOptions("get", "/e"))
    err = info.value
    assert type(err) is getattr(rt, cls_name)
    assert type(err) is rt.status_error_class(status)
    assert err.status_code == status
    assert err.body == ERROR_BODY
    assert err.response.status_code == status
    assert err.request_id == "req-9"
    assert str(err) == f"Error code: {status} - Not found (ref_id: abc)"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"message": "flat", "ref_id": "r"}, "Error code: 400 - flat (ref_id: r)"),
        ({"detail": "fastapi style"}, "Error code: 400 - fastapi style"),
        ({"error": "just a string"}, "Error code: 400 - just a string"),
        ({"other": 1}, 'Error code: 400 - {"other": 1}'),
        ("plain text failure", "Error code: 400 - plain text failure"),
        (None, "Error code: 400"),
    ],
)
def test_status_error_message_shapes(rt: Any, body: Any, expected: str) -> None:
    assert rt.status_error_message(400, body) == expected


def test_non_json_error_body_kept_as_text(rt: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/e", Step(status=502, body="<html>bad gateway</html>"))
    with pytest.raises(rt.InternalServerError) as info:
        make_client(max_retries=0).request(None, rt.RequestOptions("get", "/e"))
    assert info.value.body == "<html>bad gateway</html>"


def test_model_keeps_unknown_fields(rt: Any, m: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/i", Step(body={"id": "x", "count": 2, "new_field": {"a": 1}}))
    item = make_client().request(m.Item, rt.RequestOptions("get", "/i"))
    assert isinstance(item, m.Item) and item.count == 2
    assert item.new_field == {"a": 1}
    assert item.to_dict() == {"id": "x", "count": 2, "new_field": {"a": 1}}
    assert '"new_field"' in item.to_json()


def test_container_and_union_types(rt: Any, m: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/l", Step(body=[{"id": "a"}, {"id": "b", "count": 3}]))
    items = make_client().request(list[m.Item], rt.RequestOptions("get", "/l"))
    assert [i.id for i in items] == ["a", "b"] and items[1].count == 3
    server.script("/u", Step(body={"type": "task.progress.b", "pct": 5}))
    event = make_client().request(m.Event, rt.RequestOptions("get", "/u"))
    assert isinstance(event, m.Progress) and event.type == "task.progress.b"


def test_204_is_none(rt: Any, m: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/n", Step(status=204))
    assert make_client().request(m.Item, rt.RequestOptions("delete", "/n")) is None


def test_bytes_and_str(rt: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/b", Step(body=b"\x89PNG\x00", headers={"Content-Type": "image/png"}))
    assert make_client().request(bytes, rt.RequestOptions("get", "/b")) == b"\x89PNG\x00"
    server.script("/s", Step(body="héllo"))
    assert make_client().request(str, rt.RequestOptions("get", "/s")) == "héllo"


def test_validation_mismatch(rt: Any, m: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/i", Step(body={"id": 123, "count": "many"}))
    with pytest.raises(rt.APIResponseValidationError) as info:
        make_client(strict_response_validation=True).request(m.Item, rt.RequestOptions("get", "/i"))
    assert info.value.status_code == 200
    assert info.value.body == {"id": 123, "count": "many"}
    assert "did not match" in info.value.message


def test_invalid_utf8_json(rt: Any, m: Any, make_client: Any, server: FaultServer) -> None:
    server.script(
        "/i", Step(body=b'{"id": "\xff\xfe"}', headers={"Content-Type": "application/json"})
    )
    with pytest.raises(rt.APIResponseValidationError, match="not valid utf-8"):
        make_client().request(m.Item, rt.RequestOptions("get", "/i"))


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        ("application/json; charset=iso-8859-1", '{"id": "café"}'.encode("latin-1"), "café"),
        ("application/json;CHARSET=utf-16", '{"id": "é"}'.encode("utf-16"), "é"),
        ("application/json; charset=no-such-codec", '{"id": "é"}'.encode(), "é"),  # as httpx
        ("application/json", '{"id": "é"}'.encode(), "é"),
    ],
)
def test_json_body_is_decoded_with_the_charset_the_server_names(
    rt: Any,
    m: Any,
    make_client: Any,
    server: FaultServer,
    content_type: str,
    body: bytes,
    expected: str,
) -> None:
    server.script("/i", Step(body=body, headers={"Content-Type": content_type}))
    assert make_client().request(m.Item, rt.RequestOptions("get", "/i")).id == expected


def test_non_json_where_json_expected(
    rt: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    server.script("/i", Step(body="<html>oops</html>"))
    with pytest.raises(rt.APIResponseValidationError, match="JSON") as info:
        make_client(strict_response_validation=True).request(m.Item, rt.RequestOptions("get", "/i"))
    assert info.value.body == "<html>oops</html>"


def test_construct_type_directly(rt: Any, m: Any) -> None:
    assert rt.construct_type(int, 3) == 3
    assert rt.construct_type(dict[str, m.Item], {"k": {"id": "z"}})["k"].id == "z"
    done = rt.construct_type(m.Event, {"type": "task.done", "output": "o"})
    assert isinstance(done, m.Done)


@pytest.mark.anyio
async def test_async_errors_and_parsing(
    rt: Any, m: Any, make_async_client: Any, server: FaultServer
) -> None:
    client = make_async_client(max_retries=0)
    server.script("/e", Step(status=404, body=ERROR_BODY))
    with pytest.raises(rt.NotFoundError, match=r"Not found \(ref_id: abc\)"):
        await client.request(None, rt.RequestOptions("get", "/e"))
    server.script("/i", Step(body={"id": "q", "extra": True}))
    item = await client.request(m.Item, rt.RequestOptions("get", "/i"))
    assert item.id == "q" and item.extra is True
    server.script("/bad", Step(body={"id": None}))
    assert (await client.request(m.Item, rt.RequestOptions("get", "/bad"))).id is None  # tolerant
    strict = make_async_client(max_retries=0, strict_response_validation=True)
    with pytest.raises(rt.APIResponseValidationError):
        await strict.request(m.Item, rt.RequestOptions("get", "/bad"))


def test_not_given_sentinel(rt: Any) -> None:
    assert not rt.NOT_GIVEN and repr(rt.NOT_GIVEN) == "NOT_GIVEN"
    assert rt.NotGiven() is rt.NOT_GIVEN
    assert not rt.Omit()
