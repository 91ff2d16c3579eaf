"""Applies Alembic migrations on start: the app brings its database to the current schema.

Alembic is imported only when the database is not already at the heads the migration files
declare (db/migration_heads.py), so a command on an up-to-date database starts without it.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from db.migration_heads import stored_heads

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("db").joinpath("migrations")))
    return config


def head_revisions() -> set[str]:
    """Every head of the migration graph (independent branches are allowed)."""
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def stored_revisions(engine: Engine) -> set[str]:
    """The revisions the database says it is at (empty when it was never migrated)."""
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version"))
            return {str(row[0]) for row in rows}
    except DBAPIError:
        return set()


def current_revisions(engine: Engine) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def upgrade(engine: Engine) -> bool:
    """Upgrade every branch to its head if needed; returns True when a migration ran."""
    if stored_revisions(engine) == stored_heads():
        return False
    if current_revisions(engine) == head_revisions():
        return False
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")
    return True
