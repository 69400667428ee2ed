"""Generation benchmarks: apigen vs openapi-python-client and datamodel-code-generator.

Times end-to-end CLI invocations (fresh process each, so start-up and imports count), with
several repetitions, and records per run: wall time, CPU time (user + sys, children included)
and peak RSS (``wait4``; the largest of the process and its children, e.g. ruff). Writes
``bench/results.md`` and prints the same tables.

    python bench/run.py --corpus .corpus --peers bench/.venv-peers [--quick]

Cases, per input spec:

* ``apigen generate`` cold — an empty output folder every run;
* ``apigen check`` — against that output, nothing changed;
* ``openapi-python-client generate --meta none`` (its default ruff post-processing), into an
  empty folder, with ``literal_enums: true`` (Stripe fails without it: duplicate enum keys);
* ``datamodel-codegen`` models only, for reference (its default formatters).

The scaling series replicates the Parallel spec N times (``bench/scale.py``) and runs the two
apigen cases; time per operation should stay flat.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from coldstart import table as coldstart_table
from goals import goals_table
from huge import Run
from huge import table as huge_table
from scale import count_operations, replicate

APIGEN = Path(sys.executable).parent / "apigen"


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_kib: int


@dataclass
class Case:
    spec: str
    tool: str
    operations: int
    samples: list[Sample] = field(default_factory=list)
    error: str = ""

    @property
    def min(self) -> float:
        return min(s.wall for s in self.samples)

    @property
    def median(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return min(s.cpu for s in self.samples)

    @property
    def rss_mib(self) -> float:
        return max(s.rss_kib for s in self.samples) / 1024


def _env() -> dict[str, str]:
    """Byte-code caching on (as for any installed tool), kept out of the source tree."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(HERE / "out" / "pycache")
    return env


TIME = Path("/usr/bin/time")


def run_once(
    command: list[str], cwd: Path, env: dict[str, str], timeout: float
) -> tuple[Sample, int, str]:
    """One invocation: wall clock around the child; CPU and peak RSS of the child's own tree.

    The child is started through GNU ``time`` when present: a process forked from this (large)
    Python process would otherwise report this process's peak RSS as its own floor (Linux keeps
    ``maxrss`` across ``exec``), while ``time`` is tiny. Fallback: ``wait4`` on the child.
    """
    log = cwd / "last.log"
    stats = cwd / "last.time"
    wrapped = (
        [str(TIME), "-f", "%U %S %M", "-o", str(stats), *command] if TIME.exists() else command
    )
    with log.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            wrapped, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu, rss_kib = usage.ru_utime + usage.ru_stime, usage.ru_maxrss
    if TIME.exists() and stats.is_file():
        fields = stats.read_text().split()[-3:]  # a failed command adds a line before ours
        if len(fields) == 3:
            cpu, rss_kib = float(fields[0]) + float(fields[1]), int(fields[2])
    tail = log.read_text(errors="replace").strip().splitlines()[-1:] if proc.returncode else []
    return Sample(wall, cpu, rss_kib), proc.returncode, tail[0] if tail else ""


def measure(
    case: Case, command: list[str], out: Path | None, reps: int, work: Path, timeout: float
) -> Case:
    env = _env()
    # A peer's own tools (openapi-python-client runs `ruff` from PATH) come from its venv.
    env["PATH"] = f"{Path(command[0]).parent}{os.pathsep}{env.get('PATH', '')}"
    for _ in range(reps):
        if out is not None:
            shutil.rmtree(out, ignore_errors=True)
        sample, code, tail = run_once(command, work, env, timeout)
        if code != 0:
            case.error = f"exit {code}: {tail[:120]}"
            break
        case.samples.append(sample)
    status = (
        case.error
        or f"min {case.min:.2f}s median {case.median:.2f}s cpu {case.cpu:.2f}s "
        f"rss {case.rss_mib:.0f} MiB"
    )
    print(f"  {case.tool:<24} {case.spec:<14} {status}", flush=True)
    return case


