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

from sqlalchemy import Connection, Select, Text, case, cast, select
from sqlalchemy.orm import Session

from db.schema import CaseEventRow, CaseRow

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

# An event's columns besides its links, in `EventRow` order; the chain check asks for them
# only when the event has no stored body.
EVENT_COLUMNS = (
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
# The same on PostgreSQL, as one JSON array; the statement is plain text (compiling it with
# SQLAlchemy costs milliseconds, as much as verifying thousands of events).
_LINKS_SQL = (
    "SELECT seq, prev_hash, hash, CASE WHEN body IS NULL THEN json_build_array(event_type, "
    "actor_id, actor_role, actor_institution, occurred_at, recorded_at, payload::text, "
    "rule_set, actor_operator, clock)::text END, case_id, body FROM case_events"
)

_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # binary COPY header: signature, flags, extension
_TRAILER_SIZE = 2  # the int16 -1 that ends a binary COPY
# A `_LINKS_SQL` row of an event with a stored body and a 64-byte prev_hash and hash: field
# count, seq (length, value), prev_hash (length, bytes), hash (length, bytes), the columns'
# length (-1: NULL), case_id's length; then case_id, the body's length and the body.
_FIXED = Struct(">hiii64si64sii")
_CASE_ID_AT = _FIXED.size


def copied_rows(
    connection: Connection,
    query: AnySelect | str,
    types: Sequence[str] = EVENT_ROW_TYPES,
    params: dict[str, Any] | None = None,
) -> Iterator[Any]:
    """Rows of `query` (columns of `types`) streamed by `COPY ... TO STDOUT` in binary: the
    server sends while the verifier hashes (no round trip per batch), memory stays flat."""
    driver: Any = connection.connection.driver_connection
    with (
        driver.cursor() as cursor,
        cursor.copy(*_copy_statement(connection, query, params)) as copy,
    ):
        copy.set_types(types)
        yield from copy.rows()


def case_heads(
    session: Session, case_ids: Sequence[str] | None = None
) -> Iterator[tuple[str, int, str]]:
    """(case_id, version, head_hash) of every case (or of `case_ids`) by id, streamed."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        sql = "SELECT id, version, head_hash FROM cases"
        if case_ids is not None:
            sql += " WHERE id = ANY(%(ids)s)"
        types = ("text", "int4", "text")
        yield from copied_rows(connection, sql + " ORDER BY id", types, _ids(case_ids))
        return
    query = select(CaseRow.id, CaseRow.version, CaseRow.head_hash).order_by(CaseRow.id)
    if case_ids is not None:
        query = query.where(CaseRow.id.in_(case_ids))
    for case_id, version, head_hash in session.execute(query.execution_options(yield_per=5000)):
        yield str(case_id), int(version), str(head_hash)


def event_links(
    session: Session, case_ids: Sequence[str] | None = None, batch: int = 128
) -> Iterator[list[EventLink]]:
    """Every event's links and stored body in whatever order the table gives them, in lists
    of up to `batch` (small: the rows are hashed while still in the CPU's cache)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        sql = _LINKS_SQL if case_ids is None else _LINKS_SQL + " WHERE case_id = ANY(%(ids)s)"
        yield from _copied_links(connection, sql, _ids(case_ids), batch)
        return
    body = CaseEventRow.body
    query = select(
        CaseEventRow.seq,
        CaseEventRow.prev_hash,
        CaseEventRow.hash,
        CaseEventRow.case_id,
        body,
        *(case((body.is_(None), column)) for column in EVENT_COLUMNS),
    )
    if case_ids is not None:
        query = query.where(CaseEventRow.case_id.in_(case_ids))
    result = session.execute(query.execution_options(yield_per=batch))
    for partition in result.partitions():
        yield [_selected_link(row) for row in partition]


def link_encoding(session: Session) -> str:
    """The encoding of the bytes `event_links` gives (the connection's on PostgreSQL)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return str(connection.connection.driver_connection.info.encoding)  # type: ignore[union-attr]
    return "utf-8"


def _selected_link(row: Any) -> EventLink:
    seq, prev_hash, hash_, case_id, body, *columns = row
    event: EventRow | None = None
    if body is None:
        event = (case_id, seq, *columns[:8], prev_hash, hash_, *columns[8:], None)
    return case_id.encode(), seq, prev_hash.encode(), hash_.encode(), body, event


def _ids(case_ids: Sequence[str] | None) -> dict[str, Any] | None:
    return None if case_ids is None else {"ids": list(case_ids)}


def _copy_statement(
    connection: Connection, query: AnySelect | str, params: dict[str, Any] | None = None
) -> tuple[str, Any]:
    if isinstance(query, str):
        return f"COPY ({query}) TO STDOUT (FORMAT BINARY)", params
    compiled = query.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    return f"COPY ({compiled}) TO STDOUT (FORMAT BINARY)", compiled.params


def _copied_links(
    connection: Connection, sql: str, params: dict[str, Any] | None, batch: int
) -> Iterator[list[EventLink]]:
    """Parse each COPY message (one row) with `_FIXED`. The next message comes straight from
    libpq while it has one buffered or the socket holds one; when neither does, the rows read
    so far go to the checker first, and only then does psycopg wait on the socket (it also
    ends the COPY and raises the server's errors)."""
    driver: Any = connection.connection.driver_connection
    encoding = driver.info.encoding
    unpack = _FIXED.unpack_from
    start = _CASE_ID_AT
    with driver.cursor() as cursor, cursor.copy(*_copy_statement(connection, sql, params)) as copy:
        next_message, receive = driver.pgconn.get_copy_data, driver.pgconn.consume_input
        data = copy.read()
        if bytes(data[: len(_SIGNATURE)]) != _SIGNATURE:
            raise ValueError("COPY binary tidak diawali tanda tangan yang diharapkan")
        data = data[len(_SIGNATURE) :]
        size = len(data)
        if not size:  # the header came alone
            data = copy.read()
            size = len(data)
        links: list[EventLink] = []
        add = links.append
        while size != _TRAILER_SIZE:
            try:
                _, _, seq, prev_size, prev, hash_size, hash_, columns, id_size = unpack(data)
                regular = prev_size == 64 and hash_size == 64 and columns < 0
            except error:
                regular = False
            if regular:
                end = start + id_size
                add((data[start:end].tobytes(), seq, prev, hash_, data[end + 4 :], None))
            else:
                add(_irregular_link(data, encoding))
            if len(links) == batch:
                yield links
                links = []
                add = links.append
            size, data = next_message(1)
            if size == 0:  # nothing buffered: take what the socket holds, without waiting
                receive()
                size, data = next_message(1)
                if size == 0 and links:  # still nothing: hand over the rows read so far
                    yield links
                    links = []
                    add = links.append
                    receive()
                    size, data = next_message(1)
            if size <= 0:  # wait for the server (or the COPY ended or failed)
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
    seq_field, prev, hash_, columns, case_id, body = _fields(data)
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
