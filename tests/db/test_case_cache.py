"""A command may start from the snapshot its process last wrote (no read round trip), but what
it writes and what it reports are judged against the database: another process's step, a
registry change or a restore makes the write's guard refuse the cached start, and the command
is taken again from a fresh read (PostgreSQL; SQLite reads in-process and keeps no cache)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, text

import db.command_path
from cases.commands import add_note, advance
from cases.integrity import verify_chains
from cases.projection import rebuild_projection
from db import case_cache
from db.engine import make_engine
from db.unit_of_work import UnitOfWork
from rules.errors import ConcurrencyConflict, PermissionDenied, TransitionNotAllowed
from tests.cases.helpers import count_events, database_dump, open_kediri, step
from tests.conftest import wib

pytestmark = pytest.mark.postgres

BAWASLU = "bawaslu.kediri"
REGISTERED = {"registration_number": "7/Reg"}
INVITED = {
    "clarification_at": "2024-11-20T10:00",
    "clarification_place": "Kantor Bawaslu Kota Kediri",
}


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The case ids of the command reads sent to PostgreSQL (counted, not replaced)."""
    sent: list[str] = []
    original = db.command_path.read_pg

    def counted(driver: Any, case_id: str) -> tuple[int, dict[str, Any] | None]:
        sent.append(case_id)
        return original(driver, case_id)

    monkeypatch.setattr(db.command_path, "read_pg", counted)
    return sent


@pytest.fixture
def other_process(pg_engine: Engine) -> Iterator[UnitOfWork]:
    """A second engine on the same database: another process, with a cache of its own."""
    engine = make_engine(pg_engine.url.render_as_string(hide_password=False))
    try:
        yield UnitOfWork(engine)
    finally:
        engine.dispose()


@pytest.fixture
def registered(pg_engine: Engine) -> UnitOfWork:
    """The demo officers and a laporan T-1, registered by this process (now in its cache)."""
    from cases.demo import load_demo

    uow = UnitOfWork(pg_engine)
    load_demo(uow)
    open_kediri(uow, wib("2024-11-18T09:00"))
    step(uow, BAWASLU, "T-1", "register", wib("2024-11-18T14:00"), **REGISTERED)
    return uow


def _head(engine: Engine, case_id: str) -> tuple[int, str]:
    with engine.connect() as connection:
        version, head = connection.execute(
            text("SELECT version, head_hash FROM cases WHERE id = :id"), {"id": case_id}
        ).one()
    return int(version), str(head)


def _intact(uow: UnitOfWork) -> None:
    report = verify_chains(uow, "auditor")
    assert report.ok, report.breaks
    assert rebuild_projection(uow, "admin").changed == []  # the projection equals replay


def test_the_next_command_on_a_case_sends_no_read(registered: UnitOfWork, reads: list[str]) -> None:
    step(registered, BAWASLU, "T-1", "invite_clarification", wib("2024-11-19T09:00"), **INVITED)
    add_note(registered, BAWASLU, "T-1", "Undangan dikirim", wib("2024-11-19T09:05"))
    assert reads == []
    assert case_cache.cached_snapshot(registered.engine, "T-1") is not None
    _intact(registered)


def test_a_case_stepped_by_another_process_is_read_again(
    registered: UnitOfWork, other_process: UnitOfWork, reads: list[str]
) -> None:
    step(other_process, BAWASLU, "T-1", "invite_clarification", wib("2024-11-19T09:00"), **INVITED)
    reads.clear()
    case = add_note(registered, BAWASLU, "T-1", "Catatan", wib("2024-11-19T10:00"))
    assert reads == ["T-1"]  # the cached start was refused by the write, then read afresh
    assert case.state == "clarification"
    assert (case.version, case.head_hash) == _head(registered.engine, "T-1")
    _intact(registered)


def test_a_step_is_judged_on_the_case_as_stored_not_as_cached(
    registered: UnitOfWork, other_process: UnitOfWork
) -> None:
    step(other_process, BAWASLU, "T-1", "invite_clarification", wib("2024-11-19T09:00"), **INVITED)
    events = count_events(registered.engine, "T-1")
    # valid on this process's cached snapshot (registered), no longer on the stored case
    with pytest.raises(TransitionNotAllowed):
        step(registered, BAWASLU, "T-1", "invite_clarification", wib("2024-11-19T09:30"), **INVITED)
    assert count_events(registered.engine, "T-1") == events
    # valid only on the stored case: taken, although the cache said otherwise
    step(
        registered,
        BAWASLU,
        "T-1",
        "assess",
        wib("2024-11-20T15:00"),
        clarification_summary="Pelapor dan terlapor hadir.",
    )
    _intact(registered)


