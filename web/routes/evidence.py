"""Evidence on the case page: upload (type sniffed from the content, size limited, errors
inline and nothing written), download (permission-checked, always an attachment, never
rendered inline), thumbnails of images, and withdrawal with a reason."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from api.downloads import DOWNLOAD_HEADERS, evidence_response
from cases.evidence.service import add_evidence, evidence_content, withdraw_evidence
from rules.errors import InvalidInput, NetraError
from web.context import Pages, one
from web.routes.case_page import show_case
from web.uploads import upload_of


def _refusal(error: NetraError) -> NetraError:
    """Errors the page shows inline; others (not found, not allowed to read) go to the
    error page."""
    if error.http_status >= 500 or error.http_status in (401, 404):
        raise error
    return error


def router(pages: Pages) -> APIRouter:
    routes = APIRouter()

    @routes.post("/perkara/{case_id}/bukti")
    async def upload(request: Request, case_id: str) -> Response:
        who = pages.visitor(request)
        sent = await upload_of(request, who, "file")
        try:
            if sent.stream is None:
                raise InvalidInput("Pilih berkas bukti yang akan diunggah")
            item = add_evidence(
                pages.uow(),
                who.officer_id,
                case_id,
                sent.stream,
                sent.file_name,
                one(sent.fields, "description"),
                pages.now(),
                internal=one(sent.fields, "internal") == "ya",
            )
        except NetraError as error:
            refusal = _refusal(error)
            return show_case(
                pages,
                request,
                who,
                case_id,
                status=422 if refusal.http_status == 400 else refusal.http_status,
                evidence_error=refusal.message,
                evidence_values=sent.fields,
            )
        return RedirectResponse(f"/perkara/{case_id}?bukti={item.label}#bukti", status_code=303)

    @routes.get("/perkara/{case_id}/bukti/{label}")
    def download(request: Request, case_id: str, label: str) -> Response:
        who = pages.visitor(request)
        item, chunks = evidence_content(pages.uow(), who.officer_id, case_id, label)
        return evidence_response(item, chunks)

    @routes.get("/perkara/{case_id}/bukti/{label}/kecil")
    def thumbnail(request: Request, case_id: str, label: str) -> Response:
        """The JPEG thumbnail Netra made itself (never the uploaded bytes)."""
        who = pages.visitor(request)
        _, chunks = evidence_content(
            pages.uow(), who.officer_id, case_id, label, want_thumbnail=True
        )
        return Response(b"".join(chunks), media_type="image/jpeg", headers=DOWNLOAD_HEADERS)

    @routes.post("/perkara/{case_id}/bukti/{label}/tarik")
    async def withdraw(request: Request, case_id: str, label: str) -> Response:
        who = pages.visitor(request)
        reason = one(await pages.posted(request, who), "reason")
        try:
            withdraw_evidence(pages.uow(), who.officer_id, case_id, label, reason, pages.now())
        except NetraError as error:
            refusal = _refusal(error)
            return show_case(
                pages,
                request,
                who,
                case_id,
                status=422 if refusal.http_status == 400 else refusal.http_status,
                evidence_error=refusal.message,
            )
        return RedirectResponse(f"/perkara/{case_id}#bukti", status_code=303)

    return routes
