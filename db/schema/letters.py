"""Letters: those Netra issued and their gap-free numbering, letterheads and their logos
(issue 14), letters issued outside Netra, letters no longer in force, and the template
sources letters were rendered with.

No `from __future__ import annotations` here (see the package docstring): the
`Mapped[...]` annotations are evaluated as the classes are built."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.schema.base import Base, Instant, JsonType


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


class LetterTemplateRow(Base):
    """The template sources a letter was rendered with, addressed by its template hash: the
    template and every template it uses, {file name: source} (append-only, migration 0122)."""

    __tablename__ = "letter_templates"

    template_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    template_name: Mapped[str] = mapped_column(String(120))
    # `json` on PostgreSQL: stored as sent, read back whole
    sources: Mapped[dict[str, str]] = mapped_column(JSON)
