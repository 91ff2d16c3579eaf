"""Audit: the chained checkpoints over every case's chain head, the heads each saw, and
who exported which audit bundle, when.

No `from __future__ import annotations` here (see the package docstring): the
`Mapped[...]` annotations are evaluated as the classes are built."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.schema.base import Base, Instant, JsonType


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
