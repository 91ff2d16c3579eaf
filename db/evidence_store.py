"""The evidence index: one row per file attached to a case, written with its chain event."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from db.schema import CaseEventRow, EvidenceRow, table_of
from rules.errors import NotFound
from states.events import EVIDENCE_ADDED

_EVIDENCE = table_of(EvidenceRow)


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class EvidenceIndex:
    """Reads and writes `evidence` inside the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def next_number(self, case_id: str) -> int:
        query = select(func.coalesce(func.max(EvidenceRow.number), 0)).where(
            EvidenceRow.case_id == case_id
        )
        return int(self.session.execute(query).scalar_one()) + 1

    def add(self, values: dict[str, Any]) -> None:
        self.session.execute(insert(_EVIDENCE).values(**values))

    def get(self, case_id: str, number: int) -> EvidenceRow:
        row = self.session.get(EvidenceRow, (case_id, number), populate_existing=True)
        if row is None:
            raise NotFound(f"Bukti B{number} tidak ada pada perkara {case_id}")
        row.added_at = _utc(row.added_at) or row.added_at
        row.withdrawn_at = _utc(row.withdrawn_at)
        return row

    def for_case(self, case_id: str) -> list[EvidenceRow]:
        query = select(EvidenceRow).where(EvidenceRow.case_id == case_id)
        rows = list(self.session.scalars(query.order_by(EvidenceRow.number)))
        for row in rows:
            row.added_at = _utc(row.added_at) or row.added_at
            row.withdrawn_at = _utc(row.withdrawn_at)
        return rows

    def active_with_hash(self, case_id: str, sha256: str) -> EvidenceRow | None:
        query = select(EvidenceRow).where(
            EvidenceRow.case_id == case_id,
            EvidenceRow.sha256 == sha256,
            EvidenceRow.withdrawn_seq.is_(None),
        )
        return self.session.scalars(query).first()

    def mark_withdrawn(
        self, case_id: str, number: int, at: datetime, seq: int, reason: str
    ) -> None:
        self.session.execute(
            update(_EVIDENCE)
            .where(_EVIDENCE.c.case_id == case_id, _EVIDENCE.c.number == number)
            .values(withdrawn_at=at.astimezone(UTC), withdrawn_seq=seq, withdrawn_reason=reason)
        )

    def recorded_additions(
        self, case_ids: Sequence[str] | None = None
    ) -> Iterator[tuple[str, int, dict[str, Any]]]:
        """(case_id, seq, payload) of every `evidence_added` event: what the chain says."""
        query = select(CaseEventRow.case_id, CaseEventRow.seq, CaseEventRow.payload).where(
            CaseEventRow.event_type == EVIDENCE_ADDED
        )
        if case_ids is not None:
            query = query.where(CaseEventRow.case_id.in_(case_ids))
        query = query.order_by(CaseEventRow.case_id, CaseEventRow.seq)
        for case_id, seq, payload in self.session.execute(query):
            yield str(case_id), int(seq), dict(payload)
