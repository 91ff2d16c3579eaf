"""Deadline sweep benchmark: 1,000,000 open cases of which 1 % are due, on PostgreSQL.

Loads valid cases fast (COPY, re-chained hashes) from real templates made through the
services: the due 1 % are clones of a laporan whose kajian awal is overdue (each miss records
`deadline_missed` + `escalated` and two outbox rows); the other 99 % are clones of laporan
received on 200 different later days, so their `alarm_at` is spread over the future. It
shows the query plan of the sweep's selection (EXPLAIN ANALYZE), times the selection, times
writing every miss through the real service (`cases.sweep.sweep`), then sweeps again
(nothing to write), and finally times `ppk_cases` overdue PPK follow-ups, whose misses also
take the `warn_ppk` step (teguran) and issue its letter.

Then, in a fresh schema, SHARED_MISSES (10,000) overdue laporan are swept by two runner
processes at once (the issue's target: every miss and escalation written in <= 3 s).

    python -m bench.sweep_bench [n_cases] [due_fraction] [ppk_cases]  # 1000000 0.01 1000
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select, text

from bench.common import (
    BAWASLU,
    LIFECYCLE,
    Template,
    _copy_value,
    at,
    bench_schema,
    new_case,
    seed,
)
from cases import sweep as sweeping
from cases.commands import open_case
from db.case_repository import projection_columns, utc
from db.schema import CaseEventRow, CaseRow, OutboxRow
from db.unit_of_work import UnitOfWork
from states.canonical import canonical_json

SHARED_MISSES = 10_000  # the target: written by two runners in <= 3 s
RUNNERS = 2
SWEEP_AT = "2024-12-02T08:00"  # Mon; the PPK template was due 26 Sep 2024
FUTURE_DAYS = 200
BATCH = 500
_EVENT_COLUMNS = (
    "case_id, seq, event_type, actor_id, actor_role, actor_institution, occurred_at, "
    "recorded_at, payload, rule_set, prev_hash, hash, body"
)


def _laporan(uow: UnitOfWork, case_id: str, received: datetime) -> Template:
    """A laporan received at `received`, still waiting for the kajian awal (`received`)."""
    new = replace(
        new_case(),
        received_at=received,
        known_at=received - timedelta(days=1),
        incident_at=received - timedelta(days=2),
    )
    open_case(uow, BAWASLU, new, received, case_id=case_id)
    with uow:
        events = uow.events.load(case_id)
        case = uow.cases.get(case_id)
    return Template(case_id, events, case)


def _templates(
    uow: UnitOfWork, future_days: int = FUTURE_DAYS
) -> tuple[Template, list[Template], Template]:
    """The due laporan, `future_days` not-yet-due laporan, and a case waiting on the PPK."""
    now = at(SWEEP_AT)
    due = _laporan(uow, "TPL-DUE", now - timedelta(days=10))
    future = [
        _laporan(uow, f"TPL-F{day:03d}", now + timedelta(days=3 + day))
        for day in range(future_days)
    ]
    until_ppk = LIFECYCLE[: [s.trigger for s in LIFECYCLE].index("bkn_recommend") + 1]
    ppk = Template.make(uow, "TPL-PPK", until_ppk)
    return due, future, ppk


def _clone_many(engine: Engine, groups: Sequence[tuple[Template, Sequence[str]]]) -> int:
    """COPY valid clones of each template under its ids (hashes re-chained); events written."""
    written = 0
    raw = engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        prepared = []
        for template, ids in groups:
            columns = projection_columns(template.case)
            snapshot = json.dumps(columns.pop("snapshot"), ensure_ascii=False)
            prepared.append(
                (template, ids, list(columns), [_copy_value(v) for v in columns.values()], snapshot)
            )
        heads: dict[str, str] = {}
        with driver.cursor() as cursor:
            with cursor.copy(f"COPY case_events ({_EVENT_COLUMNS}) FROM STDIN") as copy:
                for template, ids, _, _, _ in prepared:
                    tpl = template.case_id
                    rows = [
                        (
                            canonical_json(e.body()).decode(),
                            json.dumps(e.payload, ensure_ascii=False),
                            (
                                e.seq,
                                e.event_type,
                                e.actor.user_id,
                                e.actor.role.value,
                                e.actor.institution,
                                e.occurred_at.isoformat(),
                                e.recorded_at.isoformat(),
                                e.rule_set,
                            ),
                        )
                        for e in template.events
                    ]
                    for case_id in ids:
                        prev = "0" * 64
                        for body, payload, fixed in rows:
                            stored = body.replace(tpl, case_id).encode()
                            digest = hashlib.sha256(prev.encode() + stored).hexdigest()
                            seq, etype, actor, role, inst, occurred, recorded, rule_set = fixed
                            copy.write_row(
                                (
                                    case_id,
                                    seq,
                                    etype,
                                    actor,
                                    role,
                                    inst,
                                    occurred,
                                    recorded,
                                    payload.replace(tpl, case_id),
                                    rule_set,
                                    prev,
                                    digest,
                                    stored,
                                )
                            )
                            prev = digest
                            written += 1
                        heads[case_id] = prev
            for template, ids, names, values, snapshot in prepared:
                head_index = names.index("head_hash")
                with cursor.copy(
                    f"COPY cases ({', '.join(['id', *names, 'snapshot'])}) FROM STDIN"
                ) as copy:
                    for case_id in ids:
                        row = list(values)
                        row[head_index] = heads[case_id]
                        copy.write_row(
                            (
                                case_id,
                                *row,
                                snapshot.replace(template.case_id, case_id).replace(
                                    template.case.head_hash, heads[case_id]
                                ),
                            )
                        )
        driver.commit()
    finally:
        raw.close()
    with engine.begin() as connection:
        connection.execute(text("ANALYZE case_events"))
        connection.execute(text("ANALYZE cases"))
        connection.execute(text("ANALYZE case_search"))
    return written


def _selection(now_limit: int) -> Any:
    """The sweep's selection, as `CaseRepository.due_for_sweep` issues it."""
    now = utc(at(SWEEP_AT))
    return (
        select(CaseRow.id)
        .where(CaseRow.alarm_at.is_not(None), CaseRow.alarm_at <= now)
        .order_by(CaseRow.alarm_at, CaseRow.id)
        .limit(now_limit)
    )


