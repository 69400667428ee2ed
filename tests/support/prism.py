"""Prism (``@stoplight/prism-cli``, pinned in package.json) as a pytest fixture, plus request
arguments built from the spec that Prism's request validation accepts.

Prism runs in its own process group on 127.0.0.1 and a free port; start-up is bounded and the
whole group is killed at the end of the session, so no stray node process survives a run.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.support.parallel import ROOT, SPEC, Binding, operation_plan, raw_spec

PRISM = ROOT / "node_modules" / ".bin" / "prism"
STARTUP_TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextmanager
def running_prism(spec: Path, log_dir: Path) -> Iterator[str]:
    """Base URL of a Prism mock of ``spec`` on a free port, for the length of the block."""
    if not PRISM.exists():
        pytest.fail(f"{PRISM} missing: run `make test` (it installs Prism with npm ci)")
    port = _free_port()
    log_path = log_dir / "prism.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(PRISM), "mock", "-p", str(port), "-h", "127.0.0.1", str(spec)],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group: node's children die with it
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not _answers(port):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"Prism did not start on port {port}:\n"
                    f"{log_path.read_text(errors='replace')[-3000:]}"
                )
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        _kill_group(process)


@pytest.fixture(scope="session")
def prism_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a Prism mock of spec/public-openapi.json, up for the whole session."""
    with running_prism(SPEC, tmp_path_factory.mktemp("prism")) as url:
        yield url


# ---- request arguments Prism accepts


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = raw_spec()
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        schema = node
    return schema


_FORMATS = {
    "date-time": "2025-01-01T00:00:00Z",
    "date": "2025-01-01",
    "uri": "https://example.com/",
}


def minimal_instance(schema: dict[str, Any]) -> Any:
    """A small instance of a JSON schema: its first example, else required parts only."""
    schema = _resolve(schema)
    for key in ("examples", "enum"):
        if schema.get(key):
            return schema[key][0]
    if "example" in schema:
        return schema["example"]
    if "const" in schema:
        return schema["const"]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            variants = [v for v in schema[key] if _resolve(v).get("type") != "null"]
            return minimal_instance(variants[0])
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = minimal_instance(part)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {name: minimal_instance(props.get(name, {})) for name in schema.get("required", [])}
    if kind == "array":
        return [minimal_instance(schema.get("items", {}))] * max(1, int(schema.get("minItems", 1)))
    if kind == "string":
        return _FORMATS.get(schema.get("format", ""), "x" * max(1, int(schema.get("minLength", 1))))
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1.0))
    if kind == "boolean":
        return True
    return "x"


def call_arguments(binding: Binding) -> tuple[list[Any], dict[str, Any]]:
    """Positional and keyword arguments for the generated method: every required parameter
    and body field, with values from the spec (examples, enums, minimal valid values)."""
    op = binding.operation
    raw_op = raw_spec()["paths"][op.path][op.method.lower()]
    raw_params = {
        (p["name"], p["in"]): p for p in (_resolve(p) for p in raw_op.get("parameters", []))
    }
    body_schema: dict[str, Any] = {}
    if "requestBody" in raw_op:
        body_schema = _resolve(
            _resolve(raw_op["requestBody"])["content"]["application/json"]["schema"]
        )
    positional: list[Any] = []
    keyword: dict[str, Any] = {}
    for arg in operation_plan(binding).arguments:
        if not arg.required:
            continue
        if arg.location == "body":
            value = minimal_instance(body_schema.get("properties", {}).get(arg.spec_name, {}))
        elif arg.location == "whole-body":
            value = minimal_instance(body_schema)
        else:
            value = minimal_instance(raw_params[(arg.spec_name, arg.location)].get("schema", {}))
        if arg.location == "path":
            positional.append(value)
        else:
            keyword[arg.name] = value
    return positional, keyword
