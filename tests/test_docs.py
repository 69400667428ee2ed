"""The generated docs: Markdown safety, api.md completeness against the IR, README examples that
compile and run (against Prism behind a loopback proxy that also serves the SSE routes)."""

from __future__ import annotations

import inspect
import itertools
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
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from markdown_it import MarkdownIt

from generator.config import load_config
from generator.emit.docs import build_docs
from generator.emit.docs.examples import ExampleValues
from generator.emit.docs.markdown import md_block, md_cell, md_code, md_fence
from generator.literals import clean_text
from generator.pipeline import load_api, render
from generator.plan import build_plan
from generator.plan.operations import is_sse
from tests.support.project import models_source

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
SPEC = ROOT / "spec" / "public-openapi.json"
HOSTILE = ROOT / "tests" / "specs" / "docs" / "hostile.yaml"
PRISM = ROOT / "node_modules" / ".bin" / "prism"

_md = MarkdownIt("commonmark").enable("table")


def python_blocks(markdown: str) -> list[str]:
    return [
        t.content for t in _md.parse(markdown) if t.type == "fence" and t.info.strip() == "python"
    ]


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
    return build_plan(api, load_config(ROOT / "apigen.yaml"))


# --- Markdown helpers ---------------------------------------------------------------------------


def test_md_block_escapes_html_but_keeps_markdown() -> None:
    out = md_block(
        "**Bold** <script>alert(1)</script> `<b>code</b>` [link](https://x.y) <https://a.b>"
    )
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
    assert [
        c.content for t in _md.parse(span) for c in t.children or () if c.type == "code_inline"
    ] == ["Literal['a`b']"]
    fence = md_fence("x = '```'\n")
    assert [t.content for t in _md.parse(fence) if t.type == "fence"] == ["x = '```'\n"]


# --- hostile spec -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    generation = render(
        HOSTILE, load_config(None), staging_parent=tmp_path_factory.mktemp("hostile")
    )
    yield generation.staging
    generation.discard()


def test_hostile_spec_renders_safe_markdown(hostile: Path) -> None:
    for name in ("README.md", "api.md"):
        text = (hostile / name).read_text()
        assert html_tokens(text) == [], name
        assert "<script" not in text.replace("`<script", "")
    api_md = (hostile / "api.md").read_text()
    tokens = _md.parse(api_md)
    assert [
        t.content
        for before, t in itertools.pairwise(tokens)
        if before.type == "heading_open" and t.content.startswith("`client.")
    ] == [
        "`client.widgets`",
        "`client.widgets.create()`",
        "`client.widgets.retrieve()`",
    ]  # no description swallowed a later heading
    tables = [i for i, t in enumerate(tokens) if t.type == "table_open"]
    assert len(tables) == 6  # 2 parameter tables, 1 error table, the MCP tools, 2 model tables
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
    for code in python_blocks((hostile / "README.md").read_text()) + python_blocks(
        (hostile / "api.md").read_text()
    ):
        compile(code, "<block>", "exec")
    models = models_source(hostile)
    assert '\\"\\"\\"' in models or "triple quote" in models


# --- api.md against the IR ----------------------------------------------------------------------


def test_api_md_lists_every_operation_and_schema(parallel: Any) -> None:
    text = (GENERATED / "api.md").read_text()
    inline = [
        c.content for t in _md.parse(text) for c in t.children or () if c.type == "code_inline"
    ]
    headings = set(inline)
    for op in parallel.api.operations:
        assert f"{op.method.upper()} {op.path}" in headings, op.operation_id
    methods = [f"{op.target}()" for op in parallel.methods()]
    assert all(m in headings for m in methods)
    assert len({o.operation.operation_id for o in parallel.methods()}) == len(
        parallel.api.operations
    )
    for named in parallel.api.schemas:
        assert f"\n### `{named.name}`\n" in text, named.name
    assert html_tokens(text) == []


