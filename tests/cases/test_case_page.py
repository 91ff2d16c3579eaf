"""The case page's data (`cases.case_page`): the same content, authorization and redaction as
the seven services the page used to ask one by one, read in one transaction that on
PostgreSQL sees one snapshot (REPEATABLE READ, READ ONLY) and hands its pooled connection
back READ COMMITTED and read-write."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from psycopg.errors import ActiveSqlTransaction
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import DBAPIError

from cases import commands, letters, queries
from cases.case_page import CasePageView, case_page
from cases.demo import load_demo
from cases.demo_registry import BKN_ID
from cases.evidence.service import add_evidence, list_evidence, may_add_evidence
from cases.policy import Action
from cases.step_forms import allowed_steps
from db.engine import make_engine
from db.unit_of_work import UnitOfWork
from rules.errors import NotFound, PermissionDenied
from tests.cases.helpers import database_dump
from tests.conftest import wib
from tests.evidence.files import pdf_scan, png_screenshot

NOW = wib("2024-11-25T10:00")
PSR = "DEMO-PSR-1"  # Kota Pasuruan, a laporan (with a reporter) in clarification
KDR = "DEMO-KDR-1"  # Kota Kediri, a temuan with letters, recommended to its PPK


@pytest.fixture
def demo(demo_uow: UnitOfWork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> UnitOfWork:
    """The demo cases, with a note and two evidence files on Pasuruan's, one of them internal
    to Bawaslu (it may identify the reporter)."""
    monkeypatch.setenv("NETRA_EVIDENCE_DIR", str(tmp_path / "bukti"))
    who = "bawaslu.pasuruan"
    for data, name, internal in (
        (pdf_scan(), "ktp-pelapor.pdf", True),
        (png_screenshot(), "tangkapan.png", False),
    ):
        add_evidence(demo_uow, who, PSR, io.BytesIO(data), name, "Bukti", NOW, internal=internal)
    commands.add_note(demo_uow, who, PSR, "Menunggu dokumen klarifikasi", NOW)
    return demo_uow


def separately(uow: UnitOfWork, officer_id: str, case_id: str) -> CasePageView:
    """What the page used to gather: seven services, seven units of work."""
    case = queries.get_case(uow, officer_id, case_id)
    return CasePageView(
        case=case,
        permitted=queries.permitted_actions(uow, officer_id, case, Action.NOTE, Action.REASSIGN),
        timeline=queries.timeline(uow, officer_id, case_id),
        steps=allowed_steps(uow, officer_id, case, NOW),
        letters=letters.list_letters(uow, officer_id, case_id),
        evidence=list_evidence(uow, officer_id, case_id),
        may_add_evidence=may_add_evidence(uow, officer_id, case_id),
    )


@pytest.mark.parametrize(
    ("officer_id", "case_id"),
    [
        ("bawaslu.pasuruan", PSR),
        (BKN_ID, PSR),
        ("auditor", PSR),
        ("bawaslu.kediri", KDR),
        ("bkpsdm.kediri", KDR),
        ("auditor", KDR),
        ("admin", PSR),
        ("auditor", "DEMO-SKB-1"),  # a case through to its sanction, with its letters
    ],
)
def test_the_page_shows_what_the_seven_services_return(
    demo: UnitOfWork, officer_id: str, case_id: str
) -> None:
    assert case_page(demo, officer_id, case_id, NOW) == separately(demo, officer_id, case_id)


def test_the_reporter_and_internal_evidence_stay_within_bawaslu(demo: UnitOfWork) -> None:
    own = case_page(demo, "bawaslu.pasuruan", PSR, NOW)
    auditor = case_page(demo, "auditor", PSR, NOW)
    assert "Yono Saputra" in repr(own.case.reporter) and "Yono" in repr(own.timeline)
    assert auditor.case.reporter == {"redacted": True} and "Yono" not in repr(auditor)
    assert [e.label for e in own.evidence] == ["B1", "B2"]
    assert [e.label for e in auditor.evidence] == ["B2"]
    added = [e.payload["file_name"] for e in auditor.timeline if e.event_type == "evidence_added"]
    assert added == ["(internal Bawaslu)", "tangkapan.png"]
    assert own.permitted == {Action.NOTE, Action.REASSIGN} and own.steps and own.may_add_evidence
    assert auditor.permitted == frozenset() and auditor.steps == []
    assert not auditor.may_add_evidence


def test_the_page_answers_the_kediri_ppk_with_its_letters(demo: UnitOfWork) -> None:
    view = case_page(demo, "bkpsdm.kediri", KDR, NOW)
    assert view.letters and view.steps and not view.may_add_evidence


@pytest.mark.parametrize(
    ("officer_id", "case_id", "refusal"),
    [
        ("bawaslu.kediri", PSR, PermissionDenied),  # another region's Bawaslu
        ("bkpsdm.pasuruan", PSR, PermissionDenied),  # a PPK the case is not addressed to
        ("bawaslu.pasuruan", "DEMO-XXX-9", NotFound),
        ("nobody", PSR, NotFound),
    ],
)
def test_a_refused_reader_gets_the_same_refusal_and_nothing_is_written(
    demo: UnitOfWork, officer_id: str, case_id: str, refusal: type[Exception]
) -> None:
    before = database_dump(demo.engine)
    with pytest.raises(refusal) as before_error:
        queries.get_case(demo, officer_id, case_id)
    with pytest.raises(refusal) as page_error:
        case_page(demo, officer_id, case_id, NOW)
    assert str(page_error.value) == str(before_error.value)
    assert database_dump(demo.engine) == before


# --- PostgreSQL: one snapshot ----------------------------------------------------------


@pytest.fixture
def pg_demo(pg_engine: Engine) -> Iterator[Engine]:
    """The demo data on PostgreSQL, behind an engine whose pool holds one connection: every
    transaction on it runs on the same pooled connection."""
    load_demo(UnitOfWork(pg_engine))
    single = make_engine(
        pg_engine.url.render_as_string(hide_password=False), pool_size=1, max_overflow=0
    )
    yield single
    single.dispose()


# what SHOW transaction_isolation and SHOW transaction_read_only say, and which connection
MODE = (
    "SELECT current_setting('transaction_isolation'), "
    "current_setting('transaction_read_only'), pg_backend_pid()"
)


def test_the_page_reads_in_one_repeatable_read_read_only_transaction(pg_demo: Engine) -> None:
    seen: list[tuple[str, str, int]] = []

    def after(_conn: Any, cursor: Any, *_args: Any) -> None:  # each statement of the page
        seen.append(tuple(cursor.connection.execute(MODE).fetchone()))

    event.listen(pg_demo, "after_cursor_execute", after)
    try:
        view = case_page(UnitOfWork(pg_demo), "bawaslu.pasuruan", PSR, NOW)
    finally:
        event.remove(pg_demo, "after_cursor_execute", after)
    assert view.case.case_id == PSR and len(seen) >= 5
    assert set(seen) == {("repeatable read", "on", seen[0][2])}

    after_page = UnitOfWork(pg_demo)
    with after_page:
        mode = after_page.session.execute(text(MODE)).one()
    assert tuple(mode) == ("read committed", "off", seen[0][2])  # the same connection
    noted = commands.add_note(UnitOfWork(pg_demo), "bawaslu.pasuruan", PSR, "Tulis lagi", NOW)
    assert noted.version == view.case.version + 1  # read-write again on that connection


def test_a_step_committed_between_two_reads_is_not_seen_by_the_snapshot(
    pg_engine: Engine,
) -> None:
    load_demo(UnitOfWork(pg_engine))
    for one_snapshot, moved in ((True, False), (False, True)):
        page = UnitOfWork(pg_engine)
        with page:
            if one_snapshot:
                page.read_one_snapshot()
            first = page.cases.get(PSR).version
            commands.add_note(UnitOfWork(pg_engine), "bawaslu.pasuruan", PSR, "Di antara", NOW)
            second = page.cases.get(PSR).version
            events = page.events.load(PSR)
        assert (second != first) is moved
        assert len(events) == second  # the timeline always matches the case it shows


def test_the_snapshot_transaction_refuses_writes_and_must_come_first(pg_engine: Engine) -> None:
    load_demo(UnitOfWork(pg_engine))
    uow = UnitOfWork(pg_engine)
    touch = text("UPDATE cases SET version = version WHERE id = :id")
    with uow:
        uow.read_one_snapshot()
        with pytest.raises(DBAPIError, match="read-only transaction"):
            uow.session.execute(touch, {"id": PSR})
    with uow:
        uow.cases.get(PSR)
        with pytest.raises(ActiveSqlTransaction, match="before any query"):
            uow.read_one_snapshot()  # too late: the transaction has read already
