"""The registry's history: the one writer of `registry_events`, hash-chained like a case.

Every change to officers, institutions, credentials, tokens, calendar overrides and database
settings appends one event here in the same transaction as the change itself, so the current
tables can be proved against the history (`audit verify`) and nobody is made admin unseen.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.schema import RegistryEventRow, table_of
from rules.errors import ConcurrencyConflict
from states.canonical import GENESIS_HASH, chain_hash, utc_iso

_EVENTS = table_of(RegistryEventRow)


@dataclass(frozen=True)
class RegistryEvent:
    seq: int
    event_type: str
    actor_id: str
    operator_id: str | None
    recorded_at: datetime
    payload: dict[str, Any]
    prev_hash: str
    hash: str

    def body(self) -> dict[str, Any]:
        return registry_body(
            self.seq,
            self.event_type,
            self.actor_id,
            self.operator_id,
            self.recorded_at,
            self.payload,
        )

    def expected_hash(self) -> str:
        return chain_hash(self.prev_hash, self.body())


def registry_body(
    seq: int,
    event_type: str,
    actor_id: str,
    operator_id: str | None,
    recorded_at: datetime,
    payload: dict[str, Any],
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "seq": seq,
        "event_type": event_type,
        "actor_id": actor_id,
        "recorded_at": utc_iso(recorded_at),
        "payload": payload,
    }
    if operator_id:
        body["operator_id"] = operator_id
    return body


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class RegistryHistory:
    """Appends and reads registry events within the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _head(self) -> tuple[int, str]:
        row = (
            self.session.connection()
            .execute(select(_EVENTS.c.seq, _EVENTS.c.hash).order_by(_EVENTS.c.seq.desc()).limit(1))
            .first()
        )
        return (int(row[0]), str(row[1])) if row else (0, GENESIS_HASH)

    def append(
        self,
        event_type: str,
        actor_id: str,
        payload: dict[str, Any],
        recorded_at: datetime,
        operator_id: str | None = None,
    ) -> RegistryEvent:
        seq, prev = self._head()
        seq += 1
        recorded_at = recorded_at.astimezone(UTC)
        body = registry_body(seq, event_type, actor_id, operator_id, recorded_at, payload)
        event = RegistryEvent(
            seq,
            event_type,
            actor_id,
            operator_id,
            recorded_at,
            payload,
            prev,
            chain_hash(prev, body),
        )
        try:
            self.session.connection().execute(
                insert(_EVENTS).values(
                    seq=event.seq,
                    event_type=event.event_type,
                    actor_id=event.actor_id,
                    operator_id=event.operator_id,
                    recorded_at=event.recorded_at,
                    payload=event.payload,
                    prev_hash=event.prev_hash,
                    hash=event.hash,
                )
            )
        except IntegrityError as error:
            raise ConcurrencyConflict(
                "Registri diubah bersamaan oleh pihak lain; ulangi perintah"
            ) from error
        return event

    def stream(self) -> Iterator[RegistryEvent]:
        query = select(
            _EVENTS.c.seq,
            _EVENTS.c.event_type,
            _EVENTS.c.actor_id,
            _EVENTS.c.operator_id,
            _EVENTS.c.recorded_at,
            _EVENTS.c.payload,
            _EVENTS.c.prev_hash,
            _EVENTS.c.hash,
        ).order_by(_EVENTS.c.seq)
        for row in self.session.connection().execute(query):
            seq, event_type, actor, operator, recorded, payload, prev, hash_ = row
            yield RegistryEvent(
                int(seq),
                str(event_type),
                str(actor),
                str(operator) if operator else None,
                _utc(recorded),
                dict(payload),
                str(prev),
                str(hash_),
            )
