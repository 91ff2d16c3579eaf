"""Pengaturan, for every officer: my API tokens (created with the secret shown once, listed,
revoked), the rule-set versions in force and this year's working calendar. Administrators
also find the links to the admin pages here."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cases.calendar import holidays_of
from cases.identity.tokens import create_token, list_tokens, revoke_token
from rules.errors import InvalidInput
from rules.ruleset import available_versions, load_rule_set, version_in_force
from web import labels
from web.context import Pages, Posted, one
from web.session import Visitor


def token_days(posted: Posted) -> int:
    text = one(posted, "days")
    if not text.isdigit():
        raise InvalidInput("Masa berlaku harus berupa jumlah hari")
    return int(text)


def rule_sets_in_force(pages: Pages) -> dict[str, Any]:
    today = pages.now().astimezone(labels.WIB).date()
    return {
        "rule_sets": [load_rule_set(v) for v in available_versions()],
        "in_force": version_in_force(today),
    }


def router(pages: Pages) -> APIRouter:
    routes = APIRouter()

    def settings_page(
        request: Request, who: Visitor, status: int = 200, **extra: Any
    ) -> HTMLResponse:
        today = pages.now().astimezone(labels.WIB).date()
        return pages.page(
            request,
            "settings.html",
            who,
            status=status,
            tokens=list_tokens(pages.uow(), who.officer_id),
            holidays=holidays_of(pages.uow(), today.year),
            year=today.year,
            **rule_sets_in_force(pages),
            **extra,
        )

    @routes.get("/pengaturan", response_class=HTMLResponse)
    def settings(request: Request) -> HTMLResponse:
        return settings_page(request, pages.visitor(request))

    @routes.post("/pengaturan/token", response_class=HTMLResponse)
    async def new_token(request: Request) -> HTMLResponse:
        who = pages.visitor(request)
        posted = await pages.posted(request, who)
        try:
            _, text = create_token(
                pages.uow(), who.officer_id, one(posted, "name"), token_days(posted)
            )
        except InvalidInput as error:
            return settings_page(request, who, status=422, token_error=error.message)
        return settings_page(request, who, new_token=text)

    @routes.post("/pengaturan/token/{token_id}/cabut")
    async def revoke(request: Request, token_id: str) -> Response:
        who = pages.visitor(request)
        posted = await pages.posted(request, who)
        revoke_token(pages.uow(), who.officer_id, token_id)
        back = "/admin/token" if one(posted, "back") == "admin" else "/pengaturan#token"
        return RedirectResponse(back, status_code=303)

    return routes
