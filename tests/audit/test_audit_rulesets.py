"""Rule-set versions: cases keep theirs, what-if shows the differences, migration is recorded."""

from __future__ import annotations

import pytest

from cases.commands import advance
from cases.queries import get_case, timeline
from cases.whatif import migrate_rule_set, whatif
from db.unit_of_work import UnitOfWork
from rules.errors import InvalidInput, PermissionDenied
from rules.ruleset import available_versions, version_in_force
from tests.cases.helpers import open_kediri, step
from tests.conftest import wib

DEMO_CASES = ("DEMO-PSR-1", "DEMO-KDR-1", "DEMO-PBL-1", "DEMO-SKB-1", "DEMO-BKS-1")


def test_a_new_rule_set_is_installed_without_changing_running_cases(
    demo_uow: UnitOfWork,
) -> None:
    # 2023.x: the law before KASN's role passed to BKN (issue 17)
    assert available_versions() == ["2023.1", "2023.2", "2024.1", "2025.1", "2026.1"]
    for case_id in DEMO_CASES:
        case = get_case(demo_uow, "auditor", case_id)
        assert case.rule_set == "2024.1"
        assert {e.rule_set for e in timeline(demo_uow, "auditor", case_id)} == {"2024.1"}
    assert version_in_force(wib("2025-06-30T12:00").date()) == "2024.1"
    later = open_kediri(
        demo_uow,
        wib("2025-07-07T09:00"),
        "T-2025",
        received_at="2025-07-07T09:00",
        known_at="2025-07-04T08:00",
        incident_at="2025-07-03T19:00",
    )
    assert later.rule_set == "2025.1"
    # 2026.1 (the examiner's pangkat on the summons) only for cases opened from 2027
    assert version_in_force(wib("2026-12-31T23:00").date()) == "2025.1"
    assert version_in_force(wib("2027-01-01T08:00").date()) == "2026.1"


def test_whatif_under_the_recorded_rules_reproduces_every_demo_case_exactly(
    demo_uow: UnitOfWork,
) -> None:
    for case_id in DEMO_CASES:
        report = whatif(demo_uow, "auditor", case_id, "2024.1")
        assert report.differences == [], (case_id, [s.to_dict() for s in report.differences])


def test_whatif_under_2025_shortens_the_ppk_follow_up_to_ten_working_days(
    demo_uow: UnitOfWork,
) -> None:
    report = whatif(demo_uow, "auditor", "DEMO-KDR-1", "2025.1")
    [difference] = report.differences
    assert difference.action == "bkn_recommend" and difference.allowed
    assert difference.recorded_state == difference.alternative_state == "recommended_to_ppk"
    # 11 Oct 2024 + 14 working days = 31 Oct; + 10 working days = 25 Oct.
    assert (difference.recorded_due_on, difference.alternative_due_on) == (
        "2024-10-31",
        "2024-10-25",
    )


def test_whatif_reports_a_step_the_other_rules_refuse(demo_uow: UnitOfWork) -> None:
    open_kediri(demo_uow, wib("2024-11-18T09:00"), "T-DISMISS")
    step(
        demo_uow,
        "bawaslu.kediri",
        "T-DISMISS",
        "register",
        wib("2024-11-18T14:00"),
        registration_number="9/Reg",
    )
    step(
        demo_uow,
        "bawaslu.kediri",
        "T-DISMISS",
        "dismiss",
        wib("2024-11-19T10:00"),
        reason="Bukan pelanggaran netralitas.",
    )
    report = whatif(demo_uow, "auditor", "T-DISMISS", "2025.1")
    [refused] = report.differences
    assert refused.action == "dismiss" and not refused.allowed
    assert refused.reason and "[langkah tidak diizinkan]" in refused.reason
    assert 'pada status "Diregistrasi"' in refused.reason and "registered" not in refused.reason