def test_the_version_a_user_saw_is_checked_against_the_database(
    registered: UnitOfWork, other_process: UnitOfWork
) -> None:
    stale_version, _ = _head(registered.engine, "T-1")
    step(other_process, BAWASLU, "T-1", "invite_clarification", wib("2024-11-19T09:00"), **INVITED)
    fresh_version, _ = _head(registered.engine, "T-1")
    summary = {"clarification_summary": "Pelapor dan terlapor hadir."}
    with pytest.raises(ConcurrencyConflict):
        advance(
            registered, BAWASLU, "T-1", "assess", summary, wib("2024-11-20T15:00"), stale_version
        )
    case = advance(
        registered, BAWASLU, "T-1", "assess", summary, wib("2024-11-20T15:00"), fresh_version
    )
    assert case.state == "assessment"


def test_an_officer_deactivated_after_the_cached_start_is_refused(
    registered: UnitOfWork,
) -> None:
    before = database_dump(registered.engine)
    with registered.engine.begin() as connection:  # as an operator's SQL would
        connection.execute(
            text("UPDATE officers SET active = false WHERE id = :id"), {"id": BAWASLU}
        )
    after_deactivation = database_dump(registered.engine)
    assert after_deactivation != before
    with pytest.raises(PermissionDenied, match="dinonaktifkan"):
        add_note(registered, BAWASLU, "T-1", "Catatan", wib("2024-11-19T10:00"))
    assert database_dump(registered.engine) == after_deactivation


def test_a_restored_case_is_not_chained_on_the_cached_head(
    registered: UnitOfWork, reads: list[str]
) -> None:
    """A restore may bring the same version back with another history: the write checks the
    head hash, so the cached head (an event the database no longer ends with) is not used."""
    version, head = _head(registered.engine, "T-1")
    other_head = "0" * 64
    with registered.engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE cases SET head_hash = CAST(:other AS text), snapshot = jsonb_set(snapshot::jsonb,"
                " '{head_hash}', to_jsonb(CAST(:other AS text)))::json WHERE id = 'T-1'"
            ),
            {"other": other_head},
        )
    add_note(registered, BAWASLU, "T-1", "Catatan", wib("2024-11-19T10:00"))
    assert reads == ["T-1"]
    with registered.engine.connect() as connection:
        prev = connection.execute(
            text("SELECT prev_hash FROM case_events WHERE case_id = 'T-1' AND seq = :seq"),
            {"seq": version + 1},
        ).scalar_one()
    assert prev == other_head != head  # chained on what the database held


def test_a_failed_cached_start_is_forgotten(registered: UnitOfWork, reads: list[str]) -> None:
    with pytest.raises(TransitionNotAllowed):
        step(
            registered, BAWASLU, "T-1", "assess", wib("2024-11-19T09:00"), clarification_summary="x"
        )
    assert reads == ["T-1"]  # refused on the cached start, judged again on a fresh read
    assert case_cache.cached_snapshot(registered.engine, "T-1") is None
    step(registered, BAWASLU, "T-1", "invite_clarification", wib("2024-11-19T09:00"), **INVITED)
    assert reads == ["T-1", "T-1"]


def test_the_cache_keeps_only_the_most_recent_cases(
    pg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(case_cache, "CACHED_CASES", 3)
    for number in range(5):
        case_cache.keep_snapshot(pg_engine, f"C-{number}", "{}")
    case_cache.cached_snapshot(pg_engine, "C-2")  # used: now the most recent
    case_cache.keep_snapshot(pg_engine, "C-5", "{}")
    assert case_cache.cached_count(pg_engine) == 3
    kept = [n for n in range(6) if case_cache.cached_snapshot(pg_engine, f"C-{n}") is not None]
    assert kept == [2, 4, 5]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sqlite_keeps_no_cache(demo_uow: UnitOfWork) -> None:
    add_note(demo_uow, BAWASLU, "DEMO-KDR-1", "Catatan", wib("2024-12-03T09:00"))
    add_note(demo_uow, BAWASLU, "DEMO-KDR-1", "Catatan lagi", wib("2024-12-03T09:05"))
    assert case_cache.cached_count(demo_uow.engine) == 0
    assert demo_uow.read_from_cache is False
