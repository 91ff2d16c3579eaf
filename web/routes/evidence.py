"""Evidence on the case page: upload (type sniffed from the content, size limited, errors
inline and nothing written), download (permission-checked, always an attachment, never
rendered inline), thumbnails of images, and withdrawal with a reason."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from api.downloads import DOWNLOAD_HEADERS, evidence_response
from cases.evidence.service import add_evidence, evidence_content, withdraw_evidence
from rules.errors import InvalidInput, NetraError
from web.context import Pages, one
from web.routes.case_page import show_case
from web.session import Visitor
from web.uploads import upload_of


def router(pages: Pages) -> APIRouter:
    routes = APIRouter()

    def refused(
        request: Request, who: Visitor, case_id: str, error: NetraError, **extra: Any
    ) -> Response:
        """The case page with the refusal beside the evidence; a case the officer may not
        read (404), or a server fault, goes to the error page instead."""
        if error.http_status >= 500 or error.http_status in (401, 404):
            raise error
        status = 422 if error.http_status == 400 else error.http_status
        return show_case(
            pages, request, who, case_id, status=status, evidence_error=error.message, **extra
        )

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
            return refused(request, who, case_id, error, evidence_values=sent.fields)
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
            return refused(request, who, case_id, error)
        return RedirectResponse(f"/perkara/{case_id}#bukti", status_code=303)

    return routes
