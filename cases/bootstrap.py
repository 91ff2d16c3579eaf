"""Connects to the configured database and brings its schema up to date on start."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Engine

from db.engine import make_engine
from db.migrate import current_revisions, head_revisions, upgrade
from db.settings import get_settings
from db.unit_of_work import UnitOfWork


@cache
def engine_for(url: str) -> Engine:
    """An engine on `url`, its schema brought up to date first.

    With NETRA_MIGRATION_DATABASE_URL set (PostgreSQL with least privilege), migrations run
    through that owner connection and `url`'s application role only reads the revision.
    """
    engine = make_engine(url)
    owner_url = get_settings().migration_database_url
    if owner_url and owner_url != url:
        if current_revisions(engine) != head_revisions():
            owner = make_engine(owner_url)
            try:
                upgrade(owner)
            finally:
                owner.dispose()
        return engine
    upgrade(engine)
    return engine


def unit_of_work(url: str | None = None) -> UnitOfWork:
    """A UnitOfWork on `url` (default: NETRA_DATABASE_URL), migrations applied."""
    return UnitOfWork(engine_for(url or get_settings().database_url))
