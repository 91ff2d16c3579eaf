"""Intake (issue 13): the index of the evidence files attached to cases and the register
of imported report rows.

No `from __future__ import annotations` here (see the package docstring): the
`Mapped[...]` annotations are evaluated as the classes are built."""

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.schema.base import Base, Instant


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
