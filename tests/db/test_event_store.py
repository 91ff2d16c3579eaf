"""The event store: append-only on both dialects, and one winner when two advance at once."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError

from cases.commands import advance
from db.unit_of_work import UnitOfWork
from rules.errors import ConcurrencyConflict
from tests.cases.helpers import count_events, open_kediri
from tests.conftest import wib


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE case_events SET event_type = 'x' WHERE seq = 1",
        "DELETE FROM case_events WHERE seq = 2",
    ],
)
def test_case_events_refuse_update_and_delete(
    statement: str, demo_uow: UnitOfWork, engine: Engine
) -> None:
    with pytest.raises(DatabaseError, match="append-only"), engine.begin() as connection:
        connection.execute(text(statement))
    assert count_events(engine, "DEMO-PSR-1") == 9  # 6 steps/deadlines + 3 letter_issued


@pytest.mark.postgres
def test_two_concurrent_advances_of_one_case_exactly_one_wins(pg_engine: Engine) -> None:
    """On PostgreSQL (SQLite serialises writers with BEGIN IMMEDIATE)."""
    from cases.demo import load_demo

    engine = pg_engine
    demo_uow = UnitOfWork(engine)
    load_demo(demo_uow)
    open_kediri(demo_uow, wib("2024-11-18T09:00"))
    before = count_events(engine, "T-1")
    both_read = threading.Barrier(2, timeout=30)
    original_read = UnitOfWork.read_for_command

    def read_then_wait(self: UnitOfWork, case_id: str, cached: bool = False):  # type: ignore[no-untyped-def]
        snapshot = original_read(self, case_id, cached)
        both_read.wait()  # both commands hold the same version before either writes
        return snapshot

    results: list[object] = []

    def register(number: str) -> None:
        try:
            advance(
                UnitOfWork(engine),
                "bawaslu.kediri",
                "T-1",
                "register",
                {"registration_number": number},
                wib("2024-11-18T10:00"),
            )
            results.append("ok")
        except ConcurrencyConflict as error:
            results.append(error)

    UnitOfWork.read_for_command = read_then_wait  # type: ignore[method-assign]
    try:
        threads = [threading.Thread(target=register, args=(n,)) for n in ("A", "B")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        UnitOfWork.read_for_command = original_read  # type: ignore[method-assign]
    assert results.count("ok") == 1
    assert sum(isinstance(r, ConcurrencyConflict) for r in results) == 1
    with demo_uow:
        case = demo_uow.cases.get("T-1")
    assert case.state == "registered"
    # deadline_met, registered, deadline_set, letter_issued (notice to the reporter)
    assert count_events(engine, "T-1") == before + 4


def test_each_event_stores_the_reference_bytes_its_hash_covers(
    demo_uow: UnitOfWork, engine: Engine
) -> None:
    """`body` = the standard-library canonical JSON of the event; sha256(prev || body) = hash."""
    import hashlib

    from states.canonical import reference_canonical_json

    with demo_uow:
        events = demo_uow.events.load("DEMO-PBL-1")
    with engine.connect() as connection:
        stored = dict(
            connection.execute(
                text("SELECT seq, body FROM case_events WHERE case_id = 'DEMO-PBL-1'")
            ).all()
        )
    assert len(stored) == len(events) > 10
    for event in events:
        body = bytes(stored[event.seq])
        assert body == reference_canonical_json(event.body())
        assert hashlib.sha256(event.prev_hash.encode() + body).hexdigest() == event.hash
