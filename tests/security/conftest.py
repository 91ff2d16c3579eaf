"""A demo database per backend shared by a module's read-mostly security tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from cases.demo import DemoLoad, load_demo_with_logins
from cases.identity.clock import allow_fixed_clock
from db.engine import make_engine
from db.migrate import upgrade
from db.unit_of_work import UnitOfWork
from tests.conftest import drop_postgres_schema, postgres_schema_url, require_postgres


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def shared_demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Engine, DemoLoad]]:
    """(url, engine, demo logins) of a demo database shared by the module's tests."""
    schema = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('shared') / 'netra.db'}"
    else:
        require_postgres()
        url, schema = postgres_schema_url()
    engine = make_engine(url)
    upgrade(engine)
    allow_fixed_clock(UnitOfWork(engine))
    loaded = load_demo_with_logins(UnitOfWork(engine))
    try:
        yield url, engine, loaded
    finally:
        engine.dispose()
        if schema:
            drop_postgres_schema(schema)
