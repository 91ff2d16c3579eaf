"""The services keep one engine per database URL; releasing it closes its pooled
connections (a dropped test schema must not leave them open until the process ends)."""

from __future__ import annotations

from sqlalchemy import text

from cases.bootstrap import engine_for, release_engine


def test_one_engine_per_url_until_released(db_url: str) -> None:
    engine = engine_for(db_url)
    assert engine_for(db_url) is engine
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    assert engine.pool.checkedin() == 1  # back in the pool, still open
    release_engine(db_url)
    assert engine.pool.checkedin() == 0  # disposed: the pooled connection was closed
    again = engine_for(db_url)
    assert again is not engine
    release_engine(db_url)
    release_engine(db_url)  # nothing left to release: no error
