"""Evidence files on a case: stored by SHA-256, recorded in the chain, shown only to whom
may see them, verified by `audit verify`."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image

from cases.evidence.attachments import attachments_for_case, letter_attachments
from cases.evidence.service import (
    add_evidence,
    evidence_content,
    get_evidence,
    list_evidence,
    withdraw_evidence,
)
from cases.integrity import verify_records
from cases.queries import timeline
from db.file_store import LocalFileStore
from db.unit_of_work import UnitOfWork
from rules.errors import (
    IntegrityViolation,
    InvalidInput,
    NotFound,
    PermissionDenied,
    TransitionNotAllowed,
)
from rules.models import Role
from tests.cases.helpers import database_dump
from tests.conftest import wib
from tests.evidence.files import jpeg_with_exif, pdf_scan, png_bomb_header, png_screenshot

NOW = wib("2024-11-20T10:00")
PSR = "DEMO-PSR-1"  # Kota Pasuruan, in clarification
PASURUAN = "bawaslu.pasuruan"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LocalFileStore:
    monkeypatch.setenv("NETRA_EVIDENCE_DIR", str(tmp_path / "evidence"))
    return LocalFileStore(tmp_path / "evidence")


def _add(uow: UnitOfWork, data: bytes, name: str = "foto.jpg", **kw: object) -> object:
    return add_evidence(
        uow, PASURUAN, PSR, io.BytesIO(data), name, "Foto spanduk di depan kantor", NOW, **kw
    )


def test_upload_download_and_verify_on_the_local_store(
    demo_uow: UnitOfWork, store: LocalFileStore
) -> None:
    photo = jpeg_with_exif()
    item = add_evidence(
        demo_uow, PASURUAN, PSR, io.BytesIO(photo), "../../etc/IMG 001.png", "Foto", NOW
    )
    digest = hashlib.sha256(photo).hexdigest()
    assert (item.label, item.sha256, item.size) == ("B1", digest, len(photo))
    assert item.media_type == "image/jpeg"  # sniffed from the bytes, not the ".png" name
    assert item.file_name == "IMG 001.png" and item.stage == "clarification"
    assert store.path(digest).read_bytes() == photo
    assert oct(store.path(digest).stat().st_mode & 0o777) == "0o444"
    _, chunks = evidence_content(demo_uow, "auditor", PSR, "B1")
    downloaded = b"".join(chunks)
    assert downloaded == photo
    assert Image.open(io.BytesIO(downloaded)).getexif()[0x0110] == "Galaxy A14"  # EXIF kept
    _, thumb = evidence_content(demo_uow, PASURUAN, PSR, "B1", want_thumbnail=True)
    small = Image.open(io.BytesIO(b"".join(thumb)))
    assert max(small.size) == 320 and small.size[1] > small.size[0]  # orientation applied
    added = [e for e in timeline(demo_uow, "auditor", PSR) if e.event_type == "evidence_added"]
    assert added[0].payload["sha256"] == digest and added[0].actor.user_id == PASURUAN
    assert verify_records(demo_uow, "auditor", [PSR], rerender=False).ok


def test_a_byte_changed_in_a_stored_file_is_named_by_audit_verify(
    demo_uow: UnitOfWork, store: LocalFileStore
) -> None:
    photo = jpeg_with_exif()
    _add(demo_uow, photo, "spanduk.jpg")
    _add(demo_uow, pdf_scan(), "bap.pdf")
    path = store.path(hashlib.sha256(photo).hexdigest())
    path.chmod(0o644)
    tampered = bytearray(path.read_bytes())
    tampered[-10] ^= 0x01
    path.write_bytes(bytes(tampered))
    report = verify_records(demo_uow, "auditor", rerender=False)
    findings = [f for f in report.findings if f.kind == "evidence"]
    assert len(findings) == 1 and findings[0].case_id == PSR
    assert "B1 'spanduk.jpg'" in findings[0].problem and "diubah" in findings[0].problem
    with pytest.raises(IntegrityViolation):
        b"".join(evidence_content(demo_uow, "auditor", PSR, "B1")[1])
    store.path(hashlib.sha256(pdf_scan()).hexdigest()).unlink()
    missing = [f for f in verify_records(demo_uow, "auditor").findings if f.kind == "evidence"]
    assert any("B2 'bap.pdf'" in f.problem and "hilang" in f.problem for f in missing)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"MZ\x90\x00" + b"\x00" * 200, "tidak diizinkan"),  # a Windows program named .jpg
        (b"just some text pretending to be a photo", "tidak diizinkan"),
        (b"", "kosong"),
    ],
)
def test_a_disallowed_or_empty_file_is_refused_and_nothing_is_written(
    demo_uow: UnitOfWork, store: LocalFileStore, data: bytes, message: str
) -> None:
    before = database_dump(demo_uow.engine)
    with pytest.raises(InvalidInput, match=message):
        _add(demo_uow, data, "foto.jpg")
    assert database_dump(demo_uow.engine) == before
    assert not store.root.exists() or not any(p.is_file() for p in store.root.rglob("*"))


def test_an_over_size_file_is_refused_and_nothing_is_written(
    demo_uow: UnitOfWork, store: LocalFileStore
) -> None:
    before = database_dump(demo_uow.engine)
    with pytest.raises(InvalidInput, match="melebihi batas"):
        _add(demo_uow, pdf_scan() + b"\x00" * 5000, "bap.pdf", max_bytes=4096)
    assert database_dump(demo_uow.engine) == before
    assert not store.root.exists()


def test_the_size_limit_is_a_setting(
    demo_uow: UnitOfWork, store: LocalFileStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETRA_EVIDENCE_MAX_BYTES", "100")
    with pytest.raises(InvalidInput, match="melebihi batas ukuran 100 bita"):
        _add(demo_uow, pdf_scan(), "bap.pdf")


def test_internal_evidence_never_appears_for_bkn_ppk_or_the_auditor(
    demo_uow: UnitOfWork, store: LocalFileStore
) -> None:
    _add(demo_uow, pdf_scan(), "ktp-pelapor.pdf", internal=True)
    _add(demo_uow, png_screenshot(), "tangkapan.png")
    assert [i.label for i in list_evidence(demo_uow, PASURUAN, PSR)] == ["B1", "B2"]
    for outsider in ("bkn.analis", "auditor"):
        assert [i.label for i in list_evidence(demo_uow, outsider, PSR)] == ["B2"]
        with pytest.raises(NotFound):
            get_evidence(demo_uow, outsider, PSR, "B1")
        with pytest.raises(NotFound):
            evidence_content(demo_uow, outsider, PSR, "B1")
        names = [
            e.payload["file_name"]
            for e in timeline(demo_uow, outsider, PSR)
            if e.event_type == "evidence_added"
        ]
        assert names == ["(internal Bawaslu)", "tangkapan.png"]
    with pytest.raises(PermissionDenied):  # a PPK does not even read a case not sent to it
        list_evidence(demo_uow, "bkpsdm.pasuruan", PSR)
    with demo_uow:
        events = demo_uow.events.load(PSR)
    assert [a["label"] for a in letter_attachments(events)] == ["B2"]
    with demo_uow:
        to_bkn = attachments_for_case(demo_uow, PSR, recipient=Role.BKN)
        to_bawaslu = attachments_for_case(demo_uow, PSR, recipient=Role.BAWASLU)
        before_b2 = attachments_for_case(demo_uow, PSR, events[-1].seq - 1, Role.BAWASLU)
    assert [a["file_name"] for a in to_bkn] == ["tangkapan.png"]
    assert [a["label"] for a in to_bawaslu] == ["B1", "B2"] and len(before_b2) == 1
    assert [a["label"] for a in letter_attachments(events, include_internal=True)] == [
        "B1",
        "B2",
    ]


def test_only_bawaslu_marks_evidence_internal_and_each_role_gathers_at_its_stage(
    demo_uow: UnitOfWork, store: LocalFileStore
) -> None:
    with pytest.raises(
        TransitionNotAllowed, match='hanya pada status "Pemeriksaan oleh BKN"'
    ):  # still at Bawaslu
        add_evidence(demo_uow, "bkn.analis", PSR, io.BytesIO(pdf_scan()), "a.pdf", "x", NOW)
    with pytest.raises(TransitionNotAllowed, match='hanya pada status "Pemeriksaan oleh BKN"'):
        add_evidence(
            demo_uow, "bkn.analis", "DEMO-KDR-1", io.BytesIO(pdf_scan()), "a.pdf", "x", NOW
        )
    with pytest.raises(PermissionDenied):
        add_evidence(demo_uow, "auditor", PSR, io.BytesIO(pdf_scan()), "a.pdf", "x", NOW)
    with pytest.raises(TransitionNotAllowed):  # a dismissed case gathers nothing more
        add_evidence(
            demo_uow, "bawaslu.bekasi", "DEMO-BKS-1", io.BytesIO(pdf_scan()), "a.pdf", "x", NOW
        )


def test_a_correction_is_a_new_file_and_a_withdrawal_with_a_reason(
    demo_uow: UnitOfWork, store: LocalFileStore
) -> None:
    _add(demo_uow, png_screenshot(), "salah.png")
    with pytest.raises(InvalidInput, match="sudah dilampirkan"):
        _add(demo_uow, png_screenshot(), "lagi.png")
    with pytest.raises(InvalidInput, match="Alasan"):
        withdraw_evidence(demo_uow, PASURUAN, PSR, "B1", "  ", NOW)
    withdrawn = withdraw_evidence(demo_uow, PASURUAN, PSR, "B1", "Tangkapan layar keliru", NOW)
    assert withdrawn.withdrawn and withdrawn.withdrawn_reason == "Tangkapan layar keliru"
    _add(demo_uow, jpeg_with_exif(), "benar.jpg")
    items = list_evidence(demo_uow, "auditor", PSR)
    assert [(i.label, i.withdrawn) for i in items] == [("B1", True), ("B2", False)]
    assert store.exists(items[0].sha256)  # the withdrawn file itself is kept
    with demo_uow:
        events = demo_uow.events.load(PSR)
    assert [a["label"] for a in letter_attachments(events)] == ["B2"]
    assert verify_records(demo_uow, "auditor", [PSR], rerender=False).ok


def test_a_decompression_bomb_is_stored_without_a_thumbnail(
    demo_uow: UnitOfWork, store: LocalFileStore
) -> None:
    item = _add(demo_uow, png_bomb_header(), "bom.png")
    assert item.thumbnail_sha256 is None
