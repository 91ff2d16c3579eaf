"""Replay-at and diff: a case as it stood at any instant, rebuilt from events only."""

from __future__ import annotations

from datetime import timedelta

from cases.queries import get_case, replay_at
from cases.replay import diff, summary
from db.unit_of_work import UnitOfWork
from states.case import Case
from tests.cases.helpers import open_kediri, step
from tests.conftest import wib

DEMO_CASES = ("DEMO-PSR-1", "DEMO-KDR-1", "DEMO-PBL-1", "DEMO-SKB-1", "DEMO-BKS-1")
BAWASLU, BKN = "bawaslu.kediri", "bkn.analis"


def test_replay_at_every_recorded_instant_equals_the_fold_up_to_it_for_every_demo_case(
    demo_uow: UnitOfWork,
) -> None:
    for case_id in DEMO_CASES:
        with demo_uow:
            events = demo_uow.events.load(case_id)
            stored = demo_uow.cases.get(case_id)
        for event in events:
            known = [e for e in events if e.recorded_at <= event.recorded_at]
            at = replay_at(demo_uow, "admin", case_id, event.recorded_at)
            assert at.to_dict() == Case.replay(case_id, known).to_dict(), (case_id, event.seq)
        final = replay_at(demo_uow, "admin", case_id, events[-1].recorded_at + timedelta(days=1))
        assert final.to_dict() == stored.to_dict()


def test_replay_at_equals_the_projection_captured_after_each_service_step(
    demo_uow: UnitOfWork,
) -> None:
    uow, cid = demo_uow, "T-REPLAY"
    captured = []
    moments = [
        wib("2024-11-18T09:00"),
        wib("2024-11-18T14:00"),
        wib("2024-11-19T09:00"),
        wib("2024-11-20T15:00"),
        wib("2024-11-21T10:00"),
        wib("2024-11-22T09:00"),
    ]
    open_kediri(uow, moments[0], cid)
    captured.append(get_case(uow, "admin", cid))
    step(uow, BAWASLU, cid, "register", moments[1], registration_number="7/Reg")
    captured.append(get_case(uow, "admin", cid))
    step(
        uow,
        BAWASLU,
        cid,
        "invite_clarification",
        moments[2],
        clarification_at="2024-11-20T10:00",
        clarification_place="Kantor Bawaslu Kota Kediri",
    )
    captured.append(get_case(uow, "admin", cid))
    step(uow, BAWASLU, cid, "assess", moments[3], clarification_summary="Semua hadir.")
    captured.append(get_case(uow, "admin", cid))
    step(
        uow,
        BAWASLU,
        cid,
        "recommend",
        moments[4],
        findings="Terbukti.",
        recommendation_number="12/PP.01.02/K.JI-26/11/2024",
    )
    captured.append(get_case(uow, "admin", cid))
    step(uow, BKN, cid, "bkn_accept", moments[5])
    captured.append(get_case(uow, "admin", cid))
    for moment, projection in zip(moments, captured, strict=True):
        for probe in (moment, moment + timedelta(minutes=30)):
            assert replay_at(uow, "admin", cid, probe).to_dict() == projection.to_dict()


def test_replay_answers_state_deadline_assignee_and_sanction_at_an_instant(
    demo_uow: UnitOfWork,
) -> None:
    before = summary(replay_at(demo_uow, "auditor", "DEMO-PBL-1", wib("2024-09-23T00:00")))
    after = summary(replay_at(demo_uow, "auditor", "DEMO-PBL-1", wib("2024-09-25T00:00")))
    assert before["state"] == "ethics_hearing" and before["sanction_code"] is None
    assert before["deadline"]["owner"] == "ppk"
    assert after["state"] == "sanction_imposed" and after["sanction_code"] == "moral_terbuka"
    assert after["assignee"] == "bawaslu.probolinggo"


def test_diff_names_each_changed_field_and_the_events_between(demo_uow: UnitOfWork) -> None:
    result = diff(
        demo_uow, "auditor", "DEMO-PBL-1", wib("2024-09-23T00:00"), wib("2024-09-25T00:00")
    )
    changes = {c.path: (c.before, c.after) for c in result.changes}
    assert changes["state"] == ("ethics_hearing", "sanction_imposed")  # Majelis Kode Etik
    assert changes["sanction_code"] == (None, "moral_terbuka")
    assert changes["deadline.state"] == ("ethics_hearing", "sanction_imposed")
    assert [e.event_type for e in result.events][:3] == [
        "deadline_met",
        "ethics_decided",
        "deadline_set",
    ]
    assert all(result.before.version < e.seq <= result.after.version for e in result.events)


def test_diff_from_before_the_case_existed_starts_from_nothing(demo_uow: UnitOfWork) -> None:
    result = diff(
        demo_uow, "auditor", "DEMO-BKS-1", wib("2024-01-01T00:00"), wib("2024-10-21T11:00")
    )
    changes = {c.path: c.after for c in result.changes}
    assert result.before.version == 0 and changes["state"] == "received"
    assert result.after.reporter == {"redacted": True}  # auditors never see the reporter
