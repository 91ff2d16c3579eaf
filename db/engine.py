"""Engine creation for SQLite (embedded default) and PostgreSQL (production, psycopg 3)."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import PoolResetState

from db import wire


def normalise_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean psycopg 3 here."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def make_engine(url: str, **options: Any) -> Engine:
    """An Engine with the pragmas and pool settings each dialect needs."""
    url = normalise_url(url)
    options.setdefault("json_serializer", _json_dumps)
    options.setdefault("json_deserializer", orjson.loads)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    options.setdefault("pool_recycle", 1800)
    # psycopg's own automatic preparation is off: it answers every ROLLBACK with DEALLOCATE
    # ALL, which would also drop the command path's named statements (`db.wire`).
    connect_args = {"prepare_threshold": None, **options.pop("connect_args", {})}
    # The pool's reset on return is `_end_open_transaction`: a ROLLBACK only when libpq says
    # a transaction is open (a unit of work has ended its own by then).
    options.setdefault("pool_reset_on_return", None)
    engine = create_engine(url, connect_args=connect_args, **options)
    if options["pool_reset_on_return"] is None:
        event.listen(engine, "reset", _end_open_transaction)
    return engine


def _end_open_transaction(dbapi_connection: Any, _record: Any, state: PoolResetState) -> None:
    """Reset a connection the pool takes back: roll back what it left open, as the default
    reset does, without psycopg's rollback call when nothing is open. A connection being
    discarded (`terminate_only`) needs no reset; a failing ROLLBACK makes the pool
    invalidate the connection, as with the default."""
    if not state.terminate_only:
        wire.rollback(dbapi_connection)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below take over
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin_immediate(connection: Any) -> None:
    """Take the write lock at BEGIN, so two writers queue instead of deadlocking."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")