def test_api_md_parameters_match_signatures(parallel: Any) -> None:
    docs = build_docs(parallel)
    by_heading = {op.heading: op for res in docs.resources for op in res.operations}
    for op in parallel.methods():
        doc = by_heading[md_code(f"{op.target}()")]
        assert [p.name for p in doc.params] == [md_code(a.name) for a in op.arguments]
        assert [p.required for p in doc.params] == [
            "yes" if a.required else "no" for a in op.arguments
        ]


def test_api_md_signature_keeps_keywords_named_like_request_options(tmp_path: Path) -> None:
    """A spec keyword that starts like a per-request option (``timeout_ms``, ``extra_fields``) is a
    real argument: the signature block lists it (it used to be filtered out by its prefix)."""
    query = [
        {"name": n, "in": "query", "schema": {"type": t}}
        for n, t in (("timeout_ms", "integer"), ("extra_fields", "string"), ("limit", "integer"))
    ]
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Kw", "version": "1"},
        "paths": {
            "/items": {
                "get": {
                    "operationId": "listItems",
                    "parameters": query,
                    "responses": {"204": {"description": "none"}},
                }
            }
        },
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    _, api = load_api(path)
    plan = build_plan(api, load_config(None))
    (doc,) = [op for res in build_docs(plan).resources for op in res.operations]
    assert doc.parameters == (
        "*",
        "timeout_ms: int | NotGiven = NOT_GIVEN",
        "extra_fields: str | NotGiven = NOT_GIVEN",
        "limit: int | NotGiven = NOT_GIVEN",
    )


