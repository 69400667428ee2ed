"""The generated MCP server, driven by the official ``mcp`` SDK's own client.

A small spec (GETs, a POST, a DELETE, an SSE stream, a self-referencing body, four tags, bearer
auth) is generated once; its server runs as a real subprocess over stdio, and over streamable
HTTP on 127.0.0.1, against a loopback fake API this module starts. Each scenario is one session
whose results the tests read, so the slow part (starting a Python process that imports the SDK)
happens twice; dynamic mode and the filters run in-process over the SDK's in-memory transport.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import anyio
import pytest
from mcp import Client, ClientSession, types
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client

from generator.cli import main as apigen
from tests.support.fault_server import FaultServer, RecordedRequest, Step, sse
from tests.support.hostile import imported

SECRET = "sk-test-secret-4d1f"
MODULE = "widget_shop_client"
KEY_ENV = "WIDGET_SHOP_API_KEY"
TOOL_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
SESSION_SECONDS = 60
MAX_EVENTS = 3
STREAM_SECONDS = 2.0

WIDGET = {"id": "w1", "name": "Sprocket", "size": 3}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


WIDGET_ID = {"name": "widget_id", "in": "path", "required": True, "schema": {"type": "string"}}
SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Widget Shop", "version": "1.0.0"},
    "servers": [{"url": "https://widgets.invalid"}],
    "security": [{"bearer": []}],
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Widget": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "size": {"type": "integer"},
                },
            },
            "WidgetEvent": {
                "type": "object",
                "required": ["seq"],
                "properties": {"seq": {"type": "integer"}, "note": {"type": "string"}},
            },
            "Gadget": {"type": "object", "properties": {"id": {"type": "string"}}},
            "Node": {
                "type": "object",
                "required": ["label"],
                "properties": {
                    "label": {"type": "string"},
                    "children": {"type": "array", "items": _ref("Node")},
                },
            },
        },
    },
    "paths": {
        "/widgets": {
            "get": {
                "operationId": "listWidgets",
                "tags": ["widgets"],
                "summary": "List widgets",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": _json({"type": "array", "items": _ref("Widget")}),
                    }
                },
            },
            "post": {
                "operationId": "createWidget",
                "tags": ["widgets"],
                "summary": "Create a widget",
                "description": "Makes a widget of the given size.",
                "requestBody": {
                    "required": True,
                    "content": _json(
                        {
                            "type": "object",
                            "required": ["name"],
                            "properties": {
                                "name": {"type": "string", "description": "What to call it."},
                                "size": {"type": "integer"},
                            },
                        }
                    ),
                },
                "responses": {"201": {"description": "made", "content": _json(_ref("Widget"))}},
            },
        },
        "/widgets/{widget_id}": {
            "parameters": [WIDGET_ID],
            "get": {
                "operationId": "getWidget",
                "tags": ["widgets"],
                "summary": "Get a widget",
                "responses": {"200": {"description": "ok", "content": _json(_ref("Widget"))}},
            },
            "delete": {
                "operationId": "deleteWidget",
                "tags": ["widgets"],
                "summary": "Delete a widget",
                "responses": {"204": {"description": "gone"}},
            },
        },
        "/widgets/{widget_id}/events": {
            "get": {
                "operationId": "streamWidgetEvents",
                "tags": ["events"],
                "summary": "Stream a widget's events",
                "parameters": [WIDGET_ID],
                "responses": {
                    "200": {
                        "description": "events",
                        "content": {"text/event-stream": {"schema": _ref("WidgetEvent")}},
                    }
                },
            }
        },
        "/trees": {
            "post": {
                "operationId": "createTree",
                "tags": ["trees"],
                "summary": "Plant a tree",
                "requestBody": {"required": True, "content": _json(_ref("Node"))},
                "responses": {"201": {"description": "planted", "content": _json(_ref("Node"))}},
            }
        },
        "/gadgets": {
            "get": {
                "operationId": "listGadgets",
                "tags": ["gadgets"],
                "summary": "List gadgets",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": _json({"type": "array", "items": _ref("Gadget")}),
                    }
                },
            }
        },
    },
}
ALL_TOOLS = {
    "widgets_list",
    "widgets_create",
    "widgets_retrieve",
    "widgets_delete",
    "widgets_events",
    "gadgets_list",
    "trees_create",
}
RECURSIVE_TOOL = "trees_create"


def _generate(folder: Path, config: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    spec = folder / "spec.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    if config is None:
        assert apigen(["--quiet", "generate", str(spec), "-o", str(folder / "out")]) == 0
    else:
        (folder / "apigen.yaml").write_text(config, encoding="utf-8")
        assert apigen(["--quiet", "generate", "--config", str(folder / "apigen.yaml")]) == 0
    return folder / "out"


def _events(count: int, pause: float) -> list[str | float]:
    chunks: list[str | float] = []
    for seq in range(count):
        if chunks:
            chunks.append(pause)
        chunks.append(sse(data=json.dumps({"seq": seq, "note": f"event {seq}"})))
    return chunks


def _created(request: RecordedRequest) -> Step:
    if request.method == "POST":
        return Step(status=201, body={"id": "w2", **request.json()})
    return Step(body=[WIDGET])


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(tmp_path_factory.mktemp("mcp"))


@pytest.fixture(scope="module")
def api() -> Iterator[FaultServer]:
    with FaultServer() as server:
        server.script("/widgets/w1", Step(body=WIDGET))
        server.handle("/widgets", _created)
        server.script(
            "/widgets/missing",
            Step(status=404, body={"error": {"message": f"no widget for Bearer {SECRET}"}}),
        )
        server.script("/widgets/gone", Step(status=204, body=b""))
        server.script("/widgets/w1/events", Step(chunks=_events(2, 0.05)))
        server.script("/widgets/endless/events", Step(chunks=_events(200, 0.1)))
        server.script("/widgets/slow/events", Step(chunks=[*_events(1, 0), 30.0]))
        server.script("/gadgets", Step(body=[{"id": "g1"}]))
        server.handle("/trees", lambda request: Step(status=201, body=request.json()))
        yield server


@dataclass
class Call:
    result: types.CallToolResult
    progress: list[tuple[float, float | None, str | None]] = field(
        default_factory=list[tuple[float, float | None, str | None]]
    )

    @property
    def text(self) -> str:
        return "\n".join(c.text for c in self.result.content if isinstance(c, types.TextContent))


class Recorder:
    """One MCP session: what it listed and what each call returned, by label."""

    def __init__(self, session: ClientSession) -> None:
        self.session = session
        self.calls: dict[str, Call] = {}

    async def call(self, label: str, tool: str, arguments: dict[str, Any]) -> None:
        progress: list[tuple[float, float | None, str | None]] = []

        async def on_progress(value: float, total: float | None, message: str | None) -> None:
            progress.append((value, total, message))

        result = await self.session.call_tool(tool, arguments, progress_callback=on_progress)
        self.calls[label] = Call(result, progress)


Scenario = Callable[[Recorder], Awaitable[None]]


@dataclass
class Session:
    tools: list[types.Tool]
    calls: dict[str, Call]
    requests: list[RecordedRequest]
    """What the fake API received during the session."""

    def tool(self, name: str) -> types.Tool:
        return next(tool for tool in self.tools if tool.name == name)


def _env(project: Path) -> dict[str, str]:
    return {"PYTHONPATH": str(project), KEY_ENV: SECRET}


def _arguments(api: FaultServer, *options: str) -> list[str]:
    return ["-m", f"{MODULE}.mcp", "--base-url", api.url, *options]


async def _record(session: ClientSession, scenario: Scenario) -> tuple[list[types.Tool], Recorder]:
    await session.initialize()
    tools = (await session.list_tools()).tools
    recorder = Recorder(session)
    await scenario(recorder)
    return tools, recorder


def _stdio_session(
    project: Path, api: FaultServer, options: list[str], scenario: Scenario, log: Path
) -> Session:
    before = len(api.requests)
    params = StdioServerParameters(
        command=sys.executable, args=_arguments(api, *options), env=_env(project), cwd=project
    )

    async def run() -> tuple[list[types.Tool], Recorder]:
        with anyio.fail_after(SESSION_SECONDS), log.open("w") as errlog:
            async with (
                stdio_client(params, errlog=errlog) as (read, write),
                ClientSession(read, write) as session,
            ):
                return await _record(session, scenario)

    tools, recorder = anyio.run(run)
    return Session(tools, recorder.calls, api.requests[before:])


async def _static_scenario(recorder: Recorder) -> None:
    await recorder.call("get", "widgets_retrieve", {"widget_id": "w1"})
    await recorder.call("post", "widgets_create", {"name": "Gear", "size": 2})
    await recorder.call("list", "widgets_list", {})
    await recorder.call("delete", "widgets_delete", {"widget_id": "gone"})
    await recorder.call("stream", "widgets_events", {"widget_id": "w1"})
    await recorder.call("endless", "widgets_events", {"widget_id": "endless"})
    await recorder.call("slow", "widgets_events", {"widget_id": "slow"})
    await recorder.call("missing", "widgets_retrieve", {"widget_id": "missing"})
    await recorder.call("wrong_type", "widgets_create", {"name": "Gear", "size": "big"})
    await recorder.call("no_name", "widgets_create", {"size": 2})
    await recorder.call("unknown", "widgets_create", {"name": "Gear", "colour": "red"})
    await recorder.call("no_such_tool", "widgets_paint", {})


@pytest.fixture(scope="module")
def stdio(project: Path, api: FaultServer) -> Session:
    limits = ["--stream-max-events", str(MAX_EVENTS), "--stream-timeout", str(STREAM_SECONDS)]
    return _stdio_session(project, api, limits, _static_scenario, project / "stdio.log")


def test_stdio_lists_one_tool_per_operation(stdio: Session) -> None:
    assert {tool.name for tool in stdio.tools} == ALL_TOOLS
    for tool in stdio.tools:
        assert set(tool.name) <= TOOL_NAME_CHARS
        if tool.name != RECURSIVE_TOOL:  # inline: hosts need not resolve refs
            assert "$ref" not in json.dumps(tool.input_schema)
    create = stdio.tool("widgets_create")
    assert create.title == "Create a widget"
    assert (
        create.description
        == "Create a widget\n\nMakes a widget of the given size.\n\nPOST /widgets"
    )
    assert create.input_schema == {
        "type": "object",
        "properties": {
            "name": {"type": "string", "description": "What to call it."},
            "size": {"type": "integer"},
        },
        "required": ["name"],
        "additionalProperties": False,
    }


def test_tool_annotations_follow_http_semantics(stdio: Session) -> None:
    get, post = stdio.tool("widgets_retrieve"), stdio.tool("widgets_create")
    delete = stdio.tool("widgets_delete")
    assert get.annotations is not None and get.annotations.read_only_hint is True
    assert post.annotations is not None and post.annotations.read_only_hint is False
    assert post.annotations.destructive_hint is None  # MCP's cautious default stays
    assert delete.annotations is not None
    assert delete.annotations.destructive_hint is True
    assert delete.annotations.idempotent_hint is True


def test_get_tool_calls_the_api_with_the_key_from_the_environment(stdio: Session) -> None:
    call = stdio.calls["get"]
    assert not call.result.is_error
    assert call.result.structured_content == WIDGET
    assert json.loads(call.text) == WIDGET
    (request,) = [r for r in stdio.requests if r.path == "/widgets/w1"]
    assert request.method == "GET"
    assert request.headers["authorization"] == f"Bearer {SECRET}"


def test_post_tool_sends_the_arguments_as_the_body(stdio: Session) -> None:
    call = stdio.calls["post"]
    assert not call.result.is_error
    assert call.result.structured_content == {"id": "w2", "name": "Gear", "size": 2}
    posts = [r for r in stdio.requests if r.path == "/widgets" and r.method == "POST"]
    assert [r.json() for r in posts] == [{"name": "Gear", "size": 2}]


def test_list_result_and_empty_response(stdio: Session) -> None:
    assert stdio.calls["list"].result.structured_content == {"result": [WIDGET]}
    delete = stdio.calls["delete"]
    assert not delete.result.is_error and delete.text.startswith("Done")
    assert [r.method for r in stdio.requests if r.path == "/widgets/gone"] == ["DELETE"]


def test_stream_tool_collects_events_and_reports_progress(stdio: Session) -> None:
    call = stdio.calls["stream"]
    assert not call.result.is_error
    events = [{"seq": 0, "note": "event 0"}, {"seq": 1, "note": "event 1"}]
    assert call.result.structured_content == {"events": events, "complete": True}
    assert [(value, total) for value, total, _ in call.progress] == [(1, None), (2, None)]
    assert [json.loads(message or "") for _, _, message in call.progress] == events


def test_stream_tool_stops_at_the_event_bound(stdio: Session, api: FaultServer) -> None:
    structured = stdio.calls["endless"].result.structured_content
    assert structured is not None
    assert [e["seq"] for e in structured["events"]] == list(range(MAX_EVENTS))
    assert structured["complete"] is False
    assert structured["stopped"] == f"after {MAX_EVENTS} events"
    assert len(stdio.calls["endless"].progress) == MAX_EVENTS
    assert api.wait_for(lambda: "/widgets/endless/events" in api.disconnects, timeout=10)


def test_stream_tool_stops_at_the_time_bound(stdio: Session) -> None:
    structured = stdio.calls["slow"].result.structured_content
    assert structured is not None
    assert structured["events"] == [{"seq": 0, "note": "event 0"}]
    assert structured["complete"] is False
    assert structured["stopped"] == f"after {STREAM_SECONDS:g} seconds"


def test_api_error_is_a_tool_error_without_the_key(stdio: Session) -> None:
    result = stdio.calls["missing"].result
    assert result.is_error
    assert "404" in stdio.calls["missing"].text
    assert result.structured_content is not None
    assert result.structured_content["status"] == 404
    everything = stdio.calls["missing"].text + json.dumps(result.structured_content)
    assert "no widget for Bearer" in everything  # the API's message reaches the agent...
    assert SECRET not in everything  # ...but never the credential


@pytest.mark.parametrize(
    ("label", "where"), [("wrong_type", "size"), ("no_name", "name"), ("unknown", "colour")]
)
def test_invalid_arguments_are_rejected_before_any_request(
    stdio: Session, label: str, where: str
) -> None:
    call = stdio.calls[label]
    assert call.result.is_error
    assert call.text.startswith("Invalid arguments for widgets_create")
    assert where in call.text
    posts = [r for r in stdio.requests if r.path == "/widgets" and r.method == "POST"]
    assert len(posts) == 1  # only the valid call of test_post_tool_... reached the API


def test_unknown_tool_is_a_tool_error(stdio: Session) -> None:
    call = stdio.calls["no_such_tool"]
    assert call.result.is_error and "widgets_paint" in call.text


async def _dynamic_scenario(recorder: Recorder) -> None:
    await recorder.call("all", "list_api_endpoints", {})
    await recorder.call("search", "list_api_endpoints", {"search": "gadget"})
    await recorder.call("schema", "get_api_endpoint_schema", {"endpoint": "widgets_create"})
    await recorder.call(
        "invoke",
        "invoke_api_endpoint",
        {"endpoint": "widgets_retrieve", "args": {"widget_id": "w1"}},
    )
    await recorder.call(
        "invalid", "invoke_api_endpoint", {"endpoint": "widgets_create", "args": {}}
    )
    await recorder.call("unknown", "invoke_api_endpoint", {"endpoint": "nope"})


@pytest.fixture(scope="module")
def server_module(project: Path) -> Iterator[ModuleType]:
    """The generated server module, imported here: the filters and the mode choice are checked
    in-process (the stdio and HTTP sessions have their own processes; each start costs
    seconds)."""
    with imported(project):
        yield importlib.import_module(f"{MODULE}.mcp.server")


@pytest.fixture(scope="module")
def dynamic(project: Path, api: FaultServer) -> Session:
    """Dynamic mode as an agent host runs it: the server in its own process, over stdio."""
    log = project / "dynamic.log"
    return _stdio_session(project, api, ["--tools", "dynamic"], _dynamic_scenario, log)


def test_dynamic_mode_serves_three_meta_tools(dynamic: Session) -> None:
    assert [tool.name for tool in dynamic.tools] == [
        "list_api_endpoints",
        "get_api_endpoint_schema",
        "invoke_api_endpoint",
    ]
    listing = dynamic.calls["all"].result.structured_content
    assert listing is not None and listing["total"] == len(ALL_TOOLS)
    assert {e["name"] for e in listing["endpoints"]} == ALL_TOOLS
    found = dynamic.calls["search"].result.structured_content
    assert found is not None
    assert found["endpoints"] == [
        {
            "name": "gadgets_list",
            "title": "List gadgets",
            "method": "GET",
            "path": "/gadgets",
            "read_only": True,
        }
    ]


def test_dynamic_mode_schema_and_invoke(dynamic: Session) -> None:
    schema = dynamic.calls["schema"].result.structured_content
    assert schema is not None
    assert schema["inputSchema"]["required"] == ["name"]
    assert schema["annotations"]["readOnlyHint"] is False
    invoked = dynamic.calls["invoke"].result
    assert not invoked.is_error and invoked.structured_content == WIDGET
    invalid = dynamic.calls["invalid"]
    assert invalid.result.is_error and "name" in invalid.text
    assert not [r for r in dynamic.requests if r.method == "POST"]  # rejected before sending
    assert dynamic.calls["unknown"].result.is_error


def _listed(server_module: ModuleType, options: list[str]) -> list[str]:
    server, _ = server_module.configure(options)

    async def run() -> list[str]:
        with anyio.fail_after(SESSION_SECONDS):
            async with Client(server, mode="legacy") as client:
                return [tool.name for tool in (await client.list_tools()).tools]

    return anyio.run(run)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--resource", "widgets"], {t for t in ALL_TOOLS if t.startswith("widgets_")}),
        (["--operation", "gadgets_list"], {"gadgets_list"}),
        (["--operation", "widgets.retrieve"], {"widgets_retrieve"}),
        (["--tag", "EVENTS"], {"widgets_events"}),
        (
            ["--read-only"],
            {
                "widgets_list",
                "widgets_retrieve",
                "widgets_events",
                "gadgets_list",
            },
        ),
        (
            ["--resource", "widgets", "--read-only"],
            {"widgets_list", "widgets_retrieve", "widgets_events"},
        ),
        (
            ["--tag", "gadgets", "--tag", "events"],
            {"gadgets_list", "widgets_events"},
        ),
    ],
)
def test_filters_narrow_the_static_tools(
    server_module: ModuleType, options: list[str], expected: set[str]
) -> None:
    assert set(_listed(server_module, options)) == expected


def test_auto_mode_is_dynamic_above_the_threshold(
    server_module: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert set(_listed(server_module, [])) == ALL_TOOLS  # 7 operations: static
    monkeypatch.setattr(server_module, "DYNAMIC_THRESHOLD", len(ALL_TOOLS) - 1)
    assert _listed(server_module, []) == [
        "list_api_endpoints",
        "get_api_endpoint_schema",
        "invoke_api_endpoint",
    ]
    widgets = {t for t in ALL_TOOLS if t.startswith("widgets_")}
    assert set(_listed(server_module, ["--resource", "widgets"])) == widgets  # filtered: static


def test_a_recursive_input_schema_stands_alone_with_defs(
    server_module: ModuleType, api: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A schema that refers to itself cannot be inlined: the tool carries the definitions it
    needs as ``$defs``, and the server's check follows them into nested values."""
    monkeypatch.setenv(KEY_ENV, SECRET)
    server, _ = server_module.configure(["--base-url", api.url])
    tree = {"label": "root", "children": [{"label": "leaf", "children": []}]}

    async def run() -> tuple[types.Tool, types.CallToolResult, types.CallToolResult]:
        with anyio.fail_after(SESSION_SECONDS):
            async with Client(server, mode="legacy") as client:
                tools = (await client.list_tools()).tools
                invalid = {"label": "root", "children": [{"children": []}]}  # a label missing
                rejected = await client.call_tool(RECURSIVE_TOOL, invalid)
                planted = await client.call_tool(RECURSIVE_TOOL, tree)
        return next(t for t in tools if t.name == RECURSIVE_TOOL), rejected, planted

    tool, rejected, planted = anyio.run(run)
    schema = tool.input_schema
    referred = set(re.findall(r'"\$ref": "#/\$defs/([^"]+)"', json.dumps(schema)))
    assert referred and referred == set(schema["$defs"])  # every reference resolves, no extra
    assert rejected.is_error
    assert "children/0" in " ".join(
        c.text for c in rejected.content if isinstance(c, types.TextContent)
    )
    assert not planted.is_error and planted.structured_content == tree
    assert [r.json() for r in api.requests_for("/trees")] == [tree]  # only the valid call


