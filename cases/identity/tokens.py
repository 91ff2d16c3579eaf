"""API tokens: random, stored hashed, scoped to the officer's role, expiring and revocable.

A token reads `ntr_<id>_<secret>`: the id is public (listed, revoked by it), the secret is 32
random bytes shown once; only its SHA-256 is stored (a random secret needs no slow hash).
Service accounts get `sweep`-scoped tokens, which the policy lets take only the sweep's steps.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from cases.access import acting, require_role
from cases.identity.server_time import datetime_now
from db.identity_records import ApiToken
from rules.errors import AuthenticationFailed, InvalidInput, NotFound, PermissionDenied
from rules.roles import Role

if TYPE_CHECKING:
    from db.reading import ReadingUnitOfWork
    from db.unit_of_work import UnitOfWork

PREFIX = "ntr"
MAX_DAYS = 366
BAD_TOKEN = "Token tidak sah, kedaluwarsa atau dicabut"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(
    uow: UnitOfWork,
    officer_id: str,
    name: str,
    days: int,
    for_officer: str | None = None,
) -> tuple[ApiToken, str]:
    """A new token for the caller (or, by an administrator, for `for_officer`, e.g. the
    sweep's service account); returns the stored record and the token text, shown once."""
    from cases.identity import history  # imported when used: keeps authentication light
    from cases.input_limits import check_text

    check_text(name, "nama token", limit="name")
    if not name.strip():
        raise InvalidInput("Nama token wajib diisi (mis. 'laptop kantor')")
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"Masa berlaku token 1 sampai {MAX_DAYS} hari")
    now = datetime_now()
    with uow:
        actor, _ = acting(uow, officer_id)
        owner_id = for_officer or actor.user_id
        if owner_id != actor.user_id:
            require_role(actor, Role.ADMIN)
        owner = uow.registry.officer(owner_id)
        if not owner.active:
            raise InvalidInput(f"Akun '{owner_id}' dinonaktifkan")
        token_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        token = ApiToken(
            id=token_id,
            secret_hash=_digest(secret),
            officer_id=owner_id,
            name=name.strip(),
            scope="sweep" if owner.role is Role.SYSTEM else "officer",
            created_at=now,
            expires_at=now + timedelta(days=days),
            revoked_at=None,
            last_used_at=None,
        )
        uow.identity.add_token(token)
        history.record(
            uow,
            history.TOKEN_CREATED,
            actor.user_id,
            {
                "token_id": token_id,
                "officer_id": owner_id,
                "scope": token.scope,
                "name": token.name,
                "expires_at": token.expires_at.isoformat(),
            },
        )
        uow.commit()
    return token, f"{PREFIX}_{token_id}_{secret}"


def token_for_password(
    uow: UnitOfWork,
    user_id: str,
    password: str,
    name: str,
    days: int,
    totp: str | None = None,
) -> str:
    """`netra login`: check the password (and TOTP), then issue a personal token (shown once).

    A failure is counted towards the account's lock and committed; the answer is the same
    for unknown accounts and wrong passwords."""
    from cases.identity.accounts import check_password

    with uow:
        try:
            check_password(uow, user_id, password, datetime_now(), totp)
        except AuthenticationFailed:
            uow.commit()
            raise
        uow.commit()
    _, text = create_token(uow, user_id, name, days)
    return text


def list_tokens(uow: UnitOfWork, officer_id: str, everyone: bool = False) -> list[ApiToken]:
    with uow:
        actor, _ = acting(uow, officer_id)
        if everyone:
            require_role(actor, Role.ADMIN)
            return uow.identity.tokens()
        return uow.identity.tokens(actor.user_id)


def revoke_token(uow: UnitOfWork, officer_id: str, token_id: str) -> None:
    from cases.identity import history  # imported when used: keeps authentication light

    now = datetime_now()
    with uow:
        actor, _ = acting(uow, officer_id)
        token = uow.identity.token(token_id)
        if token is None:
            raise NotFound(f"Token '{token_id}' tidak ada")
        if token.officer_id != actor.user_id and actor.role is not Role.ADMIN:
            raise PermissionDenied("Hanya pemilik token atau administrator yang dapat mencabutnya")
        if token.revoked_at is None:
            uow.identity.revoke_token(token_id, now)
            history.record(uow, history.TOKEN_REVOKED, actor.user_id, {"token_id": token_id})
            uow.commit()


def parse_token(text: str) -> tuple[str, str]:
    parts = text.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
        raise AuthenticationFailed(BAD_TOKEN)
    return parts[1], parts[2]


# A token's last use is recorded to the minute: a burst of API calls or CLI commands with one
# token writes (and waits for a COMMIT) once per minute, not once per request.
LAST_USE_RESOLUTION = timedelta(minutes=1)


def authenticate_token(uow: ReadingUnitOfWork, text: str) -> str:
    """The officer id a token stands for; records its last use (to the minute). Any fault:
    the same 401."""
    token_id, secret = parse_token(text)
    moment = datetime_now()
    with uow:
        token = uow.identity.token(token_id)
        if token is None or not hmac.compare_digest(token.secret_hash, _digest(secret)):
            raise AuthenticationFailed(BAD_TOKEN)
        if token.revoked_at is not None or token.expires_at <= moment:
            raise AuthenticationFailed(BAD_TOKEN)
        officer = uow.registry.officer(token.officer_id)
        if not officer.active:
            raise AuthenticationFailed(BAD_TOKEN)
        last = token.last_used_at
        if last is None or not timedelta(0) <= moment - last < LAST_USE_RESOLUTION:
            uow.identity.touch_token(token_id, moment)
            uow.commit()
    return officer.id
