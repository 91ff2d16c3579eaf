"""The event log and the case projection: `case_events` (append-only, hash-chained per
case), `cases` (the current state, written with the events) and `case_search` (what the
case list searches and filters in).

No `from __future__ import annotations` here (see the package docstring): the
`Mapped[...]` annotations are evaluated as the classes are built."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.schema.base import Base, Instant, JsonType

FOLLOW_UP_EVENTS = (
    "event_type IN ('recommended_to_ppk', 'sanction_imposed', 'ethics_decided', 'ppk_escalated')"
)


class CaseEventRow(Base):
    """`case_events`: append-only, hash-chained per case. Refuses UPDATE/DELETE (trigger)."""

    __tablename__ = "case_events"

    case_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_type: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[str] = mapped_column(String(64))
    actor_role: Mapped[str] = mapped_column(String(16))
    actor_institution: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(Instant)
    recorded_at: Mapped[datetime] = mapped_column(Instant)
    payload: Mapped[dict[str, Any]] = mapped_column(JsonType)
    rule_set: Mapped[str] = mapped_column(String(16))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    actor_operator: Mapped[str | None] = mapped_column(String(64))  # "operator X for Y"
    clock: Mapped[str | None] = mapped_column(String(8))  # "fixed" under a fixed clock
    # canonical_json of the event as hashed when written (NULL for events before 0117)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)

    __table_args__ = (
        Index(
            "ix_case_events_follow_up",
            "case_id",
            "event_type",
            "seq",
            "occurred_at",
            postgresql_where=text(FOLLOW_UP_EVENTS),
            sqlite_where=text(FOLLOW_UP_EVENTS),
        ),
    )


class CaseRow(Base):
    """`cases`: the current-state projection, updated with the events in one transaction."""

    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(32))
    rule_set: Mapped[str] = mapped_column(String(16))
    head_hash: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    election_type: Mapped[str] = mapped_column(String(16))
    region_code: Mapped[str] = mapped_column(String(8))
    bawaslu_office: Mapped[str] = mapped_column(String(64))
    ppk_institution: Mapped[str | None] = mapped_column(String(64))
    assignee: Mapped[str] = mapped_column(String(64))
    terlapor_nip: Mapped[str] = mapped_column(String(18))
    terlapor_name: Mapped[str] = mapped_column(String(200))
    violation_codes: Mapped[list[str]] = mapped_column(JsonType)
    recommended_category: Mapped[str | None] = mapped_column(String(32))
    sanction_code: Mapped[str | None] = mapped_column(String(48))
    deadline_owner: Mapped[str | None] = mapped_column(String(16))
    deadline_due_on: Mapped[date | None] = mapped_column(Date)
    deadline_at: Mapped[datetime | None] = mapped_column(Instant)
    deadline_missed: Mapped[bool] = mapped_column(Boolean, default=False)
    alarm_at: Mapped[datetime | None] = mapped_column(Instant)
    is_open: Mapped[bool] = mapped_column(Boolean)
    opened_at: Mapped[datetime] = mapped_column(Instant)
    updated_at: Mapped[datetime] = mapped_column(Instant)
    closed_at: Mapped[datetime | None] = mapped_column(Instant)
    # `json` on PostgreSQL (migration 0121): rewritten whole by each step, read whole, never
    # queried inside
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)

    __table_args__ = (
        Index(
            "ix_cases_alarm_at_open",
            "alarm_at",
            postgresql_where=text("alarm_at IS NOT NULL"),
            sqlite_where=text("alarm_at IS NOT NULL"),
        ),
        Index(
            "ix_cases_deadline_at_open",
            "deadline_at",
            postgresql_where=text("is_open"),
            sqlite_where=text("is_open"),
        ),
        # read paths (migration 0116): Tugas saya, the filtered list, the "overdue" filter
        # (search, NIP and violation codes: `case_search`)
        *(
            Index(name, *columns, postgresql_where=text("is_open"), sqlite_where=text("is_open"))
            for name, columns in (
                (
                    "ix_cases_work_owner",
                    ("deadline_owner", "deadline_at", "id", "assignee", "state"),
                ),
                (
                    "ix_cases_work_office",
                    ("deadline_owner", "bawaslu_office", "deadline_at", "id", "assignee", "state"),
                ),
                (
                    "ix_cases_work_ppk",
                    ("deadline_owner", "ppk_institution", "deadline_at", "id", "assignee", "state"),
                ),
                (
                    "ix_cases_state_due",
                    ("state", "deadline_at", "bawaslu_office", "region_code", "ppk_institution"),
                ),
            )
        ),
        Index("ix_cases_opened", "opened_at", "id"),
        Index("ix_cases_state_opened", "state", "opened_at", "id", "is_open", "deadline_at"),
        Index("ix_cases_region_state_opened", "region_code", "state", "opened_at", "id"),
        Index("ix_cases_office_opened", "bawaslu_office", "opened_at", "id"),
        Index("ix_cases_ppk_opened", "ppk_institution", "opened_at", "id"),
    )


class CaseSearchRow(Base):
    """`case_search`: what the case list searches in (the terlapor's NIP and name, the
    summary) and filters on (NIP, violation codes), one row per case, kept by triggers on
    `cases` (migration 0120) so that a step's UPDATE of `cases` feeds none of these
    indexes."""

    __tablename__ = "case_search"

    case_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    terlapor_nip: Mapped[str] = mapped_column(String(18))
    terlapor_name: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    violation_codes: Mapped[list[str]] = mapped_column(JsonType)

    __table_args__ = (Index("ix_case_search_terlapor_nip", "terlapor_nip"),)
