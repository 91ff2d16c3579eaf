"""`/api/v1` beyond the lifecycle steps, as the CLI offers them: deadlines (extend, stop and
resume the clock), likely duplicates and linking one, letter corrections (ralat, revoke),
the DRAFT letters a step would issue, what-if under another rule-set, the dashboards and the
case list as CSV or XLSX. Routes call services only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import JSONResponse, Response

from api.auth import bearer_officer
from api.downloads import table_response
from api.idempotency import IdempotentRequest, idempotent_request, run_once
from api.v1.schemas import DuplicateLinkIn, ExtendIn, ReasonIn, StepIn
from cases import deadlines
from cases.bulk import export_rows
from cases.dashboards import dashboard
from cases.intake.duplicates import likely_duplicates, link_duplicate
from cases.letter_corrections import issue_ralat, revoke_letter
from cases.letter_preview import preview_step_letters
from cases.whatif import whatif
from db.case_repository import CaseFilter
from db.unit_of_work import UnitOfWork
from rules.errors import InvalidInput

CaseId = Annotated[str, Path(max_length=64)]
LetterId = Annotated[str, Path(max_length=64)]
Trigger = Annotated[str, Path(max_length=40, pattern=r"^[a-z_]+$")]


def _day(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{name} harus berupa tanggal YYYY-MM-DD") from None


def _as_json(result: Any) -> Any:
    return result.to_dict() if hasattr(result, "to_dict") else result


def case_actions_router(
    uow_factory: Callable[[], UnitOfWork], now: Callable[[], datetime]
) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["v1"])
    officer = bearer_officer(uow_factory)
    idem = Depends(idempotent_request)

    def once(
        officer_id: str, request: IdempotentRequest, run: Callable[[], Any], status: int = 200
    ) -> JSONResponse:
        """Run one command at most once per Idempotency-Key; its result as JSON."""
        return run_once(uow_factory, officer_id, request, status, lambda: _as_json(run()))

    @router.post("/cases/{case_id}/deadline/extend")
    def deadline_extend(
        case_id: CaseId,
        body: ExtendIn,
        officer_id: str = officer,
        request: IdempotentRequest = idem,
    ) -> JSONResponse:
        day = _day(body.new_due_on, "new_due_on")
        return once(
            officer_id,
            request,
            lambda: deadlines.extend_deadline(
                uow_factory(), officer_id, case_id, day, body.reason, now()
            ),
        )

    @router.post("/cases/{case_id}/deadline/stop")
    def deadline_stop(
        case_id: CaseId,
        body: ReasonIn,
        officer_id: str = officer,
        request: IdempotentRequest = idem,
    ) -> JSONResponse:
        return once(
            officer_id,
            request,
            lambda: deadlines.stop_clock(uow_factory(), officer_id, case_id, body.reason, now()),
        )

    @router.post("/cases/{case_id}/deadline/resume")
    def deadline_resume(
        case_id: CaseId, officer_id: str = officer, request: IdempotentRequest = idem
    ) -> JSONResponse:
        return once(
            officer_id,
            request,
            lambda: deadlines.resume_clock(uow_factory(), officer_id, case_id, now()),
        )

    @router.get("/duplicates")
    def duplicates(
        nip: Annotated[str, Query(max_length=40)],
        region: Annotated[str, Query(max_length=16)],
        incident_date: Annotated[str, Query(max_length=40)],
        officer_id: str = officer,
    ) -> list[dict[str, Any]]:
        found = likely_duplicates(uow_factory(), officer_id, nip, region, incident_date)
        return [c.to_dict() for c in found]

    @router.post("/cases/{case_id}/duplicate-of")
    def duplicate_link(
        case_id: CaseId,
        body: DuplicateLinkIn,
        officer_id: str = officer,
        request: IdempotentRequest = idem,
    ) -> JSONResponse:
        return once(
            officer_id,
            request,
            lambda: link_duplicate(
                uow_factory(), officer_id, case_id, body.duplicate_of, body.reason, now()
            ),
        )

    @router.post("/cases/{case_id}/steps/{trigger}/preview")
    def step_preview(
        case_id: CaseId, trigger: Trigger, body: StepIn, officer_id: str = officer
    ) -> list[dict[str, Any]]:
        """The DRAFT letters the step would issue (nothing is written, no number taken)."""
        drafts = preview_step_letters(uow_factory(), officer_id, case_id, trigger, body.data, now())
        return [
            {
                "letter_id": d.letter_id,
                "kind": d.kind,
                "recipient": d.recipient,
                "html": d.html,
                "external_number": d.external_number,
            }
            for d in drafts
        ]

    @router.post("/letters/{letter_id}/ralat", status_code=201)
    def letter_ralat(
        letter_id: LetterId,
        body: ReasonIn,
        officer_id: str = officer,
        request: IdempotentRequest = idem,
    ) -> JSONResponse:
        def issue() -> dict[str, Any]:
            new = issue_ralat(uow_factory(), officer_id, letter_id, body.reason, now())
            return {"letter_id": new.id, "number": new.number, "replaces": letter_id}

        return once(officer_id, request, issue, status=201)

    @router.post("/letters/{letter_id}/revoke")
    def letter_revoke(
        letter_id: LetterId,
        body: ReasonIn,
        officer_id: str = officer,
        request: IdempotentRequest = idem,
    ) -> JSONResponse:
        def revoke() -> dict[str, Any]:
            status = revoke_letter(uow_factory(), officer_id, letter_id, body.reason, now())
            return {**status.__dict__, "recorded_at": status.recorded_at.astimezone(UTC)}

        return once(officer_id, request, revoke)

    @router.get("/cases/{case_id}/whatif")
    def case_whatif(
        case_id: CaseId,
        version: Annotated[str, Query(max_length=20)],
        officer_id: str = officer,
    ) -> dict[str, Any]:
        return whatif(uow_factory(), officer_id, case_id, version).to_dict()

    @router.get("/dashboards")
    def dashboards(officer_id: str = officer) -> dict[str, Any]:
        """The dashboard figures over the cases the caller may read (codes, not labels)."""
        found = dashboard(uow_factory(), officer_id, now())
        return {
            "total": found.total,
            "by_state": found.by_state,
            "by_region": found.by_region,
            "by_violation": found.by_violation,
            "compliance": [c.__dict__ for c in found.compliance],
            "follow_up": [
                {
                    "ppk": f.ppk,
                    "recommended": f.recommended,
                    "waiting_past_deadline": f.waiting_past_deadline,
                    "escalated": f.escalated,
                    "sanctioned": f.sanctioned,
                    "median_days": f.median_days,
                }
                for f in found.follow_up
            ],
        }

    @router.get("/export/cases", response_class=Response)
    def cases_export(
        officer_id: str = officer,
        format: Annotated[str, Query(pattern="^(csv|xlsx)$")] = "csv",
        state: Annotated[str | None, Query(max_length=40)] = None,
        region: Annotated[str | None, Query(max_length=16)] = None,
    ) -> Response:
        """The cases the caller may read, as `netra export cases` writes them."""
        header, rows = export_rows(
            uow_factory(), officer_id, CaseFilter(state=state, region_code=region)
        )
        return table_response(format, "perkara", header, rows, sheet="Perkara")

    return router
