"""Several sweep runners at once split the due cases (SKIP LOCKED) and record each thing once."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

from sqlalchemy import Engine, select, text

from cases.demo import load_demo
from cases.sweep import SweepReport, sweep
from db.engine import make_engine
from db.schema import CaseEventRow
from db.unit_of_work import UnitOfWork
from tests.conftest import wib
from tests.deadlines.builders import open_in

SWEEP_AT = wib("2024-12-20T08:00")


def _overdue_laporan(uow: UnitOfWork, count: int) -> list[str]:
    """`count` laporan whose kajian awal is long overdue: each miss is escalated."""
    ids = []
    for number in range(count):
        received = wib("2024-11-25T09:00") + timedelta(minutes=number)
        ids.append(open_in(uow, f"T-SHARE-{number:03d}", received).case_id)
    return ids


def _events(uow: UnitOfWork, event_type: str) -> Counter[tuple[str, str]]:
    """(case, deadline state) -> how many `event_type` events were recorded."""
    with uow:
        rows = uow.session.execute(
            select(CaseEventRow.case_id, CaseEventRow.payload).where(
                CaseEventRow.event_type == event_type
            )
        ).all()
    return Counter((case_id, str(payload["state"])) for case_id, payload in rows)


def _run_concurrently(url: str, runners: int, batch: int) -> list[SweepReport]:
    barrier = threading.Barrier(runners)
    reports: list[SweepReport | BaseException] = [SweepReport() for _ in range(runners)]

    def run(index: int) -> None:
        engine = make_engine(url)
        try:
            barrier.wait()
            reports[index] = sweep(UnitOfWork(engine), SWEEP_AT, batch)
        except BaseException as error:  # surfaced below
            reports[index] = error
        finally:
            engine.dispose()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    for report in reports:
        if isinstance(report, BaseException):
            raise report
    return [r for r in reports if isinstance(r, SweepReport)]


def test_two_runners_split_a_sweep_and_record_one_miss_and_one_escalation_each(
    db_url: str, demo_uow: UnitOfWork
) -> None:
    due = _overdue_laporan(demo_uow, 40)
    first, second = _run_concurrently(db_url, runners=2, batch=2)
    assert not first.failed and not second.failed
    swept = set(first.missed) | set(second.missed)
    assert set(due) <= swept
    assert not set(first.missed) & set(second.missed), "a case was swept by both runners"
    missed, escalated = _events(demo_uow, "deadline_missed"), _events(demo_uow, "escalated")
    assert max(missed.values()) == 1 and max(escalated.values()) == 1
    for case_id in due:
        assert missed[(case_id, "received")] == 1
        assert escalated[(case_id, "received")] == 1
    if demo_uow.engine.dialect.name == "postgresql":
        # SKIP LOCKED: the second runner takes other cases instead of stopping.
        assert first.missed and second.missed, (len(first.missed), len(second.missed))
    # Sweeping again, with as many runners, records nothing more.
    again = _run_concurrently(db_url, runners=2, batch=2)
    assert sum(r.written for r in again) == 0


def test_a_runner_skips_the_cases_another_runner_holds_and_takes_the_rest(
    pg_engine: Engine,
) -> None:
    """Runner A holds its claimed batch (row locks, open transaction) while runner B sweeps
    (PostgreSQL only: SQLite has neither row locks nor SKIP LOCKED)."""
    demo_uow = UnitOfWork(pg_engine)
    load_demo(demo_uow)
    db_url = pg_engine.url.render_as_string(hide_password=False)
    due = _overdue_laporan(demo_uow, 8)
    held = due[:3]
    with demo_uow.engine.connect() as runner_a:
        transaction = runner_a.begin()
        locked = runner_a.execute(
            text("SELECT id FROM cases WHERE id = ANY(:ids) FOR UPDATE SKIP LOCKED"),
            {"ids": held},
        ).scalars()
        assert sorted(locked) == held
        runner_b = make_engine(db_url)
        other = sweep(UnitOfWork(runner_b), SWEEP_AT, 2)
        runner_b.dispose()
        assert set(due) - set(held) <= set(other.missed)
        assert not set(held) & set(other.missed)
        transaction.rollback()
    rest = sweep(demo_uow, SWEEP_AT, 2)
    assert set(held) <= set(rest.missed)
    missed = _events(demo_uow, "deadline_missed")
    assert all(missed[(case_id, "received")] == 1 for case_id in due)
