"""SQL for the deadline sweep and digests: batch snapshot loads, the outbox, due/late lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, bindparam, exists, insert, select, update
from sqlalchemy.orm import Session

from db.case_repository import projection_columns, utc
from db.schema import CaseRow, NoticeDeliveryRow, OutboxRow, table_of
from rules.errors import ConcurrencyConflict
from states.case import Case, Deadline


@dataclass(frozen=True)
class Notification:
    """One outbox row: a message to an institution's officers, tied to the event that caused it."""

    case_id: str
    case_seq: int
    kind: str
    recipient_role: str
    recipient_institution: str | None
    message: str
    created_at: datetime
    sent_at: datetime | None = None


def _owned_case(snapshot: dict[str, Any]) -> Case:
    """A Case from a snapshot just decoded for this caller alone (no defensive deep copy)."""
    data = dict(snapshot)
    deadline = data.pop("deadline", None)
    case = Case(**data)
    case.deadline = Deadline(**deadline) if deadline else None
    return case


class DeadlineStore:
    """Reads and writes for the sweep, within the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def cases(self, case_ids: Sequence[str], lock: bool = False) -> list[Case]:
        """The snapshots of `case_ids` in one query (missing ids are skipped).

        With `lock`, PostgreSQL rows are locked FOR UPDATE SKIP LOCKED, so two sweeps running
        at once on different machines take different cases instead of colliding.
        """
        if not case_ids:
            return []
        query = select(CaseRow.snapshot).where(CaseRow.id.in_(list(case_ids)))
        if lock and self.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        found = {s["case_id"]: s for (s,) in self.session.execute(query)}
        return [_owned_case(found[cid]) for cid in case_ids if cid in found]

    def claim_due(self, now: datetime, limit: int, exclude: Sequence[str] = ()) -> list[Case]:
        """Claim up to `limit` due cases (reminder or due instant come) for this transaction.

        On PostgreSQL the rows are locked FOR UPDATE SKIP LOCKED: concurrent sweeps claim
        disjoint batches and none waits for another. On SQLite the transaction already holds
        the database's write lock (BEGIN IMMEDIATE), so one sweep runs at a time.
        """
        query = (
            select(CaseRow.snapshot)
            .where(CaseRow.alarm_at.is_not(None), CaseRow.alarm_at <= utc(now))
            .order_by(CaseRow.alarm_at, CaseRow.id)
            .limit(limit)
        )
        if exclude:
            query = query.where(CaseRow.id.not_in(list(exclude)))
        if self.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return [_owned_case(snapshot) for (snapshot,) in self.session.execute(query)]

    def notify(self, notification: Notification) -> None:
        self.session.execute(
            insert(OutboxRow).values(
                case_id=notification.case_id,
                case_seq=notification.case_seq,
                kind=notification.kind,
                recipient_role=notification.recipient_role,
                recipient_institution=notification.recipient_institution,
                message=notification.message,
                created_at=utc(notification.created_at),
                sent_at=None,
            )
        )

    def notify_many(self, notifications: Sequence[Notification]) -> None:
        if not notifications:
            return
        self.session.connection().execute(
            insert(table_of(OutboxRow)),
            [
                {
                    "case_id": n.case_id,
                    "case_seq": n.case_seq,
                    "kind": n.kind,
                    "recipient_role": n.recipient_role,
                    "recipient_institution": n.recipient_institution,
                    "message": n.message,
                    "created_at": utc(n.created_at),
                    "sent_at": None,
                }
                for n in notifications
            ],
        )

    def save_many(self, cases: Sequence[tuple[Case, int]]) -> None:
        """Write several projections, each only if still at its expected version."""
        if not cases:
            return
        rows = []
        for case, expected in cases:
            columns = projection_columns(case)
            rows.append({"b_id": case.case_id, "b_expected": expected, **columns})
        names = list(rows[0])[2:]
        statement = (
            update(CaseRow)
            .where(CaseRow.id == bindparam("b_id"), CaseRow.version == bindparam("b_expected"))
            .values({name: bindparam(name) for name in names})
        )
        result = self.session.connection().execute(statement, rows)
        if result.rowcount != len(rows):
            raise ConcurrencyConflict(
                "Sebagian perkara dalam batch telah diubah pihak lain; muat ulang dan ulangi"
            )

    def has_notification(self, case_id: str, case_seq: int, kind: str) -> bool:
        found = self.session.execute(
            select(OutboxRow.id).where(
                OutboxRow.case_id == case_id,
                OutboxRow.case_seq == case_seq,
                OutboxRow.kind == kind,
            )
        ).first()
        return found is not None

    def notifications(self, case_id: str | None = None) -> list[Notification]:
        query = select(OutboxRow).order_by(OutboxRow.id)
        if case_id is not None:
            query = query.where(OutboxRow.case_id == case_id)
        return [
            Notification(
                r.case_id,
                r.case_seq,
                r.kind,
                r.recipient_role,
                r.recipient_institution,
                r.message,
                r.created_at,
                r.sent_at,
            )
            for r in self.session.execute(query).scalars()
        ]

    def open_deadlines(
        self, owner_role: str, institution: str | None, until: datetime
    ) -> list[Case]:
        """Open cases whose running deadline is `owner_role`'s and falls due by `until`.

        `institution` narrows to the Bawaslu office or PPK handling the case (BKN: None).
        """
        query = select(CaseRow.snapshot).where(
            CaseRow.is_open,
            CaseRow.deadline_owner == owner_role,
            CaseRow.deadline_at.is_not(None),
            CaseRow.deadline_at <= utc(until),
        )
        if owner_role == "bawaslu" and institution is not None:
            query = query.where(CaseRow.bawaslu_office == institution)
        elif owner_role == "ppk" and institution is not None:
            query = query.where(CaseRow.ppk_institution == institution)
        query = query.order_by(CaseRow.deadline_at, CaseRow.id)
        return [Case.from_dict(s) for (s,) in self.session.execute(query)]


# --- notice delivery ----------------------------------------------------------------------------

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
FINAL = (SENT, FAILED)


@dataclass(frozen=True)
class OutboxEntry:
    """An outbox row with its id, as delivery reads it."""

    id: int
    notification: Notification


@dataclass(frozen=True)
class Delivery:
    """One notice to one address over one channel, and how its delivery went."""

    id: int
    outbox_id: int
    channel: str
    address: str
    officer_id: str | None
    recipient_role: str
    recipient_institution: str | None
    message_id: str
    status: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime
    created_at: datetime
    sent_at: datetime | None


_DELIVERY_FIELDS = tuple(Delivery.__dataclass_fields__)


def _aware(value: Any) -> Any:
    """SQLite gives naive datetimes back: they are UTC."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _delivery(row: NoticeDeliveryRow, **changes: Any) -> Delivery:
    values = {f: _aware(getattr(row, f)) for f in _DELIVERY_FIELDS}
    return Delivery(**{**values, **changes})


