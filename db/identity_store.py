"""Sign-in secrets, API tokens and web sessions: the tables behind identity (SQL only)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from db import lookups
from db.core_rows import CoreRows
from db.identity_records import ApiToken as ApiToken
from db.identity_records import Credential as Credential
from db.identity_records import WebSession as WebSession
from db.identity_records import token_from_row
from db.rows import instant
from db.schema import ApiTokenRow, CredentialRow, WebSessionRow, table_of

_CREDENTIALS = table_of(CredentialRow)
_TOKENS = table_of(ApiTokenRow)
_SESSIONS = table_of(WebSessionRow)


class IdentityStore:
    """Credentials, tokens and sessions within the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # --- credentials ---------------------------------------------------------------------

    def credential(self, officer_id: str) -> Credential | None:
        row = (
            self.session.connection()
            .execute(
                select(
                    _CREDENTIALS.c.officer_id,
                    _CREDENTIALS.c.password_hash,
                    _CREDENTIALS.c.totp_secret,
                    _CREDENTIALS.c.failed_attempts,
                    _CREDENTIALS.c.locked_until,
                ).where(_CREDENTIALS.c.officer_id == officer_id)
            )
            .first()
        )
        if row is None:
            return None
        return Credential(str(row[0]), str(row[1]), row[2], int(row[3]), instant(row[4]))

    def set_password(self, officer_id: str, password_hash: str, now: datetime) -> None:
        changed = self.session.connection().execute(
            update(_CREDENTIALS)
            .where(_CREDENTIALS.c.officer_id == officer_id)
            .values(
                password_hash=password_hash, failed_attempts=0, locked_until=None, changed_at=now
            )
        )
        if changed.rowcount == 0:
            self.session.connection().execute(
                insert(_CREDENTIALS).values(
                    officer_id=officer_id,
                    password_hash=password_hash,
                    totp_secret=None,
                    failed_attempts=0,
                    locked_until=None,
                    changed_at=now,
                )
            )

    def set_totp(self, officer_id: str, secret: str | None) -> None:
        self.session.connection().execute(
            update(_CREDENTIALS)
            .where(_CREDENTIALS.c.officer_id == officer_id)
            .values(totp_secret=secret)
        )

    def record_failure(self, officer_id: str, attempts: int, locked_until: datetime | None) -> None:
        self.session.connection().execute(
            update(_CREDENTIALS)
            .where(_CREDENTIALS.c.officer_id == officer_id)
            .values(failed_attempts=attempts, locked_until=locked_until)
        )

    def record_success(self, officer_id: str) -> None:
        self.session.connection().execute(
            update(_CREDENTIALS)
            .where(_CREDENTIALS.c.officer_id == officer_id)
            .values(failed_attempts=0, locked_until=None)
        )

    # --- API tokens ----------------------------------------------------------------------

    def add_token(self, token: ApiToken) -> None:
        self.session.connection().execute(insert(_TOKENS).values(**token.__dict__))

    def token(self, token_id: str) -> ApiToken | None:
        return lookups.token(CoreRows(self.session.connection()), token_id)

    def tokens(self, officer_id: str | None = None) -> list[ApiToken]:
        query = select(*_TOKENS.c).order_by(_TOKENS.c.created_at, _TOKENS.c.id)
        if officer_id is not None:
            query = query.where(_TOKENS.c.officer_id == officer_id)
        return [_token(row) for row in self.session.connection().execute(query)]

    def revoke_token(self, token_id: str, now: datetime) -> None:
        self.session.connection().execute(
            update(_TOKENS).where(_TOKENS.c.id == token_id).values(revoked_at=now)
        )

    def touch_token(self, token_id: str, now: datetime) -> None:
        lookups.touch_token(CoreRows(self.session.connection()), token_id, now)

    def revoke_tokens_of(self, officer_id: str, now: datetime) -> None:
        self.session.connection().execute(
            update(_TOKENS)
            .where(_TOKENS.c.officer_id == officer_id, _TOKENS.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    # --- web sessions --------------------------------------------------------------------

    def add_session(self, web_session: WebSession) -> None:
        self.session.connection().execute(insert(_SESSIONS).values(**web_session.__dict__))

    def web_session(self, id_hash: str) -> WebSession | None:
        row = (
            self.session.connection()
            .execute(select(*_SESSIONS.c).where(_SESSIONS.c.id_hash == id_hash))
            .first()
        )
        if row is None:
            return None
        values = dict(row._mapping)
        for key in ("created_at", "expires_at", "last_seen_at", "revoked_at"):
            values[key] = instant(values[key])
        return WebSession(**values)

    def touch_session(self, id_hash: str, now: datetime) -> None:
        self.session.connection().execute(
            update(_SESSIONS).where(_SESSIONS.c.id_hash == id_hash).values(last_seen_at=now)
        )

    def revoke_session(self, id_hash: str, now: datetime) -> None:
        self.session.connection().execute(
            update(_SESSIONS).where(_SESSIONS.c.id_hash == id_hash).values(revoked_at=now)
        )

    def revoke_sessions_of(self, officer_id: str, now: datetime) -> None:
        self.session.connection().execute(
            update(_SESSIONS)
            .where(_SESSIONS.c.officer_id == officer_id, _SESSIONS.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )


def _token(row: object) -> ApiToken:
    return token_from_row(row._mapping)  # type: ignore[attr-defined]
