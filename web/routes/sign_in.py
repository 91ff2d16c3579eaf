"""Signing in and out of the web pages (sessions from the identity service)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cases.identity import sessions
from rules.errors import NetraError
from web.context import SHORT, Pages, grouped, one
from web.session import COOKIE, check_same_origin, clear_cookie, form_of, set_cookie


def local_target(target: str) -> str:
    """Only paths of this site after sign-in (no open redirect)."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def router(pages: Pages) -> APIRouter:
    routes = APIRouter()

    @routes.get("/masuk", response_class=HTMLResponse)
    def sign_in_form(request: Request, next: SHORT = "/") -> HTMLResponse:
        return pages.page(request, "sign_in.html", None, next=local_target(next), message="")

    @routes.post("/masuk", response_class=HTMLResponse)
    async def sign_in(request: Request) -> Response:
        check_same_origin(request)
        posted = grouped(await form_of(request))
        user = one(posted, "user_id")
        password = (posted.get("password") or [""])[-1]
        target = local_target((posted.get("next") or ["/"])[-1])
        try:
            signed = sessions.sign_in(pages.uow(), user, password, one(posted, "totp") or None)
        except NetraError as error:
            return pages.page(
                request,
                "sign_in.html",
                None,
                status=401,
                next=target,
                message=error.message,
                user_id=user,
            )
        response = RedirectResponse(target, status_code=303)
        set_cookie(response, signed, pages.secure_cookies)
        return response

    @routes.post("/keluar")
    async def sign_out(request: Request) -> Response:
        who = pages.visitor(request)
        await pages.posted(request, who)
        sessions.sign_out(pages.uow(), request.cookies.get(COOKIE, ""))
        response = RedirectResponse("/masuk", status_code=303)
        clear_cookie(response, pages.secure_cookies)
        return response

    return routes