def test_whatif_reports_lateness_the_shorter_period_would_have_caused(
    demo_uow: UnitOfWork,
) -> None:
    report = whatif(demo_uow, "auditor", "DEMO-SKB-1", "2025.1")
    summon = next(s for s in report.steps if s.action == "summon")
    # BKN recommended on 22 Oct; PPK summoned on 24 Oct: in time under both rule-sets.
    assert summon.recorded_late is False and summon.alternative_late is False
    open_kediri(demo_uow, wib("2024-11-18T09:00"), "T-LATE")
    for trigger, when, data in (
        ("register", "2024-11-18T14:00", {"registration_number": "1/Reg"}),
        (
            "invite_clarification",
            "2024-11-19T09:00",
            {"clarification_at": "2024-11-20T10:00", "clarification_place": "Kantor"},
        ),
        ("assess", "2024-11-20T15:00", {"clarification_summary": "Hadir."}),
        ("recommend", "2024-11-21T10:00", {"findings": "Terbukti.", "recommendation_number": "1"}),
    ):
        advance(demo_uow, "bawaslu.kediri", "T-LATE", trigger, data, wib(when))
    advance(demo_uow, "bkn.analis", "T-LATE", "bkn_accept", {}, wib("2024-11-22T09:00"))
    advance(
        demo_uow,
        "bkn.analis",
        "T-LATE",
        "bkn_recommend",
        {
            "sanction_category": "disiplin_berat",
            "ppk_institution": "PEMDA-3571",
            "bkn_letter_number": "B-1/KP.10/11/2024",
        },
        wib("2024-11-25T10:00"),
    )
    advance(
        demo_uow,
        "bkpsdm.kediri",
        "T-LATE",
        "summon",
        {
            "examination_at": "2024-12-23T09:00",
            "examination_place": "BKPSDM",
            "examiner_name": "Nur Aini",
            "examiner_nip": "198302142008012002",
            "examination_team": "Nur Aini, Yusuf",
        },
        wib("2024-12-11T09:00"),
    )
    late = next(
        s for s in whatif(demo_uow, "auditor", "T-LATE", "2025.1").steps if s.action == "summon"
    )
    assert late.recorded_late is False and late.alternative_late is True


def test_migration_is_recorded_and_recomputes_the_running_deadline(
    demo_uow: UnitOfWork,
) -> None:
    with pytest.raises(PermissionDenied):
        migrate_rule_set(
            demo_uow, "auditor", "DEMO-KDR-1", "2025.1", "uji", wib("2024-10-14T09:00")
        )
    with pytest.raises(InvalidInput):
        migrate_rule_set(demo_uow, "admin", "DEMO-KDR-1", "2025.1", " ", wib("2024-10-14T09:00"))
    case = migrate_rule_set(
        demo_uow,
        "admin",
        "DEMO-KDR-1",
        "2025.1",
        "Surat edaran BKN tentang tindak lanjut 10 hari kerja",
        wib("2024-10-14T09:00"),
    )
    assert case.rule_set == "2025.1"
    assert case.deadline is not None and case.deadline.due_on == "2024-10-25"
    events = timeline(demo_uow, "auditor", "DEMO-KDR-1")
    migrated = next(e for e in events if e.event_type == "rule_set_migrated")
    assert migrated.payload["from"] == "2024.1" and migrated.payload["to"] == "2025.1"
    assert events[-1].event_type == "deadline_recomputed"
    assert events[-1].payload["previous_due_on"] == "2024-10-31"
    with pytest.raises(InvalidInput):
        migrate_rule_set(demo_uow, "admin", "DEMO-KDR-1", "2025.1", "lagi", wib("2024-10-14T10:00"))
    after = step(
        demo_uow,
        "bkpsdm.kediri",
        "DEMO-KDR-1",
        "summon",
        wib("2024-10-15T09:00"),
        examination_at="2024-10-25T09:00",
        examination_place="BKPSDM Kota Kediri",
        examiner_name="Nur Aini Kediri",
        examiner_nip="198302142008012002",
        examination_team="Nur Aini Kediri, Yusuf",
    )
    assert after.rule_set == "2025.1"
    assert timeline(demo_uow, "auditor", "DEMO-KDR-1")[-1].rule_set == "2025.1"
