"""The typed SQLAlchemy 2 schema: events, the case projection, letters, registry and calendar.

No `from __future__ import annotations` here: the `Mapped[...]` annotations are evaluated as
the classes are built, so SQLAlchemy need not parse and evaluate every one as a string (a
part of every command's start-up)."""

from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

JsonType = JSON().with_variant(JSONB(), "postgresql")
Instant = DateTime(timezone=True)


class Base(DeclarativeBase):
    pass


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


class InstitutionRow(Base):
    """A Bawaslu office, BKN, or a PPK's government (with its BKPSDM): letterhead and numbering."""

    __tablename__ = "institutions"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # bawaslu | bkn | ppk
    name: Mapped[str] = mapped_column(String(200))
    parent_name: Mapped[str | None] = mapped_column(String(200))
    region_code: Mapped[str | None] = mapped_column(String(8))
    city: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(100))
    website: Mapped[str | None] = mapped_column(String(100))
    head_title: Mapped[str] = mapped_column(String(200))
    head_name: Mapped[str] = mapped_column(String(200))
    head_nip: Mapped[str | None] = mapped_column(String(18))
    letter_number_format: Mapped[str] = mapped_column(String(200))


class OfficerRow(Base):
    """A user of Netra: a Bawaslu officer, BKN analyst, BKPSDM/PPK staff, auditor or admin."""

    __tablename__ = "officers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    institution_code: Mapped[str] = mapped_column(ForeignKey("institutions.code"))
    title: Mapped[str] = mapped_column(String(200))
    nip: Mapped[str | None] = mapped_column(String(18))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    email: Mapped[str | None] = mapped_column(String(200))
    notify: Mapped[str] = mapped_column(String(8), default="none")  # email | none


class LetterRow(Base):
    """An issued letter: number, template and content hashes, the case seq it was issued at."""

    __tablename__ = "letters"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"))
    case_seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(48))
    institution_code: Mapped[str] = mapped_column(ForeignKey("institutions.code"))
    number: Mapped[str] = mapped_column(String(120))
    year: Mapped[int] = mapped_column(Integer)
    classification: Mapped[str] = mapped_column(String(32))
    serial: Mapped[int] = mapped_column(Integer)
    template_name: Mapped[str] = mapped_column(String(120))
    template_hash: Mapped[str] = mapped_column(String(64))
    # `json`, not `jsonb`, on PostgreSQL: stored as sent, read back whole (migration 0119)
    context: Mapped[dict[str, Any]] = mapped_column(JSON)
    context_hash: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64))
    html: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(Instant)

    __table_args__ = (
        UniqueConstraint(
            "institution_code",
            "year",
            "classification",
            "serial",
            name="uq_letters_register_serial",
        ),
        Index("ix_letters_case", "case_id", "case_seq"),
    )


class LetterCounterRow(Base):
    """The last serial per institution, year and classification: numbering without gaps."""

    __tablename__ = "letter_counters"

    institution_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    classification: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_serial: Mapped[int] = mapped_column(Integer)


class CalendarOverrideRow(Base):
    """An administrator's holiday (cuti bersama decree, regional day) or working-day override."""

    __tablename__ = "calendar_overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str | None] = mapped_column(String(8))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(Instant)

    __table_args__ = (UniqueConstraint("day", "region_code", name="uq_calendar_day_region"),)


