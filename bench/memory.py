"""Memory: peak RSS of a fresh process streaming over N cases, for a small and a 10x N.

Two service paths run, each in its own child process (so the peak is its own):
`iterate_cases` over every case (what an export does) and `verify_chains` over every event
(the auditor's verification). Flat means the 10x run's peak stays close to the small one's.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from typing import Any

from bench.common import LIFECYCLE, BenchSchema, Template, clone, seed, short_id
from db.unit_of_work import UnitOfWork

CHILD = r"""
import json, resource, sys, time
from db.engine import make_engine
from db.unit_of_work import UnitOfWork
url, job = sys.argv[1], sys.argv[2]
engine = make_engine(url)
uow = UnitOfWork(engine)
start = time.perf_counter()
count = 0
if job == "iterate_cases":
    from cases.queries import iterate_cases
    for case in iterate_cases(uow, "admin"):
        count += 1
else:
    from cases.integrity import verify_chains
    report = verify_chains(uow, "auditor")
    count = report.events
    assert report.ok, report.breaks[:3]
elapsed = time.perf_counter() - start
# VmHWM is this process's own peak: ru_maxrss carries the parent's over fork + exec on Linux
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    with open("/proc/self/status") as status:
        peak_kb = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
print(json.dumps({"count": count, "seconds": round(elapsed, 2),
                  "peak_rss_mb": round(peak_kb / 1024, 1)}))
"""

JOBS = ("iterate_cases", "verify_chains")


def _child(url: str, job: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, url, job], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip()[-600:]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(schema: BenchSchema, sizes: Sequence[int] = (2_000, 20_000)) -> dict[str, Any]:
    engine = schema.engine()
    uow = UnitOfWork(engine)
    seed(uow)
    template = Template.make(uow, "MEM-TPL", LIFECYCLE[:1])
    cases = 5 + 1
    points: dict[str, Any] = {}
    for size in sizes:
        count = size - cases
        clone(engine, template, [short_id(f"MEM{size}-", k) for k in range(count)])
        cases += count
        points[str(size)] = {
            "cases": cases,
            "events_per_case": len(template.events),
            **{job: _child(schema.url, job) for job in JOBS},
        }
    engine.dispose()
    verdict = {}
    first, last = points[str(sizes[0])], points[str(sizes[-1])]
    for job in JOBS:
        a, b = first[job].get("peak_rss_mb"), last[job].get("peak_rss_mb")
        verdict[job] = {
            "growth": round(b / a, 2) if a and b else None,
            "flat": bool(a and b and b <= a * 1.25),
        }
    return {"points": points, "verdict": verdict}
