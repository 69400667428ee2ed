"""No spec string makes apigen write outside the output folder or read outside the spec's folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from generator.errors import ApigenError
from generator.write.output import safe_relative
from tests.support.hostile import run_cli, tree_digest, write_spec

TRAVERSAL = [
    "../../escaped",
    "..",
    "../..",
    "/etc/passwd",
    "/tmp/abs",
    "C:\\Windows\\evil",
    "..\\..\\win",
    "a\x00b",
    "CON",
    "nul",
    "prn.txt",
    "COM1",
    "lpt9",
    "aux",
    "resources",
    "types",
    "lib",
    "__init__",
    ".hidden",
    "~",
    "$HOME",
    "a/b/c",
    "./.",
    "%2e%2e%2f",
]
WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


def _spec() -> dict[str, Any]:
    paths = {
        f"/p{i}": {
            "get": {
                "operationId": name,
                "tags": [name],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/S{i}"}}
                        },
                    }
                },
            }
        }
        for i, name in enumerate(TRAVERSAL)
    }
    schemas = {
        f"S{i}": {"type": "object", "title": name, "properties": {name: {"type": "string"}}}
        for i, name in enumerate(TRAVERSAL)
    }
    schemas.update({name: {"type": "string"} for name in TRAVERSAL})
    return {
        "openapi": "3.1.0",
        "info": {"title": "../../../tmp/x", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
        "tags": [{"name": n} for n in TRAVERSAL],
    }


def test_hostile_tags_and_names_write_only_inside_output(tmp_path: Path) -> None:
    work = tmp_path / "a" / "b" / "work"
    spec = write_spec(work, _spec())
    before = {p for p in tmp_path.rglob("*")}
    result = run_cli("generate", spec, "-o", work / "out", cwd=work)
    assert result.returncode == 0, result.stderr
    created = {p for p in tmp_path.rglob("*")} - before
    assert created and all(p == work / "out" or (work / "out") in p.parents for p in created)
    assert not Path("/tmp/abs").exists() and not (tmp_path / "escaped").exists()
    files = [p for p in (work / "out").rglob("*") if p.is_file()]
    for path in files:
        rel = path.relative_to(work / "out")
        for part in rel.parts:
            assert part.split(".")[0].lower() not in WINDOWS_RESERVED, rel
            assert "\x00" not in part and "\\" not in part and part not in ("..", "")
    resources = {p.stem for p in (work / "out").glob("*/resources/*.py")} - {"__init__"}
    assert len(resources) >= len(TRAVERSAL) - 6  # tags that snake-case alike share a module


@pytest.mark.parametrize(
    "path",
    [
        "../x",
        "/abs",
        "a/../../b",
        "a\x00b",
        "a\\b",
        "",
        ".",
        "C:/x" if os.name == "nt" else "/C:/x",
    ],
)
def test_writer_refuses_paths_that_escape(path: str) -> None:
    with pytest.raises(ApigenError, match="outside the output folder"):
        safe_relative(path)


def _ref_spec(ref: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Refs", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "operationId": "a",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": ref}}},
                        }
                    },
                }
            }
        },
    }


@pytest.mark.parametrize("command", ["generate", "check", "ir"])
def test_outside_ref_needs_the_flag(tmp_path: Path, command: str) -> None:
    (tmp_path / "outside.json").write_text(
        '{"type": "object", "properties": {"secret": {"type": "string"}}}'
    )
    spec = write_spec(tmp_path / "specdir", _ref_spec("../outside.json"))
    out = tmp_path / "out"
    extra = ["-o", out] if command != "ir" else []
    if command == "check":
        extra.append("--full")
    refused = run_cli(command, spec, *extra, cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.startswith("apigen: error: ") and "--allow-outside-refs" in refused.stderr
    assert (
        "#/paths/~1a/get/responses/200" in refused.stderr
        and len(refused.stderr.strip().splitlines()) == 1
    )
    assert not out.exists()
    if command == "check":
        assert (
            run_cli("generate", spec, "-o", out, "--allow-outside-refs", cwd=tmp_path).returncode
            == 0
        )
    allowed = run_cli(command, spec, *extra, "--allow-outside-refs", cwd=tmp_path)
    assert allowed.returncode == 0, allowed.stderr
    if command == "ir":
        assert "secret" in allowed.stdout


@pytest.mark.parametrize(
    "ref", ["/etc/passwd", "file:///etc/passwd", "../../../../../../etc/passwd#/x"]
)
def test_absolute_and_traversal_refs_are_refused(tmp_path: Path, ref: str) -> None:
    spec = write_spec(tmp_path, _ref_spec(ref))
    result = run_cli("generate", spec, "-o", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.startswith("apigen: error: ")
    assert "root:" not in result.stderr  # nothing of the target file leaks into the message
    assert not (tmp_path / "out").exists()


def test_remote_ref_is_not_fetched_without_the_flag(tmp_path: Path) -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    try:
        spec = write_spec(tmp_path, _ref_spec(f"http://127.0.0.1:{port}/schema.json"))
        result = run_cli("generate", spec, "-o", tmp_path / "out", cwd=tmp_path)
        assert result.returncode == 2 and "--allow-remote-refs" in result.stderr
        with pytest.raises(TimeoutError):
            listener.accept()  # nobody connected
    finally:
        listener.close()
    assert tree_digest(tmp_path / "out") == {}
