"""Event rows for the chain check, streamed by binary `COPY ... TO STDOUT` on PostgreSQL.

Two readers. `copied_rows` parses every column of every row with psycopg (the full audit, in
(case_id, seq) order). `event_links` is the fast check's: it asks for no order at all (a
sequential scan, no sort, no index) and only an event's links and stored canonical body, and
reads each COPY message with one fixed-layout `struct` unpack instead of building per-column
Python objects. An event without a stored body (written before migration 0117) brings its
columns instead, as one JSON array, so the checker can re-encode them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from struct import Struct, error
from typing import Any

from sqlalchemy import Connection, Select, Text, case, cast, func, select
from sqlalchemy.orm import Session

from db.schema import CaseEventRow

# (case_id, seq, event_type, actor_id, actor_role, actor_institution, occurred_at,
#  recorded_at, payload text, rule_set, prev_hash, hash, actor_operator, clock, body)
EventRow = tuple[
    str,
    int,
    str,
    str,
    str,
    str,
    datetime,
    datetime,
    Any,
    str,
    str,
    str,
    str | None,
    str | None,
    bytes | None,
]

# (case_id, seq, prev_hash, hash, stored body, the event's columns when it has no body):
# case_id and the hashes as the bytes stored (UTF-8), the body as bytes or a buffer.
EventLink = tuple[bytes, int, bytes, bytes, Any, EventRow | None]

EVENT_ROW_TYPES = (
    *("text", "int4"),
    *("text",) * 4,
    *("timestamptz",) * 2,
    *("text",) * 6,
    "bytea",
)

AnySelect = Select[*tuple[Any, ...]]

# What an event without a stored body brings instead (`EventRow` order, minus the links).
_COLUMNS = (
    CaseEventRow.event_type,
    CaseEventRow.actor_id,
    CaseEventRow.actor_role,
    CaseEventRow.actor_institution,
    CaseEventRow.occurred_at,
    CaseEventRow.recorded_at,
    cast(CaseEventRow.payload, Text),
    CaseEventRow.rule_set,
    CaseEventRow.actor_operator,
    CaseEventRow.clock,
)

_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # binary COPY header: signature, flags, extension
_TRAILER_SIZE = 2  # the int16 -1 that ends a binary COPY
# A row of `_link_query` with a 64-byte prev_hash and hash: field count, seq (length, value),
# prev_hash (length, bytes), hash (length, bytes), case_id length; then case_id, the body
# (length, bytes) and the NULL (length -1) that stands for the columns.
_FIXED = Struct(">hiii64si64si")
_CASE_ID_AT = _FIXED.size
_NULL_FIELD = 0xFF  # last byte of a NULL field's length (-1)
_STATEMENTS: dict[tuple[Any, ...], tuple[str, Any]] = {}


def copied_rows(
    connection: Connection,
    query: AnySelect,
    types: Sequence[str] = EVENT_ROW_TYPES,
    reuse_as: str | None = None,
) -> Iterator[Any]:
    """Rows of `query` (columns of `types`) streamed by `COPY ... TO STDOUT` in binary: the
    server sends while the verifier hashes (no round trip per batch), memory stays flat."""
    driver: Any = connection.connection.driver_connection
    statement, params = _copy_statement(connection, query, reuse_as)
    with driver.cursor() as cursor, cursor.copy(statement, params) as copy:
        copy.set_types(types)
        yield from copy.rows()


def event_links(
    session: Session, case_ids: Sequence[str] | None = None, batch: int = 128
) -> Iterator[list[EventLink]]:
    """Every event's links and stored body in whatever order the table gives them, in lists
    of up to `batch`; memory holds one list."""
    query = _link_query(session.connection().dialect.name)
    if case_ids is not None:
        query = query.where(CaseEventRow.case_id.in_(case_ids))
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        reuse_as = "event_links" if case_ids is None else None
        yield from _copied_links(connection, query, batch, reuse_as)
        return
    result = session.execute(query.execution_options(yield_per=batch))
    for partition in result.partitions():
        yield [_selected_link(row) for row in partition]


def link_encoding(session: Session) -> str:
    """The encoding of the bytes `event_links` gives (the connection's on PostgreSQL)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return str(connection.connection.driver_connection.info.encoding)  # type: ignore[union-attr]
    return "utf-8"


def _link_query(dialect: str) -> AnySelect:
    body = CaseEventRow.body
    links = (CaseEventRow.seq, CaseEventRow.prev_hash, CaseEventRow.hash, CaseEventRow.case_id)
    if dialect == "postgresql":
        columns = cast(func.json_build_array(*_COLUMNS), Text)
        return select(*links, body, case((body.is_(None), columns)))
    return select(*links, body, *(case((body.is_(None), column)) for column in _COLUMNS))


def _selected_link(row: Any) -> EventLink:
    seq, prev_hash, hash_, case_id, body, *columns = row
    event: EventRow | None = None
    if body is None:
        event = (case_id, seq, *columns[:8], prev_hash, hash_, *columns[8:], None)
    return case_id.encode(), seq, prev_hash.encode(), hash_.encode(), body, event


def _copy_statement(
    connection: Connection, query: AnySelect, reuse_as: str | None = None
) -> tuple[str, Any]:
    """The COPY statement of `query`; one without varying parameters is compiled once per
    process under the name `reuse_as` (compiling costs milliseconds)."""
    dialect = connection.dialect
    key = (dialect.name, dialect.server_version_info, reuse_as)
    if reuse_as is not None and key in _STATEMENTS:
        return _STATEMENTS[key]
    compiled = query.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    statement = f"COPY ({compiled}) TO STDOUT (FORMAT BINARY)", compiled.params
    if reuse_as is not None:
        _STATEMENTS[key] = statement
    return statement


def _copied_links(
    connection: Connection, query: AnySelect, batch: int, reuse_as: str | None
) -> Iterator[list[EventLink]]:
    """Parse each COPY message (one row) with `_FIXED`; take the next message straight from
    libpq while it has one buffered, and through psycopg (which waits on the socket, ends the
    COPY and raises the server's errors) when it has none."""
    driver: Any = connection.connection.driver_connection
    encoding = driver.info.encoding
    statement, params = _copy_statement(connection, query, reuse_as)
    unpack = _FIXED.unpack_from
    start = _CASE_ID_AT
    with driver.cursor() as cursor, cursor.copy(statement, params) as copy:
        next_message = driver.pgconn.get_copy_data
        data = copy.read()
        if bytes(data[: len(_SIGNATURE)]) != _SIGNATURE:
            raise ValueError("COPY binary tidak diawali tanda tangan yang diharapkan")
        data = data[len(_SIGNATURE) :]
        size = len(data)
        links: list[EventLink] = []
        add = links.append
        while size != _TRAILER_SIZE:
            try:
                _, _, seq, prev_size, prev, hash_size, hash_, id_size = unpack(data)
                regular = prev_size == 64 and hash_size == 64 and data[-1] == _NULL_FIELD
            except error:
                regular = False
            if regular:
                end = start + id_size
                add((data[start:end].tobytes(), seq, prev, hash_, data[end + 4 : -4], None))
            else:
                add(_irregular_link(data, encoding))
            if len(links) == batch:
                yield links
                links = []
                add = links.append
            size, data = next_message(1)
            if size <= 0:  # nothing buffered (wait), or the COPY ended or failed
                data = copy.read()
                size = len(data)
                if not size:
                    raise ValueError("COPY binary berakhir tanpa penutup")
        if copy.read():
            raise ValueError("COPY binary berlanjut setelah penutup")
        if links:
            yield links


def _fields(data: Any) -> list[bytes | None]:
    """The fields of one binary COPY row, generically (NULL as None)."""
    count = int.from_bytes(data[0:2], "big", signed=True)
    fields: list[bytes | None] = []
    at = 2
    for _ in range(count):
        size = int.from_bytes(data[at : at + 4], "big", signed=True)
        at += 4
        if size < 0:
            fields.append(None)
            continue
        fields.append(bytes(data[at : at + size]))
        at += size
    return fields


def _irregular_link(data: Any, encoding: str) -> EventLink:
    """A row `_FIXED` does not describe: an event without a stored body (its columns come as
    a JSON array), or links of another length (which the checker will not accept)."""
    seq_field, prev, hash_, case_id, body, columns = _fields(data)
    seq = int.from_bytes(seq_field or b"", "big", signed=True)
    prev, hash_, case_id = prev or b"", hash_ or b"", case_id or b""
    event: EventRow | None = None
    if body is None and columns is not None:
        try:
            values = json.loads(columns.decode(encoding))
            values[4:6] = [datetime.fromisoformat(value) for value in values[4:6]]
        except (TypeError, ValueError):
            values = None  # the checker finds no way to verify it; the full path names it
        if values is not None:
            event = (
                case_id.decode(encoding),
                seq,
                *values[:8],
                prev.decode(encoding),
                hash_.decode(encoding),
                *values[8:],
                None,
            )
    return case_id, seq, prev, hash_, body, event
