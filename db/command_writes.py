"""The writes a PostgreSQL command holds until commit, sent as one statement.

A command's rows (letters, letters issued outside Netra, then the events and projection
statement of `db.command_path`) need no answer from the server, so they wait here and go
out at commit as one prepared statement: each held INSERT becomes a data-modifying CTE of
the events and projection write. When no transaction is open yet (a step without letter
numbers) that statement is the whole transaction: one round trip, atomic by itself.
Otherwise it runs in the open transaction (which holds the letter counter rows) with the
COMMIT pipelined after it: one round trip, so the counter rows are released sooner. A
failing statement writes nothing; the failure is raised as the named error of the part
that caused it (a taken seq, a stale version, a letter id or number already issued, a
letter whose template sources the database does not hold: ConcurrencyConflict), any other
database error as SQLAlchemy's wrapper of it (what the CLI and the API map to "database
failure"). The caller rolls the connection back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import DBAPIError

from db import wire
from db.letter_template_guard import TEMPLATES_NOT_STORED, templates_not_stored
from rules.errors import ConcurrencyConflict

if TYPE_CHECKING:
    import psycopg

# SQLSTATE raised by netra_expect_one_row() (migration 0118) when the projection UPDATE
# matched no row at the expected version.
STALE_VERSION = "NT409"
_UNIQUE_VIOLATION = "23505"


@dataclass(frozen=True)
class HeldWrite:
    """One statement waiting for the commit, and the conflict it means if it fails."""

    statement: str
    params: dict[str, Any]
    table: str  # the table whose unique key a concurrent command may have taken
    conflict: ConcurrencyConflict  # raised when that key is taken
    stale: ConcurrencyConflict | None = None  # raised when the version check fails


@dataclass
class CommandWrites:
    """The held writes of one transaction on one psycopg connection."""

    driver: psycopg.Connection[Any]
    held: list[HeldWrite] = field(default_factory=list)

    def hold(self, write: HeldWrite) -> None:
        self.held.append(write)

    def returning_one(self, statement: str, params: dict[str, Any]) -> bytes:
        """Run a statement whose one value the command needs now (a letter serial), in the
        transaction it opens; the value in PostgreSQL's text format."""
        try:
            # the value stays reserved until this transaction ends
            result = wire.execute_in_transaction(self.driver, statement, params)
        except Exception as error:
            raise as_sqlalchemy_error(error, statement, params) from error
        value = result.get_value(0, 0) if result.ntuples == 1 else None
        assert value is not None, "the statement returns one value"
        return value

    def commit(self) -> None:
        """Send every held write as one statement, pipelined with the COMMIT when a
        transaction is open."""
        held, self.held = self.held, []
        if not held:
            try:
                wire.commit(self.driver)
            except Exception as error:
                raise as_sqlalchemy_error(error, "COMMIT", {}) from error
            return
        statement, params = one_statement(held)
        try:
            wire.execute_and_commit(self.driver, statement, params)
        except Exception as error:
            raise _named(error, held, statement, params) from error

    def discard(self) -> None:
        self.held = []


_PARAM = re.compile(r"%\((\w+)\)s")


def one_statement(held: list[HeldWrite]) -> tuple[str, dict[str, Any]]:
    """The held writes as one statement: every INSERT before the last write becomes a CTE
    (its parameters prefixed with its place); the last write ends the statement."""
    *before, last = held
    if not before:
        return last.statement, last.params
    ctes: list[str] = []
    params: dict[str, Any] = dict(last.params)
    for index, write in enumerate(before):
        prefix = f"h{index}_"
        ctes.append(f"held{index} AS ({_renamed(write.statement, prefix)})")
        params.update({prefix + name: value for name, value in write.params.items()})
    tail = last.statement
    if tail.startswith("WITH "):
        return f"WITH {', '.join(ctes)}, {tail.removeprefix('WITH ')}", params
    return f"WITH {', '.join(ctes)} {tail}", params


@lru_cache(maxsize=64)
def _renamed(statement: str, prefix: str) -> str:
    """The statement with each parameter name prefixed (the same few statements recur)."""
    return _PARAM.sub(f"%({prefix}\\1)s", statement)


def _named(
    error: Exception, held: list[HeldWrite], statement: str, params: dict[str, Any]
) -> Exception:
    state = getattr(error, "sqlstate", None)
    if state == TEMPLATES_NOT_STORED:
        return templates_not_stored()
    if state == STALE_VERSION:
        for write in held:
            if write.stale is not None:
                return write.stale
    if state == _UNIQUE_VIOLATION:
        table = getattr(getattr(error, "diag", None), "table_name", None)
        for write in held:
            if write.table == table:
                return write.conflict
    return as_sqlalchemy_error(error, statement, params)


def as_sqlalchemy_error(error: Exception, statement: str, params: dict[str, Any]) -> Exception:
    """A driver error as the SQLAlchemy exception the rest of Netra expects."""
    import psycopg

    if isinstance(error, ConcurrencyConflict) or not isinstance(error, psycopg.Error):
        return error
    return DBAPIError.instance(statement, params, error, psycopg.Error)