@dataclass
class Plan:
    apigen_reps: int
    peer_reps: int
    big_peer_reps: int
    dmcg_big_reps: int
    scale: tuple[int, ...]
    timeout: float


def bench_spec(
    name: str,
    spec: Path,
    plan: Plan,
    peers: Path | None,
    work: Path,
    big: bool,
    config: Path | None,
) -> list[Case]:
    ops = count_operations(json.loads(spec.read_text(encoding="utf-8")))
    out = work / f"{name}-apigen"
    extra = ["--config", str(config)] if config else []
    cases = []
    gen = [str(APIGEN), "-q", "generate", str(spec), "-o", str(out), *extra]
    run_once(gen, work, _env(), plan.timeout)  # warm-up: byte-compile apigen, fill the page cache
    cases.append(
        measure(Case(name, "apigen generate", ops), gen, out, plan.apigen_reps, work, plan.timeout)
    )
    shutil.rmtree(out, ignore_errors=True)
    run_once(gen, work, _env(), plan.timeout)
    check = [str(APIGEN), "-q", "check", str(spec), "-o", str(out), *extra]
    cases.append(
        measure(Case(name, "apigen check", ops), check, None, plan.apigen_reps, work, plan.timeout)
    )
    if peers is None:
        return cases
    opc_out = work / f"{name}-opc"
    opc_config = work / "opc.yaml"
    opc_config.write_text("literal_enums: true\n", encoding="utf-8")
    opc = [
        str(peers / "bin" / "openapi-python-client"),
        "generate",
        "--path",
        str(spec),
        "--meta",
        "none",
        "--output-path",
        str(opc_out),
        "--config",
        str(opc_config),
    ]
    reps = plan.big_peer_reps if big else plan.peer_reps
    cases.append(
        measure(Case(name, "openapi-python-client", ops), opc, opc_out, reps, work, plan.timeout)
    )
    dm_out = work / f"{name}-dmcg"
    dmcg = [
        str(peers / "bin" / "datamodel-codegen"),
        "--input",
        str(spec),
        "--input-file-type",
        "openapi",
        "--output-model-type",
        "pydantic_v2.BaseModel",
        "--output",
        str(dm_out),
    ]
    reps = plan.dmcg_big_reps if big else plan.peer_reps
    cases.append(
        measure(Case(name, "datamodel-codegen", ops), dmcg, dm_out, reps, work, plan.timeout)
    )
    return cases


def _fmt(case: Case | None) -> str:
    if case is None:
        return "—"
    return case.error or f"{case.min:.2f} / {case.median:.2f}"


def _ratio(a: Case | None, b: Case | None) -> str:
    if a is None or b is None or a.error or b.error:
        return "—"
    return f"{a.min / b.min:.3f}×"


