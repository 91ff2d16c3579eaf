"""Identity and access (issue 11): officers' sign-in secrets, API tokens, browser
sessions, and the REST API's idempotency keys per officer (issue 12).

No `from __future__ import annotations` here (see the package docstring): the
`Mapped[...]` annotations are evaluated as the classes are built."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.schema.base import Base, Instant, JsonType


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


class IdempotencyRow(Base):
    """One `Idempotency-Key` of one officer: the request's hash and, once done, its answer."""

    __tablename__ = "idempotency_keys"

    officer_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    response: Mapped[Any] = mapped_column(JsonType, nullable=True)
    created_at: Mapped[datetime] = mapped_column(Instant)
