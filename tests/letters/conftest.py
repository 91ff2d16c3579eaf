"""A database with the demo and sample cases (every letter template issued), per module.

Loading the cases takes a few seconds, so the read-only letter tests share one database per
backend (SQLite file and a PostgreSQL schema) instead of building it per test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from cases.letter_samples import load_letter_samples
from db.engine import make_engine
from db.migrate import upgrade
from db.unit_of_work import UnitOfWork
from tests.conftest import drop_postgres_schema, postgres_schema_url, require_postgres


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def samples_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    schema = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('letters') / 'netra.db'}"
    else:
        require_postgres()
        url, schema = postgres_schema_url()
    engine = make_engine(url)
    try:
        upgrade(engine)
        load_letter_samples(UnitOfWork(engine))
        yield engine
    finally:
        engine.dispose()
        if schema:
            drop_postgres_schema(schema)


@pytest.fixture
def samples_uow(samples_engine: Engine) -> UnitOfWork:
    return UnitOfWork(samples_engine)
