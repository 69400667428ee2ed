"""One diff in this process: load both specs, diff, print timings and counts as JSON.

Run by ``bench/diff/run.py`` in a fresh interpreter, with ``PYTHONPATH`` pointing at the apigen
source to measure (the working tree, or an older commit's ``generator/``), so both versions are
timed the same way. Only ``load_api`` and ``diff_apis(old, new)`` are used: both exist in every
version measured.
"""

from __future__ import annotations

import json
import resource
import sys
import time

sys.setrecursionlimit(10_000)

from generator.diff import diff_apis
from generator.pipeline import load_api

start = time.perf_counter()
old = load_api(sys.argv[1])[1]
new = load_api(sys.argv[2])[1]
loaded = time.perf_counter()
rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
report = diff_apis(old, new)
done = time.perf_counter()
changes = [
    {"kind": c.kind, "severity": c.severity.value, "location": c.location, "message": c.message}
    for c in report.changes
]
json.dump(
    {
        "load_s": loaded - start,
        "diff_s": done - loaded,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_after_load_mib": rss_loaded,
        "changes": changes,
    },
    sys.stdout,
)
