"""Cold start of a generated client vs the official SDK: fresh interpreter to first completed call.

Each sample is a new interpreter that imports the package, constructs the client and makes one
call (Parallel: ``client.task_run.retrieve(id)``; OpenAI: ``client.models.list()``, first item)
against a loopback HTTP server this script runs on 127.0.0.1 with a valid canned answer. Samples
of ours and the official SDK are interleaved; reported: min and median wall time and the child's
peak RSS (``ru_maxrss`` from ``wait4``). Both clients run in one venv (the official SDKs from PyPI,
``openai==3.3.1`` and ``parallel-web==0.4.2``) so they share httpx and pydantic.

    .venv/bin/python bench/coldstart.py --venv bench/.venv-coldstart [--openai-spec SPEC]
        [--runs 15] [--json OUT] [--results bench/results.md]

The Parallel row always runs (the committed ``generated/``); the OpenAI row only when a spec path
is given: the client is generated from it into ``bench/out/coldstart/`` with no config.
Byte-code is cached (as for an installed package) in ``bench/out/pycache``; one untimed warm-up
run per case compiles it. ``--results`` replaces the "Cold start" section of that file.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
APIGEN = Path(sys.executable).parent / "apigen"
RUN_ID = "trun_0123456789abcdef"
GOAL_TIME = 0.5  # time to first call ≤ 0.5 × the official SDK's
GOAL_RSS = 1.0  # peak RSS ≤ the official SDK's

TASK_RUN = {
    "run_id": RUN_ID,
    "interaction_id": RUN_ID,
    "status": "completed",
    "is_active": False,
    "processor": "base",
    "created_at": "2025-01-01T00:00:00Z",
    "modified_at": "2025-01-01T00:00:05Z",
}
MODELS = {
    "object": "list",
    "data": [{"id": "m1", "object": "model", "created": 1686935002, "owned_by": "bench"}],
}

# One snippet per (API, client): {url} is the loopback base URL; each asserts the answer parsed.
SNIPPETS = {
    ("parallel", "ours"): (
        "import parallel_api\n"
        "c = parallel_api.Parallel(api_key='k', base_url='{url}', max_retries=0)\n"
        f"assert c.task_run.retrieve('{RUN_ID}').run_id == '{RUN_ID}'\n"
    ),
    # No SDK: httpx, one pydantic model, a default client (its TLS context loads the CA bundle)
    # and the same call. What any client built on httpx and pydantic starts from.
    ("parallel", "floor"): (
        "import httpx, pydantic\n"
        "class Run(pydantic.BaseModel):\n"
        "    run_id: str\n"
        "    status: str\n"
        "c = httpx.Client(base_url='{url}', headers={'x-api-key': 'k'})\n"
        f"r = Run.model_validate(c.get('/v1/tasks/runs/{RUN_ID}').json())\n"
        f"assert r.run_id == '{RUN_ID}'\n"
    ),
    ("parallel", "official"): (
        "import parallel\n"
        "c = parallel.Parallel(api_key='k', base_url='{url}', max_retries=0)\n"
        f"assert c.task_run.retrieve('{RUN_ID}').run_id == '{RUN_ID}'\n"
    ),
    ("openai", "ours"): (
        "import open_ai_client\n"
        "c = open_ai_client.OpenAI(api_key='k', base_url='{url}/v1', max_retries=0)\n"
        "assert next(iter(c.models.list())).id == 'm1'\n"
    ),
    ("openai", "official"): (
        "import openai\n"
        "c = openai.OpenAI(api_key='k', base_url='{url}/v1', max_retries=0)\n"
        "assert next(iter(c.models.list())).id == 'm1'\n"
    ),
}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        body = json.dumps(MODELS if path.endswith("/models") else TASK_RUN).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # the per-request log: off
        pass


@dataclass
class Row:
    api: str
    client: str
    walls: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "api": self.api,
            "client": self.client,
            "min_s": min(self.walls),
            "median_s": statistics.median(self.walls),
            "rss_mib": max(self.rss_kib) / 1024,
            "runs": len(self.walls),
        }


def _env(pythonpath: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "PARALLEL_"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(HERE / "out" / "pycache")
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    else:
        env.pop("PYTHONPATH", None)
    return env


def run_once(python: Path, code: str, env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one fresh interpreter running ``code``."""
    start = time.perf_counter()
    proc = subprocess.Popen([str(python), "-c", code], env=env, stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"coldstart: sample failed (exit {proc.returncode}):\n{code}")
    return wall, usage.ru_maxrss


