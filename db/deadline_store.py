"""SQL for the deadline sweep and digests: batch snapshot loads, the outbox, due/late lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from db.case_repository import projection_columns, utc
from db.schema import CaseRow, OutboxRow
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
        self.session.execute(
            insert(OutboxRow),
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
