"""Every lifecycle step and guard, through the public services, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from cases.commands import advance
from db.unit_of_work import UnitOfWork
from rules.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from states.case import Case
from tests.cases.helpers import open_kediri, step
from tests.conftest import wib

BAWASLU, BKN, PPK = "bawaslu.kediri", "bkn.analis", "bkpsdm.kediri"


def _to_bkn(uow: UnitOfWork, case_id: str = "T-1") -> Case:
    open_kediri(uow, wib("2024-11-18T09:00"), case_id)
    step(uow, BAWASLU, case_id, "register", wib("2024-11-18T14:00"), registration_number="7/Reg")
    step(
        uow,
        BAWASLU,
        case_id,
        "invite_clarification",
        wib("2024-11-19T09:00"),
        clarification_at="2024-11-20T10:00",
        clarification_place="Kantor Bawaslu Kota Kediri",
    )
    step(
        uow,
        BAWASLU,
        case_id,
        "assess",
        wib("2024-11-20T15:00"),
        clarification_summary="Pelapor dan terlapor hadir.",
    )
    return step(
        uow,
        BAWASLU,
        case_id,
        "recommend",
        wib("2024-11-21T10:00"),
        findings="Terbukti membagikan konten pemenangan.",
        recommendation_number="12/PP.01.02/K.JI-26/11/2024",
    )


def _to_ppk(uow: UnitOfWork, case_id: str = "T-1") -> Case:
    _to_bkn(uow, case_id)
    step(uow, BKN, case_id, "bkn_accept", wib("2024-11-22T09:00"))
    return step(
        uow,
        BKN,
        case_id,
        "bkn_recommend",
        wib("2024-11-25T10:00"),
        sanction_category="disiplin_berat",
        ppk_institution="PEMDA-3571",
        bkn_letter_number="B-100/KP.10/11/2024",
    )


def _to_examined(uow: UnitOfWork, case_id: str = "T-1") -> Case:
    _to_ppk(uow, case_id)
    step(
        uow,
        PPK,
        case_id,
        "summon",
        wib("2024-11-28T09:00"),
        examination_at="2024-12-09T09:00",
        examination_place="BKPSDM Kota Kediri",
        examiner_name="Nur Aini",
        examiner_nip="198302142008012002",
        examination_team="Nur Aini, Yusuf, Lina",  # berat recommended: team at the order
    )
    step(
        uow,
        PPK,
        case_id,
        "second_summons",
        wib("2024-12-09T13:00"),
        examination_at="2024-12-16T09:00",
    )
    return step(
        uow,
        PPK,
        case_id,
        "record_examination",
        wib("2024-12-16T12:00"),
        attended="tidak",
        findings="Terlapor dua kali tidak hadir; diputus atas bukti.",
    )


def test_full_path_from_laporan_to_closed_with_banding(demo_uow: UnitOfWork) -> None:
    uow = demo_uow
    case = _to_bkn(uow)
    assert case.state == "recommended_to_bkn"
    assert case.deadline is not None and case.deadline.owner == "bkn"
    case = _to_examined(uow, "T-2")
    assert case.state == "examined" and len(case.summons) == 2
    case = step(
        uow,
        PPK,
        "T-2",
        "impose_sanction",
        wib("2024-12-18T10:00"),
        sanction_code="berat_pdhtaps",
        decree_number="800/1/2024",
        decree_date="2024-12-18",
    )
    assert case.state == "sanction_imposed" and case.sanction_code == "berat_pdhtaps"
    case = step(
        uow, PPK, "T-2", "deliver_decree", wib("2024-12-19T10:00"), delivered_at="2024-12-19T09:00"
    )
    assert case.state == "objection_window"  # a dismissal can be appealed to BPASN (banding)
    case = step(
        uow, PPK, "T-2", "file_appeal", wib("2024-12-20T10:00"), filed_at="2024-12-20T09:00"
    )
    assert case.state == "appeal"
    case = step(
        uow,
        BKN,
        "T-2",
        "decide_appeal",
        wib("2025-01-10T10:00"),
        outcome="dikuatkan",
        bpasn_decision_number="BPASN/1/2025",
        bpasn_decision_date="2025-01-09",
    )
    assert case.state == "sanction_final"
    case = step(
        uow, PPK, "T-2", "execute_sanction", wib("2025-01-13T10:00"), executed_at="2025-01-13T08:00"
    )
    case = step(
        uow, PPK, "T-2", "report_follow_up", wib("2025-01-14T10:00"), report_number="800/9/2025"
    )
    assert case.state == "closed" and case.closed_at and case.deadline is None
    assert case.outcome == "closed"


def test_ppk_follow_up_deadline_counts_working_days_across_pilkada_day(
    demo_uow: UnitOfWork,
) -> None:
    case = _to_ppk(demo_uow)
    assert case.deadline is not None
    # 14 working days after Mon 25 Nov 2024, skipping Wed 27 Nov (Pilkada day):
    # 26, 28, 29 Nov, 2-6 Dec, 9-13 Dec, 16 Dec.
    assert case.deadline.due_on == "2024-12-16"
    assert case.deadline.owner == "ppk"


def test_late_laporan_cannot_be_registered_but_can_be_declined(demo_uow: UnitOfWork) -> None:
    open_kediri(
        demo_uow,
        wib("2024-11-18T09:00"),
        known_at="2024-11-08T08:00",
        incident_at="2024-11-08T07:00",
    )
    with pytest.raises(TransitionNotAllowed, match="daluwarsa"):
        step(demo_uow, BAWASLU, "T-1", "register", wib("2024-11-18T10:00"), registration_number="1")
    case = step(
        demo_uow,
        BAWASLU,
        "T-1",
        "decline",
        wib("2024-11-18T10:00"),
        reason="Laporan melewati 7 hari sejak diketahui",
    )
    assert case.state == "not_registered" and case.closed_at


def test_clarification_needs_at_least_one_day_notice(demo_uow: UnitOfWork) -> None:
    open_kediri(demo_uow, wib("2024-11-18T09:00"))
    step(demo_uow, BAWASLU, "T-1", "register", wib("2024-11-18T10:00"), registration_number="1")
    with pytest.raises(InvalidInput, match="satu hari"):
        step(
            demo_uow,
            BAWASLU,
            "T-1",
            "invite_clarification",
            wib("2024-11-18T11:00"),
            clarification_at="2024-11-18T15:00",
            clarification_place="Kantor",
        )


def test_bawaslu_can_dismiss_during_assessment(demo_uow: UnitOfWork) -> None:
    open_kediri(demo_uow, wib("2024-11-18T09:00"))
    step(demo_uow, BAWASLU, "T-1", "register", wib("2024-11-18T10:00"), registration_number="1")
    case = step(
        demo_uow, BAWASLU, "T-1", "dismiss", wib("2024-11-19T10:00"), reason="Tidak terbukti"
    )
    assert case.state == "dismissed"


def test_dismissal_needs_a_reason(demo_uow: UnitOfWork) -> None:
    open_kediri(demo_uow, wib("2024-11-18T09:00"))
    step(demo_uow, BAWASLU, "T-1", "register", wib("2024-11-18T10:00"), registration_number="1")
    with pytest.raises(InvalidInput, match="'Alasan' tidak boleh kosong"):
        step(demo_uow, BAWASLU, "T-1", "dismiss", wib("2024-11-19T10:00"), reason="  ")


def test_bkn_category_must_match_the_annex_unless_justified(demo_uow: UnitOfWork) -> None:
    _to_bkn(demo_uow)
    step(demo_uow, BKN, "T-1", "bkn_accept", wib("2024-11-22T09:00"))
    with pytest.raises(TransitionNotAllowed, match='isi "Alasan menyimpang dari pedoman"'):
        step(
            demo_uow,
            BKN,
            "T-1",
            "bkn_recommend",
            wib("2024-11-25T10:00"),
            sanction_category="moral",
            ppk_institution="PEMDA-3571",
            bkn_letter_number="B-1",
        )
    case = step(
        demo_uow,
        BKN,
        "T-1",
        "bkn_recommend",
        wib("2024-11-25T10:00"),
        sanction_category="disiplin_sedang",
        ppk_institution="PEMDA-3571",
        bkn_letter_number="B-1",
        justification="Pelanggaran pertama, dampak kecil",
    )
    assert case.recommended_category == "disiplin_sedang"


def test_bkn_may_close_a_case(demo_uow: UnitOfWork) -> None:
    _to_bkn(demo_uow)
    step(demo_uow, BKN, "T-1", "bkn_accept", wib("2024-11-22T09:00"))
    case = step(
        demo_uow, BKN, "T-1", "bkn_close", wib("2024-11-25T10:00"), reason="Terlapor bukan ASN"
    )
    assert case.state == "bkn_closed" and case.closed_at


def test_summons_needs_seven_working_days_notice(demo_uow: UnitOfWork) -> None:
    _to_ppk(demo_uow)
    with pytest.raises(InvalidInput, match="7 hari kerja"):
        step(
            demo_uow,
            PPK,
            "T-1",
            "summon",
            wib("2024-11-28T09:00"),
            examination_at="2024-12-06T09:00",
            examination_place="BKPSDM",
            examiner_name="Nur Aini",
            examiner_nip="198302142008012002",
        )


def test_absent_once_needs_a_second_summons_before_deciding(demo_uow: UnitOfWork) -> None:
    _to_ppk(demo_uow)
    step(
        demo_uow,
        PPK,
        "T-1",
        "summon",
        wib("2024-11-28T09:00"),
        examination_at="2024-12-09T09:00",
        examination_place="BKPSDM",
        examiner_name="Nur Aini",
        examiner_nip="198302142008012002",
        examination_team="Nur Aini, Yusuf",
    )
    with pytest.raises(TransitionNotAllowed, match="panggilan kedua"):
        step(
            demo_uow,
            PPK,
            "T-1",
            "record_examination",
            wib("2024-12-09T12:00"),
            attended="tidak",
            findings="Tidak hadir",
        )
    with pytest.raises(InvalidInput, match="paling lambat"):
        step(
            demo_uow,
            PPK,
            "T-1",
            "second_summons",
            wib("2024-12-09T13:00"),
            examination_at="2024-12-30T09:00",
        )


def test_heavy_sanction_needs_the_recommended_category_and_an_examination_team(
    demo_uow: UnitOfWork,
) -> None:
    _to_ppk(demo_uow)
    summons = {
        "examination_at": "2024-12-09T09:00",
        "examination_place": "BKPSDM",
        "examiner_name": "Nur Aini",
        "examiner_nip": "198302142008012002",
    }
    # berat recommended: the team is required when the examination is ordered (issue 17)
    with pytest.raises(InvalidInput, match="tim pemeriksa"):
        step(demo_uow, PPK, "T-1", "summon", wib("2024-11-28T09:00"), **summons)
    step(
        demo_uow,
        PPK,
        "T-1",
        "summon",
        wib("2024-11-28T09:00"),
        **summons,
        examination_team="Nur Aini, Yusuf Hamdani",
    )
    step(
        demo_uow,
        PPK,
        "T-1",
        "record_examination",
        wib("2024-12-09T12:00"),
        attended="ya",
        findings="Terlapor mengakui",
    )
    with pytest.raises(TransitionNotAllowed, match="rekomendasi BKN"):
        step(
            demo_uow,
            PPK,
            "T-1",
            "impose_sanction",
            wib("2024-12-10T10:00"),
            sanction_code="sedang_tukin_6",
            decree_number="1",
            decree_date="2024-12-10",
        )
    case = step(
        demo_uow,
        PPK,
        "T-1",
        "impose_sanction",
        wib("2024-12-10T10:00"),
        sanction_code="berat_pdhtaps",
        decree_number="1",
        decree_date="2024-12-10",
    )
    assert case.state == "sanction_imposed" and case.examination_team == [
        "Nur Aini",
        "Yusuf Hamdani",
    ]


def test_no_moral_sanction_after_a_discipline_examination_and_keberatan_annulment_closes(
    demo_uow: UnitOfWork,
) -> None:
    _to_examined(demo_uow)
    # a sanksi moral is declared on the Majelis Kode Etik's hearing, not after a PP 94 BAP
    with pytest.raises(TransitionNotAllowed, match="Majelis Kode Etik"):
        step(
            demo_uow,
            PPK,
            "T-1",
            "impose_sanction",
            wib("2024-12-18T10:00"),
            sanction_code="moral_terbuka",
            decree_number="1",
            decree_date="2024-12-18",
            justification="Terlapor kooperatif dan menyesali perbuatannya",
        )
    _to_examined(demo_uow, "T-3")
    step(
        demo_uow,
        PPK,
        "T-3",
        "impose_sanction",
        wib("2024-12-18T10:00"),
        sanction_code="berat_pembebasan_jabatan",
        decree_number="2",
        decree_date="2024-12-18",
    )
    step(
        demo_uow,
        PPK,
        "T-3",
        "deliver_decree",
        wib("2024-12-19T10:00"),
        delivered_at="2024-12-19T09:00",
    )
    step(
        demo_uow, PPK, "T-3", "file_objection", wib("2024-12-20T10:00"), filed_at="2024-12-20T09:00"
    )
    case = step(
        demo_uow,
        PPK,
        "T-3",
        "annul_sanction",
        wib("2025-01-15T10:00"),
        decision_number="800/KEB/2/2025",
        deciding_official="Gubernur Jawa Timur",
        reason="Prosedur pemeriksaan cacat",
    )
    assert case.state == "closed" and case.outcome == "closed"


def test_objection_after_the_window_is_refused_and_the_system_lapses_it(
    demo_uow: UnitOfWork,
) -> None:
    _to_examined(demo_uow)
    step(
        demo_uow,
        PPK,
        "T-1",
        "impose_sanction",
        wib("2024-12-18T10:00"),
        sanction_code="berat_penurunan_jabatan",
        decree_number="1",
        decree_date="2024-12-18",
    )
    case = step(
        demo_uow,
        PPK,
        "T-1",
        "deliver_decree",
        wib("2024-12-19T10:00"),
        delivered_at="2024-12-19T09:00",
    )
    assert case.deadline is not None
    due = case.deadline.due_on
    with pytest.raises(TransitionNotAllowed, match="melewati batas"):
        step(
            demo_uow,
            PPK,
            "T-1",
            "file_objection",
            wib("2025-02-20T10:00"),
            filed_at="2025-02-20T09:00",
        )
    case = advance(demo_uow, "system", "T-1", "lapse_objection_window", {}, wib("2025-02-20T10:00"))
    assert case.state == "sanction_final"
    assert due < "2025-02-20"


def test_system_escalates_a_ppk_that_does_not_follow_up(demo_uow: UnitOfWork) -> None:
    _to_ppk(demo_uow)
    case = advance(demo_uow, "system", "T-1", "warn_ppk", {}, wib("2024-12-17T08:00"))
    assert case.state == "ppk_warned"  # a teguran comes before any SIASN blocking
    # 7 working days after 18 Dec 2024 skip Christmas and its cuti bersama (25-26 Dec).
    case = step(
        demo_uow,
        PPK,
        "T-1",
        "summon",
        wib("2024-12-18T09:00"),
        examination_at="2025-01-02T09:00",
        examination_place="BKPSDM",
        examiner_name="Nur Aini",
        examiner_nip="198302142008012002",
        examination_team="Nur Aini, Yusuf",
    )
    assert case.state == "ppk_examination"


def test_roles_and_institutions_are_enforced(demo_uow: UnitOfWork) -> None:
    open_kediri(demo_uow, wib("2024-11-18T09:00"))
    with pytest.raises(PermissionDenied, match="berwenang"):
        step(demo_uow, PPK, "T-1", "register", wib("2024-11-18T10:00"), registration_number="1")
    with pytest.raises(PermissionDenied, match="ditangani"):
        step(
            demo_uow,
            "bawaslu.bekasi",
            "T-1",
            "register",
            wib("2024-11-18T10:00"),
            registration_number="1",
        )
    with pytest.raises(PermissionDenied):
        step(
            demo_uow, "auditor", "T-1", "register", wib("2024-11-18T10:00"), registration_number="1"
        )


def test_wrong_state_names_the_steps_that_are_possible(demo_uow: UnitOfWork) -> None:
    open_kediri(demo_uow, wib("2024-11-18T09:00"))
    with pytest.raises(
        TransitionNotAllowed,
        match='langkah yang mungkin: "Registrasi laporan/temuan", "Tidak diregistrasi',
    ):
        step(
            demo_uow,
            BAWASLU,
            "T-1",
            "recommend",
            wib("2024-11-18T10:00"),
            findings="x",
            recommendation_number="1",
        )
