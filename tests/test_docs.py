"""The generated docs: Markdown safety, api.md completeness against the IR, README examples that
compile and run (against Prism behind a loopback proxy that also serves the SSE routes)."""

from __future__ import annotations

import inspect
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from markdown_it import MarkdownIt

from generator.config import load_config
from generator.emit.docs import build_docs
from generator.emit.examples import ExampleValues
from generator.emit.literals import clean_text
from generator.emit.markdown import md_block, md_cell, md_code, md_fence
from generator.emit.operations import is_sse
from generator.emit.package import build_package
from generator.pipeline import load_api, render

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
SPEC = ROOT / "spec" / "public-openapi.json"
HOSTILE = ROOT / "tests" / "specs" / "docs" / "hostile.yaml"
PRISM = ROOT / "node_modules" / ".bin" / "prism"

_md = MarkdownIt("commonmark").enable("table")


def python_blocks(markdown: str) -> list[str]:
    return [t.content for t in _md.parse(markdown) if t.type == "fence" and t.info.strip() == "python"]


def html_tokens(markdown: str) -> list[str]:
    found = []
    for token in _md.parse(markdown):
        if token.type == "html_block":
            found.append(token.content)
        for child in token.children or ():
            if child.type == "html_inline":
                found.append(child.content)
    return found


@pytest.fixture(scope="module")
def parallel() -> Any:
    _, api = load_api(SPEC)
    return build_package(api, load_config(ROOT / "apigen.yaml"))


# --- Markdown helpers ---------------------------------------------------------------------------


def test_md_block_escapes_html_but_keeps_markdown() -> None:
    out = md_block("**Bold** <script>alert(1)</script> `<b>code</b>` [link](https://x.y) <https://a.b>")
    assert html_tokens(out) == []
    assert "**Bold**" in out and "`<b>code</b>`" in out and "[link](https://x.y)" in out
    assert "<https://a.b>" in out  # autolinks stay links


def test_md_block_neutralises_unbalanced_backticks_and_fences() -> None:
    stray = md_block("a `pair` and one ` stray")
    assert stray == "a `pair` and one \\` stray"
    page = md_block("```\nnever closed") + "\n\n# After\n"
    headings = [t for t in _md.parse(page) if t.type == "heading_open"]
    assert len(headings) == 1  # the heading after the description survived


def test_md_block_nests_headings_below_the_page_outline() -> None:
    tokens = _md.parse(md_block("# Top\ntext"))
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h5"]


def test_md_cell_keeps_table_rows_intact() -> None:
    first, second = md_cell("a | b <i>x</i>\nsecond line"), md_cell("`c | d`")
    row = f"| {first} | {second} |"
    table = f"| x | y |\n|---|---|\n{row}\n"
    cells = [t for t in _md.parse(table) if t.type == "td_open"]
    assert len(cells) == 2 and html_tokens(table) == []


def test_md_code_and_fence_survive_backticks() -> None:
    span = md_code("Literal['a`b']")
    assert [c.content for t in _md.parse(span) for c in t.children or () if c.type == "code_inline"] == ["Literal['a`b']"]
    fence = md_fence("x = '```'\n")
    assert [t.content for t in _md.parse(fence) if t.type == "fence"] == ["x = '```'\n"]


# --- hostile spec -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    generation = render(HOSTILE, load_config(None), staging_parent=tmp_path_factory.mktemp("hostile"))
    yield generation.staging
    generation.discard()


def test_hostile_spec_renders_safe_markdown(hostile: Path) -> None:
    for name in ("README.md", "api.md"):
        text = (hostile / name).read_text()
        assert html_tokens(text) == [], name
        assert "<script" not in text.replace("`<script", "")
    api_md = (hostile / "api.md").read_text()
    tokens = _md.parse(api_md)
    assert [t.content for t in tokens if t.type == "inline" and t.content.startswith("`client.")] == [
        "`client.widgets`",
        "`client.widgets.create_widget()`",
        "`client.widgets.get_widget()`",
    ]  # no description swallowed a later heading
    tables = [i for i, t in enumerate(tokens) if t.type == "table_open"]
    assert len(tables) == 5  # 2 parameter tables, 1 error table, 2 model tables
    for table_start in tables:
        widths = []
        depth_cells = 0
        for t in tokens[table_start:]:
            if t.type in ("td_open", "th_open"):
                depth_cells += 1
            elif t.type == "tr_close":
                widths.append(depth_cells)
                depth_cells = 0
            elif t.type == "table_close":
                break
        assert len(set(widths)) == 1, widths  # no pipe in a description added a column


def test_hostile_spec_gives_valid_python(hostile: Path) -> None:
    for path in hostile.rglob("*.py"):
        compile(path.read_text(), str(path), "exec")
    for code in python_blocks((hostile / "README.md").read_text()) + python_blocks((hostile / "api.md").read_text()):
        compile(code, "<block>", "exec")
    models = (hostile / "hostile_b_docs_b_pipes_client" / "types" / "_models.py").read_text()
    assert '\\"\\"\\"' in models or "triple quote" in models


# --- api.md against the IR ----------------------------------------------------------------------


def test_api_md_lists_every_operation_and_schema(parallel: Any) -> None:
    text = (GENERATED / "api.md").read_text()
    inline = [c.content for t in _md.parse(text) for c in t.children or () if c.type == "code_inline"]
    headings = set(inline)
    for op in parallel.api.operations:
        assert f"{op.method.upper()} {op.path}" in headings, op.operation_id
    methods = [f"{res.md_path}.{op.name}()" for res in parallel.resources_with_root for op in res.operations]
    assert all(m in headings for m in methods)
    assert len({o.operation.operation_id for r in parallel.resources_with_root for o in r.operations}) == len(parallel.api.operations)
    for named in parallel.api.schemas:
        assert f"\n### `{named.name}`\n" in text, named.name
    assert html_tokens(text) == []


