"""`case_search` (migration 0120): the case list's search data, kept by triggers on `cases`.

It always equals what the projection holds (terlapor name, the snapshot's summary, the
violation codes), on both dialects; a step that changes none of them writes nothing to it;
the case list finds cases through it; on PostgreSQL its GIN indexes are the only ones left
on that data (none on `cases`), the snapshot is `json` (migration 0121), and the migrations
go down and up again keeping every case findable.
"""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from sqlalchemy import Engine, text

from cases.commands import advance
from db.case_filter import CaseFilter
from db.unit_of_work import UnitOfWork
from tests.cases.helpers import open_kediri, step
from tests.conftest import migrate_to, wib

BAWASLU = "bawaslu.kediri"


def _to_assessment(uow: UnitOfWork) -> None:
    open_kediri(
        uow, wib("2024-11-18T09:00"), summary="Terlapor memasang baliho bergambar kucing oranye."
    )
    step(uow, BAWASLU, "T-1", "register", wib("2024-11-18T10:00"), registration_number="1")
    step(
        uow,
        BAWASLU,
        "T-1",
        "invite_clarification",
        wib("2024-11-18T11:00"),
        clarification_at="2024-11-19T10:00",
        clarification_place="Kantor Bawaslu Kota Kediri",
    )
    step(uow, BAWASLU, "T-1", "assess", wib("2024-11-19T15:00"), clarification_summary="Hadir.")


def _json(value: Any) -> Any:
    return orjson.loads(value) if isinstance(value, str | bytes) else value


def _search_rows(engine: Engine) -> dict[str, tuple[str, str, str, list[str]]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT case_id, terlapor_nip, terlapor_name, summary, violation_codes"
                " FROM case_search"
            )
        ).all()
    return {r[0]: (r[1], r[2], r[3], _json(r[4])) for r in rows}


def _projected(engine: Engine) -> dict[str, tuple[str, str, str, list[str]]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT id, terlapor_nip, terlapor_name, snapshot, violation_codes FROM cases")
        ).all()
    return {r[0]: (r[1], r[2], _json(r[3])["summary"], _json(r[4])) for r in rows}


def _found(uow: UnitOfWork, **wanted: Any) -> list[str]:
    with uow:
        return [c.case_id for c in uow.cases.iterate(CaseFilter(**wanted))]


def test_search_rows_follow_the_projection_and_the_list_finds_through_them(
    demo_uow: UnitOfWork, engine: Engine
) -> None:
    _to_assessment(demo_uow)
    assert _search_rows(engine) == _projected(engine)
    assert len(_search_rows(engine)) >= 6  # the demo's cases and T-1

    # the recommendation names the codes the assessment found: the search row follows
    advance(
        demo_uow,
        BAWASLU,
        "T-1",
        "recommend",
        {"findings": "Terbukti.", "violation_codes": ["NET-05", "NET-09"]},
        wib("2024-11-20T10:00"),
    )
    assert _search_rows(engine)["T-1"][3] == ["NET-05", "NET-09"]
    assert _search_rows(engine) == _projected(engine)

    assert "T-1" in _found(demo_uow, violation_code="NET-09")
    assert "T-1" not in _found(demo_uow, violation_code="NET-13")
    assert "T-1" in _found(demo_uow, search="KUCING oranye")  # summary, any case
    nip, name = _projected(engine)["T-1"][:2]
    assert "T-1" in _found(demo_uow, search=name.upper()[2:-2])  # a part of the name
    assert "T-1" in _found(demo_uow, search=nip)
    assert "T-1" in _found(demo_uow, search="T-1")
    assert "T-1" in _found(demo_uow, terlapor_nip=nip)
    assert "T-1" not in _found(demo_uow, terlapor_nip=nip[:-1])
    assert "T-1" not in _found(demo_uow, search="tidak ada kata ini")
    assert "T-1" not in _found(demo_uow, search="%")  # wildcards are text, not patterns


