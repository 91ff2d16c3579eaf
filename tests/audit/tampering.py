"""Attacker tools for tests: switch off the append-only triggers (as a database superuser
could) and change stored rows behind Netra's back (a forger who recomputes hashes rewrites
the stored canonical body too)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, select, text, update

from db.event_store import row_to_event
from db.schema import CaseEventRow, CaseRow
from states.canonical import canonical_json, hash_bytes
from states.events import RecordedEvent

TABLES = ("case_events", "checkpoints", "checkpoint_heads", "letters")


@contextmanager
def superuser(engine: Engine) -> Iterator[Connection]:
    """A connection on which UPDATE/DELETE of the append-only tables is allowed."""
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            for table in TABLES:
                for operation in ("update", "delete"):
                    connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{operation}"))
        else:
            for table in TABLES:
                connection.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        yield connection


def events_of(connection: Connection, case_id: str) -> list[RecordedEvent]:
    columns = [
        getattr(CaseEventRow, name)
        for name in (
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
        )
    ]
    rows = connection.execute(
        select(*columns).where(CaseEventRow.case_id == case_id).order_by(CaseEventRow.seq)
    )
    return [row_to_event(row) for row in rows]


def set_event(connection: Connection, case_id: str, seq: int, **values: Any) -> None:
    connection.execute(
        update(CaseEventRow)
        .where(CaseEventRow.case_id == case_id, CaseEventRow.seq == seq)
        .values(**values)
    )


def rewrite_history(
    connection: Connection, case_id: str, seq: int, payload_changes: dict[str, Any]
) -> None:
    """Change the event at `seq` and recompute every hash from there on, and the projection's
    head: the chain is internally consistent again; only a checkpoint can tell."""
    events = events_of(connection, case_id)
    prev = events[seq - 2].hash if seq > 1 else "0" * 64
    for event in events[seq - 1 :]:
        payload = dict(event.payload)
        if event.seq == seq:
            payload.update(payload_changes)
        forged = RecordedEvent(
            event.case_id,
            event.seq,
            event.event_type,
            event.actor,
            event.occurred_at,
            event.recorded_at,
            payload,
            event.rule_set,
            prev,
            "",
            event.clock,
        )
        body = canonical_json(forged.body())
        new_hash = hash_bytes(prev, body)
        set_event(
            connection,
            case_id,
            event.seq,
            payload=payload,
            prev_hash=prev,
            hash=new_hash,
            body=body,
        )
        prev = new_hash
    connection.execute(update(CaseRow).where(CaseRow.id == case_id).values(head_hash=prev))


def rewrite_event(connection: Connection, case_id: str, seq: int, **fields: Any) -> None:
    """Change columns of the event at `seq` (e.g. `recorded_at`) and recompute every hash from
    there on and the projection's head: only the time checks or an anchor can tell."""
    events = events_of(connection, case_id)
    prev = events[seq - 2].hash if seq > 1 else "0" * 64
    for event in events[seq - 1 :]:
        values = {
            "occurred_at": event.occurred_at,
            "recorded_at": event.recorded_at,
            "payload": dict(event.payload),
        }
        if event.seq == seq:
            values.update(fields)
        forged = RecordedEvent(
            event.case_id,
            event.seq,
            event.event_type,
            event.actor,
            values["occurred_at"],
            values["recorded_at"],
            values["payload"],
            event.rule_set,
            prev,
            "",
            event.clock,
        )
        body = canonical_json(forged.body())
        new_hash = hash_bytes(prev, body)
        set_event(
            connection, case_id, event.seq, **values, prev_hash=prev, hash=new_hash, body=body
        )
        prev = new_hash
    connection.execute(update(CaseRow).where(CaseRow.id == case_id).values(head_hash=prev))


def reseal(connection: Connection) -> None:
    """Drop every checkpoint (a superuser's rewrite), so new ones can seal a forged history."""
    connection.execute(text("DELETE FROM checkpoint_heads"))
    connection.execute(text("DELETE FROM checkpoints"))
