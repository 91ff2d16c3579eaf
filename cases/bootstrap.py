"""Connects to the configured database and brings its schema up to date on start."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Engine

from db.engine import make_engine
from db.migrate import upgrade
from db.settings import get_settings
from db.unit_of_work import UnitOfWork


@cache
def engine_for(url: str) -> Engine:
    engine = make_engine(url)
    upgrade(engine)
    return engine


def unit_of_work(url: str | None = None) -> UnitOfWork:
    """A UnitOfWork on `url` (default: NETRA_DATABASE_URL), migrations applied."""
    return UnitOfWork(engine_for(url or get_settings().database_url))
