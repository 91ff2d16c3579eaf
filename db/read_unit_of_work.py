"""The unit of work of short read commands (`netra case show`), without the ORM.

It offers what authentication, the acting officer and reading one case need
(db/reading.py) on one transaction of `Rows` (db/rows.py): SQLAlchemy Core's connection, or
on a SQLite file the sqlite3 driver itself (db/sqlite_rows.py). It runs the same statements
as the full unit of work (db/lookups.py), and the services it serves are the same functions
either way.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType

from db import lookups
from db.identity_records import ApiToken
from db.registry_records import Institution, Officer
from db.rows import Rows, RowsTransaction
from states.case import Case


class _Lookups:
    """Officers, institutions, tokens and cases in the unit of work's transaction."""

    def __init__(self, rows: Rows) -> None:
        self._rows = rows

    def officer(self, officer_id: str) -> Officer:
        return lookups.officer(self._rows, officer_id)

    def institution(self, code: str) -> Institution:
        return lookups.institution(self._rows, code)

    def token(self, token_id: str) -> ApiToken | None:
        return lookups.token(self._rows, token_id)

    def touch_token(self, token_id: str, now: datetime) -> None:
        lookups.touch_token(self._rows, token_id, now)

    def get(self, case_id: str) -> Case:
        return lookups.case_snapshot(self._rows, case_id)


class ReadUnitOfWork:
    """`with uow:` opens a transaction (`begin()`); `uow.commit()` ends it; anything else
    rolls back. `operator` is the administrator acting for an officer (`netra --as`)."""

    registry: _Lookups
    identity: _Lookups
    cases: _Lookups

    def __init__(self, begin: Callable[[], RowsTransaction], operator: str | None = None) -> None:
        self._begin = begin
        self.operator = operator
        self._transaction: RowsTransaction | None = None

    def __enter__(self) -> ReadUnitOfWork:
        self._transaction = self._begin()
        self.registry = self.identity = self.cases = _Lookups(self._transaction)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        transaction, self._transaction = self._transaction, None
        if transaction is not None:
            transaction.close()

    def commit(self) -> None:
        if self._transaction is not None:
            self._transaction.commit()
