"""`make bench`'s Goals table (bench/goals.py) judges each goal from this run's numbers only."""

from __future__ import annotations

from tests.support.bench import load_bench_module


def _row(table: str, words: str) -> list[str]:
    (line,) = [line for line in table.splitlines() if words in line]
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_each_goal_is_judged_from_the_run_and_missing_ones_say_so() -> None:
    goals = load_bench_module("goals")
    calls = [
        {"case": "sync generated task_run.retrieve", "vs_raw": 1.29},
        {"case": "async generated task_run.retrieve", "vs_raw": 1.31},
    ]
    cold = [
        {"api": "parallel", "client": "ours", "min_s": 0.36, "rss_mib": 38},
        {"api": "parallel", "client": "official", "min_s": 0.40, "rss_mib": 40},
        {"api": "parallel", "client": "floor", "min_s": 0.30, "rss_mib": 30},
    ]
    graph = {"spec": "graph-beta.json", "size": 47 * 2**20, "outcome": "generated"}
    huge = [
        {**graph, "cpu": 24.0, "user": 20.0, "peak": 550 * 2**20, "checkout": goals.HUGE_BASELINE},
        {**graph, "cpu": 15.5, "user": 11.0, "peak": 650 * 2**20, "checkout": "this checkout"},
        {**graph, "cpu": 20.0, "user": 16.0, "peak": 540 * 2**20, "checkout": goals.HUGE_BASELINE},
        {**graph, "cpu": 14.0, "user": 12.0, "peak": 700 * 2**20, "checkout": "this checkout"},
        {**graph, "cpu": 1.0, "user": 1.0, "peak": 30 * 2**20, "checkout": goals.HUGE_BASELINE,
         "outcome": "apigen: error: templates not found"},
        {"spec": "blob-80mb.json", "cpu": 1.0, "peak": 111 * 2**20, "size": 80 * 2**20,
         "outcome": "apigen: error: the spec would need about 1508 MB"},
        {"spec": "blob-200mb.json", "cpu": 1.0, "peak": 2000 * 2**20, "size": 200 * 2**20,
         "outcome": "generated"},
    ]  # fmt: skip
    table = goals.goals_table({"parallel": 0.096}, calls, cold, huge)
    without_baseline = goals.goals_table(
        {}, calls, cold, [r for r in huge if r.get("checkout") != goals.HUGE_BASELINE]
    )
    assert _row(without_baseline, "CPU / 66636c1's in this run")[2] == "not measured"
    assert _row(table, "per call, sync")[2:] == ["1.29×", "≤ 1.30×", "met"]
    assert _row(table, "per call, async")[2:] == ["1.31×", "≤ 1.30×", "**not met**"]
    assert _row(table, "Parallel (min)")[2:] == ["0.096 s", "≤ 0.100 s", "met"]
    assert _row(table, "GitHub (min)")[2:] == ["not measured", "≤ 0.200 s", "—"]
    assert _row(table, "first call / official SDK, parallel")[2:] == [
        "0.90× (no-SDK floor 0.75×)",
        "≤ 0.50×",
        "**not met**",
    ]
    assert _row(table, "peak RSS / official SDK, parallel")[4] == "met"
    assert _row(table, "first call / official SDK, openai")[2] == "not measured"
    assert _row(table, "Graph beta generate, CPU")[2:] == ["14.000 s", "≤ 15.000 s", "met"]
    # min over min, each checkout's own best run: 14 / 20 (user 11 / 16)
    assert _row(table, "CPU / 66636c1's in this run")[2:] == [
        "0.70× (user time alone 0.69×)",
        "≤ 0.63×",
        "**not met**",
    ]
    assert _row(table, "Graph beta generate, peak RSS")[2:] == ["700 MB", "≤ 600 MB", "**not met**"]
    refused = _row(table, "blob-80mb.json")
    assert refused[2].endswith("(refused with a one-line error)") and refused[4] == "met"
    assert _row(table, "blob-200mb.json")[2:] == ["10.00×", "≤ 8.00×", "**not met**"]
