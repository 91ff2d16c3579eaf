"""The statements of one command on the hot path: one read, and on PostgreSQL one write.

Read: the case snapshot and the reference data version in one statement (both dialects).
Write (PostgreSQL): the step's hash-chained events and the projection UPDATE with its
version check in one statement (`WITH ... INSERT ... UPDATE`), plain SQL sent to the
driver (no compile step; psycopg prepares it after a few uses); SQLite writes them as two statements of the caller's
transaction. Either way nothing is committed here, and a taken seq or a stale version is a
ConcurrencyConflict; the caller's transaction is then rolled back.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import JSON, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.schema import CaseRow, ReferenceVersionRow, table_of
from rules.errors import ConcurrencyConflict, NotFound
from states.canonical import canonical_json
from states.events import RecordedEvent

_CASES = table_of(CaseRow)
_VERSION = table_of(ReferenceVersionRow)

_READ = select(
    select(_VERSION.c.version).where(_VERSION.c.id == 1).scalar_subquery(),
    select(_CASES.c.snapshot).where(_CASES.c.id == bindparam("case_id")).scalar_subquery(),
)
_READ_PG = (
    "SELECT (SELECT version FROM reference_version WHERE id = 1) AS reference_version,"
    " (SELECT snapshot::text FROM cases WHERE id = %(case_id)s) AS snapshot"
)

_EVENT_COLUMNS = (
    "case_id",
    "seq",
    "event_type",
    "actor_id",
    "actor_role",
    "actor_institution",
    "occurred_at",
    "recorded_at",
    "payload",
    "rule_set",
    "prev_hash",
    "hash",
    "actor_operator",
    "clock",
    "body",
)
_JSON_COLUMNS = frozenset(c.name for c in _CASES.columns if isinstance(c.type, JSON))


def read(session: Session, case_id: str) -> tuple[int, dict[str, Any] | None]:
    """(reference version, the case's snapshot or None) in one statement."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # plain SQL (no compile step); the snapshot as text for orjson
        version, text = connection.exec_driver_sql(_READ_PG, {"case_id": case_id}).one()
        return int(version), orjson.loads(text) if text is not None else None
    version, snapshot = session.connection().execute(_READ, {"case_id": case_id}).one()
    return int(version), snapshot


_EVENT_TYPES = {
    "seq": "int",
    "occurred_at": "timestamptz",
    "recorded_at": "timestamptz",
    "payload": "jsonb",
    "body": "bytea",
}


def _placeholder(name: str, json: bool) -> str:
    return f"%({name})s::jsonb" if json else f"%({name})s"


@lru_cache(maxsize=8)
def _write_statement(with_events: bool, columns: tuple[str, ...]) -> str:
    """One statement text for any number of events (arrays through `unnest`), so the driver
    parses and prepares it once."""
    assignments = ", ".join(
        f"{name} = {_placeholder(name, name in _JSON_COLUMNS)}" for name in columns
    )
    update = (
        f"UPDATE cases SET {assignments} WHERE id = %(b_id)s AND version = %(expected_version)s"
    )
    if not with_events:
        return update
    arrays = ", ".join(f"%(events_{c})s::{_EVENT_TYPES.get(c, 'text')}[]" for c in _EVENT_COLUMNS)
    insert = f"INSERT INTO case_events ({', '.join(_EVENT_COLUMNS)}) SELECT * FROM unnest({arrays})"
    return f"WITH appended AS ({insert}) {update}"


def _event_values(event: RecordedEvent) -> tuple[Any, ...]:
    body = event.canonical if event.canonical is not None else canonical_json(event.body())
    actor = event.actor
    return (
        event.case_id,
        event.seq,
        event.event_type,
        actor.user_id,
        actor.role.value,
        actor.institution,
        event.occurred_at,
        event.recorded_at,
        orjson.dumps(event.payload).decode(),
        event.rule_set,
        event.prev_hash,
        event.hash,
        actor.operator,
        event.clock,
        body,
    )


def write_pg(
    session: Session,
    case_id: str,
    events: Sequence[RecordedEvent],
    projection: dict[str, Any],
    expected_version: int,
) -> None:
    """Insert `events` and update the projection from `expected_version`: one statement."""
    columns = tuple(projection)
    rows = [_event_values(event) for event in events]
    params: dict[str, Any] = {
        f"events_{name}": [row[index] for row in rows] for index, name in enumerate(_EVENT_COLUMNS)
    }
    for name in columns:
        value = projection[name]
        params[name] = orjson.dumps(value).decode() if name in _JSON_COLUMNS else value
    params["b_id"], params["expected_version"] = case_id, expected_version
    statement = _write_statement(bool(events), columns)
    try:
        updated = session.connection().exec_driver_sql(statement, params).rowcount
    except IntegrityError as exc:
        raise ConcurrencyConflict(
            f"Perkara {case_id} telah diubah pihak lain (seq {events[0].seq} terpakai);"
            " muat ulang dan ulangi"
        ) from exc
    if updated != 1:
        raise ConcurrencyConflict(
            f"Perkara {case_id} telah diubah pihak lain (versi {expected_version} "
            "sudah usang); muat ulang dan ulangi"
        )


def missing_case(case_id: str) -> NotFound:
    return NotFound(f"Perkara '{case_id}' tidak ditemukan")
