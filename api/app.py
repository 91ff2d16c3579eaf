"""A minimal read-only FastAPI app: `/health`, `/cases`, `/cases/{id}`.

The acting officer is named by the `X-Netra-User` header (a placeholder until real sign-in);
every route calls the same services as the CLI, and Netra's errors map to their HTTP codes.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, Header, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from cases import queries
from cases.bootstrap import unit_of_work
from db.case_repository import CaseFilter
from db.settings import get_settings
from rules.errors import NetraError, PermissionDenied

UserHeader = Annotated[str | None, Header(alias="X-Netra-User")]


def create_app(database_url: str | None = None) -> FastAPI:
    """The app on `database_url` (default NETRA_DATABASE_URL)."""
    url = database_url or get_settings().database_url
    app = FastAPI(title="Netra", version="0.1.0")

    @app.exception_handler(NetraError)
    async def netra_error(_request: Request, error: NetraError) -> JSONResponse:
        return JSONResponse(
            status_code=error.http_status,
            content={"error": type(error).__name__, "message": error.message},
        )

    def officer(user: str | None) -> str:
        if not user:
            raise PermissionDenied("Header X-Netra-User wajib diisi")
        return user

    @app.get("/health")
    def health() -> dict[str, str]:
        uow = unit_of_work(url)
        with uow:
            uow.session.execute(text("SELECT 1"))
        return {"status": "ok"}

    @app.get("/cases")
    def list_cases(
        x_netra_user: UserHeader = None,
        state: str | None = None,
        region: str | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> list[dict[str, Any]]:
        flt = CaseFilter(state=state, region_code=region)
        found = queries.list_cases(unit_of_work(url), officer(x_netra_user), flt, limit, offset)
        return [case.to_dict() for case in found]

    @app.get("/cases/{case_id}")
    def get_case(case_id: str, x_netra_user: UserHeader = None) -> dict[str, Any]:
        return queries.get_case(unit_of_work(url), officer(x_netra_user), case_id).to_dict()

    return app
