"""Run the official parallel-web SDK's own operation and client tests against the generated client.

The tests come from the SDK's sdist on PyPI (MIT licensed; fetched, never committed: they are
Stainless's code) and are ported mechanically: imports and type paths, and the one constructor
keyword that differs (``_strict_response_validation`` → ``strict_response_validation``). Names
with no counterpart here become stubs that fail the tests using them, so those count as failures
instead of hiding a whole file.

    python bench/official_tests.py [--version 0.4.2] [--json OUT] [-- PYTEST_ARGS]

Needs pytest, pytest-asyncio, respx and httpx-aiohttp in the interpreter (``make
bench-official`` installs them into bench/.venv-official), and Prism (``npm ci``): the operation
tests call a Prism mock of spec/public-openapi.json, as upstream."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRISM = ROOT / "node_modules" / ".bin" / "prism"
SPEC = ROOT / "spec" / "public-openapi.json"
PORTED = ("__init__.py", "conftest.py", "utils.py", "test_client.py", "api_resources")

# Official type names → the generated package's (same schema, another name).
TYPE_NAMES = {"TaskGroup": "TaskGroupResponse", "SearchResult": "SearchResponse"}

# What the official test helpers import from the SDK's private utilities: generic typing
# helpers, given here by the port (they are test scaffolding, not client behaviour).
COMPAT = '''"""Generic helpers the official tests import from their SDK's private modules."""
import asyncio, datetime, functools, types, typing
import typing_extensions
from parallel_api._types import Omit

PYDANTIC_V1 = False
NoneType = type(None)


def is_dict(x): return isinstance(x, dict)
def is_list(x): return isinstance(x, list)
def is_list_type(t): return (typing.get_origin(t) or t) is list
def is_sequence_type(t):
    import collections.abc
    return (typing.get_origin(t) or t) in (collections.abc.Sequence, typing.Sequence)
def is_union_type(t): return typing.get_origin(t) in (typing.Union, types.UnionType)
def is_annotated_type(t): return typing.get_origin(t) is typing.Annotated
def is_type_alias_type(t): return isinstance(t, typing_extensions.TypeAliasType)
def extract_type_arg(t, index): return typing.get_args(t)[index]
def get_model_fields(model): return model.model_fields
def field_outer_type(field): return field.annotation
def parse_date(text): return datetime.date.fromisoformat(text)
def parse_datetime(text): return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
def asyncify(fn):
    @functools.wraps(fn)
    async def wrapper(*args, **kwargs): return await asyncio.to_thread(fn, *args, **kwargs)
    return wrapper


class _Missing:
    """A Stainless-internal name with no counterpart in the generated client."""

    def __init__(self, name): self._name = name
    def __call__(self, *a, **k): raise NotImplementedError(f"no counterpart: {self._name}")
    def __getattr__(self, attr): raise NotImplementedError(f"no counterpart: {self._name}")
    def __getitem__(self, item): return self


