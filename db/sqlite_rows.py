"""`Rows` (db/rows.py) on the sqlite3 driver itself, for short read commands on SQLite.

`netra case show` on the embedded SQLite database would spend most of its start-up importing
SQLAlchemy. When the URL names a plain database file that exists and is at the migration
heads, it reads through sqlite3 directly, set up as db/engine.py sets up SQLAlchemy's
connections (foreign keys on, 30 s busy timeout, BEGIN IMMEDIATE). Anything else (another
URL form, a missing file, a database to migrate) is left to SQLAlchemy (`sqlite_reads`
answers None). Driver errors come out as DriverFailure, a lost race as ConcurrencyConflict.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote

from db.migration_heads import stored_heads
from db.rows import sqlite_instant
from db.storage_errors import CONFLICT_MESSAGE, DriverFailure, is_conflict
from rules.errors import ConcurrencyConflict

# sqlite:///relative.db or sqlite:////absolute.db, nothing else (no query, no escapes)
_PLAIN_FILE = re.compile(r"^sqlite(?:\+pysqlite)?:///(?P<path>[^?#%]+)$")


def sqlite_file(url: str) -> str | None:
    """The database file a plain SQLite URL names (None for any other URL)."""
    found = _PLAIN_FILE.match(url)
    if found is None or found["path"] == ":memory:":
        return None
    return found["path"]


def _connect(path: str) -> sqlite3.Connection:
    """A connection to the existing file `path` (never creates one), in autocommit mode: the
    transaction is this module's to begin and end."""
    uri = f"file:{quote(os.path.abspath(path))}?mode=rw"
    connection = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA busy_timeout=30000")
    return connection


class SqliteRows:
    """Statements in one transaction (BEGIN IMMEDIATE, as db/engine.py) on its own connection."""

    def __init__(self, path: str) -> None:
        try:
            self.connection = _connect(path)
            self.connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise DriverFailure(error) from error

    def one(self, sql: str, params: Mapping[str, Any]) -> Sequence[Any] | None:
        try:
            row: Sequence[Any] | None = self.connection.execute(sql, params).fetchone()
        except sqlite3.Error as error:
            raise DriverFailure(error) from error
        return row

    def run(self, sql: str, params: Mapping[str, Any]) -> None:
        try:
            self.connection.execute(sql, params)
        except sqlite3.Error as error:
            raise DriverFailure(error) from error

    def instant_param(self, value: datetime) -> Any:
        return sqlite_instant(value)

    def commit(self) -> None:
        """Commit; a write that collided with another transaction is a ConcurrencyConflict."""
        try:
            self.connection.execute("COMMIT")
        except sqlite3.Error as error:
            if is_conflict(error):
                raise ConcurrencyConflict(CONFLICT_MESSAGE) from error
            raise DriverFailure(error) from error

    def close(self) -> None:
        try:
            if self.connection.in_transaction:
                self.connection.execute("ROLLBACK")
        finally:
            self.connection.close()


def sqlite_reads(url: str) -> Callable[[], SqliteRows] | None:
    """Opens transactions on the database `url` names through sqlite3, when it is a plain
    SQLite file that exists and is at the migration heads; None otherwise."""
    path = sqlite_file(url)
    if path is None or not os.path.isfile(path):
        return None
    try:
        connection = _connect(path)
        try:
            found = {
                str(row[0]) for row in connection.execute("SELECT version_num FROM alembic_version")
            }
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    if found != stored_heads():
        return None
    return lambda: SqliteRows(path)
