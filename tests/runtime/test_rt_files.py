"""File uploads (multipart, per the operation's encoding) and binary downloads."""

from __future__ import annotations

import gzip
import io
import pathlib
import re
from typing import Any

import pytest

from tests.support.fault_server import FaultServer, Step


def _upload(rt: Any, client: Any, fields: dict[str, Any], **options: Any) -> None:
    client.request(
        None, rt.RequestOptions("post", "/up", multipart=fields, file_fields=("file",), **options)
    )


def _parts(body: bytes) -> list[tuple[str, str | None, str | None, bytes]]:
    """(name, filename, content type, data) of every part of a recorded multipart body."""
    boundary = body.split(b"\r\n", 1)[0]
    out: list[tuple[str, str | None, str | None, bytes]] = []
    for raw in body.split(boundary)[1:-1]:
        head, _, data = raw[2:-2].partition(b"\r\n\r\n")  # each part: CRLF head CRLFCRLF data CRLF
        text = head.decode()
        name = re.search(r'name="([^"]*)"', text)
        filename = re.search(r'filename="([^"]*)"', text)
        ctype = re.search(r"Content-Type: (\S+)", text)
        assert name is not None
        out.append(
            (
                name.group(1),
                filename.group(1) if filename else None,
                ctype.group(1) if ctype else None,
                data,
            )
        )
    return out


def test_path_is_streamed_with_its_file_name(
    rt: Any, make_client: Any, server: FaultServer, tmp_path: pathlib.Path
) -> None:
    source = tmp_path / "batch.jsonl"
    source.write_bytes(b'{"a": 1}\n' * 1000)
    server.script("/up", Step(body={}))
    _upload(rt, make_client(), {"file": source, "purpose": "batch"})
    request = server.requests_for("/up")[0]
    assert "content-length" in request.headers  # sized from the file, not chunked
    parts = _parts(request.body)
    assert parts[0][:2] == ("file", "batch.jsonl")
    assert parts[0][3] == source.read_bytes()
    assert parts[1] == ("purpose", None, None, b"batch")


def test_path_file_reads_lazily_and_closes(rt: Any, tmp_path: pathlib.Path) -> None:
    source = tmp_path / "a.bin"
    source.write_bytes(b"0123456789")
    file = rt.PathFile(source)
    assert file.name == "a.bin" and file._handle is None  # nothing opened yet
    assert file.seek(0, 2) == 10
    file.seek(0)
    assert file.read(4) == b"0123" and file._handle is not None
    assert file.read() == b"456789" and file._handle is None  # closed at EOF
    file.seek(0)
    assert file.read() == b"0123456789"


