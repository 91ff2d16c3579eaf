"""`/api/v1/cases/{id}/evidence`: list, upload (multipart; the type is sniffed from the
content, the size limited, nothing written on refusal), download (always an attachment) and
withdraw with a reason. The evidence service decides who may do what.

An upload takes no `Idempotency-Key` (its body is not read twice): a retried upload of the
same file is refused by the service as already attached, naming its number.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, UploadFile
from fastapi.responses import Response

from api.auth import bearer_officer
from api.downloads import evidence_response
from api.v1.schemas import WithdrawIn
from cases.evidence.service import (
    add_evidence,
    evidence_content,
    list_evidence,
    withdraw_evidence,
)
from db.unit_of_work import UnitOfWork

CaseId = Annotated[str, Path(max_length=64)]
Label = Annotated[str, Path(max_length=12, pattern=r"^[Bb]?[0-9]{1,9}$")]


def evidence_router(
    uow_factory: Callable[[], UnitOfWork], now: Callable[[], datetime]
) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["evidence"])
    officer = bearer_officer(uow_factory)

    @router.get("/cases/{case_id}/evidence")
    def evidence_list(case_id: CaseId, officer_id: str = officer) -> list[dict[str, Any]]:
        return [i.to_dict() for i in list_evidence(uow_factory(), officer_id, case_id)]

    @router.post("/cases/{case_id}/evidence", status_code=201)
    def evidence_upload(
        case_id: CaseId,
        file: Annotated[UploadFile, File(description="Berkas bukti")],
        description: Annotated[str, Form(min_length=1, max_length=2000)],
        internal: Annotated[bool, Form()] = False,
        officer_id: str = officer,
    ) -> dict[str, Any]:
        item = add_evidence(
            uow_factory(),
            officer_id,
            case_id,
            file.file,
            file.filename or "",
            description,
            now(),
            internal=internal,
        )
        return item.to_dict()

    @router.get("/cases/{case_id}/evidence/{label}", response_class=Response)
    def evidence_download(case_id: CaseId, label: Label, officer_id: str = officer) -> Response:
        item, chunks = evidence_content(uow_factory(), officer_id, case_id, label)
        return evidence_response(item, chunks)

    @router.post("/cases/{case_id}/evidence/{label}/withdraw")
    def evidence_withdraw(
        case_id: CaseId, label: Label, body: WithdrawIn, officer_id: str = officer
    ) -> dict[str, Any]:
        found = withdraw_evidence(uow_factory(), officer_id, case_id, label, body.reason, now())
        return found.to_dict()

    return router
