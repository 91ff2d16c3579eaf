"""Each role gathers evidence at its own stage, and internal Bawaslu evidence stays hidden from
the PPK when the case reaches it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from cases.evidence.service import add_evidence, evidence_content, list_evidence
from db.unit_of_work import UnitOfWork
from rules.errors import NotFound, PermissionDenied, TransitionNotAllowed
from tests.cases.helpers import open_kediri, step
from tests.conftest import wib
from tests.evidence.files import jpeg_with_exif, pdf_scan, png_screenshot

BAWASLU, BKN, PPK = "bawaslu.kediri", "bkn.analis", "bkpsdm.kediri"


def _attach(uow: UnitOfWork, who: str, data: bytes, when: str, **kw: bool) -> str:
    item = add_evidence(uow, who, "T-1", io.BytesIO(data), "berkas", "bukti", wib(when), **kw)
    return item.label


def test_the_case_at_the_ppk_hides_bawaslus_internal_evidence(
    demo_uow: UnitOfWork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETRA_EVIDENCE_DIR", str(tmp_path / "evidence"))
    open_kediri(demo_uow, wib("2024-11-18T10:00"))
    assert _attach(demo_uow, BAWASLU, pdf_scan(), "2024-11-18T11:00", internal=True) == "B1"
    step(demo_uow, BAWASLU, "T-1", "register", wib("2024-11-18T14:00"), registration_number="1/Reg")
    step(
        demo_uow,
        BAWASLU,
        "T-1",
        "invite_clarification",
        wib("2024-11-18T15:00"),
        clarification_at="2024-11-19T10:00",
        clarification_place="Kantor Bawaslu",
    )
    step(demo_uow, BAWASLU, "T-1", "assess", wib("2024-11-19T15:00"), clarification_summary="x")
    assert _attach(demo_uow, BAWASLU, png_screenshot(), "2024-11-19T16:00") == "B2"
    step(
        demo_uow,
        BAWASLU,
        "T-1",
        "recommend",
        wib("2024-11-20T16:00"),
        findings="Terbukti",
        recommendation_number="1/Rek",
    )
    with pytest.raises(TransitionNotAllowed):  # Bawaslu's stages are over
        _attach(demo_uow, BAWASLU, jpeg_with_exif(), "2024-11-21T09:00")
    step(demo_uow, BKN, "T-1", "bkn_accept", wib("2024-11-21T09:00"))
    with pytest.raises(PermissionDenied, match="internal"):
        _attach(demo_uow, BKN, jpeg_with_exif(), "2024-11-21T10:00", internal=True)
    assert _attach(demo_uow, BKN, jpeg_with_exif(), "2024-11-21T10:00") == "B3"
    step(
        demo_uow,
        BKN,
        "T-1",
        "bkn_recommend",
        wib("2024-11-22T10:00"),
        sanction_category="disiplin_berat",
        ppk_institution="PEMDA-3571",
        bkn_letter_number="B-1/KP",
    )
    with pytest.raises(TransitionNotAllowed):  # the BKPSDM attaches at the examination
        _attach(demo_uow, PPK, pdf_scan() + b"%bap", "2024-11-22T11:00")
    step(
        demo_uow,
        PPK,
        "T-1",
        "summon",
        wib("2024-11-22T12:00"),
        examination_at="2024-12-04T09:00",
        examination_place="BKPSDM",
        examiner_name="Pemeriksa",
        examiner_nip="198303142008012003",
        examination_team="Nur Aini, Yusuf Hamdani",
    )
    with pytest.raises(PermissionDenied):  # another PPK's BKPSDM
        add_evidence(
            demo_uow,
            "bkpsdm.pasuruan",
            "T-1",
            io.BytesIO(pdf_scan()),
            "b",
            "b",
            wib("2024-12-04T12:00"),
        )
    assert _attach(demo_uow, PPK, pdf_scan() + b"%bap", "2024-12-04T12:00") == "B4"
    seen = {
        who: [i.label for i in list_evidence(demo_uow, who, "T-1")]
        for who in (PPK, BKN, "auditor", BAWASLU)
    }
    assert seen == {
        PPK: ["B2", "B3", "B4"],
        BKN: ["B2", "B3", "B4"],
        "auditor": ["B2", "B3", "B4"],
        BAWASLU: ["B1", "B2", "B3", "B4"],
    }
    with pytest.raises(NotFound):
        evidence_content(demo_uow, PPK, "T-1", "B1")
