"""Admin: officers and roles — register an officer (first password shown once), change role,
institution or title, disable or enable with a reason, reset a password (shown once); and
every API token (create for any account, secret shown once; revoke). Each change is a
registry event recorded by the identity services."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cases.identity.accounts import change_officer, list_accounts, set_password
from cases.identity.tokens import create_token, list_tokens
from cases.registry import add_officer, list_institutions
from db.registry import Officer
from rules.errors import InvalidInput, NetraError
from rules.models import Role
from web.context import Pages, Posted, one
from web.routes.settings import token_days
from web.session import Visitor

ROLES = [role for role in Role if role is not Role.SYSTEM]


def role_of(text: str) -> Role:
    try:
        role = Role(text)
    except ValueError:
        raise InvalidInput("Pilih peran petugas") from None
    if role is Role.SYSTEM:
        raise InvalidInput("Peran 'sistem' hanya untuk akun layanan")
    return role


def officer_of(posted: Posted) -> Officer:
    email = one(posted, "email") or None
    return Officer(
        id=one(posted, "id"),
        name=one(posted, "name"),
        role=role_of(one(posted, "role")),
        institution_code=one(posted, "institution"),
        title=one(posted, "title"),
        nip=one(posted, "nip") or None,
        email=email,
        notify="email" if email and one(posted, "notify") == "ya" else "none",
    )


def _shown(error: NetraError) -> NetraError:
    if error.http_status >= 500:
        raise error
    return error


def router(pages: Pages) -> APIRouter:
    routes = APIRouter()

    def officers_page(
        request: Request, who: Visitor, status: int = 200, **extra: Any
    ) -> HTMLResponse:
        return pages.page(
            request,
            "admin_officers.html",
            who,
            status=status,
            accounts=list_accounts(pages.uow(), who.officer_id),
            institutions=list_institutions(pages.uow()),
            roles=ROLES,
            **{"values": {}, **extra},
        )

    @routes.get("/admin/petugas", response_class=HTMLResponse)
    def officers(request: Request) -> HTMLResponse:
        return officers_page(request, pages.admin(request))

    @routes.post("/admin/petugas", response_class=HTMLResponse)
    async def add(request: Request) -> Response:
        who = pages.admin(request)
        posted = await pages.posted(request, who)
        try:
            officer = officer_of(posted)
            password = add_officer(pages.uow(), officer, who.officer_id)
        except NetraError as error:
            values = {k: v[-1] for k, v in posted.items() if k != "csrf_token"}
            message = _shown(error).message
            return officers_page(request, who, status=422, add_error=message, values=values)
        return officers_page(request, who, created=(officer.id, password))

    @routes.post("/admin/petugas/{officer_id}", response_class=HTMLResponse)
    async def change(request: Request, officer_id: str) -> Response:
        who = pages.admin(request)
        posted = await pages.posted(request, who)
        action = one(posted, "action")
        reason = one(posted, "reason")
        try:
            if action == "sandi":
                password = set_password(pages.uow(), who.officer_id, officer_id)
                return officers_page(request, who, reset=(officer_id, password))
            if action in ("nonaktifkan", "aktifkan"):
                if not reason:
                    raise InvalidInput("Alasan wajib diisi untuk menonaktifkan atau mengaktifkan")
                change_officer(
                    pages.uow(),
                    who.officer_id,
                    officer_id,
                    active=action == "aktifkan",
                    reason=reason,
                )
            else:
                change_officer(
                    pages.uow(),
                    who.officer_id,
                    officer_id,
                    role=role_of(one(posted, "role")),
                    institution_code=one(posted, "institution") or None,
                    title=one(posted, "title") or None,
                    reason=reason,
                )
        except NetraError as error:
            return officers_page(
                request, who, status=422, row_error=(officer_id, _shown(error).message)
            )
        return RedirectResponse(f"/admin/petugas#petugas-{officer_id}", status_code=303)

    def tokens_page(
        request: Request, who: Visitor, status: int = 200, **extra: Any
    ) -> HTMLResponse:
        return pages.page(
            request,
            "admin_tokens.html",
            who,
            status=status,
            tokens=list_tokens(pages.uow(), who.officer_id, everyone=True),
            accounts=list_accounts(pages.uow(), who.officer_id),
            **extra,
        )

    @routes.get("/admin/token", response_class=HTMLResponse)
    def tokens(request: Request) -> HTMLResponse:
        return tokens_page(request, pages.admin(request))

    @routes.post("/admin/token", response_class=HTMLResponse)
    async def new_token(request: Request) -> HTMLResponse:
        who = pages.admin(request)
        posted = await pages.posted(request, who)
        try:
            token, text = create_token(
                pages.uow(),
                who.officer_id,
                one(posted, "name"),
                token_days(posted),
                one(posted, "officer") or None,
            )
        except NetraError as error:
            return tokens_page(request, who, status=422, token_error=_shown(error).message)
        return tokens_page(request, who, new_token=(token.officer_id, text))

    return routes
