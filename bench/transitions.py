"""Transitions: C concurrent clients advancing distinct cases through the full lifecycle.

Each client is a thread with its own UnitOfWork (one shared Engine, pool sized to the
clients) calling `cases.commands.advance` — the service the CLI and API call — one command
per transaction, on cases of its own (just-opened clones of a real case, so setup is a
COPY, not the timed path). Also: the engine's overhead per transition outside the database.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from unittest import mock

import cases.commands
from bench.client_threads import Act, MakeAct, run_threads
from bench.common import (
    LIFECYCLE,
    BenchSchema,
    Step,
    Template,
    clone,
    seed,
    short_id,
    walk,
)
from bench.processes import run_processes
from cases.commands import advance
from cases.fields import normalise_step_data
from db import case_cache
from db.case_repository import projection_columns
from db.engine import make_engine
from db.unit_of_work import UnitOfWork
from rules.calendar import WorkingCalendar
from rules.models import Role
from rules.regions import timezone_for
from rules.ruleset import load_rule_set
from states.case import Case
from states.events import Actor, chain_events, record
from states.machine import lifecycle_for

STEPS = len(LIFECYCLE)
MAX_RATE = 1500.0  # commands/s assumed when sizing each client's pool of cases


@contextmanager
def letters_patched(letters: bool) -> Iterator[None]:
    """With letters=False, steps record no letters (the pure transition cost)."""
    if letters:
        yield
        return
    with mock.patch.object(cases.commands, "issue_letters", _no_letters):
        yield


@contextmanager
def case_cache_off() -> Iterator[None]:
    """Every command reads its case, as a case's first command in a process does (the
    process keeps no snapshot: `db.case_cache`)."""
    with mock.patch.object(case_cache, "CACHED_CASES", 0):
        yield


def _no_letters(*_args: Any, **_kwargs: Any) -> list[Any]:
    """Stands in for `issue_letters` (a plain function: a Mock's bookkeeping costs ~40 µs)."""
    return []


def _advancing(engine: Any) -> MakeAct:
    """Each client thread's command: `advance` through a UnitOfWork of its own."""

    def make_act(_client: int) -> Act:
        uow = UnitOfWork(engine)

        def act(case_id: Any, step: Step) -> None:
            advance(uow, step.officer, case_id, step.trigger, step.data, step.now)

        return act

    return make_act


def measure_point(
    schema: BenchSchema,
    template: Template,
    clients: int,
    seconds: float,
    tag: str,
    processes: bool = False,
) -> dict[str, Any]:
    """One client count: throughput, latency, errors; the cases were cloned beforehand.

    Clients are threads sharing one Engine, or (`processes`) forked processes with an
    Engine each."""
    engine = schema.engine(clients)
    per_client = math.ceil(MAX_RATE * seconds / STEPS / clients) + 2
    ids = [[short_id(f"{tag}{c:02d}-", k) for k in range(per_client)] for c in range(clients)]
    clone(engine, template, [i for chunk in ids for i in chunk])
    # warm every pooled connection (prepared statements, caches) off the clock
    warm = [[short_id(f"W{tag}{c:02d}-", 0)] for c in range(clients)]
    clone(engine, template, [chunk[0] for chunk in warm])
    if processes:
        engine.dispose()
        shares = [(schema.url, ids[c], warm[c][0]) for c in range(clients)]
        return run_processes(_process_client, shares, seconds)
    run_threads(_advancing(engine), warm, 30.0)
    result = run_threads(_advancing(engine), ids, seconds)
    engine.dispose()
    return result


def _process_client(share: tuple[str, Sequence[str], str]) -> Callable[[], bool]:
    """In a client process: an Engine of its own, warmed on one case, then one command per call."""
    url, ids, warm_id = share
    uow = UnitOfWork(make_engine(url, pool_size=1))
    for step in LIFECYCLE:
        advance(uow, step.officer, warm_id, step.trigger, step.data, step.now)
    work = iter([(case_id, step) for case_id in ids for step in LIFECYCLE])

    def one() -> bool:
        item = next(work, None)
        if item is None:
            return False
        case_id, step = item
        advance(uow, step.officer, case_id, step.trigger, step.data, step.now)
        return True

    return one


def run_netra(
    schema: BenchSchema,
    clients: Sequence[int],
    seconds: float,
    letters: bool,
    processes: Sequence[int] = (),
) -> dict[str, Any]:
    engine = schema.engine()
    uow = UnitOfWork(engine)
    seed(uow)
    with letters_patched(letters):
        template = Template.make(uow, "TPL-OPENED", [])
        full = walk(uow, "TPL-FULL", LIFECYCLE)
        engine.dispose()
        tag = "L" if letters else "P"
        points = {str(c): measure_point(schema, template, c, seconds, f"{tag}{c}") for c in clients}
        in_processes = {
            str(c): measure_point(schema, template, c, seconds, f"{tag}X{c}", processes=True)
            for c in processes
        }
    return {
        "letters": letters,
        "events_per_case": full.version,
        "letters_per_case": len(full.letters),
        "points": points,
        "process_points": in_processes,
    }


# --- engine overhead outside the database ----------------------------------------------------


def engine_overhead(rounds: int = 200, repeats: int = 5) -> dict[str, Any]:
    """µs per transition for the in-process work of advance(), with no database at all:
    the best of `repeats` repetitions of `rounds` walks (as `timeit` advises: the others
    measure the same code with the host's interruptions added), every repetition kept.

    Covers: snapshot decode (Case.from_dict), permission/step checks, field validation,
    the state machine with guards and deadline rules (`decide`), numbering and hashing
    (`chain_events`, as `db.event_store.chain` calls it), folding (`copy` + `apply`), and
    the projection row with its snapshot (`projection_columns`). The calendar is built once
    per command, as advance() does.
    Timed in CPU time of this thread (`time.thread_time`), so other processes on a busy
    machine do not inflate it.
    """
    repetitions = [_overhead_repetition(rounds) for _ in range(max(repeats, 1))]
    best = min(repetitions, key=lambda r: r["us_per_transition"])
    return {**best, "repetitions_us": [r["us_per_transition"] for r in repetitions]}


def _overhead_repetition(rounds: int) -> dict[str, Any]:
    clock = time.thread_time
    rule_set = load_rule_set()
    lifecycle = lifecycle_for(rule_set.version)
    zone = timezone_for("35.13")
    actors = {
        "bawaslu.probolinggo": Actor("bawaslu.probolinggo", Role.BAWASLU, "BAWASLU-3513"),
        "bkn.analis": Actor("bkn.analis", Role.BKN, "BKN"),
        "bkpsdm.probolinggo": Actor("bkpsdm.probolinggo", Role.PPK, "PEMDA-3513"),
    }
    opened = _opened_snapshot()
    parts = {
        "decode": 0.0,
        "validate": 0.0,
        "decide": 0.0,
        "hash": 0.0,
        "fold": 0.0,
        "project": 0.0,
        "calendar": 0.0,
    }
    transitions = 0
    for _ in range(rounds):
        snapshot = opened
        for step in LIFECYCLE:
            t0 = clock()
            case = Case.from_dict(snapshot)
            t1 = clock()
            actor = actors[step.officer]
            lifecycle.check_step(case, step.trigger, actor)
            clean = normalise_step_data(step.data, rule_set, zone)
            t2 = clock()
            calendar = WorkingCalendar([], case.region_code)
            t3 = clock()
            pending = lifecycle.decide(case, step.trigger, clean, actor, step.now, calendar)
            t4 = clock()
            recorded = chain_events(
                case.case_id, case.version + 1, case.head_hash, pending, step.now, case.rule_set
            )
            t5 = clock()
            folded = case.copy()
            for event in recorded:
                folded.apply(event)
            t6 = clock()
            row = projection_columns(folded)
            t7 = clock()
            snapshot = row["snapshot"]
            parts["decode"] += t1 - t0
            parts["validate"] += t2 - t1
            parts["calendar"] += t3 - t2
            parts["decide"] += t4 - t3
            parts["hash"] += t5 - t4
            parts["fold"] += t6 - t5
            parts["project"] += t7 - t6
            transitions += 1
    per = {name: round(total / transitions * 1e6, 1) for name, total in parts.items()}
    return {
        "transitions": transitions,
        "us_per_transition": round(sum(per.values()), 1),
        "breakdown_us": per,
    }


_OPENED: dict[str, Any] = {}


def _opened_snapshot() -> dict[str, Any]:
    """The snapshot of a just-opened case, made by the pure `open_case` decision."""
    if not _OPENED:
        from bench.common import OPENED_AT, at, new_case
        from cases.commands import validated_facts
        from states.canonical import GENESIS_HASH
        from states.machine import open_case as decide_opening

        rule_set = load_rule_set()
        actor = Actor("bawaslu.probolinggo", Role.BAWASLU, "BAWASLU-3513")
        now = at(OPENED_AT)
        facts = validated_facts(new_case(), rule_set, actor, now)
        pending = decide_opening(
            "OVERHEAD-1", facts, actor, now, rule_set, WorkingCalendar([], "35.13")
        )
        case = Case("OVERHEAD-1")
        prev = GENESIS_HASH
        for seq, item in enumerate(pending, start=1):
            event = record("OVERHEAD-1", seq, item, now, rule_set.version, prev)
            case.apply(event)
            prev = event.hash
        _OPENED.update(case.to_dict())
    return _OPENED
