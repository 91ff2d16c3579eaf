"""What a letter says about how its step was recorded: the evidence it forwards under
"Lampiran" (never Bawaslu-internal evidence outside Bawaslu) and "dicatat terlambat" for a
paper act entered late."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest

from cases.commands import advance
from cases.evidence.service import add_evidence
from cases.letters import get_letter, list_letters
from db.unit_of_work import UnitOfWork
from tests.cases.helpers import open_kediri
from tests.conftest import wib
from tests.evidence.files import jpeg_with_exif, pdf_scan

OFFICER = "bawaslu.kediri"


def _to_assessment(uow: UnitOfWork) -> None:
    open_kediri(uow, wib("2024-11-18T09:00"))
    advance(uow, OFFICER, "T-1", "register", {"registration_number": "1"}, wib("2024-11-18T10:00"))
    advance(
        uow,
        OFFICER,
        "T-1",
        "invite_clarification",
        {"clarification_at": "2024-11-19T10:00", "clarification_place": "Kantor"},
        wib("2024-11-18T11:00"),
    )
    advance(
        uow,
        OFFICER,
        "T-1",
        "assess",
        {"clarification_summary": "Diklarifikasi"},
        wib("2024-11-19T15:00"),
    )


def _penerusan(uow: UnitOfWork) -> str:
    found = [x for x in list_letters(uow, "auditor", "T-1") if x.kind == "penerusan_bawaslu"]
    return get_letter(uow, "auditor", found[0].id).html


def test_the_forwarding_letter_lists_its_evidence_but_not_the_internal_one(
    demo_uow: UnitOfWork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETRA_EVIDENCE_DIR", str(tmp_path / "bukti"))
    _to_assessment(demo_uow)
    when = wib("2024-11-19T16:00")
    add_evidence(
        demo_uow, OFFICER, "T-1", io.BytesIO(jpeg_with_exif()), "spanduk.jpg", "Foto spanduk", when
    )
    add_evidence(
        demo_uow,
        OFFICER,
        "T-1",
        io.BytesIO(pdf_scan()),
        "ktp-pelapor.pdf",
        "KTP pelapor",
        when,
        internal=True,
    )
    advance(
        demo_uow, OFFICER, "T-1", "recommend", {"findings": "Terbukti"}, wib("2024-11-20T10:00")
    )
    html = _penerusan(demo_uow)
    assert "Lampiran: daftar bukti" in html and "Foto spanduk" in html and "spanduk.jpg" in html
    assert "KTP pelapor" not in html and "ktp-pelapor.pdf" not in html


def test_a_step_entered_late_says_so_in_its_letter(demo_uow: UnitOfWork) -> None:
    _to_assessment(demo_uow)
    recorded = wib("2024-11-25T10:00")
    advance(
        demo_uow,
        OFFICER,
        "T-1",
        "recommend",
        {"findings": "Terbukti", "effective_at": (recorded - timedelta(days=4)).isoformat()},
        recorded,
    )
    html = _penerusan(demo_uow)
    assert (
        "Dicatat terlambat." in html and "21 November 2024" in html and "25 November 2024" in html
    )
