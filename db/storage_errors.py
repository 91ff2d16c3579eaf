"""Database failures as the entry points report them, whichever driver raised them.

The full stack raises SQLAlchemy's errors; the SQLite read path of short commands
(db/sqlite_rows.py) talks to the driver directly and raises DriverFailure around the
driver's error, so the CLI and the API report both alike (a named failure, exit 9, never
SQL). A write that lost a race with another transaction is a ConcurrencyConflict either way.
"""

from __future__ import annotations

import sys

CONFLICT_MESSAGE = "Transaksi bertabrakan dengan perubahan lain; muat ulang dan ulangi"


class DriverFailure(Exception):
    """The database driver failed a statement; `orig` is the driver's own error."""

    def __init__(self, orig: BaseException) -> None:
        super().__init__(type(orig).__name__)
        self.orig = orig


def is_conflict(error: BaseException) -> bool:
    """The database refused a write because another transaction got there first."""
    text = str(error).lower()
    return any(
        marker in text
        for marker in ("unique", "duplicate key", "could not serialize", "database is locked")
    )


def is_storage_error(error: BaseException) -> bool:
    """A driver failure or any SQLAlchemy error (none can exist before SQLAlchemy is imported,
    so a short command that never imported it does not import it to ask)."""
    if isinstance(error, DriverFailure):
        return True
    sqlalchemy_errors = sys.modules.get("sqlalchemy.exc")
    return sqlalchemy_errors is not None and isinstance(error, sqlalchemy_errors.SQLAlchemyError)
