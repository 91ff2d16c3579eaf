"""Whether this database accepts events recorded under a fixed clock (tests, demo, what-if).

A database allows it only when its `netra_settings` say so (set through a registry event when
the demo or a test database is created) and the process is not running in production
(`NETRA_ENV=production`); every other database records the server's own clock only.
"""

from __future__ import annotations

import os

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.reference_cache import SharedReference
from db.schema import SettingRow, table_of

FIXED_CLOCK_SETTING = "fixed_clock"
ALLOWED = "allowed"
REFUSED = "refused"

_SETTINGS = table_of(SettingRow)


def production_process() -> bool:
    return os.environ.get("NETRA_ENV", "").strip().lower() == "production"


def setting(session: Session, key: str, shared: SharedReference | None = None) -> str | None:
    """A setting's value; with a command's `shared` reference data, read once per version."""
    if shared is not None and key in shared.settings:
        return shared.settings[key]
    value = (
        session.connection()
        .execute(select(_SETTINGS.c.value).where(_SETTINGS.c.key == key))
        .scalar_one_or_none()
    )
    found = str(value) if value is not None else None
    if shared is not None:
        shared.settings[key] = found
    return found


def fixed_clock_allowed(session: Session, shared: SharedReference | None = None) -> bool:
    if production_process():
        return False
    return setting(session, FIXED_CLOCK_SETTING, shared) == ALLOWED
