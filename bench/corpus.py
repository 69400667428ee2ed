"""Corpus runner: how well apigen (and openapi-python-client, for comparison) copes with real specs.

For every spec in a folder, in parallel across cores, each step in its own subprocess with a
time cap:

1. ``apigen generate SPEC -o OUT`` (cwd = a temp folder, so no project ``apigen.yaml`` applies);
   a failure must be one ``apigen: error:`` line with exit code 2 (a "clean" failure);
2. import every generated module in a fresh interpreter, and start the MCP server there as a user
   would (default mode; the SDK's in-memory transport): its static tools, or in dynamic mode its
   ``list_api_endpoints``, must count one per entry of its catalog;
3. byte-compile the package;
4. ``ruff check`` inside the generated project (ruff's defaults plus the project's pyproject);
5. ``pyright`` in basic mode (0 errors = clean), with its own time cap — a timeout is reported
   as such, never as clean;
6. count the spec's operations (method + path) and the ones the generated resources call.

With ``--peer`` the same specs go through ``openapi-python-client generate`` and an import of
everything it wrote. Results: ``results.csv`` and ``summary.md`` in ``--out``.

    python bench/corpus.py .corpus --out bench/out [--sizes S,M] [--jobs 2] [--peer PATH]
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SIZE_CLASSES = (("S", 20_000), ("M", 100_000), ("L", 1_000_000), ("XL", float("inf")))
"""Upper bounds (bytes, exclusive) of the corpus size classes, as in the corpus' dev.txt."""

BIN = Path(sys.executable).parent

IMPORT_ALL = """
import importlib, json, pkgutil, sys
from pathlib import Path
root, package = sys.argv[1], sys.argv[2]
sys.path.insert(0, root)
failures, count = [], 0
top = importlib.import_module(package)
for info in pkgutil.walk_packages(top.__path__, package + "."):
    count += 1
    try:
        importlib.import_module(info.name)
    except BaseException as exc:
        first = str(exc).splitlines()[0] if str(exc) else ''
        failures.append(f"{info.name}: {type(exc).__name__}: {first}")
tools = -1
try:
    catalog = json.loads((Path(top.__path__[0]) / "mcp" / "tools.json").read_text("utf-8"))
except FileNotFoundError:
    catalog = None
if catalog is not None and not failures:
    import anyio
    from mcp import Client
    server, _ = importlib.import_module(package + ".mcp.server").configure([])

    async def listed():
        with anyio.fail_after(120):
            async with Client(server, mode="legacy") as client:
                names = [tool.name for tool in (await client.list_tools()).tools]
                if names[0] != "list_api_endpoints":
                    return len(names)
                found = await client.call_tool("list_api_endpoints", {})
                return found.structured_content["total"]

    try:
        tools = anyio.run(listed)
    except BaseException as exc:
        failures.append(f"{package}.mcp: {type(exc).__name__}: {exc}")
    expected = len(catalog["tools"])
    if tools != expected:
        failures.append(f"{package}.mcp: {tools} tools listed, {expected} in tools.json")
print(json.dumps({"modules": count + 1, "failures": failures, "mcp_tools": tools}))
"""

PYRIGHT_CONFIG = {"typeCheckingMode": "basic", "reportMissingModuleSource": "none"}


@dataclass
class Options:
    generate_timeout: float = 600.0
    step_timeout: float = 600.0
    pyright_timeout: float = 600.0
    pyright: bool = True
    peer: str = ""
    """Path of the ``openapi-python-client`` executable; empty = no comparison."""
    apigen: str = str(BIN / "apigen")
    python: str = sys.executable
    ruff: str = str(BIN / "ruff")
    pyright_bin: str = str(BIN / "pyright")


