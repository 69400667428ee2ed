"""The committed Parallel client's MCP server against Prism: every non-SSE tool, called by the
``mcp`` SDK's client over stdio, with arguments Prism's request validation accepts.

Prism checks each request against the spec (path, query, auth, body), so a tool whose input
schema or argument binding disagrees with the client fails here as a tool error.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import anyio
import pytest
from mcp import ClientSession, types
from mcp.client.stdio import StdioServerParameters, stdio_client

from tests.support.parallel import ROOT, Binding, home_bindings, raw_spec
from tests.support.prism import call_arguments, prism_url

__all__ = ["prism_url"]  # the session fixture, used by name below

pytestmark = pytest.mark.prism

GENERATED = ROOT / "generated"
CATALOG = json.loads((GENERATED / "parallel_api" / "mcp" / "tools.json").read_text("utf-8"))
OPERATIONS = [b for b in home_bindings() if not b.is_sse_only]


def _entry(binding: Binding) -> dict[str, Any]:
    entry: dict[str, Any] = next(t for t in CATALOG["tools"] if tuple(t["method"]) == binding.path)
    return entry


def _schema_less(binding: Binding) -> bool:
    """The success response's JSON schema is ``{}``: any value, ``null`` included."""
    responses = raw_spec()["paths"][binding.operation.path][binding.operation.method.lower()]
    ok = next(r for status, r in sorted(responses["responses"].items()) if status.startswith("2"))
    return bool(ok["content"]["application/json"]["schema"] == {})


def _tool_call(binding: Binding) -> tuple[str, dict[str, Any]]:
    """The tool of ``binding``'s method, and the method's Prism-valid arguments by name."""
    entry = _entry(binding)
    positional, keyword = call_arguments(binding)
    return entry["name"], dict(zip(entry["positional"], positional, strict=True)) | keyword


@pytest.fixture(scope="module")
def results(prism_url: str) -> dict[str, types.CallToolResult]:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "parallel_api.mcp", "--base-url", prism_url],
        # The SDK passes only a few variables on (not PYTHONPYCACHEPREFIX): no bytecode may
        # land inside generated/, which must stay exactly as apigen wrote it.
        env={
            "PYTHONPATH": str(GENERATED),
            "PYTHONDONTWRITEBYTECODE": "1",
            "PARALLEL_API_KEY": "test-key",
        },
        cwd=GENERATED,
    )

    async def run() -> dict[str, types.CallToolResult]:
        called: dict[str, types.CallToolResult] = {}
        with anyio.fail_after(120):
            async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
                await session.initialize()
                listed = {tool.name for tool in (await session.list_tools()).tools}
                assert listed == {tool["name"] for tool in CATALOG["tools"]}
                for binding in OPERATIONS:
                    name, arguments = _tool_call(binding)
                    called[binding.dotted] = await session.call_tool(name, arguments)
        return called

    return anyio.run(run)


@pytest.mark.parametrize("binding", OPERATIONS, ids=lambda b: b.dotted)
def test_tool_call_passes_prism_validation(
    results: dict[str, types.CallToolResult], binding: Binding
) -> None:
    result = results[binding.dotted]
    text = " ".join(c.text for c in result.content if isinstance(c, types.TextContent))
    assert not result.is_error, text
    if result.structured_content is None:  # a 204, or JSON null where the spec says nothing
        assert text == "Done: the API answered with no content."
        assert _entry(binding)["returns"]["kind"] == "none" or _schema_less(binding)
    else:
        parsed = json.loads(text)  # the text is the JSON of the structured content
        assert result.structured_content in (parsed, {"result": parsed})
