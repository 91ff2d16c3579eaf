"""Tugas saya: the cases waiting on me and on my institution, nearest deadline first."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from cases.worklist import worklist
from rules.ruleset import latest_version, load_rule_set
from web.context import OFFSET, PAGE_SIZE, Pages


def router(pages: Pages) -> APIRouter:
    routes = APIRouter()

    @routes.get("/", response_class=HTMLResponse)
    def my_tasks(request: Request, offset: OFFSET = 0) -> HTMLResponse:
        who = pages.visitor(request)
        found = worklist(pages.uow(), who.officer_id, pages.now(), PAGE_SIZE, offset)
        return pages.page(
            request,
            "tasks.html",
            who,
            work=found,
            offset=offset,
            page_size=PAGE_SIZE,
            rules=load_rule_set(latest_version()),
        )

    return routes
