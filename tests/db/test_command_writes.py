"""A PostgreSQL command's held writes: one statement at commit, and on any failure the same
named error as before and nothing written (a stale version, a taken seq, a letter number
already issued), the letter serial given back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, text

from cases.commands import advance
from db.command_writes import CommandWrites, HeldWrite, one_statement
from db.unit_of_work import UnitOfWork
from rules.errors import ConcurrencyConflict
from states.case import Case
from tests.cases.helpers import count_events, database_dump, open_kediri
from tests.conftest import wib

pytestmark = pytest.mark.postgres

REGISTER = {"registration_number": "001/REG/LP/PL/KOTA/16.02/XI/2024"}


@pytest.fixture
def kediri(pg_engine: Engine) -> UnitOfWork:
    """The demo database with T-1 freshly opened in Kota Kediri (its next step issues a letter)."""
    from cases.demo import load_demo

    uow = UnitOfWork(pg_engine)
    load_demo(uow)
    open_kediri(uow, wib("2024-11-18T09:00"))
    return uow


@contextmanager
def before_the_write(interfere: Callable[[], None]) -> Iterator[list[str]]:
    """Run `interfere` (committed by another connection) when the command has decided and
    holds its writes, just before it sends them; yields the database dump taken then."""
    original = UnitOfWork.save_command
    dumps: list[str] = []

    def save_then_interfere(self: UnitOfWork, case: Case, expected_version: int) -> None:
        original(self, case, expected_version)
        interfere()
        dumps.append(database_dump(self.engine))

    UnitOfWork.save_command = save_then_interfere  # type: ignore[method-assign]
    try:
        yield dumps
    finally:
        UnitOfWork.save_command = original  # type: ignore[method-assign]


@contextmanager
def probe_table(engine: Engine, table: str) -> Iterator[tuple[Any, CommandWrites]]:
    """A fresh one-column table and the held writes of a psycopg connection to it."""
    with engine.connect() as connection:
        driver = connection.connection.driver_connection
        driver.execute(f"CREATE TABLE {table} (id int PRIMARY KEY)")
        driver.commit()
        yield driver, CommandWrites(driver)


def _register(uow: UnitOfWork) -> Case:
    return advance(uow, "bawaslu.kediri", "T-1", "register", REGISTER, wib("2024-11-18T10:00"))


def test_a_version_moved_on_after_the_read_is_a_conflict_and_nothing_is_written(
    kediri: UnitOfWork, pg_engine: Engine
) -> None:
    def move_version() -> None:  # the seqs stay free: only the version check can catch it
        with pg_engine.begin() as connection:
            connection.execute(text("UPDATE cases SET version = version + 100 WHERE id = 'T-1'"))

    with before_the_write(move_version) as dumps, pytest.raises(ConcurrencyConflict, match="usang"):
        _register(kediri)
    assert database_dump(pg_engine) == dumps[0]


def test_a_seq_taken_after_the_read_is_a_conflict_and_nothing_is_written(
    kediri: UnitOfWork, pg_engine: Engine
) -> None:
    def take_next_seq() -> None:
        with pg_engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO case_events (case_id, seq, event_type, actor_id, actor_role,"
                    " actor_institution, occurred_at, recorded_at, payload, rule_set,"
                    " prev_hash, hash) SELECT case_id, seq + 1, event_type, actor_id,"
                    " actor_role, actor_institution, occurred_at, recorded_at, payload,"
                    " rule_set, hash, hash FROM case_events WHERE case_id = 'T-1'"
                    " AND seq = (SELECT max(seq) FROM case_events WHERE case_id = 'T-1')"
                )
            )

    before = count_events(pg_engine, "T-1")
    with before_the_write(take_next_seq) as dumps, pytest.raises(ConcurrencyConflict, match="seq"):
        _register(kediri)
    assert database_dump(pg_engine) == dumps[0]
    assert count_events(pg_engine, "T-1") == before + 1  # only the other writer's event


def test_a_letter_number_already_issued_is_a_conflict_and_its_serial_is_given_back(
    kediri: UnitOfWork, pg_engine: Engine
) -> None:
    """Another register row with the serial the command reserves: the letter row fails."""
    open_kediri(kediri, wib("2024-11-18T09:00"), "T-2")
    advance(kediri, "bawaslu.kediri", "T-2", "register", REGISTER, wib("2024-11-18T10:00"))
    with pg_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO letters SELECT id || '-X', case_id, case_seq, kind,"
                " institution_code, number || '-X', year, classification, serial + 1,"
                " template_name, template_hash, context, context_hash, content_hash, html,"
                " issued_at FROM letters WHERE case_id = 'T-2'"
            )
        )
    before = database_dump(pg_engine)
    with pytest.raises(ConcurrencyConflict, match="sudah diterbitkan"):
        _register(kediri)
    assert database_dump(pg_engine) == before


def test_a_steps_letters_events_and_projection_are_committed_together(
    kediri: UnitOfWork, pg_engine: Engine
) -> None:
    case = _register(kediri)
    with pg_engine.connect() as connection:
        letters = connection.execute(
            text("SELECT count(*) FROM letters WHERE case_id = 'T-1'")
        ).scalar()
        version = connection.execute(text("SELECT version FROM cases WHERE id = 'T-1'")).scalar()
    assert letters == 1
    assert version == case.version == count_events(pg_engine, "T-1")


def test_held_inserts_become_ctes_of_the_last_write_with_their_own_parameters() -> None:
    conflict = ConcurrencyConflict("x")
    held = [
        HeldWrite("INSERT INTO a (id) VALUES (%(id)s)", {"id": 1}, "a", conflict),
        HeldWrite("INSERT INTO b (id) VALUES (%(id)s)", {"id": 2}, "b", conflict),
        HeldWrite("WITH c AS (SELECT 1) SELECT %(id)s FROM c", {"id": 3}, "c", conflict),
    ]
    statement, params = one_statement(held)
    assert statement == (
        "WITH held0 AS (INSERT INTO a (id) VALUES (%(h0_id)s)), "
        "held1 AS (INSERT INTO b (id) VALUES (%(h1_id)s)), c AS (SELECT 1) SELECT %(id)s FROM c"
    )
    assert params == {"h0_id": 1, "h1_id": 2, "id": 3}


def test_snapshots_and_letters_written_by_a_command_are_lz4_compressed(
    kediri: UnitOfWork, pg_engine: Engine
) -> None:
    """lz4 when the server was built with it (migration 0118), else PostgreSQL's pglz."""
    with pg_engine.connect() as connection:
        has_lz4 = connection.execute(
            text(
                "SELECT 'lz4' = ANY(enumvals) FROM pg_settings"
                " WHERE name = 'default_toast_compression'"
            )
        ).scalar()
    expected = "lz4" if has_lz4 else "pglz"
    _register(kediri)
    with pg_engine.connect() as connection:
        snapshot = connection.execute(
            text("SELECT pg_column_compression(snapshot) FROM cases WHERE id = 'T-1'")
        ).scalar()
        html = connection.execute(
            text("SELECT pg_column_compression(html) FROM letters WHERE case_id = 'T-1'")
        ).scalar()
    assert (snapshot, html) == (expected, expected)


