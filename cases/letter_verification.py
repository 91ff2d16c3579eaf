"""Public verification of a letter: does the paper (or PDF) someone holds match the record?

Anyone holding a letter scans its QR code (`/verifikasi/<letter id>?h=<content hash>`) or
uploads its PDF. The answer is "cocok" or "tidak cocok", with the record's number, date,
sender and signatory and whether the letter is still in force (not superseded by a ralat,
not revoked). The letter's content is shown only to a signed-in officer allowed to read it;
the subject (Hal) of a confidential letter is not shown to anyone else either.

An uploaded PDF matches when it is byte for byte the PDF/A Netra renders for the letter, or
when that PDF is its unchanged prefix and every signature added after it is intact, covers
the whole file and chains to a trusted root (a PAdES signature is an incremental update).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from typing import Any

from cases.letters import get_letter, unsigned_pdf
from db.letter_records import LetterRecords
from db.letter_register import LetterRegister, StoredLetter
from db.unit_of_work import UnitOfWork
from letters.catalog import KINDS
from letters.signing import LetterSigner, validate_signatures
from rules.errors import NetraError, NotFound

COCOK = "cocok"
TIDAK_COCOK = "tidak cocok"
TERCATAT = "tercatat"  # the letter exists; nothing was offered to compare
TIDAK_DITEMUKAN = "tidak ditemukan"
CONFIDENTIAL = frozenset({"Rahasia", "Sangat Rahasia"})
MAX_UPLOAD = 20 * 1024 * 1024


@dataclass(frozen=True)
class PublicVerification:
    """What the verification page says about one letter."""

    letter_id: str
    verdict: str
    reasons: list[str] = field(default_factory=list)
    number: str | None = None
    issued_on: str | None = None
    sender: str | None = None
    signatory: str | None = None
    title: str | None = None  # None for a confidential letter unless signed in
    status: str | None = None  # berlaku | diralat | dicabut
    status_reason: str | None = None
    content_hash: str | None = None
    confidential: bool = False
    html: str | None = None  # only for a signed-in officer who may read the letter

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _status(records: LetterRecords, letter_id: str) -> tuple[str, str | None]:
    found = records.status(letter_id)
    if found is None:
        return "berlaku", None
    if found.status == "superseded":
        return "diralat", f"diganti oleh surat {found.by_letter_id}: {found.reason}"
    return "dicabut", found.reason


def _pdf_matches(
    uow: UnitOfWork,
    letter: StoredLetter,
    pdf: bytes,
    signer: LetterSigner | None,
    base_url: str | None,
) -> list[str]:
    """Why the uploaded PDF does not match (empty: it matches)."""
    if len(pdf) > MAX_UPLOAD:
        return ["berkas terlalu besar"]
    expected = unsigned_pdf(uow, letter, base_url)
    if hmac.compare_digest(pdf, expected):
        return []
    if not pdf.startswith(expected):
        return ["isi PDF berbeda dari surat yang tercatat"]
    try:
        signatures = validate_signatures(pdf, signer.trust_roots() if signer else [])
    except Exception:  # a hostile file must give an answer, never an error page
        return ["tanda tangan elektronik pada PDF tidak dapat dibaca"]
    if not signatures:
        return ["PDF memuat tambahan yang tidak bertanda tangan"]
    problems = []
    for item in signatures:
        if not item["intact"] or not item["valid"]:
            problems.append(
                f"tanda tangan {item['field']} rusak: isi diubah setelah ditandatangani"
            )
        elif not item["trusted"]:
            problems.append(f"sertifikat penanda tangan ({item['signer']}) tidak terpercaya")
    if not signatures[-1]["entire_file"]:
        problems.append("ada perubahan setelah tanda tangan terakhir")
    return problems


def verify_letter_public(
    uow: UnitOfWork,
    letter_id: str,
    *,
    content_hash: str | None = None,
    pdf: bytes | None = None,
    officer_id: str | None = None,
    signer: LetterSigner | None = None,
    base_url: str | None = None,
) -> PublicVerification:
    """Compare what the holder offers (the QR's hash, or the PDF) with the record."""
    with uow:
        try:
            letter = LetterRegister(uow.session).get(letter_id)
        except NotFound:
            return PublicVerification(letter_id[:40], TIDAK_DITEMUKAN, ["surat tidak tercatat"])
        status, status_reason = _status(LetterRecords(uow.session), letter.id)
    context = letter.context
    confidential = str(context["letter"].get("sifat")) in CONFIDENTIAL
    html = None
    if officer_id:
        try:
            html = get_letter(uow, officer_id, letter_id).html
        except NetraError:
            html = None
    reasons: list[str] = []
    if pdf is not None:
        reasons = _pdf_matches(uow, letter, pdf, signer, base_url)
        verdict = TIDAK_COCOK if reasons else COCOK
    elif content_hash is not None:
        same = hmac.compare_digest(content_hash.strip().lower(), letter.content_hash)
        verdict = COCOK if same else TIDAK_COCOK
        reasons = [] if same else ["kode pada QR tidak sama dengan surat yang tercatat"]
    else:
        verdict = TERCATAT
    signatory = context.get("signatory") or {}
    sender = (context.get("inputs") or {}).get("institutions", {}).get("sender") or {}
    kind = KINDS.get(letter.kind)
    return PublicVerification(
        letter_id=letter.id,
        verdict=verdict,
        reasons=reasons,
        number=letter.number,
        issued_on=str(context["letter"]["issued_on"]),
        sender=str(sender.get("name") or letter.institution_code),
        signatory=f"{signatory.get('title') or ''}, {signatory.get('name') or ''}".strip(", "),
        title=(str(context["letter"]["title"]) if not confidential or html else None)
        if kind
        else None,
        status=status,
        status_reason=status_reason if not confidential or html else None,
        content_hash=letter.content_hash,
        confidential=confidential,
        html=html,
    )
