"""`Rows` (db/rows.py) on a SQLAlchemy Core connection, any database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, TextClause, text
from sqlalchemy.exc import IntegrityError, OperationalError

from db.rows import sqlite_instant
from db.storage_errors import CONFLICT_MESSAGE, is_conflict
from rules.errors import ConcurrencyConflict


@cache
def _statement(sql: str) -> TextClause:
    return text(sql)


class CoreRows:
    """Statements on `connection`, in its transaction (begun by the first statement)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._sqlite = connection.dialect.name == "sqlite"

    def one(self, sql: str, params: Mapping[str, Any]) -> Sequence[Any] | None:
        return self.connection.execute(_statement(sql), dict(params)).first()

    def run(self, sql: str, params: Mapping[str, Any]) -> None:
        self.connection.execute(_statement(sql), dict(params))

    def instant_param(self, value: datetime) -> Any:
        return sqlite_instant(value) if self._sqlite else value

    def commit(self) -> None:
        """Commit; a write that collided with another transaction is a ConcurrencyConflict."""
        try:
            self.connection.commit()
        except (IntegrityError, OperationalError) as error:
            self.connection.rollback()
            if is_conflict(error):
                raise ConcurrencyConflict(CONFLICT_MESSAGE) from error
            raise

    def close(self) -> None:
        self.connection.close()  # rolls back whatever was not committed
