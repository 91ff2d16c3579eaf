"""The deadline sweep: reminders and misses recorded exactly once, escalation as the law says."""

from __future__ import annotations

from sqlalchemy import func, select

from cases.digest import digest, notify_digest
from cases.integrity import projection_matches_replay, verify_chains
from cases.sweep import sweep, sweep_case
from db.schema import CaseEventRow, OutboxRow
from db.unit_of_work import UnitOfWork
from tests.cases.helpers import database_dump
from tests.conftest import wib
from tests.deadlines.builders import case_at_ppk


def _count(uow: UnitOfWork, case_id: str, event_type: str) -> int:
    with uow:
        return int(
            uow.session.execute(
                select(func.count())
                .select_from(CaseEventRow)
                .where(CaseEventRow.case_id == case_id, CaseEventRow.event_type == event_type)
            ).scalar_one()
        )


def _outbox(uow: UnitOfWork, case_id: str) -> list[tuple[int, str, str, str | None]]:
    with uow:
        rows = uow.session.execute(
            select(
                OutboxRow.case_seq,
                OutboxRow.kind,
                OutboxRow.recipient_role,
                OutboxRow.recipient_institution,
            )
            .where(OutboxRow.case_id == case_id)
            .order_by(OutboxRow.id)
        ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def test_running_the_sweep_twice_at_the_same_instant_writes_nothing_new(
    demo_uow: UnitOfWork,
) -> None:
    now = wib("2024-11-20T08:00")
    first = sweep(demo_uow, now)
    assert first.missed == ["DEMO-KDR-1"] and first.reminded == ["DEMO-PSR-1"]
    after_first = database_dump(demo_uow.engine)
    second = sweep(demo_uow, now)
    assert second.written == 0 and second.examined == 0
    assert database_dump(demo_uow.engine) == after_first
    # Sweeping a case by hand when nothing is due writes nothing either.
    assert sweep_case(demo_uow, "DEMO-KDR-1", now).written == 0
    assert database_dump(demo_uow.engine) == after_first


def test_reminder_then_miss_are_recorded_once_each_across_many_sweeps(
    demo_uow: UnitOfWork,
) -> None:
    case_at_ppk(demo_uow, "T-NOV", wib("2024-11-20T10:00"), "35.75")  # due Wed 11 Dec 2024
    instants = [
        "2024-12-06T08:00",  # before the reminder (start of Mon 9 Dec)
        "2024-12-09T00:00",  # reminder instant exactly
        "2024-12-09T08:00",
        "2024-12-10T16:00",
        "2024-12-11T23:59",  # still due today
        "2024-12-12T00:00",  # the deadline has passed
        "2024-12-12T00:00",
        "2024-12-12T08:00",
        "2024-12-13T08:00",
    ]
    for text in instants:
        sweep(demo_uow, wib(text))
    assert _count(demo_uow, "T-NOV", "deadline_reminded") == 1
    assert _count(demo_uow, "T-NOV", "deadline_missed") == 1
    assert _count(demo_uow, "T-NOV", "escalated") == 1
    kinds = [(kind, role, inst) for _, kind, role, inst in _outbox(demo_uow, "T-NOV")]
    assert kinds == [
        ("pengingat_tenggat", "ppk", "PEMDA-3575"),
        ("tenggat_terlampaui", "ppk", "PEMDA-3575"),
        ("eskalasi", "bkn", "BKN"),
    ]
    with demo_uow:
        events = demo_uow.events.load("T-NOV")
    reminded = next(e for e in events if e.event_type == "deadline_reminded")
    missed = next(e for e in events if e.event_type == "deadline_missed")
    assert reminded.occurred_at == wib("2024-12-09T00:00")
    assert missed.occurred_at == wib("2024-12-12T00:00")


def test_ppk_missing_the_follow_up_deadline_is_warned_then_blocked(demo_uow: UnitOfWork) -> None:
    now = wib("2024-11-20T08:00")  # DEMO-KDR-1 was due Thu 31 Oct 2024
    report = sweep_case(demo_uow, "DEMO-KDR-1", now)
    # Peraturan BKN 1/2023: a teguran comes before any blocking (issue 17)
    assert report.stepped == {"DEMO-KDR-1": "warn_ppk"}
    with demo_uow:
        case = demo_uow.cases.get("DEMO-KDR-1")
        events = demo_uow.events.load("DEMO-KDR-1")
    assert case.state == "ppk_warned" and not case.siasn_blocked
    start = next(i for i, e in enumerate(events) if e.event_type == "deadline_missed")
    recorded = events[start:]
    assert [(e.event_type, e.actor.user_id) for e in recorded[:5]] == [
        ("deadline_missed", "system"),
        ("escalated", "system"),
        ("deadline_met", "system"),
        ("ppk_warned", "system"),
        ("deadline_set", "system"),
    ]
    assert {e.event_type for e in recorded[5:]} <= {"letter_issued"}
    assert recorded[1].payload["kind"] == "teguran_ppk"
    assert recorded[2].payload["late"] is True
    # 5 working days after the teguran (a service level): 21, 22, 25, 26, 28 Nov (27: Pilkada)
    assert case.deadline is not None
    assert (case.deadline.state, case.deadline.due_on) == ("ppk_warned", "2024-11-28")
    assert case.deadline.basis == "service_level"

    report = sweep_case(demo_uow, "DEMO-KDR-1", wib("2024-11-29T08:00"))
    assert report.stepped == {"DEMO-KDR-1": "escalate_ppk"}
    with demo_uow:
        case = demo_uow.cases.get("DEMO-KDR-1")
        events = demo_uow.events.load("DEMO-KDR-1")
    assert case.state == "ppk_noncompliant" and case.siasn_blocked
    escalated = [e for e in events if e.event_type == "escalated"][-1]
    assert escalated.payload["kind"] == "blokir_siasn"
    assert escalated.payload["to"] == "bkn"
    # The PPK gets a new period, now with SIASN blocked: Fri 29 Nov + 14 working days.
    assert (case.deadline.state, case.deadline.due_on) == ("ppk_noncompliant", "2024-12-19")
    assert verify_chains(demo_uow, "auditor").ok
    assert projection_matches_replay(demo_uow, "DEMO-KDR-1") == []
    with demo_uow:
        rows = demo_uow.session.execute(
            select(OutboxRow.kind, OutboxRow.message).where(OutboxRow.case_id == "DEMO-KDR-1")
        ).all()
    text = "\n".join(message for _, message in rows)
    assert 'pada tahap "Rekomendasi BKN kepada PPK"' in text
    assert "Eskalasi perkara DEMO-KDR-1: Pemblokiran data kepegawaian dalam SIASN" in text
    assert "Teguran kepada PPK yang belum menindaklanjuti rekomendasi" in text
    for code in ("recommended_to_ppk", "ppk_warned", "blokir_siasn", "teguran_ppk"):
        assert code not in text


def test_a_stopped_clock_is_never_missed(demo_uow: UnitOfWork) -> None:
    from cases.deadlines import stop_clock

    stop_clock(demo_uow, "bkpsdm.sukabumi", "DEMO-SKB-1", "Menunggu BPASN", wib("2024-12-02T09:00"))
    sweep(demo_uow, wib("2025-03-01T08:00"))
    assert _count(demo_uow, "DEMO-SKB-1", "deadline_missed") == 0


def test_daily_digest_lists_due_and_late_cases_and_is_sent_once_a_day(
    demo_uow: UnitOfWork,
) -> None:
    case_at_ppk(demo_uow, "T-NOV", wib("2024-11-20T10:00"), "35.75")  # due 11 Dec
    case_at_ppk(demo_uow, "T-OLD", wib("2024-10-01T10:00"), "35.75")  # due long before
    result = digest(demo_uow, "PEMDA-3575", wib("2024-12-09T07:00"))
    assert [i.case_id for i in result.due] == ["T-NOV"]
    assert [i.case_id for i in result.late] == ["T-OLD"]
    assert "Ringkasan tenggat PEMDA-3575 per 9 Desember 2024" in result.message()
    assert notify_digest(demo_uow, result) is True
    assert notify_digest(demo_uow, result) is False
