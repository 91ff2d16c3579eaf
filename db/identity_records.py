"""Sign-in secrets, API tokens and web sessions as records (plain values, no SQL)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from db.rows import instant


@dataclass(frozen=True)
class Credential:
    officer_id: str
    password_hash: str
    totp_secret: str | None
    failed_attempts: int
    locked_until: datetime | None


@dataclass(frozen=True)
class ApiToken:
    id: str
    secret_hash: str
    officer_id: str
    name: str
    scope: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


@dataclass(frozen=True)
class WebSession:
    id_hash: str
    officer_id: str
    csrf_token: str
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime
    revoked_at: datetime | None


API_TOKEN_FIELDS = tuple(ApiToken.__dataclass_fields__)


def token_from_row(values: Mapping[Any, Any]) -> ApiToken:
    """An ApiToken from a row's mapping of API_TOKEN_FIELDS, as the driver gives them;
    instants in UTC."""
    found = dict(values)
    for key in ("created_at", "expires_at", "revoked_at", "last_used_at"):
        found[key] = instant(found[key])
    return ApiToken(**found)
