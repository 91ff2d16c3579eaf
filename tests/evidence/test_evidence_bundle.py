"""Audit bundles carry the evidence files (or only their hashes with `--without-files`); the
internal Bawaslu files only in a Bawaslu export."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from cases.bundle import MANIFEST
from cases.bundle_export import export_bundle
from cases.bundle_verify import verify_bundle
from cases.evidence.bundle_check import verify_evidence_members
from cases.evidence.service import add_evidence
from db.unit_of_work import UnitOfWork
from states.events import RecordedEvent
from tests.conftest import wib
from tests.evidence.files import jpeg_with_exif, pdf_scan

SECRET = b"kunci-hmac-uji"  # the auditor edition hashes the reporter with it

NOW = wib("2024-11-20T10:00")
PSR = "DEMO-PSR-1"


@pytest.fixture
def with_evidence(demo_uow: UnitOfWork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETRA_EVIDENCE_DIR", str(tmp_path / "evidence"))
    for data, name, internal in (
        (jpeg_with_exif(), "spanduk.jpg", False),
        (pdf_scan(), "ktp.pdf", True),
    ):
        add_evidence(
            demo_uow,
            "bawaslu.pasuruan",
            PSR,
            io.BytesIO(data),
            name,
            "bukti",
            NOW,
            internal=internal,
        )


def _members(bundle: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist()}


def _events(members: dict[str, bytes]) -> dict[str, list[RecordedEvent]]:
    return {
        name[7:-6]: [RecordedEvent.from_dict(json.loads(line)) for line in data.splitlines()]
        for name, data in members.items()
        if name.startswith("events/")
    }


def test_the_bundle_holds_the_files_and_verifies(demo_uow: UnitOfWork, with_evidence: None) -> None:
    bundle = export_bundle(demo_uow, "auditor", NOW, [PSR], with_pdf=False, reporter_secret=SECRET)
    assert verify_bundle(bundle).ok
    members = _members(bundle)
    photo = hashlib.sha256(jpeg_with_exif()).hexdigest()
    assert members[f"evidence/files/{photo}"] == jpeg_with_exif()
    index = json.loads(members["evidence/index.json"])
    assert [e["file_name"] for e in index["entries"]] == ["spanduk.jpg"]  # auditor: no internal
    assert not any(hashlib.sha256(pdf_scan()).hexdigest() in n for n in members)
    assert json.loads(members[MANIFEST])["counts"]["evidence"] == 1
    assert verify_evidence_members(members, _events(members)) == []
    altered = dict(members)
    altered[f"evidence/files/{photo}"] = jpeg_with_exif()[:-1] + b"\x00"
    problems = verify_evidence_members(altered, _events(members))
    assert problems == [f"bukti B1 'spanduk.jpg' ({PSR}): berkas diubah (sha256 tidak cocok)"]
    del altered[f"evidence/files/{photo}"]
    assert "berkas tidak ada dalam bundel" in verify_evidence_members(altered, _events(members))[0]


def test_without_files_the_bundle_holds_only_the_hashes(
    demo_uow: UnitOfWork, with_evidence: None
) -> None:
    bundle = export_bundle(
        demo_uow,
        "bawaslu.pasuruan",
        NOW,
        [PSR],
        with_pdf=False,
        with_evidence_files=False,
        reporter_secret=SECRET,
    )
    assert verify_bundle(bundle).ok
    members = _members(bundle)
    assert not any(n.startswith("evidence/files/") for n in members)
    index = json.loads(members["evidence/index.json"])
    assert index["with_files"] is False
    assert [e["file_name"] for e in index["entries"]] == ["spanduk.jpg", "ktp.pdf"]  # Bawaslu
    assert verify_evidence_members(members, _events(members)) == []
