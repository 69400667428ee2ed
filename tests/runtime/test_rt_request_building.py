"""How RequestOptions turn into bytes on the wire (checked by the loopback echo server)."""

from __future__ import annotations

import io
import json
from typing import Any

import httpx
import pytest

from tests.support.fault_server import FaultServer


def _echo(rt: Any, m: Any, client: Any, **opts: Any) -> Any:
    opts.setdefault("method", "post")
    opts.setdefault("path", "/echo")
    return client.request(m.Echo, rt.RequestOptions(**opts))


def test_path_params_are_percent_encoded(rt: Any, m: Any, make_client: Any) -> None:
    echo = _echo(
        rt,
        m,
        make_client(),
        method="get",
        path="/v1/files/{name}/runs/{n}",
        path_params={"name": "a/b c é?#", "n": 7},
    )
    assert echo.raw_target == "/v1/files/a%2Fb%20c%20%C3%A9%3F%23/runs/7"


def test_empty_path_param_is_rejected(rt: Any, make_client: Any) -> None:
    with pytest.raises(ValueError, match="run_id"):
        make_client().request(None, rt.RequestOptions("get", "/r/{run_id}", {"run_id": ""}))


@pytest.mark.parametrize(
    ("param", "expected"),
    [
        (("ids", [1, 2, 3], "form", True), [("ids", "1"), ("ids", "2"), ("ids", "3")]),
        (("ids", [1, 2, 3], "form", False), [("ids", "1,2,3")]),
        (("ids", ["a", "b"], "spaceDelimited", False), [("ids", "a b")]),
        (("ids", ["a", "b"], "pipeDelimited", False), [("ids", "a|b")]),
        (("o", {"x": 1, "y": True}, "form", True), [("x", "1"), ("y", "true")]),
        (("o", {"x": 1, "y": "z"}, "form", False), [("o", "x,1,y,z")]),
        (
            ("f", {"a": 1, "b": {"c": "d"}, "l": [1, 2]}, "deepObject", True),
            [("f[a]", "1"), ("f[b][c]", "d"), ("f[l]", "1"), ("f[l]", "2")],
        ),
        (("flag", False, "form", True), [("flag", "false")]),
        (("n", None, "form", True), [("n", "")]),
        (("ids", [], "form", True), []),
    ],
)
def test_serialize_query_styles(rt: Any, param: tuple[Any, ...], expected: Any) -> None:
    name, value, style, explode = param
    assert rt.serialize_query([rt.QueryParam(name, value, style, explode)]) == expected


def test_serialize_query_drops_not_given(rt: Any) -> None:
    params = [
        rt.QueryParam("a", rt.NOT_GIVEN),
        rt.QueryParam("o", {"k": rt.NOT_GIVEN, "j": 1}, "deepObject"),
    ]
    assert rt.serialize_query(params) == [("o[j]", "1")]


def test_query_styles_reach_the_server(rt: Any, m: Any, make_client: Any) -> None:
    client = make_client(default_query={"tenant": "t1"})
    echo = _echo(
        rt,
        m,
        client,
        method="get",
        query=[
            rt.QueryParam("ids", ["a b", "c|d"], "form", False),
            rt.QueryParam("f", {"x": "ü"}, "deepObject"),
            rt.QueryParam("skip", rt.NOT_GIVEN),
        ],
        extra_query={"extra": 1, "tenant": "t2"},
    )
    assert [tuple(p) for p in echo.query] == [
        ("ids", "a b,c|d"),
        ("f[x]", "ü"),
        ("extra", "1"),
        ("tenant", "t2"),
    ]


def test_json_body_not_given_vs_none(rt: Any, m: Any, make_client: Any) -> None:
    echo = _echo(
        rt,
        m,
        make_client(),
        json_body={"a": rt.NOT_GIVEN, "b": None, "c": {"d": rt.NOT_GIVEN, "e": [1, rt.NOT_GIVEN]}},
        extra_body={"x": "y"},
    )
    assert json.loads(echo.body) == {"b": None, "c": {"e": [1]}, "x": "y"}
    assert echo.headers["content-type"] == "application/json"


