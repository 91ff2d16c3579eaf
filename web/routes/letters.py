"""A letter as the officer sees it: the recorded HTML (no scripts run), its PDF, and the check
that it is what was issued (re-rendered from the case's history with the templates it was
issued with, `cases.letters.verify_letter`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.downloads import file_response
from cases import letters, queries
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

    @routes.get("/surat/{letter_id}/periksa", response_class=HTMLResponse)
    def letter_check(request: Request, letter_id: str) -> HTMLResponse:
        who = pages.visitor(request)
        letter = letters.get_letter(pages.uow(), who.officer_id, letter_id)
        case = queries.get_case(pages.uow(), who.officer_id, letter.case_id)
        report = letters.verify_letter(pages.uow(), who.officer_id, letter_id)
        return pages.page(
            request,
            "letter_check.html",
            who,
            letter=letter,
            report=report,
            region_code=case.region_code,
        )

    return routes
