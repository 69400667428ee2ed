"""Remote ``$ref``s are fetched only inside the spec's folder unless ``--allow-remote-refs``.

Two loopback servers count every request they get: the spec's own server, and an "other" one
(another origin: same host, another port). Without the flag the other server must receive zero
requests — whatever the root URL looks like, whatever a ref's path spells, whatever a redirect
says. Also: URLs work wherever a SPEC is accepted, and ``--timeout`` is a total deadline.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.errors import ApigenError
from generator.load import load_spec
from tests.support.loopback import LoopbackServer, QuietHandler
from tests.support.project import tree_digest


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    location: str = ""
    drip: float = 0.0
    """Seconds between single bytes of the body (a slow server); the drip stops after 12 s."""


@dataclass
class Server(LoopbackServer):
    """Serves ``routes`` on 127.0.0.1 and counts the requests for every path."""

    routes: dict[str, Route] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        server = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                server.hits[path] += 1
                route = server.routes.get(path, Route(status=404, body=b"{}"))
                try:
                    self.send_response(route.status)
                    if route.location:
                        self.send_header("Location", route.location)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(route.body)))
                    self.end_headers()
                    if not route.drip:
                        self.wfile.write(route.body)
                        return
                    stop = time.monotonic() + 12  # bounded: even a client that never gives up
                    for byte in route.body:
                        if time.monotonic() > stop:
                            return
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(route.drip)
                except OSError:
                    pass  # the client hung up

        super().__init__(Handler)

    def serve(self, path: str, data: Any = None, **route: Any) -> str:
        body = json.dumps(data).encode() if data is not None else b""
        self.routes[path] = Route(body=body, **route)
        return self.origin + path


@pytest.fixture
def spec_server() -> Iterator[Server]:
    with Server() as server:
        yield server


@pytest.fixture
def other() -> Iterator[Server]:
    with Server() as server:
        yield server


PET = {"type": "object", "properties": {"name": {"type": "string"}}}


def root_spec(ref: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Remote", "version": "1"},
        "paths": {
            "/pets": {
                "get": {
                    "operationId": "getPet",
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


def generate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["generate", *args])
    return code, capsys.readouterr().err


@pytest.fixture(autouse=True)
def _no_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no apigen.yaml applies


def refused(url: str) -> str:
    """The loader's error for a spec at ``url`` whose refs break the rule (no flag given)."""
    with pytest.raises(ApigenError) as caught:
        load_spec(url, timeout=5)
    return caught.value.one_line()


# ------------------------------------------------------------------------ the rule, per way past it
@pytest.mark.parametrize("root_path", ["", "?v=1", "/?v=1"], ids=["empty-path", "query", "slash"])
def test_root_url_without_a_folder_does_not_open_every_origin(
    spec_server: Server, other: Server, root_path: str
) -> None:
    other.serve("/pet.json", PET)
    spec_server.serve("/", root_spec(f"{other.origin}/pet.json#"))
    assert "allow_remote_refs" in refused(spec_server.origin + root_path)
    assert other.hits.total() == 0


def test_same_folder_ref_redirected_to_another_origin_is_refused(
    spec_server: Server, other: Server
) -> None:
    other.serve("/pet.json", PET)
    spec_server.serve("/specs/pet.json", status=302, location=f"{other.origin}/pet.json")
    url = spec_server.serve("/specs/root.json", root_spec("pet.json"))
    error = refused(url)
    assert "refused redirect" in error and "allow_remote_refs" in error
    assert spec_server.hits["/specs/pet.json"] == 1
    assert other.hits.total() == 0


@pytest.mark.parametrize(
    "ref",
    ["{origin}/specs/../admin/x.json", "{origin}/specs/%2e%2e/admin/x.json", "../admin/x.json"],
    ids=["absolute-dot-dot", "encoded-dot-dot", "relative-dot-dot"],
)
def test_dot_segments_cannot_leave_the_folder(spec_server: Server, ref: str) -> None:
    spec_server.serve("/admin/x.json", PET)
    url = spec_server.serve("/specs/root.json", root_spec(ref.format(origin=spec_server.origin)))
    assert "outside the spec's folder" in refused(url)
    assert spec_server.hits["/admin/x.json"] == 0
    assert spec_server.hits["/specs/admin/x.json"] == 0


def test_refs_and_redirects_inside_the_folder_need_no_flag(
    spec_server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec_server.serve("/specs/models/pet.json", PET)
    spec_server.serve("/specs/moved.json", status=301, location="/specs/models/pet.json")
    url = spec_server.serve("/specs/root.json", root_spec("moved.json"))
    code, err = generate(capsys, url, "-o", str(tmp_path / "out"))
    assert code == 0, err
    assert spec_server.hits["/specs/models/pet.json"] == 1
    manifest = json.loads((tmp_path / "out/.apigen-manifest.json").read_text())
    assert manifest["spec"]["source"] == url  # the URL, not a mangled path
    assert main(["check", url, "-o", str(tmp_path / "out")]) == 0
    capsys.readouterr()
    assert main(["ir", url]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Remote"


def test_allow_remote_refs_fetches_other_origins_over_http_only(
    spec_server: Server, other: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other.serve("/pet.json", PET)
    url = spec_server.serve("/specs/root.json", root_spec(f"{other.origin}/pet.json"))
    code, err = generate(capsys, url, "-o", str(tmp_path / "out"), "--allow-remote-refs")
    assert code == 0, err
    assert other.hits["/pet.json"] == 1
    for target in ("file:///etc/passwd", "ftp://127.0.0.1/pet.json"):
        spec_server.serve("/specs/away.json", status=302, location=target)
        url = spec_server.serve("/specs/root2.json", root_spec(f"{other.origin}/away.json"))
        other.serve("/away.json", status=302, location=target)
        code, err = generate(capsys, url, "-o", str(tmp_path / "out2"), "--allow-remote-refs")
        assert code == 2 and "refused redirect" in err and "only http(s)" in err


# ---------------------------------------------------------------------------------- the deadline
def test_update_timeout_is_a_total_deadline(
    project: Path, spec_server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    """A server that answers at once but sends one byte every 0.05 s: each read is quick, so only
    a total deadline stops the fetch (without one it takes the server's full 12 s drip)."""
    body = (project / "spec/public-openapi.json").read_bytes().replace(b'"0.1.2"', b'"0.1.3"')
    spec_server.routes["/spec.json"] = Route(body=body, drip=0.05)
    before = tree_digest(project)
    started = time.monotonic()
    assert main(["update", "--from", spec_server.origin + "/spec.json", "--timeout", "1"]) == 2
    elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    assert "timed out after 1s" in err and err.count("\n") == 1
    assert elapsed < 6, f"the fetch ran {elapsed:.1f} s past a 1 s deadline"
    assert tree_digest(project) == before
