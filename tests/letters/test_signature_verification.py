"""PAdES signatures validated with pyHanko against the test CA, and the public verification
page the QR code points to: "cocok" for the real letter, "tidak cocok" for a changed one,
never the content of a confidential letter to someone not signed in."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image
from pypdf import PdfReader

from api.verification import verification_router
from cases.letter_verification import verify_letter_public
from cases.letters import list_letters, render_pdf, verification_url
from db.letter_register import LetterRegister, StoredLetter
from db.unit_of_work import UnitOfWork
from letters.conformance import pdfa_3b_problems
from letters.pdf import qr_png
from letters.signing import LocalCA, validate_signatures
from rules.errors import InvalidInput

BASE = "https://netra.example.go.id"


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> LocalCA:
    return LocalCA(tmp_path_factory.mktemp("ca"))


def a_letter(uow: UnitOfWork, kind: str, case_id: str = "DEMO-PBL-1") -> StoredLetter:
    summary = next(x for x in list_letters(uow, "admin", case_id) if x.kind == kind)
    with uow:
        return LetterRegister(uow.session).get(summary.id)


def client(uow: UnitOfWork, ca: LocalCA, officer: str | None = None) -> TestClient:
    app = FastAPI()
    app.include_router(
        verification_router(lambda: uow, lambda _r: officer, signer=ca, base_url=BASE)
    )
    return TestClient(app)


def changed(pdf: bytes) -> bytes:
    """The same PDF with one byte of the signed content altered (as a forger would)."""
    at = pdf.index(b"/Producer")
    return pdf[:at] + b"/Pro" + b"X" + pdf[at + 5 :]


def test_pades_signature_validates_against_the_test_ca(
    samples_uow: UnitOfWork, ca: LocalCA, tmp_path: Path
) -> None:
    letter = a_letter(samples_uow, "keputusan_sanksi")
    signed = render_pdf(samples_uow, "admin", letter.id, signer=ca, base_url=BASE)
    unsigned = render_pdf(samples_uow, "admin", letter.id, base_url=BASE)
    assert signed.startswith(unsigned)  # an incremental update over the PDF/A
    [result] = validate_signatures(signed, ca.trust_roots())
    assert result["intact"] and result["valid"] and result["trusted"] and result["entire_file"]
    assert letter.context["signatory"]["name"] in result["signer"]
    [forged] = validate_signatures(changed(signed), ca.trust_roots())
    assert not forged["intact"]
    [stranger] = validate_signatures(signed, LocalCA(tmp_path / "other").trust_roots())
    assert not stranger["trusted"]
    # still PDF/A-3b after the incremental update: Info and XMP agree, PDF/A id kept
    assert pdfa_3b_problems(unsigned) == []
    assert pdfa_3b_problems(signed) == []
    signed_info, unsigned_info = (PdfReader(BytesIO(x)).metadata for x in (signed, unsigned))
    assert signed_info is not None and unsigned_info is not None
    assert signed_info.title == unsigned_info.title


def test_the_qr_code_points_to_the_verification_page_of_the_letter(
    samples_uow: UnitOfWork,
) -> None:
    letter = a_letter(samples_uow, "pemberitahuan_status")
    pdf = render_pdf(samples_uow, "admin", letter.id, base_url=BASE)
    url = verification_url(letter, BASE)
    assert url == f"{BASE}/verifikasi/{letter.id}?h={letter.content_hash}"
    text = PdfReader(BytesIO(pdf)).pages[0].extract_text()
    assert f"{BASE}/verifikasi/{letter.id}" in text
    expected = Image.open(BytesIO(qr_png(url))).convert("1")
    images = [
        Image.open(BytesIO(i.data)).convert("1") for i in PdfReader(BytesIO(pdf)).pages[0].images
    ]
    assert any(i.size == expected.size and i.tobytes() == expected.tobytes() for i in images), (
        "no image on the page encodes the verification URL"
    )


def test_page_says_cocok_for_the_real_letter_and_tidak_cocok_for_a_changed_one(
    samples_uow: UnitOfWork, ca: LocalCA
) -> None:
    letter = a_letter(samples_uow, "laporan_tindak_lanjut")
    web = client(samples_uow, ca)
    real = web.get(f"/verifikasi/{letter.id}", params={"h": letter.content_hash})
    assert real.status_code == 200 and "COCOK" in real.text and "TIDAK COCOK" not in real.text
    fake = web.get(f"/verifikasi/{letter.id}", params={"h": "0" * 64})
    assert "TIDAK COCOK" in fake.text
    signed = render_pdf(samples_uow, "admin", letter.id, signer=ca, base_url=BASE)
    upload = web.post(
        f"/verifikasi/{letter.id}",
        content=signed,
        headers={"Content-Type": "application/pdf"},
        params={"format": "json"},
    )
    assert upload.json()["verdict"] == "cocok", upload.json()
    forged = web.post(
        f"/verifikasi/{letter.id}",
        content=changed(signed),
        headers={"Content-Type": "application/pdf"},
        params={"format": "json"},
    )
    assert forged.json()["verdict"] == "tidak cocok"
    other = a_letter(samples_uow, "pemberitahuan_status")
    swapped = render_pdf(samples_uow, "admin", other.id, base_url=BASE)
    assert verify_letter_public(samples_uow, letter.id, pdf=swapped, base_url=BASE).verdict == (
        "tidak cocok"
    )
    assert web.get("/verifikasi/TIDAK-ADA-L1-XYZ").status_code == 404
    assert web.post(f"/verifikasi/{letter.id}", content=b"<html>").status_code == 400


def test_a_confidential_letter_shows_no_content_to_someone_not_signed_in(
    samples_uow: UnitOfWork, ca: LocalCA
) -> None:
    # Sifat: Rahasia; DEMO-PBL-1 is a kode-etik matter (no summons), so Sukabumi's summons
    letter = a_letter(samples_uow, "surat_panggilan", "DEMO-SKB-1")
    anonymous = client(samples_uow, ca).get(
        f"/verifikasi/{letter.id}", params={"h": letter.content_hash, "format": "json"}
    )
    data = anonymous.json()
    assert data["verdict"] == "cocok" and data["confidential"]
    assert data["html"] is None and data["title"] is None
    page = client(samples_uow, ca).get(f"/verifikasi/{letter.id}").text
    assert letter.context["case"]["terlapor"]["name"] not in page
    signed_in = client(samples_uow, ca, officer="bkpsdm.sukabumi").get(
        f"/verifikasi/{letter.id}", params={"format": "json"}
    )
    assert letter.context["case"]["terlapor"]["name"] in signed_in.json()["html"]
    outsider = client(samples_uow, ca, officer="bkpsdm.probolinggo").get(
        f"/verifikasi/{letter.id}", params={"format": "json"}
    )
    assert outsider.json()["html"] is None


def test_a_pkcs12_certificate_signs_as_the_production_signer_would(
    samples_uow: UnitOfWork, ca: LocalCA, tmp_path: Path
) -> None:
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    from letters.signing import Pkcs12Signer, signer_from_setting

    letter = a_letter(samples_uow, "keputusan_sanksi")
    signatory = letter.context["signatory"]
    key, cert = ca._officer(signatory)  # stands in for a BSrE-issued certificate
    bundle = tmp_path / "pejabat.p12"
    bundle.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"pejabat", key, cert, [ca._root_cert], BestAvailableEncryption(b"rahasia")
        )
    )
    signer = signer_from_setting(f"pkcs12:{bundle}", "rahasia")
    assert isinstance(signer, Pkcs12Signer)
    signed = render_pdf(samples_uow, "admin", letter.id, signer=signer, base_url=BASE)
    [result] = validate_signatures(signed, ca.trust_roots())
    assert result["intact"] and result["trusted"] and result["entire_file"]
    with pytest.raises(InvalidInput):  # a wrong passphrase never signs
        Pkcs12Signer(bundle, "salah")
