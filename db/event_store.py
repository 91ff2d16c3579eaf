"""The event store: the one place that writes `case_events`, chained and numbered per case."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import Row, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.clock_policy import fixed_clock_allowed
from db.reference_cache import SharedReference
from db.schema import CaseEventRow, table_of
from rules.errors import ConcurrencyConflict, InvalidInput
from rules.models import Role
from states.canonical import GENESIS_HASH, canonical_json
from states.events import FIXED_CLOCK, Actor, PendingEvent, RecordedEvent, chain_events

# How far a command's instant may be from the server clock before it counts as a fixed clock.
CLOCK_TOLERANCE = timedelta(seconds=60)

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
    CaseEventRow.actor_operator,
    CaseEventRow.clock,
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
        operator,
        clock,
    ) = tuple(row)
    return RecordedEvent(
        case_id=str(case_id),
        seq=int(seq),  # type: ignore[call-overload]
        event_type=str(event_type),
        actor=Actor(
            str(actor_id), Role(str(role)), str(institution), str(operator) if operator else None
        ),
        occurred_at=_utc(occurred),  # type: ignore[arg-type]
        recorded_at=_utc(recorded),  # type: ignore[arg-type]
        payload=payload,  # type: ignore[arg-type]
        rule_set=str(rule_set),
        prev_hash=str(prev_hash),
        hash=str(hash_),
        clock=str(clock) if clock else None,
    )


def clock_marker(recorded_at: datetime) -> str | None:
    """FIXED_CLOCK when `recorded_at` is not the server's own clock (tests, demo, what-if)."""
    if abs(recorded_at - datetime.now(UTC)) > CLOCK_TOLERANCE:
        return FIXED_CLOCK
    return None


_EVENTS = table_of(CaseEventRow)
_INSERT_EVENTS = insert(_EVENTS)


def chain(
    case_id: str,
    expected_version: int,
    head_hash: str,
    pending: Sequence[PendingEvent],
    recorded_at: datetime,
    rule_set: str,
) -> list[RecordedEvent]:
    """Number and hash-chain `pending` after (expected_version, head_hash); no I/O.

    An instant away from the server clock is marked as a fixed clock on every event, and
    `EventStore.insert` refuses such events where the database does not allow fixed clocks.
    """
    prev = head_hash if expected_version else GENESIS_HASH
    clock = clock_marker(recorded_at)
    return chain_events(case_id, expected_version + 1, prev, pending, recorded_at, rule_set, clock)


def _row(event: RecordedEvent) -> dict[str, object]:
    return {
        "case_id": event.case_id,
        "seq": event.seq,
        "event_type": event.event_type,
        "actor_id": event.actor.user_id,
        "actor_role": event.actor.role.value,
        "actor_institution": event.actor.institution,
        "occurred_at": event.occurred_at,
        "recorded_at": event.recorded_at,
        "payload": event.payload,
        "rule_set": event.rule_set,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
        "actor_operator": event.actor.operator,
        "clock": event.clock,
        "body": event.canonical if event.canonical is not None else canonical_json(event.body()),
    }


class EventStore:
    """Appends and reads hash-chained events within the caller's transaction.

    In a command transaction (`UnitOfWork.read_for_command`) `deferred` collects the events
    `insert` accepts, and `UnitOfWork.save_command` writes them with the projection.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.shared: SharedReference | None = None
        self.deferred: list[RecordedEvent] | None = None

    def insert(self, events: Sequence[RecordedEvent]) -> None:
        """Insert already chained events in one statement; a taken seq is a conflict."""
        if not events:
            return
        if any(event.clock for event in events) and not fixed_clock_allowed(
            self.session, self.shared
        ):
            raise InvalidInput(
                "Waktu yang ditetapkan pengguna (--now) tidak diizinkan pada basis data ini: "
                "setiap peristiwa dicatat dengan jam server"
            )
        if self.deferred is not None:
            self.deferred.extend(events)
            return
        try:
            self.session.connection().execute(_INSERT_EVENTS, [_row(event) for event in events])
        except IntegrityError as exc:
            first = events[0]
            raise ConcurrencyConflict(
                f"Perkara {first.case_id} telah diubah pihak lain (seq {first.seq} terpakai);"
                " muat ulang dan ulangi"
            ) from exc

    def append(
        self,
        case_id: str,
        expected_version: int,
        head_hash: str,
        pending: Sequence[PendingEvent],
        recorded_at: datetime,
        rule_set: str,
    ) -> list[RecordedEvent]:
        """Chain `pending` after (expected_version, head_hash) and insert it."""
        recorded = chain(case_id, expected_version, head_hash, pending, recorded_at, rule_set)
        self.insert(recorded)
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
        chained = [
            chain(case_id, version, head, pending, recorded_at, rule_set)
            for case_id, version, head, pending, rule_set in streams
        ]
        self.insert([event for events in chained for event in events])
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
