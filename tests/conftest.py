"""Shared fixtures: every database test runs on SQLite and on a real PostgreSQL.

PostgreSQL comes from NETRA_TEST_DATABASE_URL (default 127.0.0.1:5432, database `test`);
each test gets its own schema, migrated by Alembic and dropped afterwards. Locally a missing
server skips the PostgreSQL half; under CI=true it fails the run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

os.environ.setdefault("NETRA_PASSWORD_HASH_PROFILE", "test")  # before cases.identity loads

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from cases.bootstrap import release_engine
from cases.identity.clock import allow_fixed_clock
from db.engine import make_engine, normalise_url
from db.migrate import alembic_config, upgrade
from db.unit_of_work import UnitOfWork

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
WIB = ZoneInfo("Asia/Jakarta")


def pg_base_url() -> str:
    return normalise_url(os.environ.get("NETRA_TEST_DATABASE_URL", DEFAULT_PG_URL))


def _pg_available() -> str | None:
    """None if PostgreSQL answers, else the reason it does not."""
    try:
        engine = create_engine(pg_base_url())
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except OperationalError as exc:
        return str(exc).splitlines()[0]
    return None


_PG_PROBLEM: str | bool | None = False


def require_postgres() -> None:
    global _PG_PROBLEM
    if _PG_PROBLEM is False:
        _PG_PROBLEM = _pg_available()
    if _PG_PROBLEM:
        message = f"PostgreSQL is not reachable at {pg_base_url()}: {_PG_PROBLEM}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI=true: PostgreSQL tests must run)")
        pytest.skip(message)


def postgres_schema_url() -> tuple[str, str]:
    """A fresh schema in the test database and a URL whose search_path points at it."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_base_url())
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    return _schema_url(schema), schema


def _schema_url(schema: str) -> str:
    url = make_url(pg_base_url()).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def drop_postgres_schema(schema: str) -> None:
    """Drop a test schema, first closing the connections the services' engine on it (the
    web app's, the CLI's: `cases.bootstrap.engine_for`) keeps in its pool."""
    release_engine(_schema_url(schema))
    admin = create_engine(pg_base_url())
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated, empty database URL on each backend."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "netra.db"
        url = f"sqlite:///{path}"
        engine = make_engine(url)
        upgrade(engine)
        allow_fixed_clock(UnitOfWork(engine))
        engine.dispose()
        try:
            yield url
        finally:
            release_engine(url)
        return
    require_postgres()
    url, schema = postgres_schema_url()
    engine = make_engine(url)
    upgrade(engine)
    allow_fixed_clock(UnitOfWork(engine))
    engine.dispose()
    try:
        yield url
    finally:
        drop_postgres_schema(schema)


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    """A migrated, empty PostgreSQL schema, for tests of PostgreSQL-only behaviour."""
    require_postgres()
    url, schema = postgres_schema_url()
    engine = make_engine(url)
    upgrade(engine)
    allow_fixed_clock(UnitOfWork(engine))
    try:
        yield engine
    finally:
        engine.dispose()
        drop_postgres_schema(schema)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def uow(engine: Engine) -> UnitOfWork:
    return UnitOfWork(engine)


@pytest.fixture
def demo_uow(uow: UnitOfWork) -> UnitOfWork:
    """A database holding the demo institutions, officers and five cases."""
    from cases.demo import load_demo

    load_demo(uow)
    return uow


def migrate_to(engine: Engine, step: str, revision: str) -> None:
    """Alembic's `upgrade` or `downgrade` to `revision`, in one transaction."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, step)(config, revision)


def wib(text_: str) -> datetime:
    """A Western Indonesian Time instant from `YYYY-MM-DDTHH:MM`."""
    return datetime.fromisoformat(text_).replace(tzinfo=WIB)


@pytest.fixture(autouse=True)
def cli_config_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI keeps its signed-in token in a folder of its own per test, never in ~/.config."""
    monkeypatch.setenv("NETRA_CONFIG_DIR", str(tmp_path_factory.mktemp("netra-config")))
    monkeypatch.delenv("NETRA_TOKEN", raising=False)


def sign_in_cli(uow: UnitOfWork, database_url: str, officer_id: str = "admin") -> str:
    """Store a token for `officer_id` as `netra login` would; returns the token."""
    from cases.identity.tokens import create_token
    from cli.credentials import store_token

    _, token = create_token(uow, officer_id, "tests", 1)
    store_token(database_url, token)
    return token
