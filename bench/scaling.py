"""Scaling curve: the cost of one transition with 10k, 100k, 1M events already stored.

The table is filled with valid cloned cases (COPY), then one client walks fresh cases
through the lifecycle with the real service; the cost per transition must stay flat. The
plans of the per-command statements are recorded to show index use (no sequential scans).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text

from bench.common import LIFECYCLE, BenchSchema, Template, clone, latency_summary, seed, short_id
from bench.transitions import letters_patched
from cases.commands import advance
from db.unit_of_work import UnitOfWork

PLANS = {
    "load snapshot": "SELECT snapshot FROM cases WHERE id = :id",
    "projection update": "UPDATE cases SET state = state WHERE id = :id AND version = 1",
    "load events": "SELECT * FROM case_events WHERE case_id = :id ORDER BY seq",
    "due for sweep": "SELECT id FROM cases WHERE alarm_at IS NOT NULL "
    "AND alarm_at <= now() ORDER BY alarm_at, id LIMIT 500",
}


def _plans(uow: UnitOfWork, case_id: str) -> dict[str, str]:
    found: dict[str, str] = {}
    with uow:
        for name, sql in PLANS.items():
            rows = uow.session.execute(text("EXPLAIN " + sql), {"id": case_id}).scalars().all()
            found[name] = " / ".join(row.strip() for row in rows[:2])
    return found


def run(
    schema: BenchSchema,
    sizes: Sequence[int] = (10_000, 100_000),
    cases_per_point: int = 10,
    letters: bool = True,
) -> dict[str, Any]:
    engine = schema.engine()
    uow = UnitOfWork(engine)
    seed(uow)
    points: dict[str, Any] = {}
    with letters_patched(letters):
        full = Template.make(uow, "SCL-TPL-FULL", LIFECYCLE)
        opened = Template.make(uow, "SCL-TPL-OPEN", [])
        stored = len(full.events) * 2
        for batch, size in enumerate(sizes):
            need = max(0, size - stored)
            count = need // len(full.events)
            start = time.perf_counter()
            stored += clone(engine, full, [short_id(f"SCL{batch}-", k) for k in range(count)])
            load_seconds = time.perf_counter() - start
            ids = [short_id(f"SCW{batch}-", k) for k in range(cases_per_point + 1)]
            clone(engine, opened, ids)
            for step in LIFECYCLE:  # warm-up case
                advance(uow, step.officer, ids[0], step.trigger, step.data, step.now)
            latencies = []
            begin = time.perf_counter()
            for case_id in ids[1:]:
                for step in LIFECYCLE:
                    t0 = time.perf_counter()
                    advance(uow, step.officer, case_id, step.trigger, step.data, step.now)
                    latencies.append(time.perf_counter() - t0)
            elapsed = time.perf_counter() - begin
            with uow:
                events = uow.session.execute(text("SELECT count(*) FROM case_events")).scalar_one()
            points[str(size)] = {
                "events_in_table": int(events),
                "load_seconds": round(load_seconds, 2),
                "transitions": len(latencies),
                "throughput": round(len(latencies) / elapsed, 1),
                **latency_summary(latencies),
                "plans": _plans(uow, ids[1]),
            }
    engine.dispose()
    first = next(iter(points.values()))["mean_ms"]
    last = list(points.values())[-1]["mean_ms"]
    return {"points": points, "growth_last_vs_first": round(last / first, 2) if first else None}
