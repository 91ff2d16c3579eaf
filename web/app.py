"""The whole HTTP application: the REST API (api/) with the officers' pages and their static
files (htmx and the stylesheet, vendored; nothing from a CDN). `netra web` serves it."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from api.app import create_app
from api.v1.routes import server_clock
from api.verification import verification_router
from db.unit_of_work import UnitOfWork
from letters.settings import letter_settings
from letters.signing import signer_from_setting
from rules.errors import AuthenticationFailed, NetraError
from web.render import render
from web.routes import pages_router
from web.session import SignInRequired, current

STATIC = os.path.join(os.path.dirname(__file__), "static")


def _error_page(request: Request, error: NetraError) -> Response:
    if isinstance(error, SignInRequired) or error.http_status == 401:
        target = request.url.path if request.method == "GET" else "/"
        return RedirectResponse(f"/masuk?next={target}", status_code=303)
    return render(request, "error.html", status=error.http_status, error=error, visitor=None)


def create_web_app(
    database_url: str | None = None,
    secure_cookies: bool | None = None,
    clock: Callable[[], datetime] = server_clock,
) -> FastAPI:
    """The API and the pages on `database_url`; cookies `Secure` unless told otherwise
    (NETRA_WEB_INSECURE_COOKIES=1 for http://127.0.0.1 in development)."""
    if secure_cookies is None:
        secure_cookies = os.environ.get("NETRA_WEB_INSECURE_COOKIES", "") != "1"
    app = create_app(database_url, html_errors=_error_page, clock=clock)
    app.include_router(pages_router(app.state.uow_factory, secure_cookies, clock))
    app.include_router(_verification(app.state.uow_factory))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _verification(uow_factory: Callable[[], UnitOfWork]) -> APIRouter:
    """`/verifikasi/<letter id>`, where the QR code on every letter points: whoever holds a
    letter learns whether it matches the record; content only for a signed-in reader."""
    settings = letter_settings()

    def signed_in(request: Request) -> str | None:
        try:
            return current(request, uow_factory).officer_id
        except AuthenticationFailed:
            return None

    return verification_router(
        uow_factory,
        current_officer=signed_in,
        signer=signer_from_setting(settings.letter_signer, settings.letter_signer_passphrase),
        base_url=settings.verification_base_url,
    )


def app_from_environment() -> FastAPI:
    """The factory `uvicorn --factory web.app:app_from_environment` calls."""
    return create_web_app()
