"""Whether this database accepts events recorded under a fixed clock (tests, demo, what-if).

A database allows it only when its `netra_settings` say so (set through a registry event when
the demo or a test database is created) and the process is not running in production
(`NETRA_ENV=production`); every other database records the server's own clock only.
"""

from __future__ import annotations

import os

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.schema import SettingRow, table_of

FIXED_CLOCK_SETTING = "fixed_clock"
ALLOWED = "allowed"
REFUSED = "refused"

_SETTINGS = table_of(SettingRow)


def production_process() -> bool:
    return os.environ.get("NETRA_ENV", "").strip().lower() == "production"


def setting(session: Session, key: str) -> str | None:
    value = (
        session.connection()
        .execute(select(_SETTINGS.c.value).where(_SETTINGS.c.key == key))
        .scalar_one_or_none()
    )
    return str(value) if value is not None else None


def fixed_clock_allowed(session: Session) -> bool:
    if production_process():
        return False
    return setting(session, FIXED_CLOCK_SETTING) == ALLOWED