def test_the_case_list_page_filter_reads_the_same_rows(demo_uow: UnitOfWork) -> None:
    _to_assessment(demo_uow)
    with demo_uow:
        page = list(demo_uow.cases.iterate(CaseFilter(search="kucing oranye"), limit=10))
        assert [c.case_id for c in page] == ["T-1"]
        assert demo_uow.cases.count(CaseFilter(search="kucing oranye")) == 1


@pytest.mark.postgres
def test_a_step_that_changes_no_search_value_writes_no_search_row(pg_engine: Engine) -> None:
    from cases.demo import load_demo

    uow = UnitOfWork(pg_engine)
    load_demo(uow)
    open_kediri(uow, wib("2024-11-18T09:00"))

    def row_version() -> str:
        with pg_engine.connect() as connection:
            return str(
                connection.execute(
                    text("SELECT xmin::text FROM case_search WHERE case_id = 'T-1'")
                ).scalar_one()
            )

    before = row_version()
    step(uow, BAWASLU, "T-1", "register", wib("2024-11-18T10:00"), registration_number="1")
    assert row_version() == before


@pytest.mark.postgres
def test_postgresql_indexes_search_data_only_in_case_search(pg_engine: Engine) -> None:
    with pg_engine.connect() as connection:
        gin = dict(
            connection.execute(
                text(
                    "SELECT c.relname, t.relname FROM pg_index i"
                    " JOIN pg_class c ON c.oid = i.indexrelid"
                    " JOIN pg_class t ON t.oid = i.indrelid"
                    " JOIN pg_am a ON a.oid = c.relam"
                    " WHERE a.amname = 'gin' AND t.relnamespace = current_schema()::regnamespace"
                )
            ).all()
        )
        snapshot_type = connection.execute(
            text(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                " WHERE attrelid = 'cases'::regclass AND attname = 'snapshot'"
            )
        ).scalar_one()
    assert "cases" not in gin.values()
    with pg_engine.connect() as connection:
        nip_indexes = connection.execute(
            # this schema's indexes first (materialized), then their definitions: pg_indexes
            # would read every schema's, and another test may be dropping its schema meanwhile
            text(
                "WITH mine AS MATERIALIZED (SELECT i.indexrelid, t.relname AS tablename"
                " FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid"
                " WHERE t.relnamespace = current_schema()::regnamespace)"
                " SELECT tablename FROM mine"
                " WHERE pg_get_indexdef(indexrelid) LIKE '%(terlapor_nip)%'"
            )
        ).scalars()
        assert list(nip_indexes) == ["case_search"]
    assert gin.get("ix_case_search_violation_codes") == "case_search"
    trigram = {"ix_case_search_name_trgm", "ix_case_search_summary_trgm"}
    assert trigram <= set(gin) or not trigram & set(gin)  # both, or no pg_trgm on the server
    assert snapshot_type == "json"


def test_migrations_0120_and_0121_go_down_and_up_keeping_every_case_findable(
    engine: Engine,
) -> None:
    from cases.demo import load_demo

    uow = UnitOfWork(engine)
    load_demo(uow)
    _to_assessment(uow)
    before = _projected(engine)
    found = _found(uow, search="kucing oranye")
    assert found == ["T-1"]

    migrate_to(engine, "downgrade", "0119")
    with engine.connect() as connection:
        tables = connection.execute(text("SELECT * FROM cases")).keys()
        assert "terlapor_nip" in tables
        with pytest.raises(Exception, match="case_search"):
            connection.execute(text("SELECT count(*) FROM case_search"))
    assert _projected(engine) == before
    assert _found(UnitOfWork(engine), state="assessment")  # the projection still reads

    migrate_to(engine, "upgrade", "heads")
    assert _projected(engine) == before
    assert _search_rows(engine) == before
    assert _found(UnitOfWork(engine), search="kucing oranye") == found
    assert _found(UnitOfWork(engine), terlapor_nip=before["T-1"][0]) == found
