"""The open issues' performance goals beside what `make bench` measured, one row per goal.

Each goal is stated as its issue states it (absolute seconds, or a ratio to a peer measured in
the same run), and judged only from numbers of this run: a row whose measurement did not run
says so instead of reusing an older figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Goal:
    issue: str
    what: str
    limit: float
    unit: str  # "s", "×" (ratio to a peer) or "MB"

    def text(self, value: float) -> str:
        if self.unit == "s":
            return f"{value:.3f} s"
        if self.unit == "MB":
            return f"{value:.0f} MB"
        return f"{value:.2f}×"

    def row(self, value: float | None, note: str = "", *, met: bool | None = None) -> str:
        """One table row; ``met`` overrides the comparison (a goal with an "or" clause)."""
        goal = f"≤ {self.text(self.limit)}"
        if value is None:
            return f"| {self.issue} | {self.what} | not measured{note} | {goal} | — |"
        reached = value <= self.limit if met is None else met
        status = "met" if reached else "**not met**"
        return f"| {self.issue} | {self.what} | {self.text(value)}{note} | {goal} | {status} |"


PER_CALL = {
    "sync": Goal("15", "per call, sync `task_run.retrieve` / raw httpx get (best)", 1.3, "×"),
    "async": Goal("15", "per call, async `task_run.retrieve` / raw httpx get (best)", 1.3, "×"),
}
CHECK = {
    "parallel": Goal("18.3", "`apigen check` in sync, Parallel (min)", 0.1, "s"),
    "github": Goal("18.3", "`apigen check` in sync, GitHub (min)", 0.2, "s"),
}
COLD_TIME = Goal("18.1", "cold start to first call / official SDK, {api} (min)", 0.5, "×")
COLD_RSS = Goal("18.1", "cold start peak RSS / official SDK, {api}", 1.0, "×")
HUGE_CPU = Goal("18.2", "Microsoft Graph beta generate, CPU (min)", 15.0, "s")
HUGE_BASELINE = "66636c1"
"""The commit the Graph beta CPU goal was set against: 23.7 s on the issue's machine."""
THIS_CHECKOUT = "this checkout"
"""How bench/huge.py labels the runs of the code under measurement (the others: a commit)."""
HUGE_CPU_RATIO = Goal(
    "18.2", f"Microsoft Graph beta CPU / {HUGE_BASELINE}'s in this run (min)", 15.0 / 23.7, "×"
)
HUGE_RSS = Goal("18.2", "Microsoft Graph beta generate, peak RSS", 600, "MB")
BLOB_RATIO = Goal("18.2", "{spec}: peak RSS / spec size (or a clear error)", 8.0, "×")


def goals_table(
    check_min: Mapping[str, float],
    calls: Iterable[Mapping[str, Any]] | None,
    coldstart: Iterable[Mapping[str, Any]] | None,
    huge: Iterable[Mapping[str, Any]] | None,
) -> str:
    """The "Goals" section: every goal of the open performance points, measured or not."""
    lines = [
        "## Goals",
        "",
        (
            "Each open performance goal beside this run's number (issue and point in the first "
            "column). Absolute times depend on the machine and its load (the load average at "
            "start is above); ratios are to a peer measured in this same run."
        ),
        "",
        "| issue | measure | this run | goal | status |",
        "|---|---|---:|---:|---|",
    ]
    by_case = {row["case"]: row for row in calls or ()}
    for mode, goal in PER_CALL.items():
        row = by_case.get(f"{mode} generated task_run.retrieve")
        lines.append(goal.row(None if row is None else float(row["vs_raw"])))
    for spec, goal in CHECK.items():
        lines.append(goal.row(check_min.get(spec)))
    summaries = {(s["api"], s["client"]): s for s in coldstart or ()}
    for api in ("parallel", "openai"):
        ours, official = summaries.get((api, "ours")), summaries.get((api, "official"))
        time_goal = Goal(COLD_TIME.issue, COLD_TIME.what.format(api=api), COLD_TIME.limit, "×")
        rss_goal = Goal(COLD_RSS.issue, COLD_RSS.what.format(api=api), COLD_RSS.limit, "×")
        if ours is None or official is None:
            lines += [time_goal.row(None), rss_goal.row(None)]
            continue
        floor = summaries.get((api, "floor"))  # no SDK at all: the least any client needs
        note = f" (no-SDK floor {floor['min_s'] / official['min_s']:.2f}×)" if floor else ""
        lines.append(time_goal.row(ours["min_s"] / official["min_s"], note))
        lines.append(rss_goal.row(ours["rss_mib"] / official["rss_mib"]))
    runs = list(huge or ())
    blobs = [r for r in runs if str(r["spec"]).startswith("blob-")]
    real = [r for r in runs if r not in blobs and r["outcome"] == "generated"]
    graph = [r for r in real if r.get("checkout", THIS_CHECKOUT) == THIS_CHECKOUT]
    before = [r for r in real if r.get("checkout") == HUGE_BASELINE]
    ours = min(graph, key=lambda r: float(r["cpu"])) if graph else None
    lines.append(HUGE_CPU.row(None if ours is None else float(ours["cpu"])))
    lines.append(_cpu_ratio_row(graph, before))
    lines.append(HUGE_RSS.row(max(r["peak"] for r in graph) / 2**20 if graph else None))
    for run in blobs:
        goal = Goal(BLOB_RATIO.issue, BLOB_RATIO.what.format(spec=run["spec"]), 8.0, "×")
        refused = str(run["outcome"]).startswith("apigen: error:")
        ratio = run["peak"] / run["size"]
        note = " (refused with a one-line error)" if refused else ""
        lines.append(goal.row(ratio, note, met=refused or ratio <= goal.limit))
    if not blobs:
        what = BLOB_RATIO.what.format(spec="x- blob specs")
        lines.append(Goal(BLOB_RATIO.issue, what, 8.0, "×").row(None))
    return "\n".join(lines) + "\n"


def _cpu_ratio_row(ours: list[Mapping[str, Any]], before: list[Mapping[str, Any]]) -> str:
    """The CPU goal judged on this machine: set as 15 s where the baseline took 23.7 s, so
    ≤ 0.63× of the baseline's CPU measured in the same run (user time alone in the note)."""
    if not ours or not before:
        return HUGE_CPU_RATIO.row(None)
    ratio = min(float(r["cpu"]) for r in ours) / min(float(r["cpu"]) for r in before)
    user = min(float(r["user"]) for r in ours) / min(float(r["user"]) for r in before)
    return HUGE_CPU_RATIO.row(ratio, f" (user time alone {user:.2f}×)")
