"""Event rows for the chain check, streamed by binary `COPY ... TO STDOUT` on PostgreSQL.

Two readers. `copied_rows` parses every column of every row with psycopg (the full audit, in
(case_id, seq) order). `link_messages` is the fast check's: it asks for no order at all (a
sequential scan, no sort, no index) and only an event's links and stored canonical body, and
hands over each row as the raw COPY message, which the checker reads with one fixed-layout
`struct` unpack (`link_header`, the case id included at its width) instead of Python objects
built per column or per row. An event without a stored body (written before migration 0117)
brings its columns instead, as one JSON array, so the checker can re-encode them. The
projection heads are read the same way (`case_heads`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from functools import lru_cache
from struct import Struct, error
from typing import Any

from sqlalchemy import Connection, Select, Text, case, cast, select
from sqlalchemy.orm import Session

from db.copy_messages import copy_messages, message_fields
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
_HEADS_SQL = "SELECT version, head_hash, id FROM cases"
_LINKS_SQL = (
    "SELECT seq, prev_hash, hash, CASE WHEN body IS NULL THEN json_build_array(event_type, "
    "actor_id, actor_role, actor_institution, occurred_at, recorded_at, payload::text, "
    "rule_set, actor_operator, clock)::text END, case_id, body FROM case_events"
)

# A `_LINKS_SQL` message of an event with a stored body and a 64-byte prev_hash and hash
# unpacks with `LINK_MESSAGE` into (field count, 4, seq, 64, prev_hash, 64, hash, -1 (the
# columns are NULL), the case id's length); the case id follows at `LINK_CASE_ID_AT`, then the
# body's length (4 bytes) and the body to the message's end. Any other message (a field of
# another length, the columns of an event without a body) goes through `message_link`.
LINK_MESSAGE = Struct(">hiii64si64sii")
LINK_CASE_ID_AT = LINK_MESSAGE.size


@lru_cache(maxsize=64)
def link_header(width: int) -> tuple[Any, int]:
    """(unpack_from, where the body starts) for `_LINKS_SQL` messages whose case id is `width`
    bytes long: one unpack gives (seq, prev_hash's length, prev_hash, hash's length, hash, the
    columns' length, the case id's length, the case id); the body's length follows, then the
    body to the message's end. The values mean that only when the lengths are 64, 64, -1 and `width`; the
    caller checks them (and takes any other message through `message_link`). The field count
    (6 in every message of the statement) and seq's length (4: a NOT NULL int4) are skipped,
    as `LINK_MESSAGE` readers skip them."""
    layout = Struct(f">6xii64si64sii{width}s")
    return layout.unpack_from, layout.size + 4


# A `_HEADS_SQL` message with a 64-byte head_hash: field count, version (length, value),
# head_hash (length, bytes), the id's length; then the id to the message's end.
_HEAD_MESSAGE = Struct(">hiii64si")


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
    session: Session, case_ids: Sequence[str] | None = None, ordered: bool = True
) -> Iterator[tuple[str, int, str]]:
    """(case_id, version, head_hash) of every case (or of `case_ids`) by id, streamed.
    `ordered=False`: on PostgreSQL in the table's order (no sort), for a comparison whose
    outcome does not depend on the order."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        sql = _HEADS_SQL if case_ids is None else _HEADS_SQL + " WHERE id = ANY(%(ids)s)"
        if ordered:
            sql += " ORDER BY id"
        driver: Any = connection.connection.driver_connection
        encoding = driver.info.encoding
        unpack = _HEAD_MESSAGE.unpack_from
        start = _HEAD_MESSAGE.size
        for batch in copy_messages(driver, sql, _ids(case_ids), 1024):
            for data in batch:
                try:
                    _, _, version, hash_size, head_hash, id_size = unpack(data)
                except error:  # shorter than any regular row
                    hash_size = 0
                if hash_size == 64 and id_size == len(data) - start:
                    yield (
                        data[start:].tobytes().decode(encoding),
                        version,
                        head_hash.decode(encoding),
                    )
                else:
                    yield _irregular_head(data, encoding)
        return
    query = select(CaseRow.id, CaseRow.version, CaseRow.head_hash).order_by(CaseRow.id)
    if case_ids is not None:
        query = query.where(CaseRow.id.in_(case_ids))
    for case_id, version, head_hash in session.execute(query.execution_options(yield_per=5000)):
        yield str(case_id), int(version), str(head_hash)


def link_messages(
    session: Session, case_ids: Sequence[str] | None = None, batch: int = 128
) -> Iterator[list[Any]] | None:
    """PostgreSQL: every event's links and stored body in whatever order the table gives
    them, as raw COPY messages (see `link_header`) in lists of up to `batch` (small: the
    rows are hashed while still in the CPU's cache). None on a database without COPY."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return None
    sql = _LINKS_SQL if case_ids is None else _LINKS_SQL + " WHERE case_id = ANY(%(ids)s)"
    return copy_messages(connection.connection.driver_connection, sql, _ids(case_ids), batch)


def event_links(
    session: Session, case_ids: Sequence[str] | None = None, batch: int = 128
) -> Iterator[list[EventLink]]:
    """Every event's links and stored body in whatever order the table gives them, in lists
    of up to `batch`, each as an `EventLink`."""
    messages = link_messages(session, case_ids, batch)
    if messages is not None:
        encoding = link_encoding(session)
        for listed in messages:
            yield [message_link(data, encoding) for data in listed]
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


def message_link(data: Any, encoding: str) -> EventLink:
    """One `link_messages` message as an `EventLink`, whatever its layout: an event without a
    stored body brings its columns (a JSON array) to re-encode, a field of another length
    comes as it is stored (the checker will not accept it)."""
    try:
        _, _, seq, prev_size, prev, hash_size, hash_, columns, id_size = LINK_MESSAGE.unpack_from(
            data
        )
    except error:
        prev_size = 0
    if prev_size == 64 and hash_size == 64 and columns < 0:
        end = LINK_CASE_ID_AT + id_size
        return data[LINK_CASE_ID_AT:end].tobytes(), seq, prev, hash_, data[end + 4 :], None
    return _irregular_link(data, encoding)


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


def _irregular_head(data: Any, encoding: str) -> tuple[str, int, str]:
    """A `_HEADS_SQL` message `_HEAD_MESSAGE` does not describe (a head_hash of another
    length), field by field."""
    version, head_hash, case_id = message_fields(data)
    return (
        (case_id or b"").decode(encoding),
        int.from_bytes(version or b"", "big", signed=True),
        (head_hash or b"").decode(encoding),
    )


def _irregular_link(data: Any, encoding: str) -> EventLink:
    """A row `LINK_MESSAGE` does not describe: an event without a stored body (its columns
    come as a JSON array), or links of another length (which the checker will not accept)."""
    seq_field, prev, hash_, columns, case_id, body = message_fields(data)
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
