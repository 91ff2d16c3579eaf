"""The command path's statements sent straight to libpq: named prepared statements, text
parameters encoded here.

psycopg's cursor machinery costs about 130 µs of Python per statement (query conversion,
a dumper looked up per parameter, cursor and result set-up), more than the round trip
itself on a command's path. The command path's statements are Netra's own fixed SQL
(`db.command_path`, `db.command_writes`, the letter register), so each is prepared once
per connection under a name derived from its text, and executed with text-format
parameters that the server types from the statement (the casts and the target columns),
as it does for psycopg's text parameters.

The connection stays psycopg's, and psycopg reads the transaction status from libpq, so
its commit and rollback, and the pool's reset, see what these statements did. A failed
statement raises psycopg's error for its SQLSTATE (with its diagnostics), as the cursor
would. libpq releases the GIL while it waits for the server.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    import psycopg
    from psycopg.pq.abc import PGresult

# libpq's ExecStatus values (psycopg.pq is imported only where a statement runs).
_COMMAND_OK = 1
_TUPLES_OK = 2
_INVALID_STATEMENT_NAME = "26000"
IDLE = 0  # TransactionStatus.IDLE
_CONNECTION_OK = 0  # ConnStatus.OK

_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")

# The statement names each connection has prepared (a connection forgets them when it goes).
_PREPARED: WeakKeyDictionary[Any, set[bytes]] = WeakKeyDictionary()


class Statement:
    """A statement in psycopg's `%(name)s` style, as libpq takes it: `$n` and a name."""

    __slots__ = ("name", "names", "text")

    def __init__(self, sql: str) -> None:
        order: dict[str, int] = {}

        def number(match: re.Match[str]) -> str:
            if match.group(0) == "%%":
                return "%"
            return f"${order.setdefault(match.group(1), len(order) + 1)}"

        self.text = _PLACEHOLDER.sub(number, sql).encode()
        self.names = tuple(order)
        self.name = b"netra_" + hashlib.sha256(self.text).hexdigest()[:24].encode()


@lru_cache(maxsize=256)
def statement(sql: str) -> Statement:
    return Statement(sql)


def execute(driver: psycopg.Connection[Any], sql: str, params: Mapping[str, Any]) -> PGresult:
    """Run `sql` with `params` (prepared on this connection at its first use) and return
    libpq's result; a failure raises psycopg's error. Inside an open transaction the
    statement is part of it; on an idle connection it is its own transaction."""
    prepared, values = _prepared(driver, sql, params)
    pgconn = driver.pgconn
    result = pgconn.exec_prepared(prepared.name, values)
    lost = result.status not in (_COMMAND_OK, _TUPLES_OK) and (
        _sqlstate(result) == _INVALID_STATEMENT_NAME
    )
    if lost and pgconn.transaction_status == IDLE:
        # the session lost it (DEALLOCATE ALL, DISCARD ALL) and nothing else was run: prepare
        # again, once (inside a transaction the failure has aborted it: raised as it is)
        _PREPARED.pop(driver, None)
        prepared, values = _prepared(driver, sql, params)
        result = pgconn.exec_prepared(prepared.name, values)
    return _check(driver, result)


def execute_and_commit(
    driver: psycopg.Connection[Any], sql: str, params: Mapping[str, Any]
) -> None:
    """Run `sql` and COMMIT the open transaction in one round trip (libpq's pipeline mode):
    what the transaction locked (a letter register's counter row) is released one client
    turn sooner. If the statement fails the COMMIT is skipped, the transaction stays
    aborted for the caller's rollback, and the statement's error is raised."""
    if driver.pgconn.transaction_status == IDLE:
        execute(driver, sql, params)  # its own transaction
        return
    written, committed = _pipelined(driver, sql, params, before=None, after=b"COMMIT")
    _check(driver, written)
    _committed(driver, committed)


def execute_in_transaction(
    driver: psycopg.Connection[Any], sql: str, params: Mapping[str, Any]
) -> PGresult:
    """Run `sql` inside a transaction, opening one (BEGIN in the same round trip) if none
    is open: what it locks stays locked until the transaction ends."""
    if driver.pgconn.transaction_status != IDLE:
        return execute(driver, sql, params)
    began, result = _pipelined(driver, sql, params, before=_begin_command(driver), after=None)
    _check(driver, began)
    return _check(driver, result)


def _pipelined(
    driver: psycopg.Connection[Any],
    sql: str,
    params: Mapping[str, Any],
    before: bytes | None,
    after: bytes | None,
) -> list[PGresult]:
    """`before`, the prepared statement and `after` sent at once; their results."""
    prepared, values = _prepared(driver, sql, params)
    pgconn = driver.pgconn
    pgconn.enter_pipeline_mode()
    try:
        if before is not None:
            pgconn.send_query_params(before, None)
        pgconn.send_query_prepared(prepared.name, values)
        if after is not None:
            pgconn.send_query_params(after, None)
        pgconn.pipeline_sync()
        results = _pipeline_results(pgconn)
    except BaseException:
        with suppress(Exception):  # a lost connection: its own error is the one to raise
            pgconn.exit_pipeline_mode()
        raise
    pgconn.exit_pipeline_mode()
    return results


