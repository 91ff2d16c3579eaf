"""The FastAPI app: `/health`, `/cases`, `/cases/{id}`, authenticated with API tokens.

Every route calls the same services as the CLI; Netra's errors map once to HTTP codes with an
Indonesian message and a stable English code, and database failures to a 503 without SQL.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from api.auth import bearer_officer
from cases import queries
from cases.bootstrap import unit_of_work
from db.case_repository import CaseFilter
from db.settings import get_settings
from db.unit_of_work import UnitOfWork
from rules.errors import NetraError


def create_app(database_url: str | None = None) -> FastAPI:
    """The app on `database_url` (default NETRA_DATABASE_URL)."""
    url = database_url or get_settings().database_url
    app = FastAPI(title="Netra", version="0.1.0")

    def uow() -> UnitOfWork:
        return unit_of_work(url)

    officer = bearer_officer(uow)

    @app.exception_handler(NetraError)
    async def netra_error(_request: Request, error: NetraError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if error.http_status == 401 else None
        return JSONResponse(
            status_code=error.http_status,
            content={"error": type(error).__name__, "message": error.message},
            headers=headers,
        )

    @app.exception_handler(SQLAlchemyError)
    async def storage_error(_request: Request, _error: SQLAlchemyError) -> JSONResponse:
        return JSONResponse(
            status_code=503,
            content={
                "error": "StorageError",
                "message": "Basis data gagal menjalankan permintaan; tidak ada yang ditulis",
            },
        )

    @app.get("/health")
    def health() -> dict[str, str]:
        work = uow()
        with work:
            work.session.execute(text("SELECT 1"))
        return {"status": "ok"}

    @app.get("/cases")
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

    @app.get("/cases/{case_id}")
    def get_case(case_id: str, officer_id: str = officer) -> dict[str, Any]:
        return queries.get_case(uow(), officer_id, case_id).to_dict()

    return app