def test_docstrings_match_the_reference(parallel: Any) -> None:
    """IDE hovers (docstrings) and api.md carry the same spec text."""
    import parallel_api

    client = parallel_api.Parallel(api_key="k", base_url="http://127.0.0.1:9")
    text = (GENERATED / "api.md").read_text()
    checked = 0
    for op in parallel.methods():
        summary = clean_text(op.operation.summary)
        if not summary:
            continue
        target: Any = client
        for attr in op.resource:
            target = getattr(target, attr)
        doc = inspect.getdoc(getattr(target, op.name)) or ""
        assert doc.startswith(summary), op.name
        assert f"\n{md_block(summary)}\n" in text
        checked += 1
    assert checked == len([o for o in parallel.api.operations if o.summary]) + sum(
        1 for o in parallel.methods() if o.alias_of and o.operation.summary
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
        self.requests: list[Recorded] = []


@dataclass(frozen=True)
class Recorded:
    """One request the README script sent, as it arrived on the wire."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class _ProxyHandler(BaseHTTPRequestHandler):
    server: _Proxy

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        path, _, query = self.path.partition("?")
        lowered = {k.lower(): v for k, v in self.headers.items()}
        self.server.requests.append(Recorded(self.command, path, parse_qs(query), lowered, body))
        for pattern, events in self.server.sse_routes:
            if self.command == "GET" and pattern.fullmatch(path):
                self.server.seen.append((self.command, path, 200))
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("content-length", str(len(events)))
                self.end_headers()
                self.wfile.write(events)
                return
        headers = {
            k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")
        }
        response = self.server.upstream.request(
            self.command, self.path, headers=headers, content=body
        )
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


@dataclass(frozen=True)
class ReadmeRun:
    stdout: str
    seen: list[tuple[str, str, int]]
    requests: list[Recorded]


@pytest.fixture(scope="module")
def readme_run(parallel: Any, prism: str, tmp_path_factory: pytest.TempPathFactory) -> ReadmeRun:
    """All README blocks, in order, as one script against Prism behind the recording proxy."""
    tmp_path = tmp_path_factory.mktemp("readme")
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
            [sys.executable, str(script)],
            check=False,
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr[-3000:]
    finally:
        server.shutdown()
        server.server_close()
        server.upstream.close()
    return ReadmeRun(result.stdout, server.seen, server.requests)


def test_readme_blocks_run(readme_run: ReadmeRun) -> None:
    """The calls are accepted by Prism's request validation and the responses (and one SSE event
    per stream) parse into the models."""
    statuses = {status for _, _, status in readme_run.seen}
    assert statuses == {200} or statuses <= {200, 201, 202}, readme_run.seen
    called = {(method, path) for method, path, _ in readme_run.seen}
    assert len(called) >= 5  # create, retrieve, result, another operation, the stream
    assert "Error code" not in readme_run.stdout


def test_readme_feature_examples_send_what_the_prose_says(
    parallel: Any, readme_run: ReadmeRun
) -> None:
    readme = build_docs(parallel).readme
    requests = readme_run.requests
    # Header parameters: the list reaches the wire as one comma-joined header.
    header, value = readme.header_example.strip("`").split(": ", 1)
    assert "," in value and any(r.headers.get(header) == value for r in requests)
    # Client configuration: defaults on every request of that client, per-request extras on one.
    assert any(
        r.headers.get("x-example-header") == "value" and r.query.get("example_param") == ["value"]
        for r in requests
    )
    extra = [r for r in requests if r.headers.get("x-request-header") == "value"]
    assert len(extra) == 1 and extra[0].query.get("extra_param") == ["value"]
    assert extra[0].json()["extra_field"] == "value"
    # Renamed parameters: api_timeout= is sent as the spec's `timeout` query parameter.
    assert readme.renamed is not None
    [api_timeout] = re.findall(r"api_timeout=(\d+)", readme.renamed.step.call.code())
    assert any(
        r.path.endswith("/result") and r.query.get("timeout") == [api_timeout] for r in requests
    )
    # Omitted vs null: the same create call without the key, then with an explicit null.
    creates = [r.json() for r in requests if (r.method, r.path) == ("POST", "/v1/tasks/runs")]
    assert any("metadata" not in body for body in creates)
    assert any("metadata" in body and body["metadata"] is None for body in creates)


def test_readme_extra_execute_runs_against_prism(readme_run: ReadmeRun) -> None:
    """docs/readme/parallel-execute.md's blocks ran: create sent the model's JSON schema, the
    result endpoint answered, and the output was parsed (sync and async) and printed."""
    spec = json.loads(SPEC.read_text())
    result_op = spec["paths"]["/v1/tasks/runs/{run_id}/result"]["get"]
    expected = result_op["responses"]["200"]["content"]["application/json"]["example"]["output"][
        "content"
    ]["gdp"]
    schemas = [
        body["task_spec"]["output_schema"]["json_schema"]
        for r in readme_run.requests
        if (r.method, r.path) == ("POST", "/v1/tasks/runs") and "task_spec" in (body := r.json())
    ]
    from_model = [s for s in schemas if s.get("title") == "Gdp"]
    assert len(from_model) == 2  # sync and async execute(output=Gdp)
    assert all(s["properties"]["gdp"]["type"] == "string" for s in from_model)
    assert any(
        s.get("additionalProperties") is False and s.get("title") is None for s in schemas
    )  # the dict form
    assert readme_run.stdout.count(expected) >= 3  # parsed.gdp twice, the dict content once


# --- README feature sections follow the spec ----------------------------------------------------


def _tiny_spec(featured: bool) -> str:
    """Two operations; ``featured`` adds an array header, a ``timeout`` query param and a
    nullable optional body field (the three spec features with their own README section)."""
    header = (
        "{name: x-tags, in: header, schema: "
        "{type: array, items: {type: string, enum: [red, green, blue]}}}"
        if featured
        else "{name: x-trace, in: header, schema: {type: string}}"
    )
    query = "timeout" if featured else "limit"
    note = '{type: [string, "null"]}' if featured else "{type: string}"
    return f"""openapi: 3.1.0
