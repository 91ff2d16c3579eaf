"""Issue 17, through the service layer: the lifecycle follows the law as it is."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from cases import queries
from cases.commands import advance
from cases.letters import get_letter
from db.unit_of_work import UnitOfWork
from rules.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from rules.ruleset import available_versions, load_rule_set, version_in_force
from states.case import Case
from tests.cases.helpers import count_events, open_kediri, step
from tests.conftest import wib

BAWASLU, BKN, KASN, PPK = "bawaslu.kediri", "bkn.analis", "kasn.analis", "bkpsdm.kediri"
SUMMONS = {
    "examination_place": "BKPSDM Kota Kediri",
    "examiner_name": "Nur Aini",
    "examiner_nip": "198302142008012002",
}


def _recommended(uow: UnitOfWork, category: str, case_id: str = "T-1", **opening: Any) -> Case:
    """A Kediri laporan forwarded by Bawaslu and recommended by BKN on Mon 25 Nov 2024."""
    open_kediri(uow, wib("2024-11-18T09:00"), case_id, **opening)
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
    step(uow, BAWASLU, case_id, "assess", wib("2024-11-20T15:00"), clarification_summary="Hadir.")
    step(
        uow,
        BAWASLU,
        case_id,
        "recommend",
        wib("2024-11-21T10:00"),
        findings="Terbukti.",
        recommendation_number="12/PP.01.02/2024",
    )
    step(uow, BKN, case_id, "bkn_accept", wib("2024-11-22T09:00"))
    return step(
        uow,
        BKN,
        case_id,
        "bkn_recommend",
        wib("2024-11-25T10:00"),
        sanction_category=category,
        ppk_institution="PEMDA-3571",
        bkn_letter_number="B-100/KP.10/11/2024",
        justification="Dasar penetapan tingkat sanksi dicatat oleh BKN.",
    )


def _decreed(uow: UnitOfWork, sanction: str, case_id: str = "T-1") -> Case:
    """Recommended berat, examined with a team, decree `sanction` delivered on 19 Dec 2024."""
    _recommended(uow, "disiplin_berat", case_id)
    step(
        uow,
        PPK,
        case_id,
        "summon",
        wib("2024-11-28T09:00"),
        examination_at="2024-12-09T09:00",
        examination_team="Nur Aini, Yusuf Hamdani",
        **SUMMONS,
    )
    step(
        uow,
        PPK,
        case_id,
        "record_examination",
        wib("2024-12-09T12:00"),
        attended="ya",
        findings="Mengakui.",
    )
    step(
        uow,
        PPK,
        case_id,
        "impose_sanction",
        wib("2024-12-18T10:00"),
        sanction_code=sanction,
        decree_number="800/1/2024",
        decree_date="2024-12-18",
        justification="Sesuai hasil pemeriksaan.",
    )
    return step(
        uow,
        PPK,
        case_id,
        "deliver_decree",
        wib("2024-12-19T10:00"),
        delivered_at="2024-12-19T09:00",
    )


# --- 1. upaya administratif -------------------------------------------------------------------


@pytest.mark.parametrize("version", available_versions())
def test_the_catalog_routes_dismissal_to_banding_and_every_other_decision_to_keberatan(
    version: str,
) -> None:
    routes = {code: s.objection for code, s in load_rule_set(version).sanctions.items()}
    assert routes == {
        "moral_tertutup": "none",
        "moral_terbuka": "none",
        "sedang_tukin_6": "keberatan",
        "sedang_tukin_9": "keberatan",
        "sedang_tukin_12": "keberatan",
        "berat_penurunan_jabatan": "keberatan",
        "berat_pembebasan_jabatan": "keberatan",
        "berat_pdhtaps": "banding",
        "pemberhentian_tidak_hormat": "banding",
    }


def test_a_penurunan_jabatan_goes_to_keberatan_decided_by_the_named_official(
    demo_uow: UnitOfWork,
) -> None:
    _decreed(demo_uow, "berat_penurunan_jabatan")
    with pytest.raises(TransitionNotAllowed, match="keberatan"):
        step(demo_uow, PPK, "T-1", "file_appeal", wib("2024-12-20T10:00"), filed_at="2024-12-20")
    case = step(
        demo_uow, PPK, "T-1", "file_objection", wib("2024-12-20T10:00"), filed_at="2024-12-20"
    )
    assert case.state == "objection" and case.deadline is not None
    with pytest.raises(InvalidInput, match="memerlukan: Pejabat yang memutus keberatan"):
        step(
            demo_uow,
            PPK,
            "T-1",
            "decide_objection",
            wib("2025-01-10T10:00"),
            outcome="dikuatkan",
            decision_number="800/KEB/1/2025",
        )
    case = step(
        demo_uow,
        PPK,
        "T-1",
        "decide_objection",
        wib("2025-01-10T10:00"),
        outcome="dikuatkan",
        decision_number="800/KEB/1/2025",
        deciding_official="Gubernur Jawa Timur",
    )
    assert case.state == "sanction_final"
    assert case.step("decide_objection")["deciding_official"] == "Gubernur Jawa Timur"


def test_a_dismissal_goes_to_bpasn_whose_decision_is_recorded_with_its_number(
    demo_uow: UnitOfWork,
) -> None:
    _decreed(demo_uow, "berat_pdhtaps")
    with pytest.raises(TransitionNotAllowed, match="BPASN"):
        step(demo_uow, PPK, "T-1", "file_objection", wib("2024-12-20T10:00"), filed_at="2024-12-20")
    case = step(demo_uow, PPK, "T-1", "file_appeal", wib("2024-12-20T10:00"), filed_at="2024-12-20")
    assert case.state == "appeal"
    assert case.deadline is not None and case.deadline.basis == "service_level"
    with pytest.raises(InvalidInput, match="putusan BPASN"):
        step(
            demo_uow,
            BKN,
            "T-1",
            "annul_by_bpasn",
            wib("2025-02-10T10:00"),
            bpasn_decision_number="045/BPASN/2025",
            bpasn_decision_date="2024-12-01",  # before the appeal was filed
            reason="Prosedur cacat",
        )
    case = step(
        demo_uow,
        BKN,
        "T-1",
        "annul_by_bpasn",
        wib("2025-02-10T10:00"),
        bpasn_decision_number="045/BPASN/2025",
        bpasn_decision_date="2025-02-07",
        reason="Pemeriksaan tidak memberi kesempatan membela diri",
    )
    assert case.state == "closed"
    assert case.step("annul_by_bpasn")["bpasn_decision_number"] == "045/BPASN/2025"


# --- 2. levels --------------------------------------------------------------------------------


@pytest.mark.parametrize("version", available_versions())
def test_annex_levels_follow_pp_94_2021(version: str) -> None:
    rules = load_rule_set(version)

    def level(code: str, after: bool) -> str | None:
        stage = rules.violation(code).stage(after)
        assert stage is not None
        return stage.sanction_category

    assert level("NET-14", False) == level("NET-14", True) == "disiplin_berat"  # B.8
    assert (level("NET-15", False), level("NET-15", True)) == ("disiplin_sedang", "disiplin_berat")
    assert level("NET-10", True) is None and level("NET-11", True) is None  # joining a campaign
    for code in ("NET-10", "NET-11"):
        stage = rules.violation(code).stage(True)
        assert stage is not None and "Pasal 13 huruf g" not in stage.citation
    twelve = rules.violation("NET-12").stage(False)
    assert twelve is not None and twelve.citation == "PP 94/2021 Pasal 10"


def test_bkn_must_record_its_basis_where_the_law_sets_no_level(demo_uow: UnitOfWork) -> None:
    open_kediri(demo_uow, wib("2024-11-18T09:00"), violation_codes=["NET-10"])
    for trigger, when, data in (
        ("register", "2024-11-18T14:00", {"registration_number": "1"}),
        (
            "invite_clarification",
            "2024-11-19T09:00",
            {"clarification_at": "2024-11-20T10:00", "clarification_place": "Kantor"},
        ),
        ("assess", "2024-11-20T15:00", {"clarification_summary": "Hadir."}),
        (
            "recommend",
            "2024-11-21T10:00",
            {"findings": "Ikut kampanye.", "recommendation_number": "1"},
        ),
    ):
        advance(demo_uow, BAWASLU, "T-1", trigger, data, wib(when))
    step(demo_uow, BKN, "T-1", "bkn_accept", wib("2024-11-22T09:00"))
    recommendation = {
        "sanction_category": "disiplin_sedang",
        "ppk_institution": "PEMDA-3571",
        "bkn_letter_number": "B-1",
    }
    with pytest.raises(InvalidInput, match="tidak diatur"):
        advance(demo_uow, BKN, "T-1", "bkn_recommend", recommendation, wib("2024-11-25T10:00"))
    case = advance(
        demo_uow,
        BKN,
        "T-1",
        "bkn_recommend",
        {**recommendation, "justification": "Tanpa atribut, tanpa mengerahkan PNS: sedang."},
        wib("2024-11-25T10:00"),
    )
    assert case.recommended_category == "disiplin_sedang"


# --- 3. tim pemeriksa -------------------------------------------------------------------------


def test_a_sedang_decree_needs_no_team(demo_uow: UnitOfWork) -> None:
    _recommended(demo_uow, "disiplin_sedang")
    step(
        demo_uow,
        PPK,
        "T-1",
        "summon",
        wib("2024-11-28T09:00"),
        examination_at="2024-12-09T09:00",
        **SUMMONS,
    )
    step(
        demo_uow,
        PPK,
        "T-1",
        "record_examination",
        wib("2024-12-09T12:00"),
        attended="ya",
        findings="Mengakui.",
    )
    case = step(
        demo_uow,
        PPK,
        "T-1",
        "impose_sanction",
        wib("2024-12-10T10:00"),
        sanction_code="sedang_tukin_6",
        decree_number="800/2/2024",
        decree_date="2024-12-10",
    )
    assert case.state == "sanction_imposed" and case.examination_team == []


def test_a_berat_recommendation_needs_the_team_at_the_examination_order(
    demo_uow: UnitOfWork,
) -> None:
    _recommended(demo_uow, "disiplin_berat")
    before = count_events(demo_uow.engine, "T-1")
    with pytest.raises(InvalidInput, match="tim pemeriksa"):
        step(
            demo_uow,
            PPK,
            "T-1",
            "summon",
            wib("2024-11-28T09:00"),
            examination_at="2024-12-09T09:00",
            **SUMMONS,
        )
    assert count_events(demo_uow.engine, "T-1") == before


def test_the_team_can_be_appointed_or_amended_before_the_decree_without_moving_the_deadline(
    demo_uow: UnitOfWork,
) -> None:
    # BKN recommended sedang; the PPK finds a berat sanction justified after the BAP
    _recommended(demo_uow, "disiplin_sedang")
    step(
        demo_uow,
        PPK,
        "T-1",
        "summon",
        wib("2024-11-28T09:00"),
        examination_at="2024-12-09T09:00",
        **SUMMONS,
    )
    examined = step(
        demo_uow,
        PPK,
        "T-1",
        "record_examination",
        wib("2024-12-09T12:00"),
        attended="ya",
        findings="Mengakui.",
    )
    decree = {
        "sanction_code": "berat_pembebasan_jabatan",
        "decree_number": "800/3/2024",
        "decree_date": "2024-12-12",
        "justification": "Dampak luas pada pelayanan.",
    }
    with pytest.raises(
        TransitionNotAllowed, match='langkah "Pembentukan atau perubahan tim pemeriksa"'
    ):
        advance(demo_uow, PPK, "T-1", "impose_sanction", decree, wib("2024-12-12T10:00"))
    case = step(
        demo_uow,
        PPK,
        "T-1",
        "appoint_examination_team",
        wib("2024-12-10T10:00"),
        examination_team="Nur Aini, Yusuf Hamdani, Lina Marlina",
    )
    assert case.state == "examined" and case.deadline is not None and examined.deadline is not None
    assert case.deadline.due_on == examined.deadline.due_on  # a correction keeps the deadline
    case = advance(demo_uow, PPK, "T-1", "impose_sanction", decree, wib("2024-12-12T10:00"))
    assert case.state == "sanction_imposed"


# --- 4. periods and anchors ---------------------------------------------------------------


def test_a_temuan_declared_more_than_seven_days_after_discovery_is_refused(
    demo_uow: UnitOfWork,
) -> None:
    late = {"channel": "temuan", "reporter": None, "election_type": "pemilu"}
    open_kediri(
        demo_uow,
        wib("2024-11-18T09:00"),
        "T-LATE",
        known_at="2024-11-08T08:00",
        incident_at="2024-11-08T07:00",
        **late,
    )
    with pytest.raises(TransitionNotAllowed, match="Temuan daluwarsa"):
        step(
            demo_uow,
            BAWASLU,
            "T-LATE",
            "register",
            wib("2024-11-18T10:00"),
            registration_number="1",
        )
    case = step(demo_uow, BAWASLU, "T-LATE", "decline", wib("2024-11-18T10:00"), reason="Daluwarsa")
    assert case.state == "not_registered"
    open_kediri(
        demo_uow,
        wib("2024-11-18T09:00"),
        "T-TIMELY",
        known_at="2024-11-12T08:00",
        incident_at="2024-11-12T07:00",
        **late,
    )
    case = step(
        demo_uow, BAWASLU, "T-TIMELY", "register", wib("2024-11-18T10:00"), registration_number="2"
    )
    assert case.state == "registered"


def test_pilkada_decision_counts_from_receipt_and_pemilu_from_registration(
    demo_uow: UnitOfWork,
) -> None:
    open_kediri(demo_uow, wib("2024-11-18T09:00"), "T-PILKADA")  # received Mon 18 Nov
    case = step(
        demo_uow,
        BAWASLU,
        "T-PILKADA",
        "register",
        wib("2024-11-19T10:00"),
        registration_number="1",
    )
    assert case.deadline is not None
    # Perpu 1/2014 Pasal 134 ayat (5): 3 days after receipt (18 Nov), not after registration
    assert (case.deadline.anchor_on, case.deadline.due_on) == ("2024-11-18", "2024-11-21")
    assert case.deadline.max_due_on == "2024-11-23"  # ayat (6): at most 2 more days
    open_kediri(demo_uow, wib("2024-11-18T09:00"), "T-PEMILU", election_type="pemilu")
    case = step(
        demo_uow, BAWASLU, "T-PEMILU", "register", wib("2024-11-19T10:00"), registration_number="2"
    )
    assert case.deadline is not None
    # UU 7/2017 Pasal 454 ayat (7): 7 days after receipt and registration (19 Nov)
    assert (case.deadline.anchor_on, case.deadline.due_on) == ("2024-11-19", "2024-11-26")


# --- 5. law in force by date ----------------------------------------------------------------


def test_the_law_in_force_picks_the_recommending_body_by_date() -> None:
    cases = {
        date(2023, 6, 12): ("2023.1", "kasn", "Undang-Undang Nomor 5 Tahun 2014"),
        date(2023, 12, 1): ("2023.2", "kasn", "Undang-Undang Nomor 20 Tahun 2023"),
        date(2024, 8, 23): ("2023.2", "kasn", "Undang-Undang Nomor 20 Tahun 2023"),
        date(2024, 8, 24): ("2024.1", "bkn", "Undang-Undang Nomor 20 Tahun 2023"),
        date(2025, 7, 1): ("2025.1", "bkn", "Undang-Undang Nomor 20 Tahun 2023"),
    }
    for day, (version, body, asn) in cases.items():
        assert version_in_force(day) == version, day
        rules = load_rule_set(version)
        assert rules.legal.recommending_body.code == body
        assert rules.law("uu_asn").startswith(asn)


def test_a_2023_case_is_recommended_by_kasn_not_bkn(demo_uow: UnitOfWork) -> None:
    case = open_kediri(
        demo_uow,
        wib("2023-06-12T09:00"),
        "T-2023",
        election_type="pemilu",
        received_at="2023-06-12T09:00",
        known_at="2023-06-09T08:00",
        incident_at="2023-06-08T19:00",
        after_determination=False,
        violation_codes=["NET-12"],
    )
    assert case.rule_set == "2023.1"
    for trigger, when, data in (
        ("register", "2023-06-12T14:00", {"registration_number": "1"}),
        (
            "invite_clarification",
            "2023-06-13T09:00",
            {"clarification_at": "2023-06-14T10:00", "clarification_place": "Kantor"},
        ),
        ("assess", "2023-06-14T15:00", {"clarification_summary": "Hadir."}),
        ("recommend", "2023-06-15T10:00", {"findings": "Terbukti.", "recommendation_number": "1"}),
    ):
        advance(demo_uow, BAWASLU, "T-2023", trigger, data, wib(when))
    with pytest.raises(PermissionDenied, match="Komisi Aparatur Sipil Negara"):
        step(demo_uow, BKN, "T-2023", "bkn_accept", wib("2023-06-16T09:00"))
    step(demo_uow, KASN, "T-2023", "bkn_accept", wib("2023-06-16T09:00"))
    case = step(
        demo_uow,
        KASN,
        "T-2023",
        "bkn_recommend",
        wib("2023-06-20T10:00"),
        sanction_category="disiplin_sedang",
        ppk_institution="PEMDA-3571",
        bkn_letter_number="R-1/KASN/6/2023",
    )
    assert case.state == "recommended_to_ppk"
    rules = load_rule_set(case.rule_set)
    assert rules.state_label("recommended_to_bkn") == "Diteruskan ke KASN"
    assert rules.role_label("bkn") == "Komisi Aparatur Sipil Negara"


# --- 6. ethics path -----------------------------------------------------------------------


def test_a_kode_etik_matter_is_heard_by_the_majelis_kode_etik(demo_uow: UnitOfWork) -> None:
    _recommended(demo_uow, "moral")
    with pytest.raises(TransitionNotAllowed, match="Majelis Kode Etik"):
        step(
            demo_uow,
            PPK,
            "T-1",
            "summon",
            wib("2024-11-28T09:00"),
            examination_at="2024-12-09T09:00",
            **SUMMONS,
        )
    case = step(
        demo_uow,
        PPK,
        "T-1",
        "convene_ethics_council",
        wib("2024-11-28T09:00"),
        council_decree_number="800/MKE/1/2024",
        hearing_at="2024-12-03T09:00",
        hearing_place="Ruang rapat BKPSDM",
        council_members="Sekretaris Daerah, Inspektur, Kepala BKPSDM",
    )
    assert case.state == "ethics_hearing" and case.deadline is not None
    assert case.deadline.basis == "service_level"
    decision = {
        "attended": "ya",
        "findings": "Majelis merekomendasikan pernyataan secara tertutup.",
        "decree_number": "800/4/2024",
        "decree_date": "2024-12-04",
    }
    with pytest.raises(TransitionNotAllowed, match="sanksi moral"):
        advance(
            demo_uow,
            PPK,
            "T-1",
            "decide_ethics",
            {**decision, "sanction_code": "sedang_tukin_6", "justification": "x"},
            wib("2024-12-04T10:00"),
        )
    case = advance(
        demo_uow,
        PPK,
        "T-1",
        "decide_ethics",
        {**decision, "sanction_code": "moral_tertutup"},
        wib("2024-12-04T10:00"),
    )
    assert case.state == "sanction_imposed" and case.sanction_code == "moral_tertutup"
    assert case.summons == []  # no PP 94/2021 summons in an ethics case
    case = step(
        demo_uow, PPK, "T-1", "deliver_decree", wib("2024-12-05T10:00"), delivered_at="2024-12-05"
    )
    assert case.state == "sanction_final"


# --- 7. SIASN ladder ------------------------------------------------------------------------


def test_the_siasn_block_comes_after_a_teguran_and_is_lifted_when_the_ppk_complies(
    demo_uow: UnitOfWork,
) -> None:
    _recommended(demo_uow, "disiplin_berat")
    with pytest.raises(
        TransitionNotAllowed,
        match='mungkin: "Teguran kepada PPK yang belum menindaklanjuti rekomendasi"',
    ):
        advance(demo_uow, "system", "T-1", "escalate_ppk", {}, wib("2024-12-17T08:00"))
    step(demo_uow, "system", "T-1", "warn_ppk", wib("2024-12-17T08:00"))
    case = step(demo_uow, "system", "T-1", "escalate_ppk", wib("2025-01-06T08:00"))
    assert case.state == "ppk_noncompliant" and case.siasn_blocked
    step(
        demo_uow,
        PPK,
        "T-1",
        "summon",
        wib("2025-01-06T09:00"),
        examination_at="2025-01-16T09:00",
        examination_team="Nur Aini, Yusuf Hamdani",
        **SUMMONS,
    )
    step(
        demo_uow,
        PPK,
        "T-1",
        "record_examination",
        wib("2025-01-16T12:00"),
        attended="ya",
        findings="Mengakui.",
    )
    case = step(
        demo_uow,
        PPK,
        "T-1",
        "impose_sanction",
        wib("2025-01-17T10:00"),
        sanction_code="berat_penurunan_jabatan",
        decree_number="800/5/2025",
        decree_date="2025-01-17",
    )
    assert not case.siasn_blocked
    events = queries.timeline(demo_uow, "auditor", "T-1")
    lifted = [e for e in events if e.event_type == "siasn_block_lifted"]
    assert len(lifted) == 1 and lifted[0].payload["by_step"] == "impose_sanction"
    assert "Pemblokiran Data Kepegawaian" in lifted[0].payload["citation"]


# --- 8. dismissal for party membership ------------------------------------------------------


def test_a_ptdh_decree_needs_the_date_the_asn_joined_the_party(demo_uow: UnitOfWork) -> None:
    _recommended(
        demo_uow, "pemberhentian_tidak_hormat", violation_codes=["NET-13"], after_determination=True
    )
    step(
        demo_uow,
        PPK,
        "T-1",
        "summon",
        wib("2024-11-28T09:00"),
        examination_at="2024-12-09T09:00",
        examination_team="Nur Aini, Yusuf Hamdani",
        **SUMMONS,
    )
    step(
        demo_uow,
        PPK,
        "T-1",
        "record_examination",
        wib("2024-12-09T12:00"),
        attended="ya",
        findings="Tercatat sebagai pengurus partai sejak Maret 2024.",
    )
    decree = {  # no decree_number: Netra issues and numbers the decree it reads back below
        "sanction_code": "pemberhentian_tidak_hormat",
        "decree_date": "2024-12-10",
    }
    with pytest.raises(
        InvalidInput, match='memerlukan "Tanggal menjadi anggota/pengurus partai politik"'
    ):
        advance(demo_uow, PPK, "T-1", "impose_sanction", decree, wib("2024-12-10T10:00"))
    with pytest.raises(InvalidInput, match="setelah tanggal keputusan"):
        advance(
            demo_uow,
            PPK,
            "T-1",
            "impose_sanction",
            {**decree, "party_joined_on": "2024-12-20"},
            wib("2024-12-10T10:00"),
        )
    case = advance(
        demo_uow,
        PPK,
        "T-1",
        "impose_sanction",
        {**decree, "party_joined_on": "2024-03-18"},
        wib("2024-12-10T10:00"),
    )
    assert case.decree["party_joined_on"] == "2024-03-18"
    letter = next(x for x in case.letters if x["kind"] == "keputusan_sanksi")
    html = get_letter(demo_uow, "auditor", letter["letter_id"]).html
    assert "terhitung mulai tanggal 31 Maret 2024" in html
