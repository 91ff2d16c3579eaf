"""Replay and verify (the suite's own measurement, used when the auditor tools' benches are
absent): chain verification in events/s against raw `hashlib.sha256` over the same
canonical bytes, and replay time by case length.
"""

from __future__ import annotations

import hashlib
import statistics
import time
from collections.abc import Sequence
from typing import Any

from bench.common import LIFECYCLE, BenchSchema, Template, at, clone, seed, short_id, walk
from cases.commands import add_note
from cases.integrity import verify_chains
from db.unit_of_work import UnitOfWork
from states.canonical import canonical_json
from states.case import Case
from states.integrity import verify_stream


def run_verify(schema: BenchSchema, n_events: int = 100_000, runs: int = 5) -> dict[str, Any]:
    engine = schema.engine()
    uow = UnitOfWork(engine)
    seed(uow)
    template = Template.make(uow, "VER-TPL", LIFECYCLE)
    count = max(1, n_events // len(template.events))
    clone(engine, template, [short_id("VER-", k) for k in range(count)])
    # 1. the auditor's path: stream every event from PostgreSQL and verify (the median of
    #    `runs`: one run of the small size lasts a few tens of ms, within a scheduler's noise)
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.thread_time()
        report = verify_chains(uow, "auditor")
        walls.append(time.perf_counter() - start)
        cpus.append(time.thread_time() - cpu)
    db_seconds = statistics.median(walls)
    # 2. the same verification over events already in memory (no database)
    with uow:
        events = list(uow.events.stream())
    start = time.perf_counter()
    memory_report = verify_stream(events)
    memory_seconds = time.perf_counter() - start
    # 3. the reference: sha256 over the same canonical bytes, nothing else
    payloads = [e.prev_hash.encode("ascii") + canonical_json(e.body()) for e in events]
    raws: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        for item in payloads:
            hashlib.sha256(item).hexdigest()
        raws.append(time.perf_counter() - start)
    raw_seconds = statistics.median(raws)
    # 4. canonical JSON alone (what verification spends besides hashing)
    start = time.perf_counter()
    for e in events:
        canonical_json(e.body())
    canonical_seconds = time.perf_counter() - start
    engine.dispose()
    total = report.events
    return {
        "events": total,
        "ok": report.ok and memory_report.ok,
        "verify_from_db_events_per_s": round(total / db_seconds),
        "verify_from_db_runs_events_per_s": [round(total / wall) for wall in walls],
        "verify_from_db_client_cpu_us_per_event": round(statistics.median(cpus) / total * 1e6, 3),
        "verify_in_memory_events_per_s": round(len(events) / memory_seconds),
        "canonical_json_events_per_s": round(len(events) / canonical_seconds),
        "raw_sha256_events_per_s": round(len(payloads) / raw_seconds),
        "ratio_db_to_raw": round(raw_seconds / db_seconds * len(events) / total, 4),
    }


def run_replay(
    schema: BenchSchema, notes: Sequence[int] = (0, 100, 500), repeats: int = 20
) -> dict[str, Any]:
    """Load + fold one case of each length (lifecycle events plus N notes)."""
    engine = schema.engine()
    uow = UnitOfWork(engine)
    seed(uow)
    points: dict[str, Any] = {}
    short = Template.make(uow, "REP-SHORT", LIFECYCLE[:1])
    cases = [(short.case_id, 0)]
    for extra in notes:
        case_id = f"REP-{extra}"
        walk(uow, case_id, LIFECYCLE[:6])
        for n in range(extra):
            add_note(uow, "bkn.analis", case_id, f"Catatan {n}", at("2024-09-06T11:00"))
        cases.append((case_id, extra))
    for case_id, _extra in cases:
        load = fold = 0.0
        length = 0
        for _ in range(repeats):
            t0 = time.perf_counter()
            with uow:
                events = uow.events.load(case_id)
            t1 = time.perf_counter()
            Case.replay(case_id, events)
            t2 = time.perf_counter()
            load += t1 - t0
            fold += t2 - t1
            length = len(events)
        points[str(length)] = {
            "load_ms": round(load / repeats * 1000, 3),
            "fold_ms": round(fold / repeats * 1000, 3),
            "total_ms": round((load + fold) / repeats * 1000, 3),
            "events_per_s": round(length * repeats / (load + fold)),
        }
    engine.dispose()
    return {"by_case_length": points}
