"""`apigen update` against a loopback HTTP server: up to date, new version, every failure mode."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main
from tests.support.loopback import LoopbackServer, QuietHandler
from tests.support.project import tree_digest


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    delay: float = 0.0


class SpecServer(LoopbackServer):
    """Serves one scripted reply at /spec.json on 127.0.0.1 (random port)."""

    def __init__(self) -> None:
        self.reply = Reply()
        server = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                reply = server.reply
                time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except OSError:
                    pass  # the client gave up (timeout test)

        super().__init__(Handler)
        self.url = f"{self.origin}/spec.json"


@pytest.fixture
def server() -> Iterator[SpecServer]:
    with SpecServer() as running:
        yield running


def new_version(project: Path) -> bytes:
    """0.2.0: one operation added, one request enum value removed."""
    data = json.loads((project / "spec/public-openapi.json").read_text(encoding="utf-8"))
    data["info"]["version"] = "0.2.0"
    data["paths"]["/v1beta/ping"] = {
        "get": {
            "operationId": "ping",
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {
                        "application/json": {
                            "schema": {"type": "object", "properties": {"ok": {"type": "boolean"}}}
                        }
                    },
                }
            },
        }
    }
    data["components"]["schemas"]["SearchRequest"]["properties"]["mode"]["anyOf"][0]["enum"].remove(
        "agentic"
    )
    return json.dumps(data, indent=2).encode()


def test_same_spec_is_up_to_date_and_writes_nothing(
    project: Path, server: SpecServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.reply = Reply(body=(project / "spec/public-openapi.json").read_bytes())
    before = tree_digest(project)
    assert main(["update", "--from", server.url]) == 0
    assert "up to date" in capsys.readouterr().err
    assert tree_digest(project) == before


def test_new_version_updates_spec_code_version_and_changelog(
    project: Path, server: SpecServer, capsys: pytest.CaptureFixture[str]
) -> None:
    body = new_version(project)
    server.reply = Reply(body=body)
    config_before = (project / "apigen.yaml").read_text()
    assert main(["update", "--from", server.url]) == 0
    assert "updated 0.1.2 → 0.2.0" in capsys.readouterr().err
    assert (project / "spec/public-openapi.json").read_bytes() == body
    assert '__version__ = "0.2.0"' in (project / "generated/parallel_api/_version.py").read_text()
    assert any(
        "def ping(" in p.read_text()
        for p in (project / "generated/parallel_api/resources").rglob("*.py")
    )
    assert (
        project / "apigen.yaml"
    ).read_text() == config_before  # post stays 0: info.version moved
    changelog = (project / "generated/CHANGELOG.md").read_text()
    entry = changelog[changelog.index("## 0.2.0") :]
    assert entry.startswith("## 0.2.0 (spec 0.1.2 → 0.2.0)\n")
    assert entry.index("### Breaking changes") < entry.index("### Non-breaking changes")
    assert "- `SearchRequest.mode`: enum value 'agentic' removed" in entry
    assert " (`GET /v1beta/ping`): operation added" in entry
    assert changelog.index("## 0.2.0") < changelog.index(
        "## 0.1.2"
    )  # prepended above older releases
    assert main(["check"]) == 0  # the regenerated output is exactly what check expects
    assert main(["update", "--from", server.url]) == 0
    assert "up to date" in capsys.readouterr().err


def test_same_info_version_with_new_content_warns_and_bumps_post(
    project: Path, server: SpecServer, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads((project / "spec/public-openapi.json").read_text(encoding="utf-8"))
    data["paths"]["/v1/tasks/runs"]["post"]["deprecated"] = True
    server.reply = Reply(body=json.dumps(data).encode())
    assert main(["update", "--from", server.url]) == 0
    err = capsys.readouterr().err
    assert "warning: the spec's content changed but its info.version is still 0.1.2" in err
    assert (
        '__version__ = "0.1.2.post1"'
        in (project / "generated/parallel_api/_version.py").read_text()
    )
    config = (project / "apigen.yaml").read_text()
    assert "  post: 1\n" in config
    assert config.startswith("# apigen project config")  # comments kept
    assert "## 0.1.2.post1 (spec 0.1.2 → 0.1.2)" in (project / "generated/CHANGELOG.md").read_text()
    assert main(["check"]) == 0


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(status=500, body=b'{"error": "boom"}'), "HTTP 500"),
        (Reply(delay=2.0, body=b"{}"), "timed out"),
        (Reply(body=b'{"openapi": "3.1.0", "info": '), "JSON"),
        (
            Reply(body=b'{"swagger": "2.0", "info": {"title": "x", "version": "1"}, "paths": {}}'),
            "Swagger 2.0",
        ),
    ],
    ids=["http-500", "timeout", "invalid-json", "swagger-2"],
)
def test_failures_exit_2_and_write_nothing(
    project: Path,
    server: SpecServer,
    reply: Reply,
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.reply = reply
    before = tree_digest(project)
    assert main(["update", "--from", server.url, "--timeout", "0.5"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("apigen: error: ") and message in err and err.count("\n") == 1
    assert server.url in err  # the error names what was fetched, not a temporary copy
    assert tree_digest(project) == before


def test_no_source_is_a_clear_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = project / "apigen.yaml"
    config.write_text(
        config.read_text().replace("upstream: https://docs.parallel.ai/public-openapi.json\n", "")
    )
    before = tree_digest(project)
    assert main(["update"]) == 2
    assert "pass --from" in capsys.readouterr().err
    assert tree_digest(project) == before
