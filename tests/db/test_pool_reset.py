"""A PostgreSQL connection the pool takes back is rolled back only when a transaction is
still open on it (`db.engine._end_open_transaction`): what a caller left open is never handed
to the next caller, and an idle connection goes back without a ROLLBACK."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from db.unit_of_work import UnitOfWork

pytestmark = pytest.mark.postgres

_IDLE, _INTRANS = 0, 2


def _rollbacks(engine: Engine) -> list[str]:
    """The ROLLBACKs psycopg sends on this engine's connections, recorded."""
    sent: list[str] = []

    @event.listens_for(engine, "checkout")
    def _watch(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if not getattr(dbapi_connection, "_netra_watched", False):
            original = dbapi_connection.rollback

            def rollback() -> None:
                sent.append("ROLLBACK")
                original()

            dbapi_connection.rollback = rollback
            dbapi_connection._netra_watched = True

    return sent


def test_an_open_transaction_is_rolled_back_when_the_connection_returns(
    pg_engine: Engine,
) -> None:
    sent = _rollbacks(pg_engine)
    pooled = pg_engine.raw_connection()
    driver: Any = pooled.driver_connection
    driver.execute("CREATE TEMP TABLE left_open (x int)")  # psycopg opens a transaction
    driver.execute("INSERT INTO left_open VALUES (1)")
    assert driver.pgconn.transaction_status == _INTRANS
    pooled.close()
    assert sent == ["ROLLBACK"]
    with pg_engine.connect() as connection:  # the same pooled connection: nothing kept
        assert connection.connection.driver_connection is driver
        assert connection.execute(text("SELECT to_regclass('pg_temp.left_open')")).scalar() is None


def test_an_idle_connection_returns_without_a_rollback(pg_engine: Engine) -> None:
    sent = _rollbacks(pg_engine)
    uow = UnitOfWork(pg_engine)
    with uow:
        driver: Any = uow._driver()
        assert driver.pgconn.transaction_status == _IDLE
    with uow:
        assert uow._driver() is driver  # the one pooled connection, reused
    assert sent == []
    with pg_engine.connect() as connection:  # a Connection ends its own transaction
        connection.execute(text("SELECT 1"))
    assert sent == ["ROLLBACK"]
    assert driver.pgconn.transaction_status == _IDLE