def test_every_accepted_file_value(rt: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/up", Step(body={}))
    client = make_client()
    cases: list[tuple[Any, tuple[str | None, str | None]]] = [
        (b"raw", ("upload", "application/octet-stream")),
        (io.BytesIO(b"raw"), ("upload", "application/octet-stream")),
        (("notes.txt", b"raw"), ("notes.txt", "text/plain")),
        (
            ("data.bin", io.BytesIO(b"raw"), "application/x-custom"),
            ("data.bin", "application/x-custom"),
        ),
        ((None, b"raw", "image/png", {"X-Part": "1"}), (None, "image/png")),
    ]
    for value, (filename, content_type) in cases:
        _upload(rt, client, {"file": value})
        name, got_filename, got_type, data = _parts(server.requests[-1].body)[0]
        assert (name, got_filename, got_type, data) == ("file", filename, content_type, b"raw")
    assert b"X-Part: 1" in server.requests[-1].body


@pytest.mark.parametrize(
    "value",
    ["a.jsonl", 42, io.StringIO("text"), ("name", "text content"), ("a", b"x", "t", {}, "extra")],
    ids=["path-string", "int", "text-io", "text-tuple", "five-tuple"],
)
def test_wrong_file_value_is_a_type_error_before_sending(
    rt: Any, make_client: Any, server: FaultServer, value: Any
) -> None:
    with pytest.raises(TypeError, match="File field 'file'") as info:
        _upload(rt, make_client(), {"file": value})
    assert isinstance(info.value, rt.SDKError)
    assert server.requests == []


def test_files_resent_identically_on_retry(
    rt: Any, make_client: Any, server: FaultServer, tmp_path: pathlib.Path
) -> None:
    source = tmp_path / "f.txt"
    source.write_bytes(b"from disk")

    class OneShot(io.RawIOBase):  # a non-seekable stream (a pipe, a socket)
        def __init__(self) -> None:
            self.data = b"one shot"

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:  # noqa: ARG002 - io's signature; one read drains it
            data, self.data = self.data, b""
            return data

    server.script("/up", Step(status=503, headers={"retry-after-ms": "1"}), Step(body={}))
    _upload(rt, make_client(), {"file": source, "other": OneShot()})
    bodies = [r.body for r in server.requests_for("/up")]
    assert len(bodies) == 2
    for body in bodies:
        parts = {p[0]: p[3] for p in _parts(body)}
        assert parts == {"file": b"from disk", "other": b"one shot"}


def test_openapi_default_encoding(rt: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/up", Step(body={}))
    fields = {"file": b"x", "tags": ["a", "b"], "meta": {"k": [1, 2]}, "n": 3, "flag": True}
    _upload(rt, make_client(), fields)
    parts = [(p[0], p[2], p[3]) for p in _parts(server.requests[-1].body)[1:]]
    assert parts == [
        ("tags", None, b"a"),
        ("tags", None, b"b"),
        ("meta", "application/json", b'{"k": [1, 2]}'),
        ("n", None, b"3"),
        ("flag", None, b"true"),
    ]


def test_encoding_object_is_honoured(rt: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/up", Step(body={}))
    encoding = {
        "file": rt.PartEncoding(content_type="image/png"),
        "tags": rt.PartEncoding(style="form", explode=False),
        "meta": rt.PartEncoding(style="deepObject", explode=True),
        "n": rt.PartEncoding(content_type="application/json"),
    }
    fields = {"file": b"x", "tags": ["a", "b"], "meta": {"k": "v"}, "n": "3"}
    _upload(rt, make_client(), fields, encoding=encoding)
    parts = [(p[0], p[2], p[3]) for p in _parts(server.requests[-1].body)]
    assert parts == [
        ("file", "image/png", b"x"),
        ("tags", None, b"a,b"),
        ("meta[k]", None, b"v"),
        ("n", "application/json", b'"3"'),
    ]


def test_bracket_format(rt: Any, server: FaultServer) -> None:
    class Client(rt.SyncAPIClient):
        multipart_format = "brackets"

    server.script("/up", Step(body={}))
    with Client(base_url=server.url, credential=None, auth=None, user_agent="t") as client:
        fields = {"file": b"x", "tags": ["a", "b"], "meta": {"k": "v", "inner": {"z": 1}}}
        _upload(rt, client, fields)
    names = [(p[0], p[3]) for p in _parts(server.requests[-1].body)[1:]]
    assert names == [
        ("tags[]", b"a"),
        ("tags[]", b"b"),
        ("meta[k]", b"v"),
        ("meta[inner][z]", b"1"),
    ]


# --------------------------------------------------------------------------- binary downloads

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


def test_binary_response(
    rt: Any, make_client: Any, server: FaultServer, tmp_path: pathlib.Path
) -> None:
    server.script("/img", Step(body=PNG, headers={"Content-Type": "image/png"}))
    client = make_client()
    binary = client.request(rt.BinaryResponse, rt.RequestOptions("get", "/img"))
    assert isinstance(binary, rt.BinaryResponse)
    assert binary.content == PNG and binary.content_type == "image/png"
    assert b"".join(binary.iter_bytes(100)) == PNG
    binary.write_to_file(tmp_path / "a.png")
    assert (tmp_path / "a.png").read_bytes() == PNG


def test_binary_stream_to_file_streams(
    rt: Any, make_client: Any, server: FaultServer, tmp_path: pathlib.Path
) -> None:
    server.script("/img", Step(chunks=[PNG[:1000], 0.05, PNG[1000:]]))

    def call(**kwargs: Any) -> Any:
        options = rt.RequestOptions("get", "/img", extra_headers=kwargs.get("extra_headers"))
        return make_client().request(rt.BinaryResponse, options)

    with rt.to_streamed_response_wrapper(call)() as response:
        binary = response.parse()
        assert not binary.response.is_closed  # not read into memory first
        binary.stream_to_file(tmp_path / "b.png")
    assert (tmp_path / "b.png").read_bytes() == PNG and binary.response.is_closed


def test_gzip_body_is_decoded_once(rt: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/gz", Step(body=gzip.compress(PNG), headers={"Content-Encoding": "gzip"}))
    binary = make_client().request(rt.BinaryResponse, rt.RequestOptions("get", "/gz"))
    assert binary.content == PNG


@pytest.mark.anyio
async def test_async_upload_and_binary(
    rt: Any, make_async_client: Any, server: FaultServer, tmp_path: pathlib.Path
) -> None:
    source = tmp_path / "up.bin"
    source.write_bytes(b"async upload")
    server.script("/up", Step(body={}))
    client = make_async_client()
    options = rt.RequestOptions("post", "/up", multipart={"file": source}, file_fields=("file",))
    await client.request(None, options)
    assert _parts(server.requests[-1].body)[0][1:] == (
        "up.bin",
        "application/octet-stream",
        b"async upload",
    )
    with pytest.raises(TypeError):
        bad = rt.RequestOptions("post", "/up", multipart={"file": "up.bin"}, file_fields=("file",))
        await client.request(None, bad)
    server.script("/img", Step(body=PNG, headers={"Content-Type": "image/png"}))
    binary = await client.request(rt.AsyncBinaryResponse, rt.RequestOptions("get", "/img"))
    assert binary.content == PNG
    assert b"".join([c async for c in binary.iter_bytes()]) == PNG
    await binary.write_to_file(tmp_path / "c.png")
    assert (tmp_path / "c.png").read_bytes() == PNG
    streamed = await client.request(
        rt.AsyncBinaryResponse,
        rt.RequestOptions("get", "/img", extra_headers={rt.RAW_RESPONSE_HEADER: "stream"}),
    )
    binary = await streamed.parse()
    await binary.stream_to_file(tmp_path / "d.png")
    assert (tmp_path / "d.png").read_bytes() == PNG


def test_callers_multipart_boundary_is_kept(rt: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/up", Step(body={}))
    boundary = "6b7ba517decee4a450543ea6ae821c82"
    content_type = f"multipart/form-data; boundary={boundary}"
    _upload(rt, make_client(), {"file": b"x"}, extra_headers={"Content-Type": content_type})
    request = server.requests_for("/up")[0]
    assert request.headers["content-type"] == content_type
    assert request.body.startswith(f"--{boundary}\r\n".encode())
    assert [p[3] for p in _parts(request.body)] == [b"x"]
    _upload(rt, make_client(), {"file": b"y"}, extra_headers={"Content-Type": "text/plain"})
    assert (
        server.requests_for("/up")[1]
        .headers["content-type"]
        .startswith(
            "multipart/form-data; boundary="  # a non-multipart type is replaced, not sent as is
        )
    )