@dataclass
class SpecResult:
    name: str
    size_kb: int = 0
    size_class: str = ""
    generated: bool = False
    exit_code: int = 0
    clean_failure: bool = True
    """A failed generation printed one ``apigen: error:`` line, exit 2, no traceback."""
    error: str = ""
    seconds: float = 0.0
    warnings: int = 0
    imported: bool = False
    modules: int = 0
    import_error: str = ""
    mcp_tools: int = -1
    """Operations the MCP server offers (tools, or endpoints in dynamic mode); -1: none."""
    compiled: bool = False
    ruff_clean: bool = False
    ruff_issues: str = ""
    """``CODE:count`` pairs, most frequent first."""
    pyright: str = "skipped"
    """``clean``, ``errors``, ``timeout``, ``failed`` or ``skipped``."""
    pyright_errors: int = 0
    pyright_rules: str = ""
    pyright_first: str = ""
    pyright_seconds: float = 0.0
    spec_operations: int = 0
    covered_operations: int = 0
    peer_generated: bool = False
    peer_imported: bool = False
    peer_seconds: float = 0.0
    peer_error: str = ""

    @property
    def all_covered(self) -> bool:
        return self.generated and self.covered_operations == self.spec_operations


@dataclass
class Step:
    code: int
    out: str
    err: str
    seconds: float
    timed_out: bool = False