def _explain(engine: Engine, limit: int) -> str:
    query = _selection(limit).compile(engine, compile_kwargs={"literal_binds": True})
    with engine.connect() as connection:
        rows = connection.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {query}")).scalars().all()
    return "\n".join(rows)


def _count(engine: Engine, model: Any, where: Any = None) -> int:
    query = select(func.count()).select_from(model)
    if where is not None:
        query = query.where(where)
    with engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def _runner(url: str, batch: int, go: Any, results: Any) -> None:
    """One sweep runner in its own process (own engine, own GIL), started by `go`."""
    from db.engine import make_engine

    engine = make_engine(url)
    with engine.connect() as connection:  # connect before the clock starts
        connection.execute(text("SELECT 1"))
    results.put(("ready", 0, 0, 0.0))
    go.wait()
    started = time.perf_counter()
    report = sweeping.sweep(UnitOfWork(engine), at(SWEEP_AT), batch)
    results.put(("done", len(report.missed), len(report.escalated), time.perf_counter() - started))
    engine.dispose()


def sweep_with_runners(url: str, runners: int = RUNNERS, batch: int = BATCH) -> dict[str, Any]:
    """Sweep with `runners` processes at once (SKIP LOCKED claims); wall time and the split."""
    context = multiprocessing.get_context("spawn")
    go, results = context.Event(), context.Queue()
    processes = [
        context.Process(target=_runner, args=(url, batch, go, results)) for _ in range(runners)
    ]
    for process in processes:
        process.start()
    for _ in processes:
        assert results.get(timeout=120)[0] == "ready"
    started = time.perf_counter()
    go.set()
    done = [results.get(timeout=600) for _ in processes]
    wall = time.perf_counter() - started
    for process in processes:
        process.join()
    return {
        "seconds": wall,
        "missed": [item[1] for item in done],
        "escalated": [item[2] for item in done],
        "runner_seconds": [round(item[3], 2) for item in done],
    }


def run_shared(n_due: int = SHARED_MISSES, runners: int = RUNNERS) -> dict[str, Any]:
    """`n_due` overdue laporan (each: a miss and an escalation) swept by `runners` at once."""
    with bench_schema("bench_sweep2") as schema:
        engine = schema.engine()
        uow = UnitOfWork(engine)
        seed(uow)
        due_tpl, _, _ = _templates(uow, 1)
        sweeping.sweep(uow, at(SWEEP_AT))  # the demo and templates, outside the measurement
        _clone_many(engine, [(due_tpl, [f"SHR{i:09d}" for i in range(n_due)])])
        events_before = _count(engine, CaseEventRow)
        shared = sweep_with_runners(schema.url, runners)
        events_written = _count(engine, CaseEventRow) - events_before
        with engine.connect() as connection:
            missed_once = connection.execute(
                text(
                    "SELECT count(*) FROM (SELECT case_id FROM case_events "
                    "WHERE event_type = 'deadline_missed' AND case_id LIKE 'SHR%' "
                    "GROUP BY case_id HAVING count(*) = 1) AS once"
                )
            ).scalar_one()
        engine.dispose()
    return {
        "shared_misses": sum(shared["missed"]),
        "shared_escalations": sum(shared["escalated"]),
        "shared_runners": runners,
        "shared_s": round(shared["seconds"], 2),
        "shared_target_met": shared["seconds"] <= 3.0,
        "shared_split": "/".join(str(n) for n in shared["missed"]),
        "shared_events_written": events_written,
        "shared_cases_missed_once": missed_once,
        "shared_runner_s": shared["runner_seconds"],
    }


