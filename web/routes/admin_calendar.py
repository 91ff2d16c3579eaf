"""Admin: the working calendar — add a holiday (e.g. a new cuti bersama decree) or a
working-day correction, nationwide or for one region, with its reason; remove one. Running
deadlines keep their stored due dates (the calendar service says so and records each change
in the registry history)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cases.calendar import add_override, holidays_of, list_overrides, remove_override
from rules.calendar import OverrideKind
from rules.errors import InvalidInput, NetraError
from web import labels
from web.context import Pages, one
from web.session import Visitor


def day_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("Tanggal harus diisi (YYYY-MM-DD)") from None


def router(pages: Pages) -> APIRouter:
    routes = APIRouter()

    def calendar_page(
        request: Request, who: Visitor, status: int = 200, **extra: Any
    ) -> HTMLResponse:
        year = pages.now().astimezone(labels.WIB).year
        return pages.page(
            request,
            "admin_calendar.html",
            who,
            status=status,
            overrides=list_overrides(pages.uow(), who.officer_id),
            holidays=holidays_of(pages.uow(), year),
            year=year,
            **{"values": {}, **extra},
        )

    @routes.get("/admin/kalender", response_class=HTMLResponse)
    def calendar(request: Request) -> HTMLResponse:
        return calendar_page(request, pages.admin(request))

    @routes.post("/admin/kalender", response_class=HTMLResponse)
    async def add(request: Request) -> Response:
        who = pages.admin(request)
        posted = await pages.posted(request, who)
        kind = OverrideKind.WORKING_DAY if one(posted, "kind") == "kerja" else OverrideKind.HOLIDAY
        try:
            add_override(
                pages.uow(),
                who.officer_id,
                day_of(one(posted, "day")),
                one(posted, "name"),
                pages.now(),
                kind,
                one(posted, "region") or None,
            )
        except NetraError as error:
            if error.http_status >= 500:
                raise
            values = {k: v[-1] for k, v in posted.items() if k != "csrf_token"}
            return calendar_page(request, who, status=422, error=error.message, values=values)
        return RedirectResponse("/admin/kalender?ok=1", status_code=303)

    @routes.post("/admin/kalender/hapus")
    async def remove(request: Request) -> Response:
        who = pages.admin(request)
        posted = await pages.posted(request, who)
        remove_override(
            pages.uow(), who.officer_id, day_of(one(posted, "day")), one(posted, "region") or None
        )
        return RedirectResponse("/admin/kalender?ok=2", status_code=303)

    return routes
