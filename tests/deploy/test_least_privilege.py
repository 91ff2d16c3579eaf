"""Least privilege on PostgreSQL: the application role cannot rewrite or remove history.

Migrations run as the owner (here the test's superuser); the application connects as
NETRA_DATABASE_APP_ROLE (`netra_app`): it may read and append events, never update, delete,
truncate, alter or drop them, nor switch off the append-only triggers.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from cases import bootstrap
from cases.demo import load_demo
from cases.sweep import sweep
from db.engine import make_engine
from db.migrate import current_revisions, head_revisions
from db.settings import get_settings
from db.unit_of_work import UnitOfWork
from tests.conftest import drop_postgres_schema, postgres_schema_url, require_postgres, wib

APP_ROLE = get_settings().database_app_role


def as_app_role(owner_url: str) -> str:
    """The same database and schema, connected as the application role."""
    url = make_url(owner_url)
    options = f"{url.query['options']} -crole={APP_ROLE}"
    return url.update_query_dict({"options": options}).render_as_string(hide_password=False)


@pytest.fixture
def owner_url() -> Iterator[str]:
    """An empty PostgreSQL schema; nothing migrated yet."""
    require_postgres()
    url, schema = postgres_schema_url()
    try:
        yield url
    finally:
        drop_postgres_schema(schema)


@pytest.fixture
def app_engine(owner_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """Migrated through the owner URL (NETRA_MIGRATION_DATABASE_URL), used as the app role."""
    monkeypatch.setenv("NETRA_MIGRATION_DATABASE_URL", owner_url)
    app_url = as_app_role(owner_url)
    bootstrap.release_engine(app_url)
    engine = bootstrap.engine_for(app_url)
    try:
        yield engine
    finally:
        bootstrap.release_engine(app_url)


def test_the_app_role_runs_netra_after_the_owner_migrated(app_engine: Engine) -> None:
    with app_engine.connect() as connection:
        assert connection.execute(text("SELECT current_user")).scalar_one() == APP_ROLE
    assert current_revisions(app_engine) == head_revisions()
    uow = UnitOfWork(app_engine)
    version = "SELECT version FROM reference_version"
    with app_engine.connect() as connection:
        before = connection.execute(text(version)).scalar_one()
    load_demo(uow)  # events, projection, letters, registry: everything a command writes
    with app_engine.connect() as connection:  # the triggers bump it for the app role
        assert connection.execute(text(version)).scalar_one() > before
    report = sweep(uow, wib("2024-11-20T08:00"))
    assert report.missed and not report.failed


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE case_events SET actor_id = 'x'",
        "DELETE FROM case_events",
        "TRUNCATE case_events",
        "ALTER TABLE case_events DISABLE TRIGGER ALL",
        "DROP TRIGGER case_events_append_only ON case_events",
        "ALTER TABLE cases DISABLE TRIGGER cases_search_update",
        "DROP TABLE case_events",
        "ALTER TABLE case_events ADD COLUMN forged text",
        "UPDATE checkpoints SET root_hash = 'x'",
        "DELETE FROM checkpoint_heads",
        "UPDATE alembic_version SET version_num = 'x'",
        "UPDATE reference_version SET version = 1",
        "DELETE FROM reference_version",
        "CREATE TABLE shadow (id int)",
    ],
)
def test_the_app_role_may_not_rewrite_history(app_engine: Engine, statement: str) -> None:
    with app_engine.connect() as connection, pytest.raises(ProgrammingError) as refused:
        connection.execute(text(statement))
    assert "permission denied" in str(refused.value) or "must be owner" in str(refused.value)


def test_the_app_role_may_read_and_append_events(app_engine: Engine) -> None:
    with app_engine.connect() as connection:
        connection.execute(text("SELECT count(*) FROM case_events")).scalar_one()
        connection.execute(
            text(
                "INSERT INTO case_events (case_id, seq, event_type, actor_id, actor_role, "
                "actor_institution, occurred_at, recorded_at, payload, rule_set, prev_hash, hash) "
                "VALUES ('X', 1, 't', 'a', 'r', 'i', now(), now(), '{}', '2024.1', '', '')"
            )
        )
        connection.rollback()


def test_migrating_is_a_no_op_for_grants_on_sqlite(tmp_path: object) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/netra.db")
    try:
        from db.migrate import upgrade

        assert upgrade(engine) is True
        assert current_revisions(engine) == head_revisions()
    finally:
        engine.dispose()
