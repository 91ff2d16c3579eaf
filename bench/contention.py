"""Contention: 16 clients racing on the same 10 cases through the full lifecycle.

Every client reads a case, then asks `advance()` to take its next step at the version it
read. Losing a race must be a clean `ConcurrencyConflict` (the client re-reads and tries
again); afterwards every case must hold each lifecycle step exactly once, a gap-free,
verifying hash chain, and a projection equal to the replay of its events.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from typing import Any

from bench.common import LIFECYCLE, BenchSchema, Template, clone, seed, short_id, walk
from bench.transitions import letters_patched
from cases.commands import advance
from cases.integrity import projection_matches_replay
from db.unit_of_work import UnitOfWork
from rules.errors import ConcurrencyConflict
from states import events as ev
from states.case import Case
from states.integrity import verify_stream

TRIGGERS = [step.trigger for step in LIFECYCLE]


def _next_index(case: Case) -> int:
    return sum(1 for trigger in TRIGGERS if trigger in case.steps)


def _client(
    uow: UnitOfWork,
    ids: list[str],
    seed_: int,
    stop_at: float,
    tally: dict[str, int],
    unclean: list[str],
    lock: threading.Lock,
) -> None:
    chooser = random.Random(seed_)
    open_ids = list(ids)
    while open_ids and time.perf_counter() < stop_at:
        case_id = chooser.choice(open_ids)
        with uow:
            case = uow.cases.get(case_id)
        index = _next_index(case)
        if index >= len(LIFECYCLE):
            open_ids.remove(case_id)
            continue
        step = LIFECYCLE[index]
        try:
            advance(
                uow,
                step.officer,
                case_id,
                step.trigger,
                step.data,
                step.now,
                expected_version=case.version,
            )
            outcome = "committed"
        except ConcurrencyConflict:
            outcome = "conflicts"
        except Exception as exc:
            outcome = "unclean_errors"
            with lock:
                unclean.append(f"{type(exc).__name__}: {exc}")
        with lock:
            tally[outcome] = tally.get(outcome, 0) + 1


def run(
    schema: BenchSchema,
    clients: int = 16,
    cases: int = 10,
    timeout: float = 60.0,
    letters: bool = True,
) -> dict[str, Any]:
    engine = schema.engine(clients)
    uow = UnitOfWork(engine)
    seed(uow)
    # psycopg logs each aborted executemany pipeline (a lost race) as a warning; the race is
    # counted below instead
    logging.getLogger("psycopg").setLevel(logging.ERROR)
    with letters_patched(letters):
        template = Template.make(uow, "CON-TPL", [])
        expected_events = walk(uow, "CON-FULL", LIFECYCLE).version
        ids = [short_id("CON-", k) for k in range(cases)]
        clone(engine, template, ids)
        tally: dict[str, int] = {}
        unclean: list[str] = []
        lock = threading.Lock()
        stop_at = time.perf_counter() + timeout
        threads = [
            threading.Thread(
                target=_client, args=(UnitOfWork(engine), ids, n, stop_at, tally, unclean, lock)
            )
            for n in range(clients)
        ]
        begin = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - begin
    problems = _check(uow, ids, expected_events)
    engine.dispose()
    committed = tally.get("committed", 0)
    return {
        "clients": clients,
        "cases": cases,
        "seconds": round(elapsed, 3),
        "committed": committed,
        "expected_commits": cases * len(LIFECYCLE),
        "conflicts": tally.get("conflicts", 0),
        "unclean_errors": tally.get("unclean_errors", 0),
        "first_unclean": unclean[:3],
        "throughput": round(committed / elapsed, 1) if elapsed else 0.0,
        "attempts_per_commit": round(sum(tally.values()) / committed, 2) if committed else None,
        "lost_or_duplicate": problems,
        "ok": not problems and not unclean and committed == cases * len(LIFECYCLE),
    }


def _check(uow: UnitOfWork, ids: list[str], expected_events: int) -> list[str]:
    problems: list[str] = []
    for case_id in ids:
        with uow:
            events = uow.events.load(case_id)
        steps = [
            str(e.payload.get("trigger")) for e in events if e.event_type not in ev.OVERLAY_EVENTS
        ]
        if sorted(steps) != sorted(TRIGGERS):
            problems.append(f"{case_id}: steps {steps}")
        if [e.seq for e in events] != list(range(1, len(events) + 1)):
            problems.append(f"{case_id}: seq gap")
        if len(events) != expected_events:
            problems.append(f"{case_id}: {len(events)} events, expected {expected_events}")
        if not verify_stream(events).ok:
            problems.append(f"{case_id}: chain does not verify")
        problems.extend(str(b) for b in projection_matches_replay(uow, case_id))
    return problems
