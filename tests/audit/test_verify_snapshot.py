"""A verification reads one snapshot: a command that commits while the auditor's check is
between its reads (events first, projection heads after) is neither half seen nor reported
as a break. On PostgreSQL (commands run concurrently) by a REPEATABLE READ snapshot; on
SQLite by the write lock the check's transaction holds from its first read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from cases.commands import add_note
from cases.demo import load_demo
from cases.integrity import verify_chains, verify_records
from db.audit_store import AuditStore
from db.unit_of_work import UnitOfWork


@pytest.fixture
def demo(pg_engine: Engine) -> UnitOfWork:  # the PostgreSQL tests below use it
    uow = UnitOfWork(pg_engine)
    load_demo(uow)
    return uow


@contextmanager
def note_committed_before_the_heads_are_read(engine: Engine) -> Iterator[list[int]]:
    """While the check is between its event scan and its read of the projection heads,
    another connection commits a note on DEMO-KDR-1; yields the versions it committed."""
    original = AuditStore.case_heads
    committed: list[int] = []

    def interfere_then_read(self: AuditStore, *args: Any) -> Iterator[tuple[str, int, str]]:
        case = add_note(
            UnitOfWork(engine), "bkpsdm.kediri", "DEMO-KDR-1", "Catatan saat audit", _now()
        )
        committed.append(case.version)
        return original(self, *args)

    AuditStore.case_heads = interfere_then_read  # type: ignore[method-assign]
    try:
        yield committed
    finally:
        AuditStore.case_heads = original  # type: ignore[method-assign]


def _now() -> datetime:
    return datetime.now(UTC)


def _version(uow: UnitOfWork, case_id: str) -> int:
    with uow:
        return uow.cases.get(case_id).version


@pytest.mark.parametrize(
    "check",
    [
        lambda uow: verify_chains(uow, "auditor"),
        lambda uow: verify_records(uow, "auditor", rerender=False),
    ],
    ids=["verify_chains", "verify_records"],
)
@pytest.mark.postgres
def test_a_command_committed_during_the_check_is_not_a_break(
    demo: UnitOfWork, check: Callable[[UnitOfWork], Any]
) -> None:
    before = _version(demo, "DEMO-KDR-1")
    with note_committed_before_the_heads_are_read(demo.engine) as committed:
        report = check(demo)
    assert committed == [before + 1]  # the note really was committed mid-check
    assert report.ok, [str(b) for b in getattr(report, "breaks", getattr(report, "findings", []))]
    assert check(demo).ok  # and a later check sees the note, intact


@pytest.mark.postgres
def test_the_check_is_read_only(demo: UnitOfWork) -> None:
    """The snapshot is READ ONLY: a write slipped into a verification fails."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    with demo:
        AuditStore(demo.session).read_one_snapshot()
        with pytest.raises(DBAPIError, match="read-only transaction"):
            demo.session.execute(text("UPDATE cases SET assignee = assignee"))


def test_on_sqlite_no_command_commits_between_the_checks_reads(tmp_path: Path) -> None:
    """SQLite: the check's transaction holds the write lock from its first read on, so a
    writer that tries to commit in between is refused (here without waiting) and the check
    reads one state; once the check ends, the writer gets through."""
    import sqlite3

    from db.engine import make_engine
    from db.migrate import upgrade

    path = tmp_path / "netra.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    uow = UnitOfWork(engine)
    load_demo(uow)
    refused: list[str] = []
    original = AuditStore.case_heads

    def try_to_write_then_read(self: AuditStore, *args: Any) -> Iterator[tuple[str, int, str]]:
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            refused.append(str(error))
        finally:
            other.close()
        return original(self, *args)

    AuditStore.case_heads = try_to_write_then_read  # type: ignore[method-assign]
    try:
        report = verify_chains(uow, "auditor")
    finally:
        AuditStore.case_heads = original  # type: ignore[method-assign]
    assert report.ok
    assert refused == ["database is locked"]
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # the check is over: the lock is free again
    other.execute("ROLLBACK")
    other.close()
    engine.dispose()