def run(command: Sequence[str], cwd: Path, timeout: float) -> Step:
    start = time.perf_counter()
    try:
        done = subprocess.run(
            command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        out = (
            exc.stdout.decode(errors="replace")
            if isinstance(exc.stdout, bytes)
            else (exc.stdout or "")
        )
        return Step(-1, out, f"timed out after {timeout:.0f} s", time.perf_counter() - start, True)
    return Step(done.returncode, done.stdout, done.stderr, time.perf_counter() - start)


def size_class(size: int) -> str:
    return next(label for label, bound in SIZE_CLASSES if size < bound)


def load_document(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    import yaml

    return yaml.safe_load(text)


def spec_operations(document: Any) -> set[tuple[str, str]]:
    """Every (METHOD, path) the spec declares (path items behind a local ``$ref`` included)."""
    found: set[tuple[str, str]] = set()
    paths = document.get("paths") if isinstance(document, dict) else None
    for path, item in (paths or {}).items():
        if (
            isinstance(item, dict)
            and isinstance(item.get("$ref"), str)
            and item["$ref"].startswith("#/")
        ):
            item = _resolve(document, item["$ref"])
        if isinstance(item, dict):
            found.update(
                (method.upper(), path)
                for method in HTTP_METHODS
                if isinstance(item.get(method), dict)
            )
    return found


def _resolve(document: Any, ref: str) -> Any:
    node = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        node = node.get(part) if isinstance(node, dict) else None
    return node


def generated_operations(package_dir: Path) -> set[tuple[str, str]]:
    """Every (METHOD, path) a generated resource method sends (``RequestOptions(method=,
    path=)``)."""
    found: set[tuple[str, str]] = set()
    for module in package_dir.rglob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "RequestOptions":
                keywords = {k.arg: k.value for k in node.keywords}
                method, path = keywords.get("method"), keywords.get("path")
                if isinstance(method, ast.Constant) and isinstance(path, ast.Constant):
                    found.add((str(method.value).upper(), str(path.value)))
    return found


def routes(operations: Iterable[tuple[str, str]]) -> Counter[tuple[str, str]]:
    """(METHOD, path) with placeholder names erased, counted: the generated templates name them
    after the Python arguments (``{taskgroup_id}`` may be ``{task_group_id}``), the route is the
    same; two spec paths that differ only in placeholder names (``/x/{id}``, ``/x/{name}``) are
    two operations of one route."""
    return Counter((method, re.sub(r"\{[^{}]*\}", "{}", path)) for method, path in operations)


def covered(spec: Iterable[tuple[str, str]], generated: Iterable[tuple[str, str]]) -> int:
    """How many of the spec's operations a generated method sends."""
    return sum((routes(spec) & routes(generated)).values())


def first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def check_spec(spec: Path, options: Options) -> SpecResult:
    """Run every step on one spec; never raises (a runner bug is reported in ``error``)."""
    result = SpecResult(
        name=spec.stem,
        size_kb=round(spec.stat().st_size / 1000),
        size_class=size_class(spec.stat().st_size),
    )
    work = Path(tempfile.mkdtemp(prefix="corpus-"))
    try:
        ops = spec_operations(load_document(spec))
        result.spec_operations = len(ops)
        _apigen(spec, work, options, result, ops)
        if options.peer:
            _peer(spec, work, options, result)
    except Exception as exc:  # noqa: BLE001 - the runner must report, not die
        result.error = result.error or f"runner: {type(exc).__name__}: {exc}"
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def _apigen(
    spec: Path, work: Path, options: Options, result: SpecResult, ops: set[tuple[str, str]]
) -> None:
    out = work / "out"
    step = run(
        [options.apigen, "generate", str(spec.resolve()), "-o", str(out)],
        work,
        options.generate_timeout,
    )
    result.seconds = round(step.seconds, 3)
    result.exit_code = step.code
    warned = re.search(r"(\d+) constructs degraded", step.err)
    result.warnings = int(warned.group(1)) if warned else 0
    if step.code != 0:
        result.error = first_line(step.err) or f"exit {step.code}"
        lines = [line for line in step.err.strip().splitlines() if line.strip()]
        result.clean_failure = (
            step.code == 2
            and len(lines) == 1
            and lines[0].startswith("apigen: error:")
            and "internal error" not in lines[0]
        )
        return
    result.generated = True
    packages = [p for p in out.iterdir() if (p / "__init__.py").is_file()]
    if len(packages) != 1:
        result.import_error = f"expected one package in the output, found {len(packages)}"
        return
    package = packages[0]
    result.covered_operations = covered(ops, generated_operations(package))
    imported = run(
        [options.python, "-c", IMPORT_ALL, str(out), package.name], work, options.step_timeout
    )
    if imported.code == 0:
        report = json.loads(imported.out.strip().splitlines()[-1])
        result.modules = report["modules"]
        result.mcp_tools = report["mcp_tools"]
        result.imported = not report["failures"]
        result.import_error = "; ".join(report["failures"][:3])
    else:
        result.import_error = first_line(imported.err) or f"exit {imported.code}"
    compiled = run(
        [options.python, "-m", "compileall", "-q", str(package)], work, options.step_timeout
    )
    result.compiled = compiled.code == 0
    ruff = run(
        [options.ruff, "check", "--output-format", "json", "--no-cache", "."],
        out,
        options.step_timeout,
    )
    issues = (
        Counter(d.get("code") or "syntax" for d in json.loads(ruff.out or "[]"))
        if ruff.code in (0, 1)
        else Counter({"ruff-failed": 1})
    )
    result.ruff_clean = ruff.code == 0
    result.ruff_issues = " ".join(f"{code}:{n}" for code, n in issues.most_common())
    if options.pyright:
        _pyright(out, options, result)


def _pyright(out: Path, options: Options, result: SpecResult) -> None:
    (out / "pyrightconfig.json").write_text(json.dumps(PYRIGHT_CONFIG), encoding="utf-8")
    step = run(
        [options.pyright_bin, "--outputjson", "--pythonpath", options.python, "."],
        out,
        options.pyright_timeout,
    )
    result.pyright_seconds = round(step.seconds, 1)
    if step.timed_out:
        result.pyright = "timeout"
        return
    try:
        report = json.loads(step.out)
    except json.JSONDecodeError:
        result.pyright = "failed"
        result.pyright_first = first_line(step.err or step.out)
        return
    errors = [d for d in report.get("generalDiagnostics", []) if d.get("severity") == "error"]
    result.pyright_errors = len(errors)
    result.pyright = "errors" if errors else "clean"
    rules = Counter(d.get("rule") or "syntax" for d in errors)
    result.pyright_rules = " ".join(f"{rule}:{n}" for rule, n in rules.most_common())
    if errors:
        first = errors[0]
        where = Path(first.get("file", "")).name
        result.pyright_first = (
            f"{where}:{first['range']['start']['line'] + 1}: {first['message'].splitlines()[0]}"[
                :300
            ]
        )


def _peer(spec: Path, work: Path, options: Options, result: SpecResult) -> None:
    out = work / "peer"
    step = run(
        [
            options.peer,
            "generate",
            "--path",
            str(spec.resolve()),
            "--output-path",
            str(out),
            "--meta",
            "none",
        ],
        work,
        options.generate_timeout,
    )
    result.peer_seconds = round(step.seconds, 3)
    init = out / "__init__.py"
    if step.code != 0 or not init.is_file():
        result.peer_error = _peer_error(step.err + "\n" + step.out) or f"exit {step.code}"
        return
    result.peer_generated = True
    python = str(Path(options.peer).parent / "python")
    imported = run([python, "-c", IMPORT_ALL, str(work), out.name], work, options.step_timeout)
    if imported.code == 0:
        report = json.loads(imported.out.strip().splitlines()[-1])
        result.peer_imported = not report["failures"]
        result.peer_error = "; ".join(report["failures"][:3])
    else:
        result.peer_error = first_line(imported.err) or f"exit {imported.code}"


def _peer_error(text: str) -> str:
    """openapi-python-client ends with advice; the first line naming an error says more."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    named = [line for line in lines if "rror" in line or "xception" in line]
    return (named or lines or [""])[0][:300]


def run_corpus(specs: Iterable[Path], options: Options, jobs: int) -> list[SpecResult]:
    """Largest first, so the long specs do not start last and stretch the wall time."""
    ordered = sorted(specs, key=lambda p: -p.stat().st_size)
    results: list[SpecResult] = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(check_spec, spec, options) for spec in ordered]
        for future in as_completed(futures):
            r = future.result()
            results.append(r)
            status = (
                "ok"
                if r.generated and r.imported and r.ruff_clean and r.pyright in ("clean", "skipped")
                else "FAIL"
            )
            print(
                f"[{len(results)}/{len(ordered)}] {status} {r.name} ({r.seconds:.1f} s)",
                file=sys.stderr,
                flush=True,
            )
    return sorted(results, key=lambda r: r.name)


def select_specs(folder: Path, sizes: set[str]) -> list[Path]:
    specs = sorted(
        p for p in folder.iterdir() if p.suffix in (".json", ".yaml", ".yml") and p.is_file()
    )
    return [p for p in specs if size_class(p.stat().st_size) in sizes]


# ---------------------------------------------------------------------------------------------
# summary


def _rate(hits: int, total: int) -> str:
    return f"{hits}/{total} ({100 * hits / total:.1f}%)" if total else "0/0"


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def failure_causes(results: Sequence[SpecResult]) -> Counter[str]:
    """Failures grouped by stage and cause (spec-specific parts such as pointers stripped)."""
    causes: Counter[str] = Counter()
    for r in results:
        if not r.generated:
            message = re.sub(r"^apigen: error: (\S+:\d+ )?(#\S* ?)?:? ?", "", r.error)
            kind = "clean" if r.clean_failure else "UNCLEAN"
            causes[f"generate ({kind}): {message[:90]}"] += 1
            continue
        if not r.imported:
            causes[f"import: {r.import_error.split(': ', 1)[-1][:90]}"] += 1
        if not r.compiled:
            causes["byte-compile"] += 1
        for pair in r.ruff_issues.split():
            causes[f"ruff {pair.split(':')[0]}"] += 1
        if r.pyright in ("timeout", "failed"):
            causes[f"pyright {r.pyright}"] += 1
        for pair in r.pyright_rules.split():
            causes[f"pyright {pair.split(':')[0]}"] += 1
        if not r.all_covered:
            causes["operations not covered"] += 1
    return causes


def summary(results: Sequence[SpecResult], options: Options) -> str:
    n = len(results)
    made = [r for r in results if r.generated]
    ops = sum(r.spec_operations for r in results)
    covered = sum(r.covered_operations for r in results)
    times = [r.seconds for r in made]
    checked = [r for r in made if r.pyright != "skipped"]
    rows = [
        ("generate", _rate(len(made), n)),
        (
            "failures that are a clean `apigen: error:` (exit 2)",
            _rate(sum(r.clean_failure for r in results if not r.generated), n - len(made)),
        ),
        ("import (every module)", _rate(sum(r.imported for r in results), n)),
        ("MCP server lists its tools", _rate(sum(r.mcp_tools > 0 for r in results), n)),
        ("byte-compile", _rate(sum(r.compiled for r in results), n)),
        ("ruff clean", _rate(sum(r.ruff_clean for r in results), n)),
        (
            "pyright basic clean (0 errors)",
            _rate(sum(r.pyright == "clean" for r in results), n) if options.pyright else "skipped",
        ),
        (
            "pyright timed out",
            _rate(sum(r.pyright == "timeout" for r in checked), len(checked))
            if options.pyright
            else "skipped",
        ),
        ("all operations covered (specs)", _rate(sum(r.all_covered for r in results), n)),
        ("operations covered (all specs)", _rate(covered, ops)),
        (
            "generate time median / p90",
            f"{statistics.median(times) if times else 0:.2f} s / {_percentile(times, 0.9):.2f} s",
        ),
    ]
    if options.peer:
        peer_times = [r.peer_seconds for r in results if r.peer_generated]
        rows += [
            ("openapi-python-client: generate", _rate(sum(r.peer_generated for r in results), n)),
            (
                "openapi-python-client: import (every module)",
                _rate(sum(r.peer_imported for r in results), n),
            ),
            (
                "openapi-python-client: time median / p90",
                (
                    f"{statistics.median(peer_times) if peer_times else 0:.2f} s / "
                    f"{_percentile(peer_times, 0.9):.2f} s"
                ),
            ),
        ]
    lines = [f"# Corpus run: {n} specs", "", "| measure | result |", "|---|---|"]
    lines += [f"| {label} | {value} |" for label, value in rows]
    causes = failure_causes(results)
    lines += ["", "## Failure causes (specs affected)", ""]
    lines += [f"- {count} × {cause}" for cause, count in causes.most_common()] or ["- none"]
    return "\n".join(lines) + "\n"


TARGETS = {"generate": 0.98, "ruff clean": 0.95, "pyright clean": 0.95, "operations covered": 0.99}
"""The issue's targets (rates over all specs); import and byte-compile must hold for every
client."""


def missed_targets(results: Sequence[SpecResult], options: Options) -> list[str]:
    """Every target the run misses, as a readable line (empty = all met)."""
    n = len(results) or 1
    made = [r for r in results if r.generated]
    rates = {
        "generate": len(made) / n,
        "ruff clean": sum(r.ruff_clean for r in results) / n,
        "operations covered": sum(r.covered_operations for r in results)
        / (sum(r.spec_operations for r in results) or 1),
    }
    if options.pyright:
        rates["pyright clean"] = sum(r.pyright == "clean" for r in results) / n
    missed = [
        f"{name}: {rates[name]:.1%} < {TARGETS[name]:.0%}"
        for name in rates
        if rates[name] < TARGETS[name]
    ]
    missed += [
        f"{r.name}: generated client does not import: {r.import_error}"
        for r in made
        if not r.imported
    ]
    missed += [f"{r.name}: generated client does not byte-compile" for r in made if not r.compiled]
    missed += [
        f"{r.name}: failure is not one clean `apigen: error:` line: {r.error}"
        for r in results
        if not r.generated and not r.clean_failure
    ]
    return missed


def write_csv(results: Sequence[SpecResult], path: Path) -> None:
    names = [f.name for f in fields(SpecResult)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*names, "all_covered"])
        writer.writeheader()
        for r in results:
            writer.writerow({**asdict(r), "all_covered": r.all_covered})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("specs", type=Path, help="folder of specs (.json / .yaml)")
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    parser.add_argument(
        "--sizes", default="S,M,L,XL", help="size classes to run (S <20KB, M <100KB, L <1MB, XL)"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=float, default=600.0, help="per-step cap in seconds")
    parser.add_argument("--pyright-timeout", type=float, default=600.0)
    parser.add_argument("--no-pyright", action="store_true")
    parser.add_argument(
        "--peer", default="", help="openapi-python-client executable to compare with"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    options = Options(
        generate_timeout=args.timeout,
        step_timeout=args.timeout,
        pyright_timeout=args.pyright_timeout,
        pyright=not args.no_pyright,
        peer=str(Path(args.peer).resolve()) if args.peer else "",
    )
    specs = select_specs(args.specs, set(args.sizes.split(",")))
    if not specs:
        print(f"corpus: no specs of sizes {args.sizes} in {args.specs}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    results = run_corpus(specs, options, args.jobs)
    args.out.mkdir(parents=True, exist_ok=True)
    write_csv(results, args.out / "results.csv")
    text = (
        summary(results, options)
        + f"\nWall time: {time.perf_counter() - start:.0f} s on {args.jobs} workers.\n"
    )
    (args.out / "summary.md").write_text(text, encoding="utf-8")
    print(text)
    missed = missed_targets(results, options) if args.check else []
    for line in missed:
        print(f"corpus: target missed: {line}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
