"""The committed Parallel client: every operation reachable where apigen.yaml puts it, sync and
async and raw, and the documented beta example type-checks and runs against a loopback server.

Expectations come from the spec via the generator's own stages (IR + naming config + resource
tree), so adding an operation to the spec or the config extends these tests automatically.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import subprocess
import sys
import textwrap
import typing
from pathlib import Path

import parallel_api
import pytest

from generator.config import load_config
from generator.ir import RefSchema
from tests.support.fault_server import FaultServer, Step
from tests.support.parallel import (
    ROOT,
    Binding,
    api,
    bindings,
    declared_type,
    operation_plan,
    raw_spec,
    resolve,
)

GENERATED = ROOT / "generated"
REQUEST_OPTIONS = {"extra_headers", "extra_query", "extra_body", "timeout"}

ALL = bindings()
CONFIG = load_config(ROOT / "apigen.yaml")


def _ids(binding: Binding) -> str:
    return binding.dotted


@pytest.fixture(scope="module")
def client() -> typing.Iterator[parallel_api.Parallel]:
    with parallel_api.Parallel(api_key="test-key", base_url="http://127.0.0.1:9") as c:
        yield c


@pytest.fixture(scope="module")
def async_client() -> parallel_api.AsyncParallel:
    return parallel_api.AsyncParallel(api_key="test-key", base_url="http://127.0.0.1:9")


def test_package_exports_clients_errors_and_types() -> None:
    assert parallel_api.Parallel.__name__ == "Parallel"
    assert issubclass(parallel_api.AuthenticationError, parallel_api.APIStatusError)
    assert issubclass(parallel_api.APIStatusError, parallel_api.APIError)
    types = __import__("parallel_api.types", fromlist=["TaskRun"])
    for named in api().schemas:
        assert hasattr(types, named.name), f"types.{named.name} missing for {named.key}"


def test_spec_has_31_operations_each_with_one_home_method() -> None:
    operations = api().operations
    assert len(operations) == 31
    homes = [b for b in ALL if b.alias_of is None]
    assert sorted(b.key for b in homes) == sorted(
        f"{op.method.upper()} {op.path}" for op in operations
    )


def test_every_configured_method_path_is_bound() -> None:
    """Every target in apigen.yaml's ``resources`` ends up as a method at exactly that path."""
    config = __import__("generator.config", fromlist=["load_config"]).load_config(
        ROOT / "apigen.yaml"
    )
    bound = {(b.key, b.dotted) for b in ALL}
    for key, targets in config.resources.items():
        for target in targets:
            assert (key, target) in bound, f"{key} → {target} not bound"


@pytest.mark.parametrize("binding", ALL, ids=_ids)
def test_sync_method_exists_with_the_generators_signature(
    client: parallel_api.Parallel, binding: Binding
) -> None:
    method = resolve(client, binding.path)
    assert callable(method) and not inspect.iscoroutinefunction(method)
    view = operation_plan(binding)
    params = inspect.signature(method).parameters
    assert set(params) == {a.name for a in view.arguments} | REQUEST_OPTIONS
    for arg in view.arguments:
        has_default = params[arg.name].default is not inspect.Parameter.empty
        assert has_default is not arg.required, arg.name
    for arg in view.positional:
        assert params[arg.name].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert binding.operation.summary is None or (method.__doc__ or "").strip().startswith(
        binding.operation.summary.strip()
    )


@pytest.mark.parametrize("binding", [b for b in ALL if not b.is_sse_only], ids=_ids)
def test_sync_return_type_is_the_declared_model(binding: Binding) -> None:
    """The return annotation is the type the generated types declare for the success body."""
    method = getattr(_resource_class(binding), binding.path[-1])
    returned = typing.get_type_hints(method)["return"]
    success = min(
        (r for r in binding.operation.responses if r.status.startswith("2")), key=lambda r: r.status
    )
    json_contents = [c for c in success.contents if c.media_type == "application/json"]
    if not json_contents:
        assert returned is type(None)
        return
    expected = declared_type(json_contents[0].schema)
    narrowed = CONFIG.returns.get(binding.dotted)
    if narrowed is not None:  # config `returns:` picks one member of the union
        assert declared_type(RefSchema(ref=narrowed)) in typing.get_args(expected)
        expected = declared_type(RefSchema(ref=narrowed))
    if any(c.media_type == "text/event-stream" for c in success.contents):
        assert expected in typing.get_args(returned)  # JSON-or-stream methods (chat completions)
    else:
        assert returned == expected


@pytest.mark.parametrize("binding", ALL, ids=_ids)
def test_async_method_exists(async_client: parallel_api.AsyncParallel, binding: Binding) -> None:
    method = resolve(async_client, binding.path)
    assert inspect.iscoroutinefunction(method)
    assert (
        set(inspect.signature(method).parameters)
        == {a.name for a in operation_plan(binding).arguments} | REQUEST_OPTIONS
    )


@pytest.mark.parametrize("binding", ALL, ids=_ids)
def test_with_raw_response_exists_on_resource_and_client(
    client: parallel_api.Parallel, async_client: parallel_api.AsyncParallel, binding: Binding
) -> None:
    *parents, name = binding.path
    for root in (client, async_client):
        via_resource = getattr(resolve(root, tuple(parents)).with_raw_response, name)
        via_client = resolve(root.with_raw_response, binding.path)
        for raw in (via_resource, via_client):
            assert callable(raw)
            assert inspect.iscoroutinefunction(raw) is (root is async_client)


