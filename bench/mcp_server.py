"""What an agent pays for a generated MCP server: tool counts, listing sizes and timings.

For each spec this generates the project (no config, as a user would) into a temporary folder,
starts its server over stdio with the official ``mcp`` SDK's client, once per mode, and records:
tools listed, bytes of the ``tools/list`` answer (what a host puts in the model's context),
seconds to start and initialize, to list, and in dynamic mode to search the endpoints and to
fetch one endpoint's schema. No request reaches any API::

    python bench/mcp_server.py spec/public-openapi.json .corpus/api.github.com.json
    python bench/mcp_server.py --modes dynamic .corpus/microsoft.com_graph.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import anyio
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

PROJECT = Path(__file__).resolve().parents[1]


def generate(spec: Path, out: Path) -> str:
    """Generate ``spec`` into ``out``; the package's import name."""
    subprocess.run(
        [sys.executable, "-m", "generator", "--quiet", "generate", str(spec), "-o", str(out)],
        cwd=PROJECT,
        check=True,
    )
    (client,) = out.glob("*/_client.py")
    return client.parent.name


async def measure(out: Path, module: str, mode: str) -> dict[str, Any]:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", f"{module}.mcp", "--tools", mode],
        env={"PYTHONPATH": str(out)},
        cwd=out,
    )
    row: dict[str, Any] = {"mode": mode}
    started = time.perf_counter()
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        row["start_s"] = round(time.perf_counter() - started, 2)
        listed = time.perf_counter()
        tools = await session.list_tools()
        row["list_s"] = round(time.perf_counter() - listed, 3)
        row["tools"] = len(tools.tools)
        row["list_bytes"] = len(tools.model_dump_json(by_alias=True, exclude_none=True))
        if mode == "dynamic":
            searched = time.perf_counter()
            found = await session.call_tool("list_api_endpoints", {"search": "list"})
            row["search_s"] = round(time.perf_counter() - searched, 3)
            assert found.structured_content is not None
            row["search_matches"] = found.structured_content["total"]
            first = found.structured_content["endpoints"][0]["name"]
            fetched = time.perf_counter()
            schema = await session.call_tool("get_api_endpoint_schema", {"endpoint": first})
            row["schema_s"] = round(time.perf_counter() - fetched, 3)
            row["schema_bytes"] = len(json.dumps(schema.structured_content))
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("specs", nargs="+", type=Path)
    parser.add_argument(
        "--modes",
        default="static,dynamic",
        help="comma-separated tool modes to measure (a huge API's static listing takes minutes)",
    )
    options = parser.parse_args()
    for spec in options.specs:
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "out"
            generated = time.perf_counter()
            module = generate(spec.resolve(), out)
            seconds = round(time.perf_counter() - generated, 1)
            (catalog,) = out.glob("*/mcp/tools.json")
            print(f"{spec.name}: generated in {seconds} s, tools.json {catalog.stat().st_size} B")
            for mode in options.modes.split(","):
                print("  " + json.dumps(anyio.run(measure, out, module, mode)))


if __name__ == "__main__":
    main()