def test_api_md_parameters_match_signatures(parallel: Any) -> None:
    docs = build_docs(parallel)
    by_heading = {op.heading: op for res in docs.resources for op in res.operations}
    for res in parallel.resources_with_root:
        for op in res.operations:
            doc = by_heading[md_code(f"{res.md_path}.{op.name}()")]
            assert [p.name for p in doc.params] == [md_code(a.name) for a in op.arguments]
            assert [p.required for p in doc.params] == ["yes" if a.required else "no" for a in op.arguments]


def test_docstrings_match_the_reference(parallel: Any) -> None:
    """IDE hovers (docstrings) and api.md carry the same spec text."""
    import parallel_api

    client = parallel_api.Parallel(api_key="k", base_url="http://127.0.0.1:9")
    text = (GENERATED / "api.md").read_text()
    checked = 0
    for res in parallel.resources_with_root:
        for op in res.operations:
            summary = clean_text(op.operation.summary)
            if not summary:
                continue
            target: Any = client
            for attr in res.node.path:
                target = getattr(target, attr)
            doc = inspect.getdoc(getattr(target, op.name)) or ""
            assert doc.startswith(summary), op.name
            assert f"\n{md_block(summary)}\n" in text
            checked += 1
    assert checked == len([o for o in parallel.api.operations if o.summary]) + sum(
        1 for r in parallel.resources_with_root for o in r.operations if o.alias_of and o.operation.summary
    )


# --- README examples ----------------------------------------------------------------------------


def test_readme_blocks_compile() -> None:
    blocks = python_blocks((GENERATED / "README.md").read_text())
    assert len(blocks) >= 8
    for code in blocks:
        compile(code, "<README>", "exec")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def prism() -> Iterator[str]:
    assert PRISM.exists(), "run `make test` (npm ci installs Prism)"
    port = _free_port()
    process = subprocess.Popen(
        [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), str(SPEC)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "Prism did not start"
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


class _Proxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: str, sse_routes: list[tuple[re.Pattern[str], bytes]]) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.upstream = httpx.Client(base_url=upstream, timeout=10)
        self.sse_routes = sse_routes
        self.seen: list[tuple[str, str, int]] = []


class _ProxyHandler(BaseHTTPRequestHandler):
    server: _Proxy

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        path = self.path.split("?")[0]
        for pattern, events in self.server.sse_routes:
            if self.command == "GET" and pattern.fullmatch(path):
                self.server.seen.append((self.command, path, 200))
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("content-length", str(len(events)))
                self.end_headers()
                self.wfile.write(events)
                return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
        response = self.server.upstream.request(self.command, self.path, headers=headers, content=body)
        self.server.seen.append((self.command, path, response.status_code))
        self.send_response(response.status_code)
        self.send_header("content-type", response.headers.get("content-type", "application/json"))
        self.send_header("content-length", str(len(response.content)))
        self.end_headers()
        self.wfile.write(response.content)

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _handle


def _sse_routes(parallel: Any) -> list[tuple[re.Pattern[str], bytes]]:
    """Every SSE-only route, answered with one event built from its schema, then ``[DONE]``."""
    values = ExampleValues(parallel.api)
    routes = []
    for op in parallel.api.operations:
        ok = [c for r in op.responses if r.status.startswith("2") for c in r.contents]
        if ok and all(is_sse(c.media_type) for c in ok):
            pattern = re.compile(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(op.path)))
            event = json.dumps(values.value(ok[0].schema))
            routes.append((pattern, f"data: {event}\n\ndata: [DONE]\n\n".encode()))
    return routes


def test_readme_blocks_run(parallel: Any, prism: str, tmp_path: Path) -> None:
    """All README blocks, in order, as one script: the calls are accepted by Prism's request
    validation and the responses (and one SSE event per stream) parse into the models."""
    server = _Proxy(prism, _sse_routes(parallel))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        script = tmp_path / "readme.py"
        script.write_text("\n\n".join(python_blocks((GENERATED / "README.md").read_text())))
        env = {
            **os.environ,
            "PYTHONPATH": str(GENERATED),
            f"{parallel.env_prefix}_BASE_URL": f"http://127.0.0.1:{server.server_address[1]}",
            parallel.auth.env_var: "test-key",
        }
        result = subprocess.run(
            [sys.executable, str(script)], check=False, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr[-3000:]
    finally:
        server.shutdown()
        server.server_close()
        server.upstream.close()
    statuses = {status for _, _, status in server.seen}
    assert statuses == {200} or statuses <= {200, 201, 202}, server.seen
    called = {(method, path) for method, path, _ in server.seen}
    assert len(called) >= 5  # create, retrieve, result, another operation, the stream
    assert "Error code" not in result.stdout


def test_changelog_is_created_once_and_survives_regeneration(tmp_path: Path) -> None:
    from generator.pipeline import generate
    from generator.write.manifest import Manifest

    out = tmp_path / "client"
    generate(HOSTILE, load_config(None), out)
    changelog = out / "CHANGELOG.md"
    assert changelog.read_text().startswith("# Changelog\n")
    changelog.write_text(changelog.read_text() + "\nA hand-written note.\n")
    (out / "README.md").write_text("stale")  # force a real regeneration
    generate(HOSTILE, load_config(None), out)
    assert "A hand-written note." in changelog.read_text()
    assert (out / "README.md").read_text() != "stale"
    manifest = Manifest.read(out)
    assert manifest is not None and "CHANGELOG.md" not in manifest.files and "LICENSE" in manifest.files
