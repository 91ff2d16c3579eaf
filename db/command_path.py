"""The statements of one command on the hot path: one read, and on PostgreSQL one write.

Read: the case snapshot and the reference data version in one statement (both dialects);
on PostgreSQL sent straight to the psycopg connection, before any BEGIN, unless the command
starts from the snapshot its process last wrote (`db.case_cache`): then its write also
checks the reference data version it used (`ReadHead`).
Write (PostgreSQL): the step's hash-chained events and the projection UPDATE with its
version check in one statement (`WITH ... INSERT ... UPDATE`; the event columns are read
by the server from each event's stored canonical body), plain prepared SQL held by
`db.command_writes.CommandWrites`, which sends it with the command's other rows as one
statement at commit. A stale version or head hash makes the statement fail
(`netra_expect_one_row`, migration 0118), so nothing of it can be committed. SQLite writes
events and projection as two statements of the caller's transaction. Either way a taken
seq or a stale version is a ConcurrencyConflict and nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import JSON, bindparam, select
from sqlalchemy.orm import Session

from db import wire
from db.schema import CaseRow, JsonType, ReferenceVersionRow, table_of
from rules.errors import ConcurrencyConflict, NotFound
from states.canonical import canonical_json
from states.events import RecordedEvent

if TYPE_CHECKING:
    import psycopg

_CASES = table_of(CaseRow)
_VERSION = table_of(ReferenceVersionRow)

_READ = select(
    select(_VERSION.c.version).where(_VERSION.c.id == 1).scalar_subquery(),
    select(_CASES.c.snapshot).where(_CASES.c.id == bindparam("case_id")).scalar_subquery(),
)
# the reference data version (officers, institutions, calendar, settings), as one subquery
_REFERENCE_VERSION = "(SELECT version FROM reference_version WHERE id = 1)"
_READ_PG = (
    f"SELECT {_REFERENCE_VERSION} AS reference_version,"
    " (SELECT snapshot::text FROM cases WHERE id = %(case_id)s) AS snapshot"
)

# each JSON column's type on PostgreSQL (`jsonb`, or `json` for the snapshot: migration 0121)
_JSON_COLUMNS = {
    c.name: "jsonb" if c.type is JsonType else "json"
    for c in _CASES.columns
    if isinstance(c.type, JSON)
}


def read(session: Session, case_id: str) -> tuple[int, dict[str, Any] | None]:
    """(reference version, the case's snapshot or None) in one statement (SQLite)."""
    version, snapshot = session.connection().execute(_READ, {"case_id": case_id}).one()
    return int(version), snapshot


def read_pg(driver: psycopg.Connection[Any], case_id: str) -> tuple[int, dict[str, Any] | None]:
    """The same on PostgreSQL: a prepared statement sent straight to libpq (`db.wire`), the
    snapshot as text for orjson.

    Sent before the transaction's BEGIN when none is open yet (one round trip instead of
    two): under READ COMMITTED every statement reads its own snapshot anyway, and what a
    command writes is guarded by the version check and the (case_id, seq) key, not by
    locks taken here.
    """
    result = wire.execute(driver, _READ_PG, {"case_id": case_id})
    version, text = result.get_value(0, 0), result.get_value(0, 1)
    assert version is not None, "reference_version has its one row (migration 0117)"
    return int(version), orjson.loads(text) if text is not None else None


# Every column but the links is read by the server from the event's own canonical body, so
# the columns cannot differ from the bytes the hash covers; only body, prev_hash and hash
# travel (as arrays: one statement text for any number of events).
_FROM_BODY = {
    "case_id": "d->>'case_id'",
    "seq": "(d->>'seq')::int",
    "event_type": "d->>'event_type'",
    "actor_id": "d->'actor'->>'user_id'",
    "actor_role": "d->'actor'->>'role'",
    "actor_institution": "d->'actor'->>'institution'",
    "occurred_at": "(d->>'occurred_at')::timestamptz",
    "recorded_at": "(d->>'recorded_at')::timestamptz",
    "payload": "d->'payload'",
    "rule_set": "d->>'rule_set'",
    "prev_hash": "e.prev_hash",
    "hash": "e.hash",
    "actor_operator": "d->'actor'->>'operator'",
    "clock": "d->>'clock'",
    "body": "e.body",
}
_INSERT_EVENTS = (
    f"INSERT INTO case_events ({', '.join(_FROM_BODY)}) "
    f"SELECT {', '.join(_FROM_BODY.values())} "
    "FROM unnest(%(events_body)s::bytea[], %(events_prev_hash)s::text[], "
    "%(events_hash)s::text[]) AS e(body, prev_hash, hash), "
    # OFFSET 0 keeps the planner from pulling the subquery up, which would put the whole
    # `convert_from(...)::jsonb` in place of `d` in each of the twelve columns: every body
    # parsed twelve times instead of once (~4-8x the server CPU of the INSERT's SELECT)
    "LATERAL (SELECT convert_from(e.body, 'UTF8')::jsonb AS d OFFSET 0) AS parsed"
)


@dataclass(frozen=True)
class ReadHead:
    """Where a command read its case: the version and head hash it steps from, and, when the
    snapshot came from the process cache (`db.case_cache`), the reference data version the
    command used; the write checks each of them."""

    case_id: str
    version: int
    head_hash: str
    reference_version: int | None = None


def _placeholder(name: str) -> str:
    cast = _JSON_COLUMNS.get(name)
    return f"%({name})s::{cast}" if cast else f"%({name})s"


@lru_cache(maxsize=16)
def _write_statement(with_events: bool, columns: tuple[str, ...], guard: str) -> str:
    """One statement text for any number of events (arrays through `unnest`), so the driver
    parses and prepares it once. It fails unless the UPDATE matched the expected version
    (and whatever else `guard` asks)."""
    assignments = ", ".join(f"{name} = {_placeholder(name)}" for name in columns)
    update = (
        f"updated AS (UPDATE cases SET {assignments}"
        f" WHERE id = %(b_id)s AND version = %(expected_version)s{guard} RETURNING 1)"
    )
    appended = f"appended AS ({_INSERT_EVENTS}), " if with_events else ""
    return f"WITH {appended}{update} SELECT netra_expect_one_row((SELECT count(*) FROM updated))"


def stale_version(case_id: str, expected_version: int) -> ConcurrencyConflict:
    return ConcurrencyConflict(
        f"Perkara {case_id} telah diubah pihak lain (versi {expected_version} "
        "sudah usang); muat ulang dan ulangi"
    )


def seq_taken(case_id: str, seq: int) -> ConcurrencyConflict:
    return ConcurrencyConflict(
        f"Perkara {case_id} telah diubah pihak lain (seq {seq} terpakai); muat ulang dan ulangi"
    )


# What the write checks besides the version: the head hash the command stepped from, and,
# for a command that started from a cached snapshot, the reference data version it used.
_HEAD_GUARD = " AND head_hash = %(expected_head)s"
_REFERENCE_GUARD = f" AND {_REFERENCE_VERSION} = %(reference_version)s::int"


def write_pg(
    case_id: str,
    events: Sequence[RecordedEvent],
    projection: dict[str, Any],
    expected_version: int,
    read: ReadHead | None = None,
) -> tuple[str, dict[str, Any]]:
    """The statement (and its parameters) that inserts `events` and updates the projection
    from `expected_version` (and from `read`'s head hash and reference version, when
    given); the caller sends it with the COMMIT."""
    columns = tuple(projection)
    params: dict[str, Any] = {
        "events_body": [
            e.canonical if e.canonical is not None else canonical_json(e.body()) for e in events
        ],
        "events_prev_hash": [e.prev_hash for e in events],
        "events_hash": [e.hash for e in events],
    }
    for name in columns:
        value = projection[name]
        params[name] = orjson.dumps(value).decode() if name in _JSON_COLUMNS else value
    params["b_id"], params["expected_version"] = case_id, expected_version
    guard = ""
    if read is not None:
        guard = _HEAD_GUARD
        params["expected_head"] = read.head_hash
        if read.reference_version is not None:
            guard += _REFERENCE_GUARD
            params["reference_version"] = read.reference_version
    return _write_statement(bool(events), columns, guard), params


def missing_case(case_id: str) -> NotFound:
    return NotFound(f"Perkara '{case_id}' tidak ditemukan")
