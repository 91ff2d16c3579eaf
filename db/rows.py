"""One transaction's statements as plain SQL on any driver, and the values they carry.

The lookups both units of work run (db/lookups.py) are written once against `Rows`:
SQLAlchemy's Core connection (db/core_rows.py) on any database, or the sqlite3 driver itself
(db/sqlite_rows.py) for short read commands on SQLite. Values come back as the driver gives
them; `instant` and `json_value` read them alike (SQLite stores an instant as SQLAlchemy's
`YYYY-MM-DD HH:MM:SS.ffffff` text and JSON as text).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

import orjson


class Rows(Protocol):
    """Statements with `:name` parameters within one transaction."""

    def one(self, sql: str, params: Mapping[str, Any]) -> Sequence[Any] | None:
        """The first row of a query, or None."""
        ...

    def run(self, sql: str, params: Mapping[str, Any]) -> None:
        """Run a statement that returns no rows."""
        ...

    def instant_param(self, value: datetime) -> Any:
        """An instant as this database stores it."""
        ...


class RowsTransaction(Rows, Protocol):
    def commit(self) -> None: ...

    def close(self) -> None:
        """End the transaction (rolled back unless committed) and the connection."""
        ...


def sqlite_instant(value: datetime) -> str:
    """An instant as SQLAlchemy's DateTime stores it on SQLite (its wall time, no offset)."""
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}"
    )


def instant(value: Any) -> datetime | None:
    """An instant read back, in UTC (SQLite keeps no offset: its text is UTC)."""
    if value is None:
        return None
    found = datetime.fromisoformat(value) if isinstance(value, str) else value
    if not isinstance(found, datetime):
        raise TypeError(f"not an instant: {value!r}")
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)


def json_value(value: Any) -> Any:
    """A JSON column's value (SQLite gives its text, PostgreSQL's driver the value)."""
    return orjson.loads(value) if isinstance(value, str | bytes) else value