def test_json_body_models_and_vendor_content_type(rt: Any, m: Any, make_client: Any) -> None:
    item = m.Item(id="i1")  # count left unset: must not be sent
    echo = _echo(
        rt, m, make_client(), json_body={"item": item}, content_type="application/vnd.x+json"
    )
    assert json.loads(echo.body) == {"item": {"id": "i1"}}
    assert echo.headers["content-type"] == "application/vnd.x+json"


def test_headers_defaults_extras_and_omit(rt: Any, m: Any, make_client: Any) -> None:
    client = make_client(default_headers={"X-Default": "d", "X-Drop": "gone"})
    echo = _echo(
        rt,
        m,
        client,
        headers={"X-List": ["a", "b", 3], "X-Bool": True, "X-Skip": rt.NOT_GIVEN, "X-None": None},
        extra_headers={"X-Extra": "e", "X-Drop": rt.Omit()},
        idempotency_key="idem-1",
    )
    h = echo.headers
    assert h["x-list"] == "a,b,3"
    assert h["x-bool"] == "true"
    assert "x-skip" not in h and "x-none" not in h and "x-drop" not in h
    assert h["x-default"] == "d" and h["x-extra"] == "e"
    assert h["idempotency-key"] == "idem-1"
    assert h["user-agent"] == "rt-tests/1.0"
    assert h["accept"] == "application/json"


def test_header_names_merge_case_insensitively_and_keep_their_case(
    rt: Any, make_client: Any
) -> None:
    http_client = httpx.Client(headers=[("X-Multi", "a"), ("x-multi", "b")])
    client = make_client(http_client=http_client, default_headers={"X-Team": "blue"})
    options = rt.RequestOptions(
        "get",
        "/echo",
        headers={"x-team": "red"},
        extra_headers={"ACCEPT": "text/plain", "x-multi": rt.Omit()},
    )
    raw = client._build_request(options).headers.raw
    names = [name for name, _ in raw]
    assert (b"x-team", b"red") in raw and b"X-Team" not in names  # one entry, the call's
    assert (b"ACCEPT", b"text/plain") in raw and b"Accept" not in names
    assert b"X-Multi" not in names and b"x-multi" not in names
    assert (b"User-Agent", b"rt-tests/1.0") in raw  # our own names keep their case
    http_client.close()
    joined = make_client(http_client=httpx.Client(headers=[("X-Multi", "a"), ("x-multi", "b")]))
    assert joined._build_request(rt.RequestOptions("get", "/echo")).headers["x-multi"] == "a, b"


@pytest.mark.parametrize("credential", ["secret", None])
def test_non_ascii_header_value_fails_before_sending_with_or_without_auth(
    rt: Any, make_client: Any, server: FaultServer, credential: str | None
) -> None:
    client = make_client(credential=credential)
    before = len(server.requests)
    with pytest.raises(UnicodeEncodeError):
        client.request(None, rt.RequestOptions("get", "/echo", extra_headers={"X-Name": "é"}))
    assert len(server.requests) == before


@pytest.mark.parametrize(
    "base_url",
    [
        "http://127.0.0.1:8080",
        "https://api.example.com/v1",
        "https://api.example.com/v1/",
        "https://user:pa%20ss@api.example.com/a%2Fb/",
        "http://[::1]:9000/base",
        "https://api.example.com/v1?key=1",  # a query: the path goes into raw_path as before
    ],
)
def test_request_url_joins_base_url_and_path(make_client: Any, base_url: str) -> None:
    client = make_client(base_url=base_url)
    url, same_origin = client._target_url("/runs/a%2Fb/é x")
    base = client.base_url
    expected = base.copy_with(raw_path=base.raw_path + b"runs/a%2Fb/%C3%A9%20x")
    assert same_origin and url == expected and url.raw_path == expected.raw_path
    client.base_url = "http://127.0.0.2"  # the setter re-derives what paths are joined to
    assert str(client._target_url("x")[0]) == "http://127.0.0.2/x"


