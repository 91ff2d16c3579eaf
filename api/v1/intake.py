"""`/api/v1/imports`: a report file (CSV or XLSX with Indonesian headers) imported through the
same service as `netra import`: every row validated, then all rows opened in one transaction
(or, with `per_row`, the valid ones). A file with a bad row and no `per_row` writes nothing
and answers 422 with the errors by line; a file imported before opens nothing again.

Like an evidence upload, an import takes no `Idempotency-Key`: the service keys the file by
its SHA-256, so a retried upload reports its rows as imported before.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse

from api.auth import bearer_officer
from api.errors import problem
from cases.intake.importing import OnDuplicate, import_report
from cases.intake.reading import MAX_REPORT_BYTES, read_report_bytes
from db.unit_of_work import UnitOfWork
from rules.errors import InvalidInput


def intake_router(uow_factory: Callable[[], UnitOfWork], now: Callable[[], datetime]) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["intake"])
    officer = bearer_officer(uow_factory)

    @router.post("/imports", status_code=201, response_model=None)
    def import_file(
        file: Annotated[UploadFile, File(description="Berkas laporan (CSV atau XLSX)")],
        on_duplicate: Annotated[OnDuplicate | None, Form()] = None,
        per_row: Annotated[bool, Form()] = False,
        encoding: Annotated[str | None, Form(max_length=32)] = None,
        officer_id: str = officer,
    ) -> dict[str, Any] | JSONResponse:
        data = file.file.read(MAX_REPORT_BYTES + 1)
        if len(data) > MAX_REPORT_BYTES:
            raise InvalidInput(
                f"Berkas laporan melebihi batas {MAX_REPORT_BYTES // (1024 * 1024)} MB; "
                "bagi menjadi beberapa berkas"
            )
        report = read_report_bytes(data, file.filename or "laporan", encoding)
        result = import_report(
            uow_factory(), officer_id, report, now(), on_duplicate=on_duplicate, per_row=per_row
        )
        if result.errors and not result.written:
            return problem(
                422,
                "import_rejected",
                f"Tidak ada yang ditulis: {result.count('error')} baris bermasalah dari "
                f"{result.rows}",
                result=result.to_dict(),
            )
        return result.to_dict()

    return router