def _pipeline_results(pgconn: Any) -> list[PGresult]:
    """The results of a pipeline up to its sync point, waiting on the socket (the GIL is
    released while waiting)."""
    import select

    from psycopg.pq import ExecStatus

    while pgconn.flush():  # what libpq could not send at once
        select.select([], [pgconn.socket], [])
    results: list[PGresult] = []
    while True:
        while pgconn.is_busy():
            select.select([pgconn.socket], [], [])
            pgconn.consume_input()
        result = pgconn.get_result()
        if result is None:
            continue  # the end of one query's results
        if result.status == ExecStatus.PIPELINE_SYNC:
            return results
        results.append(result)


def _prepared(
    driver: psycopg.Connection[Any], sql: str, params: Mapping[str, Any]
) -> tuple[Statement, list[bytes]]:
    """The statement, prepared on this connection, and its encoded parameters."""
    prepared = statement(sql)
    # libpq sends None as NULL (psycopg's stubs leave None out of the parameter type)
    values = cast(list[bytes], [encode(params[name]) for name in prepared.names])
    names = _PREPARED.setdefault(driver, set())
    if prepared.name not in names:
        _check(driver, driver.pgconn.prepare(prepared.name, prepared.text))
        names.add(prepared.name)
    return prepared, values


def commit(driver: psycopg.Connection[Any]) -> None:
    """COMMIT the open transaction; a transaction that cannot commit is an error."""
    if driver.pgconn.transaction_status == IDLE:
        return
    _committed(driver, driver.pgconn.exec_(b"COMMIT"))


def rollback(driver: psycopg.Connection[Any]) -> None:
    """Roll back the open transaction, if one is open (psycopg's rollback; nothing is sent
    and psycopg is not called when libpq reports the connection idle)."""
    if driver.pgconn.transaction_status != IDLE:
        driver.rollback()


def _committed(driver: psycopg.Connection[Any], result: PGresult) -> None:
    """A COMMIT's result; an aborted transaction "commits" as ROLLBACK, which is an error."""
    if _check(driver, result).command_status != b"COMMIT":
        import psycopg

        raise psycopg.errors.InFailedSqlTransaction("the transaction was rolled back")


def _begin_command(driver: psycopg.Connection[Any]) -> bytes:
    parts = ["BEGIN"]
    if driver.isolation_level is not None:
        parts.append("ISOLATION LEVEL " + driver.isolation_level.name.replace("_", " "))
    if driver.read_only is not None:
        parts.append("READ ONLY" if driver.read_only else "READ WRITE")
    if driver.deferrable is not None:
        parts.append("DEFERRABLE" if driver.deferrable else "NOT DEFERRABLE")
    return " ".join(parts).encode()


def _sqlstate(result: PGresult) -> str | None:
    from psycopg.pq import DiagnosticField

    state = result.error_field(DiagnosticField.SQLSTATE)
    return state.decode() if state else None


def _check(driver: psycopg.Connection[Any], result: PGresult) -> PGresult:
    if result.status in (_COMMAND_OK, _TUPLES_OK):
        return result
    import psycopg

    if _sqlstate(result) == _INVALID_STATEMENT_NAME:  # the session lost its statements:
        _PREPARED.pop(driver, None)  # prepare them again from the next one on
    if driver.pgconn.status != _CONNECTION_OK:  # lost: what psycopg raises when it sees that
        message = (result.error_message or driver.pgconn.error_message).decode(errors="replace")
        raise psycopg.OperationalError(message.strip() or "the connection to the server was lost")
    raise psycopg.errors.error_from_result(result, encoding=driver.info.encoding)


def encode(value: Any) -> bytes | None:
    """A parameter in PostgreSQL's text format; the statement gives its type."""
    encoder = _ENCODERS.get(type(value))
    if encoder is None:  # a subclass (a StrEnum, an IntEnum) or a type with no text form here
        encoder = next((e for kind, e in _ENCODERS.items() if isinstance(value, kind)), None)
        if encoder is None:
            raise TypeError(f"no text form here for a parameter of type {type(value).__name__}")
    return encoder(value)


def _text(value: str) -> bytes:
    data = value.encode()
    if b"\x00" in data:  # libpq takes parameters as C strings: a NUL would cut the value
        import psycopg

        raise psycopg.DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
    return data


def _array(values: Sequence[Any]) -> bytes:
    """An array literal: each element quoted, with its backslashes and quotes escaped."""
    items = []
    for item in values:
        if item is None:
            items.append(b"NULL")
            continue
        if isinstance(item, (list, tuple)):
            raise TypeError("nested arrays are not sent on the command path")
        data = encode(item)
        assert data is not None
        items.append(b'"' + data.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"')
    return b"{" + b",".join(items) + b"}"


_ENCODERS: dict[type, Callable[[Any], bytes | None]] = {
    str: _text,
    bool: lambda value: b"t" if value else b"f",  # looked up before int: a bool is an int
    int: lambda value: str(int(value)).encode(),
    bytes: lambda value: b"\\x" + value.hex().encode(),
    datetime: lambda value: value.isoformat().encode(),
    date: lambda value: value.isoformat().encode(),
    list: _array,
    tuple: _array,
    type(None): lambda value: None,
}