info: {{title: Tiny, version: 1.0.0}}
servers: [{{url: "https://tiny.example"}}]
paths:
  /items:
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties: {{name: {{type: string}}, note: {note}}}
      responses:
        "201":
          description: created
          content: {{application/json: {{schema: {{$ref: "#/components/schemas/Item"}}}}}}
  /items/{{item_id}}:
    get:
      operationId: getItem
      parameters:
        - {{name: item_id, in: path, required: true, schema: {{type: string}}}}
        - {header}
        - {{name: {query}, in: query, schema: {{type: integer}}}}
      responses:
        "200":
          description: ok
          content: {{application/json: {{schema: {{$ref: "#/components/schemas/Item"}}}}}}
components:
  schemas:
    Item:
      type: object
      required: [item_id]
      properties: {{item_id: {{type: string}}, name: {{type: string}}}}
"""


def _tiny_readme(tmp_path: Path, featured: bool) -> str:
    spec = tmp_path / f"tiny-{featured}.yaml"
    spec.write_text(_tiny_spec(featured))
    generation = render(spec, load_config(None), staging_parent=tmp_path)
    try:
        return (generation.staging / "README.md").read_text()
    finally:
        generation.discard()


class _Stub(ThreadingHTTPServer):
    """Answers every request with one ``Item`` and records it."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _StubHandler)
        self.requests: list[Recorded] = []


class _StubHandler(BaseHTTPRequestHandler):
    server: _Stub

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        path, _, query = self.path.partition("?")
        lowered = {k.lower(): v for k, v in self.headers.items()}
        self.server.requests.append(Recorded(self.command, path, parse_qs(query), lowered, body))
        payload = b'{"item_id": "i1", "name": "n"}'
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _handle


_FEATURE_SECTIONS = ("## Header parameters", "## Renamed parameters", "## Omitted vs null")


def test_spec_without_the_features_gets_none_of_their_sections(tmp_path: Path) -> None:
    text = _tiny_readme(tmp_path, featured=False)
    assert [h for h in _FEATURE_SECTIONS if h in text] == []
    assert "mixins (sync, async)" not in text  # no `extend` in the config
    assert "## Client configuration" in text  # every client has the options
    for code in python_blocks(text):
        compile(code, "<README>", "exec")


def test_spec_with_the_features_gets_their_sections(tmp_path: Path) -> None:
    text = _tiny_readme(tmp_path, featured=True)
    positions = [
        text.index(h) for h in (*_FEATURE_SECTIONS, "## Handling errors", "## Client configuration")
    ]
    assert positions == sorted(positions)
    assert "| `x_tags` | `x-tags` | `client.items.retrieve` |" in text
    assert "This call sends `x-tags: red,green`." in text
    assert "| `client.items.retrieve` | `timeout` (query) | `api_timeout` |" in text
    assert "with `client.items.create`:" in text


