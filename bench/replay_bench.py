"""Benchmark: replay time of a 200-event case (fold only, and replay_at through the database).

Builds one case through the public services (opening plus notes and reassignments until it
has `n_events` events), then times `Case.replay` over its events and `replay_at` (load the
events recorded by an instant and fold them), median of `repeat` runs.

    python -m bench.replay_bench [n_events] [database_url]
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from cases.commands import add_note, reassign
from cases.demo import at, load_demo
from cases.queries import replay_at
from db.engine import make_engine
from db.migrate import upgrade
from db.unit_of_work import UnitOfWork
from states.case import Case

CASE_ID = "DEMO-PSR-1"


def _median_ms(function: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        times.append((time.perf_counter() - began) * 1000)
    return round(statistics.median(times), 3)


def run(n_events: int = 200, url: str | None = None, repeat: int = 50) -> dict[str, Any]:
    folder = tempfile.TemporaryDirectory()
    url = url or f"sqlite:///{Path(folder.name) / 'replay.db'}"
    engine = make_engine(url)
    try:
        upgrade(engine)
        uow = UnitOfWork(engine)
        load_demo(uow)
        moment = at("2024-11-19T10:00")
        with uow:
            count = len(uow.events.load(CASE_ID))
        step = 0
        while count < n_events:
            moment += timedelta(minutes=5)
            if step % 5 == 4:
                reassign(uow, "bawaslu.pasuruan", CASE_ID, "bawaslu.pasuruan", moment)
            else:
                add_note(uow, "bawaslu.pasuruan", CASE_ID, f"Catatan klarifikasi {step}", moment)
            step += 1
            count += 1
        with uow:
            events = uow.events.load(CASE_ID)
        instant = events[-1].recorded_at
        fold_ms = _median_ms(lambda: Case.replay(CASE_ID, events), repeat)
        replay_ms = _median_ms(lambda: replay_at(uow, "auditor", CASE_ID, instant), repeat)
        return {
            "events": len(events),
            "backend": engine.dialect.name,
            "fold_ms": fold_ms,
            "replay_at_ms": replay_ms,
            "target_ms": 5,
        }
    finally:
        engine.dispose()
        folder.cleanup()


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    database = sys.argv[2] if len(sys.argv) > 2 else None
    print(json.dumps(run(size, database), indent=2))