class CheckpointRow(Base):
    """A periodic root hash over every case's chain head; append-only and itself chained."""

    __tablename__ = "checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(Instant)
    case_count: Mapped[int] = mapped_column(Integer)
    event_count: Mapped[int] = mapped_column(BigInteger)
    root_hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class CheckpointHeadRow(Base):
    """Each case's chain head (seq, hash) as a checkpoint saw it; append-only."""

    __tablename__ = "checkpoint_heads"

    checkpoint_id: Mapped[int] = mapped_column(ForeignKey("checkpoints.id"), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class OutboxRow(Base):
    """Notifications to deliver (reminders, misses, escalations), written with their events."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(String(32))
    case_seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(48))
    recipient_role: Mapped[str] = mapped_column(String(16))
    recipient_institution: Mapped[str | None] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(Instant)
    sent_at: Mapped[datetime | None] = mapped_column(Instant)

    __table_args__ = (
        UniqueConstraint("case_id", "case_seq", "kind", name="uq_outbox_event_kind"),
        Index(
            "ix_outbox_unsent",
            "created_at",
            postgresql_where=text("sent_at IS NULL"),
            sqlite_where=text("sent_at IS NULL"),
        ),
    )


# --- identity and the registry's history (issue 11) ----------------------------------------


class CredentialRow(Base):
    """An officer's sign-in secret: argon2id hash, optional TOTP, failed-attempt backoff.

    Operational state (attempt counters) lives here; the hash's digest is also carried by the
    registry history, so a password swapped by direct SQL is detected by `audit verify`.
    """

    __tablename__ = "officer_credentials"

    officer_id: Mapped[str] = mapped_column(ForeignKey("officers.id"), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(Instant)
    changed_at: Mapped[datetime] = mapped_column(Instant)


class ApiTokenRow(Base):
    """An API token: only its SHA-256 is stored; scoped, expiring, revocable."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)  # public part of the token
    secret_hash: Mapped[str] = mapped_column(String(64))
    officer_id: Mapped[str] = mapped_column(ForeignKey("officers.id"))
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(16))  # officer | sweep
    created_at: Mapped[datetime] = mapped_column(Instant)
    expires_at: Mapped[datetime] = mapped_column(Instant)
    revoked_at: Mapped[datetime | None] = mapped_column(Instant)
    last_used_at: Mapped[datetime | None] = mapped_column(Instant)

    __table_args__ = (Index("ix_api_tokens_officer", "officer_id"),)


class WebSessionRow(Base):
    """A signed-in browser: the cookie's SHA-256, its CSRF token, expiry and revocation."""

    __tablename__ = "web_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    officer_id: Mapped[str] = mapped_column(ForeignKey("officers.id"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(Instant)
    expires_at: Mapped[datetime] = mapped_column(Instant)
    last_seen_at: Mapped[datetime] = mapped_column(Instant)
    revoked_at: Mapped[datetime | None] = mapped_column(Instant)


class RegistryEventRow(Base):
    """The registry's history: every change to officers, institutions, tokens, calendar
    overrides and settings, append-only and hash-chained like a case."""

    __tablename__ = "registry_events"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    event_type: Mapped[str] = mapped_column(String(48))
    actor_id: Mapped[str] = mapped_column(String(64))
    operator_id: Mapped[str | None] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(Instant)
    payload: Mapped[dict[str, Any]] = mapped_column(JsonType)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class SettingRow(Base):
    """Database-wide settings (e.g. whether fixed clocks are allowed), changed only through
    registry events."""

    __tablename__ = "netra_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class ReferenceVersionRow(Base):
    """One row: bumped by triggers on every change to officers, institutions, calendar
    overrides and settings; commands cache that reference data while it is unchanged."""

    __tablename__ = "reference_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger)


def table_of(model: type[Base]) -> Table:
    """The Core table behind a mapped class, for statements that skip the ORM layer."""
    return cast(Table, model.__table__)


# --- letters (issue 14): letterheads, logos, letters issued outside Netra, letter status ------


class LetterLogoRow(Base):
    """A validated, sanitised letterhead logo (PNG or SVG), addressed by its SHA-256."""

    __tablename__ = "letter_logos"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(Instant)


class LetterheadRow(Base):
    """An institution's kop surat (two or three lines), its head's kop and its logo."""

    __tablename__ = "institution_letterheads"

    institution_code: Mapped[str] = mapped_column(ForeignKey("institutions.code"), primary_key=True)
    kop_lines: Mapped[list[str]] = mapped_column(JsonType)
    head_kop: Mapped[str | None] = mapped_column(String(200))
    logo_sha256: Mapped[str | None] = mapped_column(ForeignKey("letter_logos.sha256"))
    updated_at: Mapped[datetime] = mapped_column(Instant)
    updated_by: Mapped[str] = mapped_column(String(64))


