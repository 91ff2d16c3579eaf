"""The single-row lookups read the same records through SQLAlchemy Core and through the
sqlite3 driver, name only columns the schema has, and write instants as SQLAlchemy does."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from cases.demo import load_demo
from cases.identity.tokens import create_token
from db import lookups
from db.core_rows import CoreRows
from db.engine import make_engine
from db.identity_records import API_TOKEN_FIELDS
from db.migrate import upgrade
from db.registry_records import INSTITUTION_FIELDS, OFFICER_FIELDS
from db.rows import Rows
from db.schema import ApiTokenRow, CaseRow, InstitutionRow, OfficerRow, table_of
from db.sqlite_rows import SqliteRows, sqlite_file, sqlite_reads
from db.unit_of_work import UnitOfWork
from rules.errors import NotFound


@pytest.fixture
def demo(tmp_path: Path) -> tuple[str, Engine, str]:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    engine = make_engine(url)
    upgrade(engine)
    load_demo(UnitOfWork(engine))
    token, _ = create_token(UnitOfWork(engine), "bawaslu.probolinggo", "lookup test", 1)
    return url, engine, token.id


def test_lookups_name_only_the_schemas_columns() -> None:
    for fields, row in (
        (OFFICER_FIELDS, OfficerRow),
        (INSTITUTION_FIELDS, InstitutionRow),
        (API_TOKEN_FIELDS, ApiTokenRow),
        (("id", "snapshot"), CaseRow),
    ):
        assert set(fields) <= set(table_of(row).c.keys())


def _records(rows: Rows, token_id: str) -> list[object]:
    found: list[object] = [lookups.officer(rows, o) for o in ("admin", "bawaslu.probolinggo")]
    found += [lookups.institution(rows, code) for code in ("BAWASLU-3513", "BKN", "PEMDA-3513")]
    found += [lookups.token(rows, token_id), lookups.token(rows, "nope")]
    found.append(lookups.case_snapshot(rows, "DEMO-PBL-1").to_dict())
    with pytest.raises(NotFound):
        lookups.case_snapshot(rows, "NOPE")
    return found


def test_sqlite_driver_and_core_read_the_same_records(demo: tuple[str, Engine, str]) -> None:
    url, engine, token_id = demo
    path = sqlite_file(url)
    assert path is not None
    direct = SqliteRows(path)
    through_driver = _records(direct, token_id)
    direct.close()
    with engine.connect() as connection:
        assert _records(CoreRows(connection), token_id) == through_driver
    assert through_driver[1].active is True  # type: ignore[attr-defined]


def test_an_instant_written_by_the_driver_reads_back_through_the_orm_store(
    demo: tuple[str, Engine, str],
) -> None:
    url, engine, token_id = demo
    path = sqlite_file(url)
    assert path is not None
    moment = datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
    direct = SqliteRows(path)
    lookups.touch_token(direct, token_id, moment)
    direct.commit()
    direct.close()
    uow = UnitOfWork(engine)
    with uow:
        stored = uow.identity.token(token_id)
    assert stored is not None and stored.last_used_at == moment
    with engine.connect() as connection:
        lookups.touch_token(CoreRows(connection), token_id, moment)
        connection.commit()
    direct = SqliteRows(path)
    assert lookups.token(direct, token_id) == stored
    direct.close()


@pytest.mark.parametrize(
    "url",
    [
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:///file.db?mode=ro",
        "sqlite:///a%20b.db",
        "postgresql://u@h/db",
        "sqlite+aiosqlite:///x.db",
    ],
)
def test_only_a_plain_sqlite_file_url_takes_the_driver_path(url: str) -> None:
    assert sqlite_file(url) is None
    assert sqlite_reads(url) is None


def test_a_missing_file_is_left_to_sqlalchemy_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "missing.db"
    assert sqlite_reads(f"sqlite:///{path}") is None
    assert not path.exists()


def test_a_database_not_at_the_heads_is_left_to_sqlalchemy(
    demo: tuple[str, Engine, str],
) -> None:
    url, engine, _ = demo
    assert sqlite_reads(url) is not None
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM alembic_version")
        connection.exec_driver_sql("INSERT INTO alembic_version VALUES ('0001')")
    assert sqlite_reads(url) is None