def test_any_other_failure_of_the_held_writes_is_sqlalchemys_error_and_nothing_is_kept(
    pg_engine: Engine,
) -> None:
    """What the CLI and the API map to "database failure"; the rows before it are gone."""
    from sqlalchemy.exc import DataError

    with probe_table(pg_engine, "held_probe") as (driver, writes):
        conflict = ConcurrencyConflict("never")
        writes.hold(HeldWrite("INSERT INTO held_probe VALUES (%(id)s)", {"id": 1}, "x", conflict))
        writes.hold(HeldWrite("SELECT 1 / %(zero)s", {"zero": 0}, "y", conflict))
        with pytest.raises(DataError):
            writes.commit()
        driver.rollback()
        assert driver.execute("SELECT count(*) FROM held_probe").fetchone() == (0,)
        driver.rollback()


@pytest.mark.parametrize("failing", ["divide", "taken"])
def test_a_failing_write_after_a_reservation_raises_its_own_error_and_keeps_nothing(
    pg_engine: Engine, failing: str
) -> None:
    """With a transaction open (a letter serial reserved) the write and the COMMIT go in one
    pipeline: the error raised is the write's own (a taken key named as its conflict, any
    other as SQLAlchemy's), never the skipped COMMIT's, and the reservation is given back."""
    from sqlalchemy.exc import DataError

    with probe_table(pg_engine, "piped_probe") as (driver, writes):
        taken = ConcurrencyConflict("taken")
        reserved = "INSERT INTO piped_probe VALUES (%(id)s) RETURNING id"
        assert writes.returning_one(reserved, {"id": 1}) == b"1"  # like a counter upsert (text)
        writes.hold(HeldWrite("INSERT INTO piped_probe VALUES (%(id)s)", {"id": 2}, "x", taken))
        if failing == "divide":
            writes.hold(HeldWrite("SELECT 1 / %(zero)s", {"zero": 0}, "y", taken))
            expected: type[Exception] = DataError
        else:
            writes.hold(HeldWrite("SELECT %(id)s", {"id": 1}, "y", taken))
            writes.hold(
                HeldWrite(
                    "INSERT INTO piped_probe VALUES (%(id)s)", {"id": 1}, "piped_probe", taken
                )
            )
            expected = ConcurrencyConflict
        with pytest.raises(expected) as raised:
            writes.commit()
        assert failing == "divide" or raised.value is taken
        driver.rollback()
        assert driver.execute("SELECT count(*) FROM piped_probe").fetchone() == (0,)
        driver.rollback()


def test_a_write_after_a_reservation_commits_with_it(pg_engine: Engine) -> None:
    with probe_table(pg_engine, "piped_ok") as (driver, writes):
        writes.returning_one("INSERT INTO piped_ok VALUES (%(id)s) RETURNING id", {"id": 1})
        conflict = ConcurrencyConflict("never")
        writes.hold(HeldWrite("INSERT INTO piped_ok VALUES (%(id)s)", {"id": 2}, "x", conflict))
        writes.commit()
        assert driver.info.transaction_status == 0  # committed, nothing left open
    with pg_engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM piped_ok")).scalar() == 2


def test_a_connection_lost_before_the_write_fails_cleanly_and_the_next_command_works(
    kediri: UnitOfWork, pg_engine: Engine
) -> None:
    """The lost connection is a database failure (nothing written) and is not reused."""
    from sqlalchemy.exc import OperationalError

    pids: list[int] = []
    original = UnitOfWork.save_command

    def save_then_lose_the_connection(self: UnitOfWork, case: Case, version: int) -> None:
        original(self, case, version)
        pids.append(self._driver().info.backend_pid)
        with pg_engine.begin() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pids[0]})

    before = database_dump(pg_engine)
    UnitOfWork.save_command = save_then_lose_the_connection  # type: ignore[method-assign]
    try:
        with pytest.raises(OperationalError):
            _register(kediri)
    finally:
        UnitOfWork.save_command = original  # type: ignore[method-assign]
    assert database_dump(pg_engine) == before
    assert _register(kediri).state == "registered"