class ExternalLetterRow(Base):
    """A letter issued outside Netra (e.g. BKN's own letter): its number, date and scan hash."""

    __tablename__ = "external_letters"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"))
    case_seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(48))
    institution_code: Mapped[str] = mapped_column(String(64))
    number: Mapped[str] = mapped_column(String(120))
    issued_on: Mapped[date] = mapped_column(Date)
    scan_sha256: Mapped[str | None] = mapped_column(String(64))
    scan: Mapped[bytes | None] = mapped_column(LargeBinary)
    recorded_at: Mapped[datetime] = mapped_column(Instant)

    __table_args__ = (Index("ix_external_letters_case", "case_id", "case_seq"),)


class LetterStatusRow(Base):
    """A letter no longer in force: superseded by a ralat or revoked, with the reason."""

    __tablename__ = "letter_status"

    letter_id: Mapped[str] = mapped_column(ForeignKey("letters.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # superseded | revoked
    by_letter_id: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    case_seq: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(Instant)


# --- audit (helper `audit`): who exported which audit bundle, when ---------------------------


class AuditExportRow(Base):
    """One audit-bundle export: who made it, which edition (auditor / full with the reporter),
    of which cases, when, and the manifest hash of what was handed out; append-only."""

    __tablename__ = "audit_exports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    exported_at: Mapped[datetime] = mapped_column(Instant)
    officer_id: Mapped[str] = mapped_column(String(64))
    officer_role: Mapped[str] = mapped_column(String(16))
    officer_institution: Mapped[str] = mapped_column(String(64))
    edition: Mapped[str] = mapped_column(String(16))
    case_ids: Mapped[list[str]] = mapped_column(JsonType)
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)


# --- deadlines helper (issue 15): notice delivery -----------------------------------------------


class NoticeDeliveryRow(Base):
    """One notice (an outbox row) to one address over one channel: attempts, outcome, key.

    `message_id` is the idempotency key carried in the message (Message-ID): a notice resent
    after a crash between sending and recording carries the same key, so the relay or the
    mailbox drops the copy. `status`: pending, sending (claimed until `next_attempt_at`),
    sent, failed (permanently).
    """

    __tablename__ = "notice_deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id"))
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(320))
    officer_id: Mapped[str | None] = mapped_column(String(64))
    recipient_role: Mapped[str] = mapped_column(String(16))
    recipient_institution: Mapped[str | None] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(Instant)
    created_at: Mapped[datetime] = mapped_column(Instant)
    sent_at: Mapped[datetime | None] = mapped_column(Instant)

    __table_args__ = (
        UniqueConstraint("outbox_id", "channel", "address", name="uq_notice_delivery_address"),
        Index("ix_notice_deliveries_due", "status", "next_attempt_at"),
    )


# --- intake (issue 13): evidence index and import register ----------------------------------


class EvidenceRow(Base):
    """An evidence file attached to a case: the index of its `evidence_added` event (the chain
    is the truth; this row makes listing and access checks cheap). Bytes live in the file
    store under their SHA-256."""

    __tablename__ = "evidence"

    case_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(120))
    file_name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(Boolean)
    stage: Mapped[str] = mapped_column(String(32))
    added_by: Mapped[str] = mapped_column(String(64))
    added_role: Mapped[str] = mapped_column(String(16))
    added_institution: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(Instant)
    added_seq: Mapped[int] = mapped_column(Integer)
    thumbnail_sha256: Mapped[str | None] = mapped_column(String(64))
    withdrawn_at: Mapped[datetime | None] = mapped_column(Instant)
    withdrawn_seq: Mapped[int | None] = mapped_column(Integer)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_evidence_sha256", "sha256"),)


class ImportRowRow(Base):
    """One row of an imported report file, keyed by the file's SHA-256 and the row number:
    importing the same file again finds its rows here and opens nothing twice."""

    __tablename__ = "import_rows"

    file_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    row_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    outcome: Mapped[str] = mapped_column(String(16))  # opened | skipped
    case_id: Mapped[str | None] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(255))
    imported_by: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(Instant)


# --- web (issue 12): idempotency keys of the REST API ----------------------------------------


class IdempotencyRow(Base):
    """One `Idempotency-Key` of one officer: the request's hash and, once done, its answer."""

    __tablename__ = "idempotency_keys"

    officer_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    response: Mapped[Any] = mapped_column(JsonType, nullable=True)
    created_at: Mapped[datetime] = mapped_column(Instant)