def run(
    n_cases: int = 1_000_000,
    due_fraction: float = 0.01,
    ppk_cases: int = 1_000,
    verbose: bool = False,
    shared_misses: int = SHARED_MISSES,
) -> dict[str, Any]:
    """Load `n_cases` open cases (`due_fraction` of them overdue), sweep; seconds.

    Then `ppk_cases` overdue PPK follow-ups are added and swept on their own: each of those
    misses also takes the `warn_ppk` step (teguran) and issues its letter (the heaviest path).
    """
    n_due = max(1, round(n_cases * due_fraction))
    n_future = max(0, n_cases - n_due)
    now = at(SWEEP_AT)
    with bench_schema("bench_sweep") as schema:
        engine = schema.engine()
        uow = UnitOfWork(engine)
        seed(uow)
        future_days = min(FUTURE_DAYS, max(1, n_future // 1000))
        due_tpl, future_tpls, ppk_tpl = _templates(uow, future_days)
        sweeping.sweep(uow, now)  # the demo and template cases, outside the measurement
        due_ids = [f"D{i:09d}" for i in range(n_due)]
        future_ids = [f"F{i:09d}" for i in range(n_future)]
        groups: list[tuple[Template, Sequence[str]]] = [(due_tpl, due_ids)]
        for day, template in enumerate(future_tpls):
            groups.append((template, future_ids[day::future_days]))
        started = time.perf_counter()
        events_loaded = _clone_many(engine, groups)
        load_seconds = time.perf_counter() - started
        open_total = _count(engine, CaseRow, CaseRow.is_open)

        plan_batch = _explain(engine, BATCH)
        plan_all = _explain(engine, n_cases)
        started = time.perf_counter()
        first_batch = sweeping.due_case_ids(uow, now, BATCH)
        batch_seconds = time.perf_counter() - started
        started = time.perf_counter()
        with uow:
            all_due = list(uow.cases.due_for_sweep(now, n_cases))
        select_all_seconds = time.perf_counter() - started

        events_before = _count(engine, CaseEventRow)
        outbox_before = _count(engine, OutboxRow)
        started = time.perf_counter()
        report = sweeping.sweep(uow, now, BATCH)
        sweep_seconds = time.perf_counter() - started
        events_written = _count(engine, CaseEventRow) - events_before
        outbox_written = _count(engine, OutboxRow) - outbox_before

        started = time.perf_counter()
        again = sweeping.sweep(uow, now, BATCH)
        idle_seconds = time.perf_counter() - started

        ppk_ids = [f"P{i:09d}" for i in range(ppk_cases)]
        _clone_many(engine, [(ppk_tpl, ppk_ids)])
        started = time.perf_counter()
        escalations = sweeping.sweep(uow, now, BATCH)
        ppk_seconds = time.perf_counter() - started
        engine.dispose()

    shared = run_shared(shared_misses) if shared_misses else {}
    result = {
        **{k: v for k, v in shared.items() if k != "shared_runner_s"},
        "open_cases": open_total,
        "due_cases": len(all_due),
        "events_loaded": events_loaded,
        "load_s": round(load_seconds, 2),
        "select_batch_s": round(batch_seconds, 4),
        "select_batch_rows": len(first_batch),
        "select_all_due_s": round(select_all_seconds, 4),
        "sweep_s": round(sweep_seconds, 2),
        "missed": len(report.missed),
        "escalated": len(report.escalated),
        "failed": len(report.failed),
        "misses_per_s": round(len(report.missed) / sweep_seconds, 1) if sweep_seconds else None,
        "events_written": events_written,
        "outbox_written": outbox_written,
        "second_sweep_s": round(idle_seconds, 4),
        "second_sweep_written": again.written,
        "ppk_escalations": len(escalations.stepped),
        "ppk_sweep_s": round(ppk_seconds, 2),
        "ppk_escalations_per_s": (
            round(len(escalations.stepped) / ppk_seconds, 1) if ppk_seconds else None
        ),
        "plan_batch": plan_batch,
        "plan_all_due": plan_all,
        "shared_runner_s": shared.get("shared_runner_s"),
    }
    if verbose:
        print(f"## Selection of the first batch (LIMIT {BATCH})\n{plan_batch}\n")
        print(f"## Selection of every due case\n{plan_all}\n")
        for key, value in result.items():
            if not key.startswith("plan"):
                print(f"{key}: {value}")
    return result


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    fraction = float(sys.argv[2]) if len(sys.argv) > 2 else 0.01
    ppk = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000
    run(size, fraction, ppk, verbose=True)