def missing(name): return _Missing(name)
'''

# module → {name: replacement import "module:name"}; a name not listed is a stub.
KNOWN = {
    "parallel": "parallel_api",
    "parallel.types": "parallel_api.types",
    "parallel.types.beta": "parallel_api.types",
    "parallel._types": "parallel_api._types",
    "parallel._models": "parallel_api._models",
    "parallel._exceptions": "parallel_api._exceptions",
    "parallel._base_client": "parallel_api._base_client",
}
RENAMED = {
    ("parallel._exceptions", "ParallelError"): ("parallel_api", "ParallelError"),
    ("parallel._base_client", "DEFAULT_TIMEOUT"): ("parallel_api", "DEFAULT_TIMEOUT"),
    ("parallel._types", "NoneType"): ("tests._port_compat", "NoneType"),
    ("parallel._models", "FinalRequestOptions"): (
        "parallel_api._base_client",
        "FinalRequestOptions",
    ),
}
IMPORT = re.compile(r"^from (parallel(?:\.[\w.]+)?) import (\([^)]*\)|[^\n]*)", re.MULTILINE)


def _port_import(match: re.Match[str]) -> str:
    module, names_text = match.group(1), match.group(2)
    names = [n.strip() for n in names_text.strip("()").replace("\n", " ").split(",") if n.strip()]
    lines: list[str] = []
    for name in names:
        target = RENAMED.get((module, name))
        if target is None and module in KNOWN:
            candidate = (KNOWN[module], TYPE_NAMES.get(name, name))
            target = candidate if _exists(*candidate) else None
        elif target is None and module.startswith(("parallel._utils", "parallel._compat")):
            target = ("tests._port_compat", name)
            target = target if name in COMPAT_NAMES else None
        if target is None:
            lines.append(f"from tests._port_compat import missing as _m; {name} = _m({name!r})")
        else:
            lines.append(f"from {target[0]} import {target[1]} as {name}")
    return "\n".join(lines)


COMPAT_NAMES = set(re.findall(r"^(?:def |class )?(\w+)", COMPAT, re.MULTILINE))


def _exists(module: str, name: str) -> bool:
    import importlib

    if str(ROOT / "generated") not in sys.path:
        sys.path.insert(0, str(ROOT / "generated"))
    try:
        return hasattr(importlib.import_module(module), name)
    except ImportError:
        return False


def port(source: Path, out: Path) -> None:
    """Copy the selected official tests into ``out/tests`` with the mechanical rewrites."""
    tests = out / "tests"
    tests.mkdir(parents=True)
    for name in PORTED:
        src = source / "tests" / name
        if src.is_dir():
            shutil.copytree(src, tests / name)
        else:
            shutil.copy(src, tests / name)
    for file in tests.rglob("*.py"):
        text = IMPORT.sub(_port_import, file.read_text())
        text = text.replace(
            "from parallel import _compat", "from tests import _port_compat as _compat"
        )
        text = text.replace("_strict_response_validation", "strict_response_validation")
        text = text.replace('"parallel._base_client.', '"parallel_api._base_client.')
        text = text.replace('getLogger("parallel")', 'getLogger("parallel_api")')
        for official, ours in TYPE_NAMES.items():
            text = re.sub(rf"\b{official}\b", ours, text)
        file.write_text(text)
    (tests / "_port_compat.py").write_text(COMPAT)
    # The official pyproject's pytest settings (upstream also turns warnings into errors).
    (out / "pytest.ini").write_text(
        "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = session\n"
        "xfail_strict = true\nfilterwarnings = error\n"
    )


def fetch(version: str, cache: Path) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    sdist = cache / f"parallel_web-{version}.tar.gz"
    if not sdist.exists():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-binary",
                ":all:",
                "--no-deps",
                f"parallel-web=={version}",
                "-d",
                str(cache),
            ],
            check=True,
        )
    target = cache / f"parallel_web-{version}"
    if not target.exists():
        with tarfile.open(sdist) as archive:
            archive.extractall(cache, filter="data")
    return target


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_prism() -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    process = subprocess.Popen(
        [str(PRISM), "mock", "-p", str(port), "-h", "127.0.0.1", str(SPEC)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    raise SystemExit("Prism did not start within 60 s")


def summarize(junit: Path) -> dict[str, dict[str, object]]:
    groups: dict[str, Counter[str]] = {"operation tests": Counter(), "client tests": Counter()}
    reasons: dict[str, Counter[str]] = {"operation tests": Counter(), "client tests": Counter()}
    for case in ET.parse(junit).iter("testcase"):
        group = (
            "operation tests" if "api_resources" in case.get("classname", "") else "client tests"
        )
        failure = case.find("failure")
        if failure is None:
            failure = case.find("error")
        if case.find("skipped") is not None:
            groups[group]["skipped"] += 1
        elif failure is not None:
            groups[group]["failed"] += 1
            first = (failure.get("message") or "").splitlines()[0][:110]
            reasons[group][first] += 1
        else:
            groups[group]["passed"] += 1
    return {
        name: {**counts, "top_failures": reasons[name].most_common()}
        for name, counts in groups.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default="0.4.2")
    parser.add_argument("--cache", type=Path, default=ROOT / "bench" / ".official-sdk")
    parser.add_argument("--json", type=Path)
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args(argv)
    source = fetch(args.version, args.cache)
    work = Path(tempfile.mkdtemp(prefix="official-tests-"))
    try:
        port(source, work)
        prism, url = start_prism()
        try:
            junit = work / "junit.xml"
            path = os.pathsep.join(
                filter(None, [str(ROOT / "generated"), os.environ.get("PYTHONPATH")])
            )
            env = {**os.environ, "TEST_API_BASE_URL": url, "PYTHONPATH": path}
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pytest",
                    "-q",
                    "-p",
                    "no:cacheprovider",
                    f"--junitxml={junit}",
                    *(args.pytest_args or ["tests"]),
                ],
                cwd=work,
                env=env,
                check=False,
                timeout=1800,
            )
        finally:
            os.killpg(prism.pid, signal.SIGTERM)
            prism.wait(timeout=10)
        summary = summarize(junit)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for name, counts in summary.items():
        ran = int(counts.get("passed", 0)) + int(counts.get("failed", 0))
        print(
            f"\n{name}: {counts.get('passed', 0)}/{ran} passed, {counts.get('skipped', 0)} skipped"
        )
        for reason, count in counts["top_failures"]:  # type: ignore[union-attr]
            print(f"  {count:4d}  {reason}")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
