"""The FastAPI app: `/health`, the REST API under `/api/v1` (token auth), its OpenAPI document
and a documentation page served without a CDN, and the older read-only `/cases` routes.

Every route calls the same services as the CLI; Netra's errors map once (api/errors.py) to
HTTP codes with an Indonesian message and a stable English code, and database failures to a
503 without SQL. The officers' web pages (web/) mount onto this app.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import FastAPI, Query
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy import text

from api.auth import bearer_officer
from api.docs import docs_page
from api.errors import MULTIPART_OVERHEAD, BodyLimit, HtmlErrorPage, install_error_handlers
from api.v1.admin import admin_router
from api.v1.case_actions import case_actions_router
from api.v1.evidence import evidence_router
from api.v1.intake import intake_router
from api.v1.routes import server_clock, v1_router
from cases import queries
from cases.bootstrap import unit_of_work
from db.case_repository import CaseFilter
from db.evidence_settings import get_evidence_settings
from db.settings import get_settings
from db.unit_of_work import UnitOfWork

OPENAPI_URL = "/api/v1/openapi.json"


def create_app(
    database_url: str | None = None,
    html_errors: HtmlErrorPage | None = None,
    clock: Callable[[], datetime] = server_clock,
) -> FastAPI:
    """The app on `database_url` (default NETRA_DATABASE_URL). `clock` is the server clock;
    only a demo or test database accepts another (the event store refuses it elsewhere)."""
    url = database_url or get_settings().database_url
    app = FastAPI(
        title="Netra",
        version="1.0.0",
        description="Penanganan pelanggaran netralitas ASN: Bawaslu → BKN → PPK/BKPSDM.",
        openapi_url=OPENAPI_URL,
        docs_url=None,
        redoc_url=None,
    )
    upload_limit = get_evidence_settings().max_bytes + MULTIPART_OVERHEAD
    app.add_middleware(BodyLimit, upload_limit=upload_limit)

    def uow() -> UnitOfWork:
        return unit_of_work(url)

    app.state.uow_factory = uow
    app.state.clock = clock
    officer = bearer_officer(uow)
    install_error_handlers(app, html_errors)
    app.include_router(v1_router(uow, clock))
    app.include_router(case_actions_router(uow, clock))
    app.include_router(evidence_router(uow, clock))
    app.include_router(intake_router(uow, clock))
    app.include_router(admin_router(uow, clock))

    @app.get("/api/v1/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(docs_page(app.openapi()))

    @app.get("/health")
    def health() -> dict[str, str]:
        work = uow()
        with work:
            work.session.execute(text("SELECT 1"))
        return {"status": "ok"}

    @app.get("/cases", include_in_schema=False)
    def list_cases(
        officer_id: str = officer,
        state: str | None = None,
        region: str | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> list[dict[str, Any]]:
        flt = CaseFilter(state=state, region_code=region)
        found = queries.list_cases(uow(), officer_id, flt, limit, offset)
        return [case.to_dict() for case in found]

    @app.get("/cases/{case_id}", include_in_schema=False)
    def get_case(case_id: str, officer_id: str = officer) -> JSONResponse:
        return JSONResponse(queries.get_case(uow(), officer_id, case_id).to_dict())

    return app
