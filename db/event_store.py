"""The event store: the one place that writes `case_events`, chained and numbered per case."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from sqlalchemy import Row, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.schema import CaseEventRow
from rules.errors import ConcurrencyConflict
from rules.models import Role
from states.canonical import GENESIS_HASH
from states.events import Actor, PendingEvent, RecordedEvent, record

_COLUMNS = (
    CaseEventRow.case_id,
    CaseEventRow.seq,
    CaseEventRow.event_type,
    CaseEventRow.actor_id,
    CaseEventRow.actor_role,
    CaseEventRow.actor_institution,
    CaseEventRow.occurred_at,
    CaseEventRow.recorded_at,
    CaseEventRow.payload,
    CaseEventRow.rule_set,
    CaseEventRow.prev_hash,
    CaseEventRow.hash,
)


def _utc(value: datetime) -> datetime:
    """SQLite returns naive datetimes; they were stored as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def row_to_event(row: Row[tuple[object, ...]] | Sequence[object]) -> RecordedEvent:
    (
        case_id,
        seq,
        event_type,
        actor_id,
        role,
        institution,
        occurred,
        recorded,
        payload,
        rule_set,
        prev_hash,
        hash_,
    ) = tuple(row)
    return RecordedEvent(
        case_id=str(case_id),
        seq=int(seq),  # type: ignore[call-overload]
        event_type=str(event_type),
        actor=Actor(str(actor_id), Role(str(role)), str(institution)),
        occurred_at=_utc(occurred),  # type: ignore[arg-type]
        recorded_at=_utc(recorded),  # type: ignore[arg-type]
        payload=payload,  # type: ignore[arg-type]
        rule_set=str(rule_set),
        prev_hash=str(prev_hash),
        hash=str(hash_),
    )


class EventStore:
    """Appends and reads hash-chained events within the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def append(
        self,
        case_id: str,
        expected_version: int,
        head_hash: str,
        pending: Sequence[PendingEvent],
        recorded_at: datetime,
        rule_set: str,
    ) -> list[RecordedEvent]:
        """Chain `pending` after (expected_version, head_hash); a taken seq is a conflict."""
        prev = head_hash if expected_version else GENESIS_HASH
        recorded: list[RecordedEvent] = []
        for offset, event in enumerate(pending, start=1):
            item = record(case_id, expected_version + offset, event, recorded_at, rule_set, prev)
            recorded.append(item)
            prev = item.hash
        if not recorded:
            return recorded
        rows = [
            {
                "case_id": e.case_id,
                "seq": e.seq,
                "event_type": e.event_type,
                "actor_id": e.actor.user_id,
                "actor_role": e.actor.role.value,
                "actor_institution": e.actor.institution,
                "occurred_at": e.occurred_at,
                "recorded_at": e.recorded_at,
                "payload": e.payload,
                "rule_set": e.rule_set,
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            }
            for e in recorded
        ]
        try:
            self.session.execute(insert(CaseEventRow), rows)
        except IntegrityError as exc:
            raise ConcurrencyConflict(
                f"Perkara {case_id} telah diubah pihak lain (seq {expected_version + 1} terpakai);"
                " muat ulang dan ulangi"
            ) from exc
        return recorded

    def append_many(
        self,
        streams: Sequence[tuple[str, int, str, Sequence[PendingEvent], str]],
        recorded_at: datetime,
    ) -> list[list[RecordedEvent]]:
        """Chain and insert the events of several cases in one statement (the sweep's batches).

        Each stream is (case_id, expected_version, head_hash, pending, rule_set); a taken seq
        in any of them is a ConcurrencyConflict for the whole call.
        """
        chained: list[list[RecordedEvent]] = []
        rows: list[dict[str, object]] = []
        for case_id, expected_version, head_hash, pending, rule_set in streams:
            prev = head_hash if expected_version else GENESIS_HASH
            recorded: list[RecordedEvent] = []
            for offset, event in enumerate(pending, start=1):
                item = record(
                    case_id, expected_version + offset, event, recorded_at, rule_set, prev
                )
                recorded.append(item)
                prev = item.hash
                rows.append(
                    {
                        "case_id": item.case_id,
                        "seq": item.seq,
                        "event_type": item.event_type,
                        "actor_id": item.actor.user_id,
                        "actor_role": item.actor.role.value,
                        "actor_institution": item.actor.institution,
                        "occurred_at": item.occurred_at,
                        "recorded_at": item.recorded_at,
                        "payload": item.payload,
                        "rule_set": item.rule_set,
                        "prev_hash": item.prev_hash,
                        "hash": item.hash,
                    }
                )
            chained.append(recorded)
        if rows:
            try:
                self.session.execute(insert(CaseEventRow), rows)
            except IntegrityError as exc:
                raise ConcurrencyConflict(
                    "Perkara dalam batch telah diubah pihak lain; muat ulang dan ulangi"
                ) from exc
        return chained

    def load(self, case_id: str, until_seq: int | None = None) -> list[RecordedEvent]:
        query = select(*_COLUMNS).where(CaseEventRow.case_id == case_id)
        if until_seq is not None:
            query = query.where(CaseEventRow.seq <= until_seq)
        rows = self.session.execute(query.order_by(CaseEventRow.seq)).all()
        return [row_to_event(row) for row in rows]

    def load_until(self, case_id: str, instant: datetime) -> list[RecordedEvent]:
        """Events that had happened and were recorded by `instant` (for replay-at)."""
        query = (
            select(*_COLUMNS)
            .where(
                CaseEventRow.case_id == case_id,
                CaseEventRow.recorded_at <= instant.astimezone(UTC),
            )
            .order_by(CaseEventRow.seq)
        )
        return [row_to_event(row) for row in self.session.execute(query)]

    def stream(
        self, case_ids: Sequence[str] | None = None, batch: int = 5000
    ) -> Iterator[RecordedEvent]:
        """Every event, ordered by case then seq, fetched in batches (constant memory)."""
        query = select(*_COLUMNS).order_by(CaseEventRow.case_id, CaseEventRow.seq)
        if case_ids is not None:
            query = query.where(CaseEventRow.case_id.in_(case_ids))
        result = self.session.execute(query.execution_options(yield_per=batch))
        for row in result:
            yield row_to_event(row)
