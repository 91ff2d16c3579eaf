"""The public letter verification page, `/verifikasi/<letter id>`, as a FastAPI router.

The QR code on every letter PDF points here with the letter's content hash (`?h=`); the
holder may also POST the PDF itself (the raw bytes, `Content-Type: application/pdf`). The
page answers "cocok" or "tidak cocok" in Bahasa Indonesia, with the record's number, date,
sender and signatory. Content is shown only to a signed-in officer allowed to read the
letter: who is signed in is decided by the `current_officer` callable the app passes in
(by default nobody, so a header cannot be used to read a confidential letter).

Mount it with `app.include_router(verification_router(lambda: unit_of_work(url)))`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from markupsafe import escape
from starlette.concurrency import run_in_threadpool

from cases.letter_verification import (
    COCOK,
    MAX_UPLOAD,
    TIDAK_DITEMUKAN,
    PublicVerification,
    verify_letter_public,
)
from db.unit_of_work import UnitOfWork
from letters.signing import LetterSigner

VERDICT_TEXT = {
    "cocok": "COCOK — surat ini sesuai dengan catatan Netra.",
    "tidak cocok": "TIDAK COCOK — surat ini berbeda dari surat yang tercatat.",
    "tercatat": "Surat dengan nomor ini tercatat. Pindai kode QR pada surat atau unggah PDF-nya "
    "untuk memeriksa kecocokannya.",
    "tidak ditemukan": "Surat tidak ditemukan dalam catatan Netra.",
}


def _page(result: PublicVerification) -> str:
    rows = [
        ("Nomor", result.number),
        ("Tanggal", result.issued_on),
        ("Pengirim", result.sender),
        ("Penanda tangan", result.signatory),
        ("Hal", result.title if result.title else ("(rahasia)" if result.confidential else None)),
        ("Status", result.status),
        ("Keterangan status", result.status_reason),
        ("Hash isi", result.content_hash),
    ]
    table = "".join(
        f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>"
        for label, value in rows
        if value
    )
    reasons = "".join(f"<li>{escape(reason)}</li>" for reason in result.reasons)
    content = (
        f'<section class="isi"><h2>Isi surat</h2><iframe sandbox srcdoc="{escape(result.html)}">'
        "</iframe></section>"
        if result.html
        else ""
    )
    colour = "#0a6b2d" if result.verdict == COCOK else "#a11"
    return (
        '<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">'
        f"<title>Verifikasi surat {escape(result.letter_id)}</title>"
        "<style>body{font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}"
        "th{text-align:left;padding-right:1rem;vertical-align:top}td{word-break:break-all}"
        "iframe{width:100%;height:40rem;border:1px solid #999}</style></head><body>"
        f"<h1>Verifikasi surat</h1><p><strong>Id surat:</strong> {escape(result.letter_id)}</p>"
        f'<p style="color:{colour};font-size:1.3rem"><strong>'
        f"{escape(VERDICT_TEXT.get(result.verdict, result.verdict))}</strong></p>"
        f"{'<ul>' + reasons + '</ul>' if reasons else ''}<table>{table}</table>{content}"
        "<p>Keaslian berkas PDF dapat diperiksa dengan mengirim berkasnya ke alamat ini "
        "(POST, Content-Type: application/pdf).</p></body></html>"
    )


def _respond(result: PublicVerification, as_json: bool) -> Response:
    status = 404 if result.verdict == TIDAK_DITEMUKAN else 200
    if as_json:
        data: dict[str, Any] = result.to_dict()
        return JSONResponse(data, status_code=status)
    return HTMLResponse(_page(result), status_code=status)


def verification_router(
    uow_factory: Callable[[], UnitOfWork],
    current_officer: Callable[[Request], str | None] = lambda _request: None,
    signer: LetterSigner | None = None,
    base_url: str | None = None,
) -> APIRouter:
    """`GET` and `POST /verifikasi/{letter_id}`; `?format=json` answers in JSON."""
    router = APIRouter(tags=["verifikasi"])

    @router.get("/verifikasi/{letter_id}")
    def check_hash(
        letter_id: str,
        request: Request,
        h: Annotated[str | None, Query(max_length=128)] = None,
        format: Annotated[str, Query(pattern="^(html|json)$")] = "html",
    ) -> Response:
        result = verify_letter_public(
            uow_factory(),
            letter_id[:40],
            content_hash=h,
            officer_id=current_officer(request),
            signer=signer,
            base_url=base_url,
        )
        return _respond(result, format == "json")

    @router.post("/verifikasi/{letter_id}")
    async def check_pdf(
        letter_id: str,
        request: Request,
        format: Annotated[str, Query(pattern="^(html|json)$")] = "html",
    ) -> Response:
        body = bytearray()
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > MAX_UPLOAD:
                raise HTTPException(413, "Berkas terlalu besar")
        if not body.startswith(b"%PDF-"):
            raise HTTPException(400, "Kirim berkas PDF surat (Content-Type: application/pdf)")
        result = await run_in_threadpool(  # pyHanko runs its own event loop
            verify_letter_public,
            uow_factory(),
            letter_id[:40],
            pdf=bytes(body),
            officer_id=current_officer(request),
            signer=signer,
            base_url=base_url,
        )
        return _respond(result, format == "json")

    return router
