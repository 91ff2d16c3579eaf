"""Notices: the outbox of notifications written with their events, and each notice's
delivery to one address over one channel (issue 15).

No `from __future__ import annotations` here (see the package docstring): the
`Mapped[...]` annotations are evaluated as the classes are built."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from db.schema.base import Base, Instant


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