def tables(
    cases: list[Case],
    scaling: list[Case],
    runtime: dict[str, list[dict[str, Any]]] | None,
    plan: Plan,
    coldstart: list[dict[str, Any]] | None = None,
    goals: str = "",
    huge: list[dict[str, Any]] | None = None,
) -> str:
    lines = [
        "# apigen benchmark results",
        "",
        (
            f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, load average at start "
            f"{os.getloadavg()[0]:.1f}. Generated by `make bench` (bench/run.py)."
        ),
        (
            f"Repetitions: apigen {plan.apigen_reps}, peers {plan.peer_reps} (Stripe/GitHub: "
            f"openapi-python-client {plan.big_peer_reps}, datamodel-codegen "
            f"{plan.dmcg_big_reps}). Wall times are min / median seconds; CPU is user+sys of the "
            "best run (children included); RSS is the peak of the process and its children."
        ),
        "",
        *([goals.rstrip("\n"), ""] if goals else []),
        "## Generation",
        "",
        "| spec | ops | tool | wall min / median (s) | CPU (s) | peak RSS (MiB) | ms / op |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for c in cases:
        per_op = f"{c.min / c.operations * 1000:.2f}" if c.samples and not c.error else "—"
        cpu = f"{c.cpu:.2f}" if c.samples and not c.error else "—"
        rss = f"{c.rss_mib:.0f}" if c.samples and not c.error else "—"
        lines.append(
            f"| {c.spec} | {c.operations} | {c.tool} | {_fmt(c)} | {cpu} | {rss} | {per_op} |"
        )
    lines += [
        "",
        "## Ratios (min wall time)",
        "",
        (
            "| spec | generate / openapi-python-client | generate / datamodel-codegen "
            "| check / openapi-python-client | check (s) |"
        ),
        "|---|---:|---:|---:|---:|",
    ]
    by = {(c.spec, c.tool): c for c in cases}
    for spec in dict.fromkeys(c.spec for c in cases):
        gen, chk = by.get((spec, "apigen generate")), by.get((spec, "apigen check"))
        opc, dm = by.get((spec, "openapi-python-client")), by.get((spec, "datamodel-codegen"))
        lines.append(
            f"| {spec} | {_ratio(gen, opc)} | {_ratio(gen, dm)} | {_ratio(chk, opc)} "
            f"| {_fmt(chk)} |"
        )
    if scaling:
        lines += [
            "",
            "## Scaling series (Parallel spec × N)",
            "",
            (
                "| N | ops | generate min (s) | generate ms / op | check min (s) | check ms / op "
                "| peak RSS (MiB) |"
            ),
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for gen, chk in zip(scaling[::2], scaling[1::2], strict=True):
            if gen.error or chk.error:
                lines.append(
                    f"| {gen.spec} | {gen.operations} | {gen.error or chk.error} | | | | |"
                )
                continue
            lines.append(
                f"| {gen.spec.removeprefix('x')} | {gen.operations} | {gen.min:.2f} "
                f"| {gen.min / gen.operations * 1000:.2f} | "
                f"{chk.min:.2f} | {chk.min / chk.operations * 1000:.2f} | {gen.rss_mib:.0f} |"
            )
    if runtime:
        lines += [
            "",
            "## Generated client at run time",
            "",
            (
                "Import time: fresh interpreter per sample (the bench venv's Python; both packages "
                "use the same httpx and pydantic); *net* subtracts the bare interpreter's start-up."
            ),
            "",
            "| case | min (ms) | median (ms) | net min (ms) |",
            "|---|---:|---:|---:|",
        ]
        for row in runtime["imports"]:
            lines.append(
                f"| {row['case']} | {row['min_s'] * 1000:.1f} | {row['median_s'] * 1000:.1f} "
                f"| {row['net_min_s'] * 1000:.1f} |"
            )
        lines += [
            "",
            (
                "Per call against a loopback keep-alive server (`bench/server.py`, own process); "
                "best of the interleaved rounds; *vs raw* divides by the raw `httpx` `get` of the "
                "same URL."
            ),
            "",
            "| case | best (µs) | median (µs) | vs raw |",
            "|---|---:|---:|---:|",
        ]
        for row in runtime["calls"]:
            lines.append(
                f"| {row['case']} | {row['best_us']:.1f} | {row['median_us']:.1f} "
                f"| {row['vs_raw']:.2f}× |"
            )
    if coldstart:
        lines += ["", *coldstart_table(coldstart).rstrip("\n").splitlines()]
    if huge:
        runs = [Run(**run) for run in huge]
        lines += ["", "## Huge specs (bench/huge.py)", "", *huge_table(runs).splitlines()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / ".corpus")
    parser.add_argument(
        "--peers",
        type=Path,
        default=HERE / ".venv-peers",
        help="venv with the peers (omit peers: --no-peers)",
    )
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument(
        "--no-runtime", action="store_true", help="skip the generated-client run-time benchmarks"
    )
    parser.add_argument(
        "--quick", action="store_true", help="Parallel spec only, fewer repetitions"
    )
    parser.add_argument("--results", type=Path, default=HERE / "results.md")
    parser.add_argument(
        "--coldstart",
        type=Path,
        help="venv with the official SDKs for the cold-start rows (bench/coldstart.py)",
    )
    parser.add_argument(
        "--openai-spec", type=Path, help="OpenAI spec: adds the OpenAI cold-start row"
    )
    parser.add_argument(
        "--huge", type=Path, help="Microsoft Graph beta spec: adds the huge-spec rows (huge.py)"
    )
    args = parser.parse_args(argv)

    plan = Plan(
        apigen_reps=5,
        peer_reps=3,
        big_peer_reps=2,
        dmcg_big_reps=1,
        scale=(1, 2, 4, 8, 16),
        timeout=600,
    )
    if args.quick:
        plan = Plan(
            apigen_reps=3, peer_reps=1, big_peer_reps=1, dmcg_big_reps=1, scale=(1, 4), timeout=600
        )
    peers = None if args.no_peers else args.peers.resolve()
    work = HERE / "out" / "bench"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)

    parallel = ROOT / "spec" / "public-openapi.json"
    inputs: list[tuple[str, Path, bool, Path | None]] = [
        ("parallel", parallel, False, ROOT / "apigen.yaml")
    ]
    if not args.quick:
        inputs += [
            ("stripe", args.corpus.resolve() / "stripe.com.json", True, None),
            ("github", args.corpus.resolve() / "octokit_generated_api.github.com.json", True, None),
        ]
    cases: list[Case] = []
    for name, spec, big, config in inputs:
        if not spec.is_file():
            print(f"missing {spec}: run `make corpus-fetch`", file=sys.stderr)
            return 2
        print(f"{name}:", flush=True)
        cases += bench_spec(name, spec, plan, peers, work, big, config)

    print("scaling series:", flush=True)
    scaling: list[Case] = []
    base = json.loads(parallel.read_text(encoding="utf-8"))
    for n in plan.scale:
        spec = work / f"parallel-x{n}.json"
        spec.write_text(json.dumps(replicate(base, n)), encoding="utf-8")
        scaling += bench_spec(f"x{n}", spec, plan, None, work, False, None)

    runtime = None
    if not args.no_runtime and peers is not None:
        print("generated client at run time:", flush=True)
        out = work / "runtime.json"
        env = _env()
        env["PYTHONPATH"] = str(ROOT / "generated")
        subprocess.run(
            [str(peers / "bin" / "python"), str(HERE / "runtime.py"), "--json", str(out)],
            env=env,
            check=True,
        )
        runtime = json.loads(out.read_text(encoding="utf-8"))

    coldstart = None
    if args.coldstart is not None:
        print("cold start of the generated client:", flush=True)
        out = work / "coldstart.json"
        command = [sys.executable, str(HERE / "coldstart.py"), "--venv", str(args.coldstart)]
        if args.openai_spec is not None:
            command += ["--openai-spec", str(args.openai_spec.resolve())]
        subprocess.run([*command, "--json", str(out)], check=True)
        coldstart = json.loads(out.read_text(encoding="utf-8"))

    huge = None
    if args.huge is not None:
        print("huge specs:", flush=True)
        out = work / "huge.json"
        command = [sys.executable, str(HERE / "huge.py"), "--spec", str(args.huge.resolve())]
        subprocess.run([*command, "--json", str(out)], env=_env(), check=True)
        huge = json.loads(out.read_text(encoding="utf-8"))

    check_min = {c.spec: c.min for c in cases if c.tool == "apigen check" and not c.error}
    goals = goals_table(check_min, runtime["calls"] if runtime else None, coldstart, huge)
    text = tables(cases, scaling, runtime, plan, coldstart, goals, huge)
    args.results.write_text(text, encoding="utf-8")
    print()
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
