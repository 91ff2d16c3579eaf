"""One number per letter, previews that write nothing, ralat and revocation."""

from __future__ import annotations

import pytest

from cases.commands import advance
from cases.letter_corrections import issue_ralat, revoke_letter
from cases.letter_preview import preview_step_letters
from cases.letter_verification import verify_letter_public
from cases.letters import list_letters, verify_letter
from db.letter_records import LetterRecords
from db.letter_register import LetterRegister
from db.unit_of_work import UnitOfWork
from letters.catalog import EXTERNAL_NUMBER_FIELDS
from rules.errors import InvalidInput, PermissionDenied
from states import events as ev
from tests.conftest import wib

SUMMON = {
    "examination_at": "2024-11-04T09:00",
    "examination_place": "Ruang rapat BKPSDM Kota Kediri",
    "examiner_name": "Nur Aini Kediri",
    "examiner_nip": "198303142008012003",
    "examination_team": "Nur Aini Kediri, Yusuf Hamdani",  # berat recommended: team at the order
}


def counts(uow: UnitOfWork, case_id: str) -> tuple[int, int, int]:
    with uow:
        events = len(uow.events.load(case_id))
        letters = len(LetterRegister(uow.session).for_case(case_id))
        serial = LetterRegister(uow.session).last_serial("PEMDA-3571", 2024, "800.1.6.4")
    return events, letters, serial


def test_bkn_letter_issued_outside_netra_is_recorded_with_its_number_never_renumbered(
    demo_uow: UnitOfWork,
) -> None:
    # DEMO-SKB-1: BKN sent its own letter B-2388/KP.10/10/2024 (bkn_letter_number).
    with demo_uow:
        external = LetterRecords(demo_uow.session).externals_for_case("DEMO-SKB-1")
        netra = LetterRegister(demo_uow.session).for_case("DEMO-SKB-1")
        case = demo_uow.cases.get("DEMO-SKB-1")
    assert [(x.kind, x.number) for x in external] == [("rekomendasi_bkn", "B-2388/KP.10/10/2024")]
    assert not [x for x in netra if x.kind == "rekomendasi_bkn"]
    assert {"kind": "rekomendasi_bkn", "number": "B-2388/KP.10/10/2024"}.items() <= next(
        x for x in case.letters if x["kind"] == "rekomendasi_bkn"
    ).items()
    decree = next(x for x in netra if x.kind == "keputusan_sanksi")
    assert "B-2388/KP.10/10/2024" in decree.html  # the decree cites BKN's own number


def test_a_decree_number_typed_by_the_officer_is_never_replaced_by_a_register_number(
    demo_uow: UnitOfWork,
) -> None:
    assert EXTERNAL_NUMBER_FIELDS["keputusan_sanksi"] == "decree_number"
    cid = "DEMO-KDR-1"
    p = "bkpsdm.kediri"
    advance(demo_uow, p, cid, "summon", SUMMON, wib("2024-10-21T09:00"))
    advance(
        demo_uow,
        p,
        cid,
        "record_examination",
        {"attended": True, "findings": "Terbukti.", "examination_team": "Nur Aini Kediri, Yusuf"},
        wib("2024-11-04T12:00"),
    )
    before = counts(demo_uow, cid)
    advance(
        demo_uow,
        p,
        cid,
        "impose_sanction",
        {
            "sanction_code": "berat_pembebasan_jabatan",
            "decree_number": "800.1.6.4/99/BKPSDM/2024",
            "decree_date": "2024-11-06",
            "justification": "Sesuai rekomendasi.",
        },
        wib("2024-11-06T10:00"),
    )
    _, letters, serial = counts(demo_uow, cid)
    assert (letters, serial) == before[1:]  # nothing numbered, nothing rendered by Netra
    with demo_uow:
        case = demo_uow.cases.get(cid)
        recorded = [e for e in demo_uow.events.load(cid) if e.event_type == ev.LETTER_RECORDED]
    assert recorded[-1].payload["number"] == "800.1.6.4/99/BKPSDM/2024"
    assert recorded[-1].payload["issued_on"] == "2024-11-06"
    assert case.step("impose_sanction")["decree_number"] == "800.1.6.4/99/BKPSDM/2024"
    assert next(x for x in case.letters if x["kind"] == "keputusan_sanksi")["number"] == (
        "800.1.6.4/99/BKPSDM/2024"
    )


def test_preview_renders_draft_letters_and_writes_nothing(demo_uow: UnitOfWork) -> None:
    cid = "DEMO-KDR-1"
    before = counts(demo_uow, cid)
    previews = preview_step_letters(
        demo_uow, "bkpsdm.kediri", cid, "summon", SUMMON, wib("2024-10-21T09:00")
    )
    assert [(p.kind, p.recipient) for p in previews] == [("surat_panggilan", "terlapor")]
    draft = previews[0]
    assert draft.html is not None
    assert "DRAFT" in draft.html and "…/…/…" in draft.html
    assert draft.pdf().startswith(b"%PDF-")
    assert counts(demo_uow, cid) == before
    # The real step afterwards takes the first register number: the preview took none.
    advance(demo_uow, "bkpsdm.kediri", cid, "summon", SUMMON, wib("2024-10-21T09:00"))
    assert counts(demo_uow, cid)[2] == before[2] + 1