def test_featured_readme_runs_and_sends_what_it_says(tmp_path: Path) -> None:
    """The tiny featured client's README, run as one script against a stub: the array header is
    comma-joined, ``api_timeout`` is the spec's ``timeout``, ``None`` is sent as null."""
    spec = tmp_path / "tiny.yaml"
    spec.write_text(_tiny_spec(featured=True))
    _, api = load_api(spec)
    prefix = build_plan(api, load_config(None)).env_prefix
    generation = render(spec, load_config(None), staging_parent=tmp_path)
    server = _Stub()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        script = tmp_path / "readme.py"
        script.write_text(
            "\n\n".join(python_blocks((generation.staging / "README.md").read_text()))
        )
        env = {
            **os.environ,
            "PYTHONPATH": str(generation.staging),
            f"{prefix}_BASE_URL": f"http://127.0.0.1:{server.server_address[1]}",
        }
        result = subprocess.run(
            [sys.executable, str(script)],
            check=False,
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr[-3000:]
    finally:
        server.shutdown()
        server.server_close()
        generation.discard()
    requests = server.requests
    assert any(r.headers.get("x-tags") == "red,green" for r in requests)
    assert any(r.path == "/items/i1" and r.query.get("timeout") == ["1"] for r in requests)
    creates = [r.json() for r in requests if (r.method, r.path) == ("POST", "/items")]
    assert {"name": "example name"} in creates and {"name": "example name", "note": None} in creates
    extra = [r for r in requests if r.headers.get("x-request-header") == "value"]
    assert (
        len(extra) == 1
        and extra[0].json()["extra_field"] == "value"
        and extra[0].query["extra_param"] == ["value"]
    )
    assert any(
        r.headers.get("x-example-header") == "value" and r.query.get("example_param") == ["value"]
        for r in requests
    )


def test_extended_resources_are_listed(parallel: Any) -> None:
    rows = build_docs(parallel).readme.extended
    assert [(r.resource, r.module) for r in rows] == [
        (md_code(f"client.{path}"), md_code(f"parallel_api/lib/{module.replace('.', '/')}.py"))
        for path, module in sorted(load_config(ROOT / "apigen.yaml").extend.items())
    ]
    assert (
        "| `client.task_run` | `parallel_api/lib/task_run.py` |"
        in (GENERATED / "README.md").read_text()
    )


# --- readme_extra -------------------------------------------------------------------------------


@pytest.fixture
def extra_project(tmp_path: Path) -> Path:
    (tmp_path / "tiny.yaml").write_text(_tiny_spec(featured=False))
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "extra.md").write_text(
        "## Maintainer notes\n\n```python\nprint('from the notes')\n```\n"
    )
    (tmp_path / "apigen.yaml").write_text(
        "spec: tiny.yaml\noutput: out\nreadme_extra: [notes/extra.md]\n"
    )
    return tmp_path


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    from generator.cli import main

    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_readme_extra_is_appended_and_checked(
    extra_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.check import check

    config_path = str(extra_project / "apigen.yaml")
    assert _cli(capsys, "generate", "--config", config_path)[0] == 0
    readme = (extra_project / "out" / "README.md").read_text()
    assert (
        readme.index("## Custom code")
        < readme.index("## Maintainer notes")
        < readme.index("## Versioning")
    )
    assert "from the notes" in python_blocks(readme)[-2]  # the last block is the version one
    assert _cli(capsys, "check", "--config", config_path)[0] == 0
    before = load_config(extra_project / "apigen.yaml").digest()

    (extra_project / "notes" / "extra.md").write_text("## Maintainer notes\n\nReworded.\n")
    config = load_config(extra_project / "apigen.yaml")
    assert config.digest() != before
    drift = check(extra_project / "tiny.yaml", config, extra_project / "out")
    assert drift.rendered and sorted(drift.changed) == [
        ".apigen-manifest.json",
        "README.md",
    ]  # not the fast path
    code, out, _ = _cli(capsys, "check", "--config", config_path)
    assert code == 1 and "-Reworded." in out  # what apigen would generate is the `-` side

    assert _cli(capsys, "generate", "--config", config_path)[0] == 0
    assert "Reworded." in (extra_project / "out" / "README.md").read_text()
    assert _cli(capsys, "check", "--config", config_path)[0] == 0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[notes/missing.md]", "cannot read readme_extra[0] 'notes/missing.md'"),
        ("[../outside.md]", "must be a path inside the config's folder"),
        ("notes/extra.md", "must be a list of Markdown file paths"),
    ],
)
def test_bad_readme_extra_is_a_one_line_error(
    extra_project: Path, capsys: pytest.CaptureFixture[str], value: str, message: str
) -> None:
    (extra_project.parent / "outside.md").write_text("# outside\n")
    (extra_project / "apigen.yaml").write_text(
        f"spec: tiny.yaml\noutput: out\nreadme_extra: {value}\n"
    )
    code, _, err = _cli(capsys, "generate", "--config", str(extra_project / "apigen.yaml"))
    assert code == 2
    [line] = err.splitlines()
    assert line.startswith("apigen: error:") and message in line
    assert not (extra_project / "out").exists()


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
    assert (
        manifest is not None
        and "CHANGELOG.md" not in manifest.files
        and "LICENSE" in manifest.files
    )
