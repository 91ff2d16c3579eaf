"""The database URLs every command needs first, read from the environment without
pydantic-settings (db/settings.py), exactly as it reads them: `NETRA_` prefix, names
case-insensitive, the last of names that differ only in case wins.
tests/db/test_environment.py keeps these equal to `Settings()`."""

from __future__ import annotations

import os

DEFAULT_DATABASE_URL = "sqlite:///netra.db"


def _setting(name: str) -> str | None:
    wanted = f"netra_{name}"
    found: str | None = None
    for key, value in os.environ.items():
        if key.lower() == wanted:
            found = value
    return found


def database_url() -> str:
    """NETRA_DATABASE_URL, else the SQLite file in the working directory."""
    found = _setting("database_url")
    return DEFAULT_DATABASE_URL if found is None else found


def migration_database_url() -> str | None:
    """NETRA_MIGRATION_DATABASE_URL: the owner role that runs migrations, if set."""
    return _setting("migration_database_url")