def test_preview_refuses_what_the_step_would_refuse(demo_uow: UnitOfWork) -> None:
    cid = "DEMO-KDR-1"
    before = counts(demo_uow, cid)
    with pytest.raises(PermissionDenied):
        preview_step_letters(
            demo_uow, "bkpsdm.sukabumi", cid, "summon", SUMMON, wib("2024-10-21T09:00")
        )
    with pytest.raises(InvalidInput):
        preview_step_letters(
            demo_uow,
            "bkpsdm.kediri",
            cid,
            "summon",
            {**SUMMON, "examination_at": "besok"},
            wib("2024-10-21T09:00"),
        )
    assert counts(demo_uow, cid) == before


def test_ralat_issues_a_new_letter_that_cites_and_supersedes_the_old(
    demo_uow: UnitOfWork,
) -> None:
    old = next(
        x for x in list_letters(demo_uow, "admin", "DEMO-KDR-1") if x.kind == "penerusan_bawaslu"
    )
    with pytest.raises(PermissionDenied):
        issue_ralat(demo_uow, "bawaslu.sukabumi", old.id, "Salah tulis", wib("2024-10-20T09:00"))
    new = issue_ralat(
        demo_uow, "bawaslu.kediri", old.id, "Salah tulis nama jabatan", wib("2024-10-20T09:00")
    )
    assert new.id != old.id and new.number != old.number and new.kind == old.kind
    assert "RALAT" in new.html and old.number in new.html
    with demo_uow:
        status = LetterRecords(demo_uow.session).status(old.id)
        events = demo_uow.events.load("DEMO-KDR-1")
        case = demo_uow.cases.get("DEMO-KDR-1")
    assert status is not None and status.status == "superseded" and status.by_letter_id == new.id
    withdrawn = [e for e in events if e.event_type == ev.LETTER_WITHDRAWN]
    assert withdrawn[-1].payload["letter_id"] == old.id
    assert next(x for x in case.letters if x["letter_id"] == old.id)["status"] == "superseded"
    assert verify_letter(demo_uow, "auditor", new.id).ok
    assert verify_letter(demo_uow, "auditor", old.id).ok  # the old one stays in history intact
    assert verify_letter_public(demo_uow, old.id).status == "diralat"
    with pytest.raises(InvalidInput):
        issue_ralat(demo_uow, "bawaslu.kediri", old.id, "Lagi", wib("2024-10-21T09:00"))


def test_revoke_needs_a_reason_and_marks_the_letter_revoked(demo_uow: UnitOfWork) -> None:
    old = next(
        x for x in list_letters(demo_uow, "admin", "DEMO-KDR-1") if x.kind == "rekomendasi_bkn"
    )
    before = counts(demo_uow, "DEMO-KDR-1")
    with pytest.raises(InvalidInput):
        revoke_letter(demo_uow, "bkn.analis", old.id, "   ", wib("2024-10-20T09:00"))
    with pytest.raises(PermissionDenied):
        revoke_letter(demo_uow, "auditor", old.id, "Keliru", wib("2024-10-20T09:00"))
    assert counts(demo_uow, "DEMO-KDR-1") == before
    status = revoke_letter(
        demo_uow,
        "bkn.analis",
        old.id,
        "Diterbitkan untuk perkara yang keliru",
        wib("2024-10-20T09:00"),
    )
    assert status.status == "revoked"
    public = verify_letter_public(demo_uow, old.id)
    assert (
        public.status == "dicabut"
        and public.status_reason == "Diterbitkan untuk perkara yang keliru"
    )
    with pytest.raises(InvalidInput):
        revoke_letter(demo_uow, "bkn.analis", old.id, "Lagi", wib("2024-10-21T09:00"))


def test_the_scan_of_an_external_letter_is_kept_once_by_its_issuer(demo_uow: UnitOfWork) -> None:
    from cases.letter_corrections import attach_external_scan
    from rules.errors import ConcurrencyConflict

    with demo_uow:
        [external] = LetterRecords(demo_uow.session).externals_for_case("DEMO-SKB-1")
    scan = b"%PDF-1.7\n% pindaian surat BKN\n"
    with pytest.raises(InvalidInput):
        attach_external_scan(demo_uow, "bkn.analis", external.id, b"<script>")
    with pytest.raises(PermissionDenied):
        attach_external_scan(demo_uow, "bkpsdm.sukabumi", external.id, scan)
    kept = attach_external_scan(demo_uow, "bkn.analis", external.id, scan)
    assert kept.scan_sha256 is not None and kept.number == external.number
    with pytest.raises(ConcurrencyConflict):
        attach_external_scan(demo_uow, "bkn.analis", external.id, scan + b"x")