def test_filters_that_keep_nothing_are_a_usage_error(
    server_module: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        server_module.configure(["--tag", "nothing-has-this"])
    assert exited.value.code == 2
    assert "no operation passes the filters" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the HTTP server exited"
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


async def _http_scenario(recorder: Recorder) -> None:
    await recorder.call("get", "widgets_retrieve", {"widget_id": "w1"})
    await recorder.call("post", "widgets_create", {"name": "Bolt"})
    await recorder.call("stream", "widgets_events", {"widget_id": "w1"})


@pytest.fixture(scope="module")
def http(project: Path, api: FaultServer) -> Iterator[Session]:
    port = _free_port()
    options = ["--transport", "http", "--host", "127.0.0.1", "--port", str(port)]
    with (project / "http.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, *_arguments(api, *options)],
            env={**os.environ, **_env(project)},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_port(port, process, SESSION_SECONDS)
        before = len(api.requests)

        async def run() -> tuple[list[types.Tool], Recorder]:
            with anyio.fail_after(SESSION_SECONDS):
                url = f"http://127.0.0.1:{port}/mcp"
                async with (
                    streamable_http_client(url) as (read, write),
                    ClientSession(read, write) as session,
                ):
                    return await _record(session, _http_scenario)

        tools, recorder = anyio.run(run)
        yield Session(tools, recorder.calls, api.requests[before:])
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def test_streamable_http_lists_and_calls_tools(http: Session) -> None:
    assert {tool.name for tool in http.tools} == ALL_TOOLS
    assert http.calls["get"].result.structured_content == WIDGET
    assert http.calls["post"].result.structured_content == {"id": "w2", "name": "Bolt"}
    posts = [r for r in http.requests if r.method == "POST" and r.path == "/widgets"]
    assert [r.json() for r in posts] == [{"name": "Bolt"}]


def test_streamable_http_sends_progress_notifications(http: Session) -> None:
    call = http.calls["stream"]
    structured = call.result.structured_content
    assert structured is not None and structured["complete"] is True
    assert [value for value, _, _ in call.progress] == [1, 2]


def test_generated_project_declares_the_server(project: Path) -> None:
    pyproject = (project / "pyproject.toml").read_text(encoding="utf-8")
    assert 'mcp = ["mcp>=2.3.0,<3", "jsonschema>=4.20,<5"]' in pyproject
    assert f'"widget-shop-client-mcp" = "{MODULE}.mcp:main"' in pyproject
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert '"command": "widget-shop-client-mcp"' in readme
    assert f'"{KEY_ENV}": "<your key>"' in readme
    api_md = (project / "api.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in api_md for name in ALL_TOOLS)


def test_mcp_false_emits_no_server(tmp_path: Path) -> None:
    out = _generate(tmp_path, "spec: spec.json\noutput: out\nmcp: false\n")
    assert (out / MODULE / "_client.py").is_file()
    assert not (out / MODULE / "mcp").exists()
    texts = [(out / name).read_text(encoding="utf-8") for name in ("pyproject.toml", "README.md")]
    assert not any("mcp" in text.lower() for text in texts)
    assert "MCP" not in (out / "api.md").read_text(encoding="utf-8")
