"""The statements of one command on the hot path: one read, and on PostgreSQL one write.

Read: the case snapshot and the reference data version in one statement (both dialects).
Write (PostgreSQL): the step's hash-chained events and the projection UPDATE with its
version check in one statement (`WITH ... INSERT ... UPDATE`; the event columns are read
by the server from each event's stored canonical body), plain SQL sent to the
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
    "LATERAL (SELECT convert_from(e.body, 'UTF8')::jsonb AS d) AS parsed"
)


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
    return f"WITH appended AS ({_INSERT_EVENTS}) {update}"


def write_pg(
    session: Session,
    case_id: str,
    events: Sequence[RecordedEvent],
    projection: dict[str, Any],
    expected_version: int,
) -> None:
    """Insert `events` and update the projection from `expected_version`: one statement."""
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