def generate_openai(spec: Path) -> Path:
    out = HERE / "out" / "coldstart" / "openai"
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(APIGEN), "-q", "generate", str(spec), "-o", str(out)], cwd=out.parent, check=True
    )
    return out


def measure(venv: Path, openai_spec: Path | None, runs: int) -> list[dict[str, Any]]:
    python = venv / "bin" / "python"
    paths: dict[str, Path] = {"parallel": ROOT / "generated"}
    if openai_spec is not None:
        paths["openai"] = generate_openai(openai_spec)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    rows: dict[tuple[str, str], Row] = {}
    cases = []
    for api, path in paths.items():
        for client in ("ours", "official", "floor"):
            if (api, client) not in SNIPPETS:
                continue
            env = _env(path if client == "ours" else None)
            code = SNIPPETS[(api, client)].replace("{url}", url)
            run_once(python, code, env)  # warm-up: byte-compile, fill the page cache
            rows[(api, client)] = Row(api, client)
            cases.append(((api, client), code, env))
    try:
        for _ in range(runs):
            for key, code, env in cases:
                wall, rss = run_once(python, code, env)
                rows[key].walls.append(wall)
                rows[key].rss_kib.append(rss)
    finally:
        server.shutdown()
    return [row.summary() for row in rows.values()]


def table(summaries: list[dict[str, Any]], note: str = "") -> str:
    """The "Cold start" section: per API ours and official, and the ratios beside the goals."""
    by = {(s["api"], s["client"]): s for s in summaries}
    lines = [
        "## Cold start of the generated client",
        "",
        (
            "Fresh interpreter per sample: import + construct + first call against a loopback "
            "server (`bench/coldstart.py`; Parallel `task_run.retrieve`, OpenAI `models.list`), "
            "ours and the official SDK interleaved, same venv (httpx, pydantic). Goals: time "
            f"≤ {GOAL_TIME}× the official SDK's, peak RSS ≤ {GOAL_RSS}×. *Floor*: the same call "
            "with no SDK at all (httpx, one pydantic model, a default `httpx.Client`), over the "
            "official SDK's time: no client built on httpx and pydantic starts faster."
            + (f" {note}" if note else "")
        ),
        "",
        (
            "| API | runs | ours min / median (s) | official min / median (s) | time ratio (min) "
            "| time goal | floor ratio (min) | ours RSS (MiB) | official RSS (MiB) | RSS ratio "
            "| RSS goal |"
        ),
        "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---|",
    ]
    for api in dict.fromkeys(s["api"] for s in summaries):
        ours, off = by[(api, "ours")], by[(api, "official")]
        t, r = ours["min_s"] / off["min_s"], ours["rss_mib"] / off["rss_mib"]
        floor = by.get((api, "floor"))
        floor_ratio = f"{floor['min_s'] / off['min_s']:.2f}×" if floor else "—"
        lines.append(
            f"| {api} | {ours['runs']} | {ours['min_s']:.3f} / {ours['median_s']:.3f} "
            f"| {off['min_s']:.3f} / {off['median_s']:.3f} | {t:.2f}× "
            f"| {'met' if t <= GOAL_TIME else 'not met'} (≤ {GOAL_TIME}×) | {floor_ratio} "
            f"| {ours['rss_mib']:.0f} | {off['rss_mib']:.0f} | {r:.2f}× "
            f"| {'met' if r <= GOAL_RSS else 'not met'} (≤ {GOAL_RSS}×) |"
        )
    return "\n".join(lines) + "\n"


def replace_section(text: str, section: str) -> str:
    """``text`` with its "## Cold start" section (up to the next ``## ``) replaced or appended."""
    head = section.splitlines()[0]
    start = text.find(head)
    if start < 0:
        return text.rstrip("\n") + "\n\n" + section
    end = text.find("\n## ", start + len(head))
    rest = text[end + 1 :] if end >= 0 else ""
    return text[:start] + section + ("\n" + rest if rest else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=HERE / ".venv-coldstart")
    parser.add_argument("--openai-spec", type=Path, help="OpenAI spec; omit to skip that row")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--results", type=Path, help="replace the Cold start section here")
    parser.add_argument("--note", default="", help="a sentence added to the table's legend")
    args = parser.parse_args(argv)
    summaries = measure(args.venv.resolve(), args.openai_spec, max(args.runs, 10))
    if args.json:
        args.json.write_text(json.dumps(summaries, indent=1), encoding="utf-8")
    section = table(summaries, args.note)
    if args.results:
        old = args.results.read_text(encoding="utf-8") if args.results.is_file() else ""
        args.results.write_text(replace_section(old, section), encoding="utf-8")
    print(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
