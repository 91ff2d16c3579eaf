"""The projection is always the fold of the events; the reporter is shown only to Bawaslu."""

from __future__ import annotations

from cases.integrity import projection_matches_replay, verify_chains
from cases.queries import get_case, list_cases, timeline
from db.case_repository import CaseFilter
from db.unit_of_work import UnitOfWork
from states.case import Case

DEMO = ["DEMO-PSR-1", "DEMO-KDR-1", "DEMO-PBL-1", "DEMO-SKB-1", "DEMO-BKS-1"]


def test_replaying_every_demo_case_equals_the_stored_projection(demo_uow: UnitOfWork) -> None:
    for case_id in DEMO:
        assert projection_matches_replay(demo_uow, case_id) == []
        with demo_uow:
            events = demo_uow.events.load(case_id)
            stored = demo_uow.cases.get(case_id)
        assert Case.replay(case_id, events).to_dict() == stored.to_dict()


def test_demo_cases_are_in_the_stages_they_model(demo_uow: UnitOfWork) -> None:
    states = {c.case_id: c.state for c in list_cases(demo_uow, "admin")}
    assert states == {
        "DEMO-PSR-1": "clarification",
        "DEMO-KDR-1": "recommended_to_ppk",
        "DEMO-PBL-1": "closed",
        "DEMO-SKB-1": "objection",
        "DEMO-BKS-1": "dismissed",
    }


def test_all_demo_chains_verify(demo_uow: UnitOfWork) -> None:
    report = verify_chains(demo_uow, "auditor")
    assert report.ok, report.breaks
    assert report.cases == 5


def test_reporter_identity_is_visible_to_bawaslu_only(demo_uow: UnitOfWork) -> None:
    bawaslu = get_case(demo_uow, "bawaslu.pasuruan", "DEMO-PSR-1")
    assert bawaslu.reporter is not None and bawaslu.reporter["name"] == "Yono Saputra"
    auditor = get_case(demo_uow, "auditor", "DEMO-PSR-1")
    assert auditor.reporter == {"redacted": True}
    history = timeline(demo_uow, "bkn.analis", "DEMO-PSR-1")
    assert "Yono" not in repr([event.payload for event in history])


def test_list_filters_by_state_and_overdue(demo_uow: UnitOfWork) -> None:
    from tests.conftest import wib

    only = list_cases(demo_uow, "admin", CaseFilter(state="objection"))
    assert [c.case_id for c in only] == ["DEMO-SKB-1"]
    overdue = list_cases(demo_uow, "admin", CaseFilter(overdue_at=wib("2024-11-25T00:00")))
    assert {c.case_id for c in overdue} == {"DEMO-KDR-1", "DEMO-PSR-1"}
    mine = list_cases(demo_uow, "bkpsdm.sukabumi")
    assert [c.case_id for c in mine] == ["DEMO-SKB-1"]


def test_a_damaged_projection_is_rebuilt_from_the_events(demo_uow: UnitOfWork) -> None:
    from sqlalchemy import update

    from cases.projection import rebuild_projection
    from db.schema import CaseRow

    with demo_uow:
        demo_uow.session.execute(
            update(CaseRow).where(CaseRow.id == "DEMO-SKB-1").values(state="closed")
        )
        demo_uow.commit()
    report = rebuild_projection(demo_uow, "admin")
    assert report.cases == 5 and report.changed == ["DEMO-SKB-1"]
    assert get_case(demo_uow, "admin", "DEMO-SKB-1").state == "objection"
    assert projection_matches_replay(demo_uow, "DEMO-SKB-1") == []


def test_search_rows_changed_behind_the_triggers_are_rebuilt(demo_uow: UnitOfWork) -> None:
    from sqlalchemy import delete, select, update

    from cases.projection import rebuild_projection
    from db.case_filter import CaseFilter
    from db.schema import CaseSearchRow

    def found(text: str) -> list[str]:
        with demo_uow:
            return [c.case_id for c in demo_uow.cases.iterate(CaseFilter(search=text))]

    with demo_uow:
        summary = demo_uow.session.scalar(
            select(CaseSearchRow.summary).where(CaseSearchRow.case_id == "DEMO-SKB-1")
        )
        demo_uow.session.execute(
            update(CaseSearchRow)
            .where(CaseSearchRow.case_id == "DEMO-SKB-1")
            .values(summary="disembunyikan", violation_codes=[])
        )
        demo_uow.session.execute(delete(CaseSearchRow).where(CaseSearchRow.case_id == "DEMO-KDR-1"))
        demo_uow.commit()
    assert summary and "DEMO-SKB-1" not in found(summary[:30])
    assert found("disembunyikan") == ["DEMO-SKB-1"]

    report = rebuild_projection(demo_uow, "admin")
    assert report.changed == ["DEMO-KDR-1", "DEMO-SKB-1"]
    assert "DEMO-SKB-1" in found(summary[:30])
    assert found("disembunyikan") == []
    assert rebuild_projection(demo_uow, "admin").changed == []
