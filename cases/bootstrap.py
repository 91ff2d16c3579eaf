"""Connects to the configured database and brings its schema up to date on start."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from db import environment
from db.sqlite_rows import sqlite_reads

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from db.read_unit_of_work import ReadUnitOfWork
    from db.unit_of_work import UnitOfWork


# One engine per database URL for the life of the process (its pool is shared by every unit
# of work on that URL), until `release_engine`.
_ENGINES: dict[str, Engine] = {}
_LOCK = threading.Lock()


def engine_for(url: str) -> Engine:
    """The process's engine on `url`, made (and its schema brought up to date) on first use.

    With NETRA_MIGRATION_DATABASE_URL set (PostgreSQL with least privilege), migrations run
    through that owner connection and `url`'s application role only reads the revision.
    """
    with _LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            engine = _ENGINES[url] = _migrated_engine(url)
        return engine


def release_engine(url: str) -> None:
    """Close the pooled connections of the process's engine on `url` and forget it (its
    database or schema is going away); the next `engine_for(url)` makes a new one."""
    with _LOCK:
        engine = _ENGINES.pop(url, None)
    if engine is not None:
        engine.dispose()


def _migrated_engine(url: str) -> Engine:
    from db.engine import make_engine
    from db.migrate import current_revisions, head_revisions, upgrade

    engine = make_engine(url)
    owner_url = environment.migration_database_url()
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


def read_unit_of_work(url: str, operator: str | None = None) -> ReadUnitOfWork:
    """A read-only unit of work on `url` (no ORM): through sqlite3 itself on a SQLite file at
    the migration heads, else on SQLAlchemy Core after `engine_for` (migrations applied)."""
    from db.read_unit_of_work import ReadUnitOfWork

    direct = None if environment.migration_database_url() else sqlite_reads(url)
    if direct is not None:
        return ReadUnitOfWork(direct, operator=operator)
    from db.core_rows import CoreRows

    engine = engine_for(url)
    return ReadUnitOfWork(lambda: CoreRows(engine.connect()), operator=operator)


def unit_of_work(url: str | None = None) -> UnitOfWork:
    """A UnitOfWork on `url` (default: NETRA_DATABASE_URL), migrations applied."""
    from db.unit_of_work import UnitOfWork  # the ORM: not for short read commands

    return UnitOfWork(engine_for(url or environment.database_url()))