def test_cookies_params(rt: Any, m: Any, make_client: Any) -> None:
    echo = _echo(rt, m, make_client(), cookies={"a": "1", "b": rt.NOT_GIVEN, "c": True})
    assert echo.headers["cookie"] == "a=1; c=true"


def test_form_body(rt: Any, m: Any, make_client: Any) -> None:
    echo = _echo(
        rt,
        m,
        make_client(),
        form_body={"a": "x y", "l": [1, 2], "n": rt.NOT_GIVEN},
        extra_body={"e": "1"},
    )
    assert echo.headers["content-type"] == "application/x-www-form-urlencoded"
    from urllib.parse import parse_qsl

    assert parse_qsl(echo.body) == [("a", "x y"), ("l", "1"), ("l", "2"), ("e", "1")]


def test_multipart_body(rt: Any, m: Any, make_client: Any, server: FaultServer) -> None:
    echo = _echo(
        rt,
        m,
        make_client(),
        multipart={
            "file": ("a.txt", io.BytesIO(b"hello file"), "text/plain"),
            "blob": b"\x00\x01",
            "purpose": "assistants",
            "meta": {"k": 1},
            "skip": rt.NOT_GIVEN,
        },
    )
    assert echo.headers["content-type"].startswith("multipart/form-data; boundary=")
    body = server.requests[-1].body
    assert b'name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello file' in body
    blob = b'name="blob"; filename="upload"\r\nContent-Type: application/octet-stream\r\n\r\n'
    assert blob + b"\x00\x01" in body
    assert b'name="purpose"\r\n\r\nassistants\r\n' in body  # primitives: plain text parts
    # objects: a JSON part, as OpenAPI's default encoding says
    assert b'name="meta"\r\nContent-Type: application/json\r\n\r\n{"k": 1}\r\n' in body
    assert b'name="skip"' not in body


def test_multipart_file_resent_on_retry(
    rt: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    from tests.support.fault_server import Step

    server.script("/up", Step(status=503, headers={"retry-after-ms": "1"}), Step(echo=True))
    make_client().request(
        m.Echo, rt.RequestOptions("post", "/up", multipart={"f": ("f.bin", io.BytesIO(b"DATA"))})
    )
    bodies = [r.body for r in server.requests_for("/up")]
    assert len(bodies) == 2 and all(b"DATA" in b for b in bodies)


def test_raw_bytes_body(rt: Any, m: Any, make_client: Any, server: FaultServer) -> None:
    echo = _echo(rt, m, make_client(), content=b"\xff\x00raw", content_type="image/png")
    assert echo.headers["content-type"] == "image/png"
    assert server.requests[-1].body == b"\xff\x00raw"


def test_base_url_path_prefix_is_kept(
    rt: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    client = make_client(base_url=server.url + "/api")
    echo = _echo(rt, m, client, method="get", path="/v1/x")
    assert echo.path == "/api/v1/x"


@pytest.mark.anyio
async def test_async_request_building(rt: Any, m: Any, make_async_client: Any) -> None:
    client = make_async_client()
    echo = await client.request(
        m.Echo,
        rt.RequestOptions(
            "put",
            "/a/{id}",
            {"id": "x/y"},
            query=[rt.QueryParam("q", [1, 2], explode=False)],
            json_body={"v": None, "w": rt.NOT_GIVEN},
            extra_headers={"X-E": "1"},
        ),
    )
    assert echo.method == "PUT"
    assert echo.raw_target.startswith("/a/x%2Fy?")
    assert [tuple(p) for p in echo.query] == [("q", "1,2")]
    assert json.loads(echo.body) == {"v": None}
    assert echo.headers["x-e"] == "1"
