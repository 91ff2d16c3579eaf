"""A letter as the officer sees it: the recorded HTML (no scripts run) and its PDF."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.downloads import file_response
from cases import letters
from web.context import Pages

LETTER_POLICY = "default-src 'self' data:; script-src 'none'; style-src 'self' 'unsafe-inline'"


def router(pages: Pages) -> APIRouter:
    routes = APIRouter()

    @routes.get("/surat/{letter_id}", response_class=HTMLResponse)
    def letter_view(request: Request, letter_id: str) -> HTMLResponse:
        who = pages.visitor(request)
        letter = letters.get_letter(pages.uow(), who.officer_id, letter_id)
        return HTMLResponse(
            letter.html,
            headers={"Content-Security-Policy": LETTER_POLICY, "X-Content-Type-Options": "nosniff"},
        )

    @routes.get("/surat/{letter_id}/pdf")
    def letter_pdf(request: Request, letter_id: str) -> Response:
        who = pages.visitor(request)
        pdf = letters.render_pdf(pages.uow(), who.officer_id, letter_id)
        return file_response(pdf, "application/pdf", f"{letter_id}.pdf")

    return routes
