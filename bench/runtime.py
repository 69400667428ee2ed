"""Run-time benchmarks of the generated client against the official SDK and raw httpx.

Run with an interpreter that has the official SDK (``parallel-web``) installed — the bench venv —
and the generated package on ``PYTHONPATH``, so both clients use the same httpx and pydantic:

    PYTHONPATH=generated bench/.venv-peers/bin/python bench/runtime.py [--json OUT]

1. Import time, each sample a fresh interpreter: ``import parallel_api`` vs ``import parallel``
   (and the same plus constructing the client and touching ``client.task_run``, which is where
   the generated package imports its resource and models lazily). The bare interpreter's start-up
   is measured too and subtracted.
2. Per-call cost against a loopback keep-alive server (``bench/server.py``, own process):
   ``client.task_run.retrieve(run_id)`` (generated, official SDK) vs ``httpx.Client.get`` of the
   same URL, sync and async (and on the aiohttp backend when httpx-aiohttp is installed). Rounds
   are interleaved and the best round of each case counts; the client's CPU time per call is
   recorded beside wall time, as its median is steadier on a shared machine.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RUN_ID = "trun_0123456789abcdef"

IMPORTS = {
    "python (no import)": "pass",
    "import parallel_api (generated)": "import parallel_api",
    "import parallel (official SDK)": "import parallel",
    "parallel_api + client.task_run": (
        "import parallel_api; parallel_api.Parallel(api_key='k').task_run"
    ),
    "parallel + client.task_run": "import parallel; parallel.Parallel(api_key='k').task_run",
}


def time_imports(samples: int) -> list[dict[str, Any]]:
    """Wall time of a fresh interpreter running each snippet, samples interleaved."""
    times: dict[str, list[float]] = {name: [] for name in IMPORTS}
    for code in IMPORTS.values():  # warm-up: byte-compile, fill the page cache
        subprocess.run([sys.executable, "-c", code], check=True)
    for _ in range(samples):
        for name, code in IMPORTS.items():
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            times[name].append(time.perf_counter() - start)
    base = min(times["python (no import)"])
    rows = []
    for name, values in times.items():
        rows.append(
            {
                "case": name,
                "min_s": min(values),
                "median_s": statistics.median(values),
                "net_min_s": min(values) - base,
            }
        )
    return rows


def _best_per_call(
    rounds: int, calls: int, cases: dict[str, Callable[[], object]]
) -> dict[str, list[tuple[float, float]]]:
    """Per case, one (wall, client CPU) seconds-per-call pair per round."""
    per_call: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    for fn in cases.values():  # warm-up: connections open, lazy imports done, caches filled
        for _ in range(200):
            fn()
    for _ in range(rounds):
        for name, fn in cases.items():
            start, cpu = time.perf_counter(), time.process_time()
            for _ in range(calls):
                fn()
            wall = (time.perf_counter() - start) / calls
            per_call[name].append((wall, (time.process_time() - cpu) / calls))
    return per_call


async def _best_per_call_async(
    rounds: int, calls: int, cases: dict[str, Callable[[], Awaitable[object]]]
) -> dict[str, list[tuple[float, float]]]:
    per_call: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    for fn in cases.values():
        for _ in range(200):
            await fn()
    for _ in range(rounds):
        for name, fn in cases.items():
            start, cpu = time.perf_counter(), time.process_time()
            for _ in range(calls):
                await fn()
            wall = (time.perf_counter() - start) / calls
            per_call[name].append((wall, (time.process_time() - cpu) / calls))
    return per_call


def time_calls(base_url: str, rounds: int, calls: int) -> list[dict[str, Any]]:
    import httpx
    import parallel
    import parallel_api

    url = f"{base_url}/v1/tasks/runs/{RUN_ID}"
    headers = {"x-api-key": "k"}
    raw = httpx.Client(headers=headers)
    gen = parallel_api.Parallel(api_key="k", base_url=base_url, max_retries=0)
    sdk = parallel.Parallel(api_key="k", base_url=base_url, max_retries=0)
    assert gen.task_run.retrieve(RUN_ID).run_id == RUN_ID
    assert sdk.task_run.retrieve(RUN_ID).run_id == RUN_ID
    # The same request as the generated client's on the wire (its headers, the platform
    # ones included): what httpx alone costs for it, so the runtime's own share shows.
    sent = gen.task_run.with_raw_response.retrieve(RUN_ID).http_request.headers
    raw_same = httpx.Client(headers={k: v for k, v in sent.items() if k != "host"})
    sync = _best_per_call(
        rounds,
        calls,
        {
            "sync raw httpx.Client.get": lambda: raw.get(url),
            "sync raw httpx get + .json()": lambda: raw.get(url).json(),
            "sync raw httpx get, client's headers": lambda: raw_same.get(url),
            "sync generated task_run.retrieve": lambda: gen.task_run.retrieve(RUN_ID),
            "sync official SDK task_run.retrieve": lambda: sdk.task_run.retrieve(RUN_ID),
        },
    )
    raw.close()
    raw_same.close()
    gen.close()
    sdk.close()

    async def run_async() -> dict[str, list[tuple[float, float]]]:
        araw = httpx.AsyncClient(headers=headers)
        agen = parallel_api.AsyncParallel(api_key="k", base_url=base_url, max_retries=0)
        asdk = parallel.AsyncParallel(api_key="k", base_url=base_url, max_retries=0)

        async def raw_json() -> object:
            return (await araw.get(url)).json()

        cases: dict[str, Callable[[], Awaitable[object]]] = {
            "async raw httpx.AsyncClient.get": lambda: araw.get(url),
            "async raw httpx get + .json()": raw_json,
            "async generated task_run.retrieve": lambda: agen.task_run.retrieve(RUN_ID),
            "async official SDK task_run.retrieve": lambda: asdk.task_run.retrieve(RUN_ID),
        }
        closers: list[Callable[[], Awaitable[None]]] = [araw.aclose, agen.close, asdk.close]
        if importlib.util.find_spec("httpx_aiohttp") is not None:  # the `aiohttp` extra
            import httpx_aiohttp

            aio_raw = httpx_aiohttp.HttpxAiohttpClient(headers=headers)
            aio_gen = parallel_api.AsyncParallel(
                api_key="k",
                base_url=base_url,
                max_retries=0,
                http_client=parallel_api.DefaultAioHttpClient(),
            )
            cases["async raw httpx-aiohttp get (aiohttp)"] = lambda: aio_raw.get(url)
            cases["async generated retrieve (aiohttp)"] = lambda: aio_gen.task_run.retrieve(RUN_ID)
            closers += [aio_raw.aclose, aio_gen.close]

        try:
            return await _best_per_call_async(rounds, calls, cases)
        finally:
            for close in closers:
                await close()

    results = {**sync, **asyncio.run(run_async())}
    walls = {name: [wall for wall, _ in pairs] for name, pairs in results.items()}
    cpus = {name: [cpu for _, cpu in pairs] for name, pairs in results.items()}
    rows = []
    for name in results:
        mode = name.split()[0]
        raw = f"{mode} raw httpx.{'Client' if mode == 'sync' else 'AsyncClient'}.get"
        if name.endswith("(aiohttp)"):
            raw = "async raw httpx-aiohttp get (aiohttp)"
        rows.append(
            {
                "case": name,
                "best_us": min(walls[name]) * 1e6,
                "median_us": statistics.median(walls[name]) * 1e6,
                "vs_raw": min(walls[name]) / min(walls[raw]),
                "median_vs_raw": statistics.median(walls[name]) / statistics.median(walls[raw]),
                "cpu_median_us": statistics.median(cpus[name]) * 1e6,
                "cpu_vs_raw": statistics.median(cpus[name]) / statistics.median(cpus[raw]),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--imports", type=int, default=20, help="fresh-interpreter samples per import case"
    )
    parser.add_argument("--calls", type=int, default=2000, help="calls per round")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (best counts)")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    args = parser.parse_args(argv)

    imports = time_imports(args.imports)
    server = subprocess.Popen(
        [sys.executable, str(HERE / "server.py")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        calls = time_calls(f"http://127.0.0.1:{port}", args.rounds, args.calls)
    finally:
        assert server.stdin is not None
        server.stdin.close()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    print(f"{'import (fresh interpreter)':<40} {'min':>9} {'median':>9} {'net min':>9}")
    for row in imports:
        print(
            f"{row['case']:<40} {row['min_s'] * 1000:8.1f}ms {row['median_s'] * 1000:8.1f}ms "
            f"{row['net_min_s'] * 1000:8.1f}ms"
        )
    print(
        f"\n{'per call (loopback, keep-alive)':<40} {'best':>9} {'median':>9} {'vs raw':>7} "
        f"{'(median)':>8} {'client CPU':>10} {'vs raw':>7}"
    )
    for row in calls:
        print(
            f"{row['case']:<40} {row['best_us']:7.1f}µs {row['median_us']:7.1f}µs "
            f"{row['vs_raw']:6.2f}× {row['median_vs_raw']:7.2f}× {row['cpu_median_us']:8.1f}µs "
            f"{row['cpu_vs_raw']:6.2f}×"
        )
    if args.json:
        args.json.write_text(
            json.dumps({"imports": imports, "calls": calls}, indent=2) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