def test_aliases_call_the_same_operation(client: parallel_api.Parallel) -> None:
    aliases = [b for b in ALL if b.alias_of]
    assert aliases, "apigen.yaml configures beta aliases"
    for alias in aliases:
        home = next(b for b in ALL if b.dotted == alias.alias_of)
        assert home.operation == alias.operation
        signature = inspect.signature(resolve(client, alias.path))
        if alias.dotted in CONFIG.returns:  # the alias's own return type (config `returns:`)
            assert signature.return_annotation == CONFIG.returns[alias.dotted]
            signature = signature.replace(
                return_annotation=inspect.signature(resolve(client, home.path)).return_annotation
            )
        assert signature == inspect.signature(resolve(client, home.path))


def _resource_class(binding: Binding) -> type:
    with parallel_api.Parallel(api_key="k", base_url="http://127.0.0.1:9") as c:
        return type(resolve(c, binding.path[:-1]))


# ---- the documented beta example (reference.md §3)

BETA_EXAMPLE = """\
from parallel_api import Parallel

client = Parallel(api_key="API Key")
task_run = client.beta.task_run.create(
    input="What was the GDP of France in 2023?",
    processor="base",
    enable_events=True,
    mcp_servers=[{"type": "url", "name": "parallel_web_search",
                  "url": "https://mcp.parallel.ai/v1beta/search_mcp",
                  "headers": {"x-api-key": "API Key"}}],
    betas=["events-sse-2025-07-24", "mcp-server-2025-07-17"],
)
print(task_run.run_id)
"""

# The same call with mistakes a type checker must catch: proves pyright really sees the package.
BROKEN_EXAMPLE = """\
from parallel_api import Parallel

client = Parallel(api_key="API Key")
task_run = client.beta.task_run.create(
    input="What was the GDP of France in 2023?",
    processor=3,
    enable_events="yes",
    mcp_servers=[{"type": "url", "name": 1, "url": "https://mcp.example"}],
)
print(task_run.run_idd)
"""


def _pyright(folder: Path, *files: str) -> dict[str, list[dict[str, object]]]:
    config = {"extraPaths": [str(GENERATED)], "pythonVersion": "3.10", "include": list(files)}
    (folder / "pyrightconfig.json").write_text(json.dumps(config))
    pyright = Path(sys.executable).parent / "pyright"
    result = subprocess.run(
        [
            str(pyright),
            "--outputjson",
            "--pythonpath",
            str(ROOT / ".venv" / "bin" / "python"),
            *files,
        ],
        check=False,
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=240,
    )
    report = json.loads(result.stdout)
    by_file: dict[str, list[dict[str, object]]] = {name: [] for name in files}
    for diag in report["generalDiagnostics"]:
        if diag["severity"] == "error":
            by_file[Path(str(diag["file"])).name].append(diag)
    return by_file


def test_documented_beta_example_type_checks(tmp_path: Path) -> None:
    (tmp_path / "example.py").write_text(BETA_EXAMPLE)
    (tmp_path / "broken.py").write_text(BROKEN_EXAMPLE)
    errors = _pyright(tmp_path, "example.py", "broken.py")
    assert errors["example.py"] == []
    lines = sorted({int(d["range"]["start"]["line"]) + 1 for d in errors["broken.py"]})  # type: ignore[index]
    assert lines == [6, 7, 8, 10], errors["broken.py"]


def test_documented_beta_example_runs_against_loopback_server(tmp_path: Path) -> None:
    created = raw_spec()["paths"]["/v1/tasks/runs"]["post"]["responses"]["202"]["content"][
        "application/json"
    ]["example"]
    (tmp_path / "example.py").write_text(BETA_EXAMPLE)
    with FaultServer() as server:
        server.script("/v1/tasks/runs", Step(status=202, body=created))
        env = {
            **os.environ,
            "PARALLEL_BASE_URL": server.url,
            "PYTHONPATH": os.pathsep.join([str(GENERATED), os.environ.get("PYTHONPATH", "")]),
        }
        env.pop("PARALLEL_API_KEY", None)
        result = subprocess.run(
            [sys.executable, str(tmp_path / "example.py")],
            check=False,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == created["run_id"]
        [request] = server.requests_for("/v1/tasks/runs")
    assert request.method == "POST"
    assert request.headers["x-api-key"] == "API Key"
    assert request.headers["parallel-beta"] == (
        "events-sse-2025-07-24,mcp-server-2025-07-17,search-extract-2025-10-10"  # + beta default
    )
    assert request.headers["content-type"].startswith("application/json")
    assert request.json() == {
        "input": "What was the GDP of France in 2023?",
        "processor": "base",
        "enable_events": True,
        "mcp_servers": [
            {
                "type": "url",
                "name": "parallel_web_search",
                "url": "https://mcp.parallel.ai/v1beta/search_mcp",
                "headers": {"x-api-key": "API Key"},
            }
        ],
    }


def test_imported_package_is_the_committed_one() -> None:
    assert Path(parallel_api.__file__).resolve().is_relative_to(GENERATED.resolve())
    assert textwrap.dedent(parallel_api.__doc__ or "").startswith(
        "Python client for the Parallel API"
    )


def test_types_are_namespaced_like_resources() -> None:
    """The Parallel docs' own import works, and names the same class as the flat import."""
    from parallel_api.types import McpServerParam as flat
    from parallel_api.types.beta import McpServerParam

    assert McpServerParam is flat
    beta = importlib.import_module("parallel_api.types.beta")
    assert "TaskRun" in importlib.import_module("parallel_api.types.task_run").__all__
    alpha = importlib.import_module("parallel_api.types.alpha")
    assert "McpServerParam" in beta.__all__ and "MonitorResponse" not in beta.__all__
    assert "MonitorResponse" in alpha.__all__
