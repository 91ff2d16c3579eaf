"""Reads and writes for auditors: checkpoints and their heads (append-only), raw event rows
streamed for verification, the letters register as stored, and the log of bundle exports."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, case, func, insert, select, text
from sqlalchemy.orm import Session

from db.event_copy import (
    EVENT_COLUMNS,
    EventLink,
    EventRow,
    case_heads,
    copied_rows,
    event_links,
    link_encoding,
    link_messages,
)
from db.schema import (
    AuditExportRow,
    CaseEventRow,
    CaseRow,
    CheckpointHeadRow,
    CheckpointRow,
    LetterRow,
)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@dataclass(frozen=True)
class CheckpointRecord:
    id: int
    created_at: datetime
    case_count: int
    event_count: int
    root_hash: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ExportRecord:
    """One audit-bundle export, as logged."""

    id: int
    exported_at: datetime
    officer_id: str
    officer_role: str
    officer_institution: str
    edition: str
    case_ids: list[str]
    manifest_sha256: str
    size_bytes: int


@dataclass(frozen=True)
class StoredLetter:
    id: str
    case_id: str
    case_seq: int
    kind: str
    number: str
    template_name: str
    template_hash: str
    context_hash: str
    content_hash: str
    html: str
    issued_at: datetime


class AuditStore:
    """Checkpoint tables and read-only streams over events and letters."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def read_one_snapshot(self) -> None:
        """Make the rest of this transaction read one snapshot of the database, so events,
        projection heads, checkpoints and letters are compared as of one instant even while
        commands commit between the reads (PostgreSQL: REPEATABLE READ, READ ONLY; it must
        be the transaction's first statement). On SQLite every transaction of Netra's engine
        starts with BEGIN IMMEDIATE (`db/engine.py`), which holds the database's write lock
        to its end: no command can commit between the reads, so they see one state too."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))

    # --- events ------------------------------------------------------------------------

    def event_rows(
        self, case_ids: Sequence[str] | None = None, batch: int = 20000, links_only: bool = False
    ) -> Iterator[EventRow]:
        """Raw event tuples ordered by (case_id, seq), streamed (constant memory).

        The payload comes as its stored JSON text (the verifier parses it, refusing floats);
        on PostgreSQL the rows are read through a binary server-side cursor of the driver
        itself, which is several times faster than ORM rows for millions of events.
        `links_only`: rows with a stored body bring only their links and body (the other
        columns are NULL), for the chain check that hashes the stored bytes.
        """
        body = CaseEventRow.body
        columns: list[Any] = list(EVENT_COLUMNS[:8])  # event_type .. rule_set
        if links_only:
            columns = [case((body.is_(None), column)) for column in columns]
        query = select(
            CaseEventRow.case_id,
            CaseEventRow.seq,
            *columns,
            CaseEventRow.prev_hash,
            CaseEventRow.hash,
            CaseEventRow.actor_operator,
            CaseEventRow.clock,
            body,
        ).order_by(CaseEventRow.case_id, CaseEventRow.seq)
        if case_ids is not None:
            query = query.where(CaseEventRow.case_id.in_(case_ids))
        connection = self.session.connection()
        if connection.dialect.name == "postgresql":
            yield from copied_rows(connection, query)
            return
        result = self.session.execute(query.execution_options(yield_per=batch))
        for partition in result.partitions():
            for row in partition:
                yield tuple(row)

    def link_messages(self, case_ids: Sequence[str] | None = None) -> Iterator[list[Any]] | None:
        """PostgreSQL: `event_links` as raw COPY messages (`db.event_copy.link_header`), for
        the fast chain check; None on a database without COPY."""
        return link_messages(self.session, case_ids)

    def event_links(self, case_ids: Sequence[str] | None = None) -> Iterator[list[EventLink]]:
        """Every event's (case_id, seq, prev_hash, hash, stored body) in no particular order,
        in batches (constant memory); an event without a stored body brings its columns."""
        return event_links(self.session, case_ids)

    @property
    def encoding(self) -> str:
        """The encoding of the case ids and hashes `event_links` gives as bytes."""
        return link_encoding(self.session)

    def chain_heads(self) -> dict[str, tuple[int, str]]:
        """Each case's last event (seq, hash), from the events themselves."""
        last = (
            select(CaseEventRow.case_id, func.max(CaseEventRow.seq).label("seq"))
            .group_by(CaseEventRow.case_id)
            .subquery()
        )
        query = select(CaseEventRow.case_id, CaseEventRow.seq, CaseEventRow.hash).join(
            last, and_(CaseEventRow.case_id == last.c.case_id, CaseEventRow.seq == last.c.seq)
        )
        return {str(c): (int(s), str(h)) for c, s, h in self.session.execute(query)}

    def case_heads(
        self, case_ids: Sequence[str] | None = None, ordered: bool = True
    ) -> Iterator[tuple[str, int, str]]:
        """(case_id, version, head_hash) of every case (or of `case_ids`) by id, streamed;
        `ordered=False`: in no particular order where that is cheaper (PostgreSQL)."""
        return case_heads(self.session, case_ids, ordered)

    def projection_heads(self) -> dict[str, tuple[int, str]]:
        query = select(CaseRow.id, CaseRow.version, CaseRow.head_hash)
        return {str(c): (int(v), str(h)) for c, v, h in self.session.execute(query)}

    def event_hash_at(self, case_id: str, seq: int) -> str | None:
        return self.session.execute(
            select(CaseEventRow.hash).where(
                CaseEventRow.case_id == case_id, CaseEventRow.seq == seq
            )
        ).scalar_one_or_none()

    # --- checkpoints ---------------------------------------------------------------------

    def checkpoints(self) -> list[CheckpointRecord]:
        rows = self.session.execute(select(CheckpointRow).order_by(CheckpointRow.id)).scalars()
        return [
            CheckpointRecord(
                r.id,
                _utc(r.created_at),
                r.case_count,
                r.event_count,
                r.root_hash,
                r.prev_hash,
                r.hash,
            )
            for r in rows
        ]

    def last_checkpoint(self) -> CheckpointRecord | None:
        row = self.session.execute(
            select(CheckpointRow).order_by(CheckpointRow.id.desc()).limit(1)
        ).scalar_one_or_none()
        if row is None:
            return None
        return CheckpointRecord(
            row.id,
            _utc(row.created_at),
            row.case_count,
            row.event_count,
            row.root_hash,
            row.prev_hash,
            row.hash,
        )

    def add_checkpoint(
        self, record: CheckpointRecord, heads: Sequence[tuple[str, int, str]]
    ) -> None:
        """Insert a checkpoint with an explicit id (a taken id is a concurrency conflict)."""
        self.session.execute(
            insert(CheckpointRow).values(
                id=record.id,
                created_at=record.created_at,
                case_count=record.case_count,
                event_count=record.event_count,
                root_hash=record.root_hash,
                prev_hash=record.prev_hash,
                hash=record.hash,
            )
        )
        self.session.flush()
        rows = [
            {"checkpoint_id": record.id, "case_id": c, "seq": s, "hash": h} for c, s, h in heads
        ]
        for start in range(0, len(rows), 10000):
            self.session.execute(insert(CheckpointHeadRow), rows[start : start + 10000])

    def checkpoint_heads(
        self, case_ids: Sequence[str] | None = None
    ) -> Iterator[tuple[int, str, int, str]]:
        """(checkpoint_id, case_id, seq, hash) in checkpoint order."""
        query = select(
            CheckpointHeadRow.checkpoint_id,
            CheckpointHeadRow.case_id,
            CheckpointHeadRow.seq,
            CheckpointHeadRow.hash,
        ).order_by(CheckpointHeadRow.checkpoint_id, CheckpointHeadRow.case_id)
        if case_ids is not None:
            query = query.where(CheckpointHeadRow.case_id.in_(case_ids))
        for cid, case_id, seq, hash_ in self.session.execute(
            query.execution_options(yield_per=20000)
        ):
            yield int(cid), str(case_id), int(seq), str(hash_)

    def heads_not_matching_events(
        self, case_ids: Sequence[str] | None = None
    ) -> list[tuple[int, str, int, str, str | None]]:
        """Checkpoint heads whose event is gone or has another hash now:
        (checkpoint_id, case_id, seq, sealed hash, current hash or None)."""
        query = (
            select(
                CheckpointHeadRow.checkpoint_id,
                CheckpointHeadRow.case_id,
                CheckpointHeadRow.seq,
                CheckpointHeadRow.hash,
                CaseEventRow.hash,
            )
            .outerjoin(
                CaseEventRow,
                and_(
                    CaseEventRow.case_id == CheckpointHeadRow.case_id,
                    CaseEventRow.seq == CheckpointHeadRow.seq,
                ),
            )
            .where((CaseEventRow.hash.is_(None)) | (CaseEventRow.hash != CheckpointHeadRow.hash))
            .order_by(
                CheckpointHeadRow.case_id, CheckpointHeadRow.seq, CheckpointHeadRow.checkpoint_id
            )
        )
        if case_ids is not None:
            query = query.where(CheckpointHeadRow.case_id.in_(case_ids))
        return [
            (int(a), str(b), int(c), str(d), None if e is None else str(e))
            for a, b, c, d, e in self.session.execute(query)
        ]

    # --- letters -----------------------------------------------------------------------

    def letters(self, case_ids: Sequence[str] | None = None) -> Iterator[StoredLetter]:
        query = select(
            LetterRow.id,
            LetterRow.case_id,
            LetterRow.case_seq,
            LetterRow.kind,
            LetterRow.number,
            LetterRow.template_name,
            LetterRow.template_hash,
            LetterRow.context_hash,
            LetterRow.content_hash,
            LetterRow.html,
            LetterRow.issued_at,
        ).order_by(LetterRow.case_id, LetterRow.case_seq, LetterRow.id)
        if case_ids is not None:
            query = query.where(LetterRow.case_id.in_(case_ids))
        for row in self.session.execute(query.execution_options(yield_per=500)):
            values = list(row)
            values[10] = _utc(values[10])
            yield StoredLetter(*values)

    def letter_events(
        self, case_ids: Sequence[str] | None = None
    ) -> Iterator[tuple[str, int, dict[str, Any]]]:
        """(case_id, seq, payload) of every `letter_issued` event."""
        query = (
            select(CaseEventRow.case_id, CaseEventRow.seq, CaseEventRow.payload)
            .where(CaseEventRow.event_type == "letter_issued")
            .order_by(CaseEventRow.case_id, CaseEventRow.seq)
        )
        if case_ids is not None:
            query = query.where(CaseEventRow.case_id.in_(case_ids))
        for case_id, seq, payload in self.session.execute(query):
            yield str(case_id), int(seq), dict(payload)

    def letter_contexts(self, case_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Each letter's stored rendering context, by letter id."""
        query = select(LetterRow.id, LetterRow.context).where(LetterRow.case_id.in_(case_ids))
        return {str(i): dict(c) for i, c in self.session.execute(query)}

    # --- the export log -------------------------------------------------------------------

    def log_export(self, record: ExportRecord) -> None:
        values = {k: v for k, v in record.__dict__.items() if k != "id"}
        self.session.execute(insert(AuditExportRow).values(**values))

    def exports(self) -> list[ExportRecord]:
        rows = self.session.execute(select(AuditExportRow).order_by(AuditExportRow.id)).scalars()
        return [
            ExportRecord(
                r.id,
                _utc(r.exported_at),
                r.officer_id,
                r.officer_role,
                r.officer_institution,
                r.edition,
                list(r.case_ids),
                r.manifest_sha256,
                r.size_bytes,
            )
            for r in rows
        ]