def _notification(row: OutboxRow) -> Notification:
    return Notification(
        row.case_id,
        row.case_seq,
        row.kind,
        row.recipient_role,
        row.recipient_institution,
        row.message,
        row.created_at,
        row.sent_at,
    )


class NoticeDeliveryStore:
    """Planning, claiming and recording notice deliveries, within the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _postgres(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    def unplanned(self, limit: int) -> list[OutboxEntry]:
        """Unsent outbox rows with no delivery planned yet (claimed SKIP LOCKED on PostgreSQL)."""
        planned = exists().where(NoticeDeliveryRow.outbox_id == OutboxRow.id)
        query = (
            select(OutboxRow)
            .where(OutboxRow.sent_at.is_(None), ~planned)
            .order_by(OutboxRow.id)
            .limit(limit)
        )
        if self._postgres():
            query = query.with_for_update(skip_locked=True, of=OutboxRow)
        return [OutboxEntry(r.id, _notification(r)) for r in self.session.scalars(query)]

    def outbox_entries(self, ids: Sequence[int]) -> dict[int, Notification]:
        rows = self.session.scalars(select(OutboxRow).where(OutboxRow.id.in_(list(ids))))
        return {r.id: _notification(r) for r in rows}

    def plan(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert planned deliveries (keys: the columns of notice_deliveries but id)."""
        if rows:
            self.session.execute(
                insert(NoticeDeliveryRow),
                [
                    {k: utc(v) if isinstance(v, datetime) else v for k, v in row.items()}
                    for row in rows
                ],
            )

    def claim(self, now: datetime, limit: int, lease_until: datetime) -> list[Delivery]:
        """Claim deliveries due now: pending ones whose retry time has come, and ones left
        `sending` by a runner that stopped before recording (their lease has run out).

        Each claimed delivery counts one more attempt and is leased until `lease_until`.
        """
        query = (
            select(NoticeDeliveryRow)
            .where(
                NoticeDeliveryRow.status.in_((PENDING, SENDING)),
                NoticeDeliveryRow.next_attempt_at <= utc(now),
            )
            .order_by(NoticeDeliveryRow.id)
            .limit(limit)
        )
        if self._postgres():
            query = query.with_for_update(skip_locked=True)
        rows = list(self.session.scalars(query))
        if not rows:
            return []
        self.session.execute(
            update(NoticeDeliveryRow)
            .where(NoticeDeliveryRow.id.in_([r.id for r in rows]))
            .values(
                status=SENDING,
                attempts=NoticeDeliveryRow.attempts + 1,
                next_attempt_at=utc(lease_until),
            )
            .execution_options(synchronize_session=False)
        )
        return [
            _delivery(r, status=SENDING, attempts=r.attempts + 1, next_attempt_at=lease_until)
            for r in rows
        ]

    def record_sent(self, delivery_id: int, now: datetime) -> None:
        self.session.execute(
            update(NoticeDeliveryRow)
            .where(NoticeDeliveryRow.id == delivery_id)
            .values(status=SENT, sent_at=utc(now), last_error=None)
        )

    def record_failure(self, delivery_id: int, error: str, retry_at: datetime | None) -> None:
        """A failed attempt: retried at `retry_at`, or failed for good when it is None."""
        values: dict[str, Any] = {"last_error": error[:2000]}
        if retry_at is None:
            values["status"] = FAILED
        else:
            values.update(status=PENDING, next_attempt_at=utc(retry_at))
        self.session.execute(
            update(NoticeDeliveryRow).where(NoticeDeliveryRow.id == delivery_id).values(values)
        )

    def close_outbox(self, outbox_ids: Sequence[int], now: datetime) -> None:
        """Set `sent_at` on outbox rows whose every delivery is final (sent or failed)."""
        if not outbox_ids:
            return
        open_delivery = exists().where(
            and_(
                NoticeDeliveryRow.outbox_id == OutboxRow.id,
                NoticeDeliveryRow.status.not_in(FINAL),
            )
        )
        self.session.execute(
            update(OutboxRow)
            .where(OutboxRow.id.in_(list(outbox_ids)), OutboxRow.sent_at.is_(None), ~open_delivery)
            .values(sent_at=utc(now))
            .execution_options(synchronize_session=False)
        )

    def deliveries(
        self,
        status: str | None = None,
        institution: str | None = None,
        outbox_id: int | None = None,
    ) -> list[Delivery]:
        query = select(NoticeDeliveryRow).order_by(NoticeDeliveryRow.id)
        if status is not None:
            query = query.where(NoticeDeliveryRow.status == status)
        if institution is not None:
            query = query.where(NoticeDeliveryRow.recipient_institution == institution)
        if outbox_id is not None:
            query = query.where(NoticeDeliveryRow.outbox_id == outbox_id)
        return [_delivery(r) for r in self.session.scalars(query)]
