"""Web sessions: sign in with a password (and TOTP), a random session id in an HttpOnly cookie,
a CSRF token per session, idle and absolute expiry, sign-out. Only SHA-256 of the session id is
stored; session times follow the server clock."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from cases.identity.accounts import check_password
from cases.identity.server_time import datetime_now
from db.identity_store import WebSession
from db.unit_of_work import UnitOfWork
from rules.errors import AuthenticationFailed, PermissionDenied

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
SIGNED_OUT = "Sesi berakhir; silakan masuk kembali"


@dataclass(frozen=True)
class SignedIn:
    """What the web layer needs after sign-in: the cookie value, the CSRF token, who."""

    session_id: str
    csrf_token: str
    officer_id: str
    expires_at: datetime


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def sign_in(uow: UnitOfWork, user_id: str, password: str, totp: str | None = None) -> SignedIn:
    """Check the password (and TOTP) and open a session; failures are counted and committed."""
    now = datetime_now()
    with uow:
        try:
            officer = check_password(uow, user_id, password, now, totp)
        except AuthenticationFailed:
            uow.commit()  # keep the failure count and lock
            raise
        session_id = secrets.token_urlsafe(32)
        record = WebSession(
            id_hash=_digest(session_id),
            officer_id=officer.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + ABSOLUTE_TIMEOUT,
            last_seen_at=now,
            revoked_at=None,
        )
        uow.identity.add_session(record)
        uow.commit()
    return SignedIn(session_id, record.csrf_token, officer.id, record.expires_at)


def session_officer(uow: UnitOfWork, session_id: str) -> tuple[str, str]:
    """(officer id, CSRF token) of a live session, refreshing its idle timer."""
    now = datetime_now()
    with uow:
        record = uow.identity.web_session(_digest(session_id)) if session_id else None
        if (
            record is None
            or record.revoked_at is not None
            or record.expires_at <= now
            or record.last_seen_at + IDLE_TIMEOUT <= now
        ):
            raise AuthenticationFailed(SIGNED_OUT)
        officer = uow.registry.officer(record.officer_id)
        if not officer.active:
            raise AuthenticationFailed(SIGNED_OUT)
        if now - record.last_seen_at > timedelta(minutes=1):
            uow.identity.touch_session(record.id_hash, now)
            uow.commit()
    return record.officer_id, record.csrf_token


def check_csrf(expected: str, given: str | None) -> None:
    if not given or not hmac.compare_digest(expected, given):
        raise PermissionDenied("Token formulir (CSRF) tidak sah; muat ulang halaman")


def sign_out(uow: UnitOfWork, session_id: str) -> None:
    with uow:
        uow.identity.revoke_session(_digest(session_id), datetime_now())
        uow.commit()
