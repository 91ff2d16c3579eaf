"""`/api/v1`: cases (list, open, show, timeline, steps, notes, reassignment), letters, Tugas
saya and audit (verify, replay, diff, export). Routes call services only; the services decide
who may do what. Writes take `If-Match: "<version>"` and `Idempotency-Key`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Header, Path, Query
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.auth import bearer_officer
from api.idempotency import IdempotentRequest, idempotent_request, run_once
from api.v1.schemas import ExportIn, NoteIn, OpenCaseIn, ReassignIn, StepIn
from cases import commands, letters, queries
from cases.bundle_export import export_bundle
from cases.commands import NewCase, Reporter, Terlapor
from cases.fields import parse_instant
from cases.integrity import verify_records
from cases.replay import diff
from cases.signing import load_signer
from cases.step_forms import allowed_steps
from cases.worklist import worklist
from db.case_repository import CaseFilter
from db.settings import get_settings
from db.unit_of_work import UnitOfWork
from rules.errors import ConcurrencyConflict, InvalidInput

CaseId = Annotated[str, Path(max_length=64)]
IfMatch = Annotated[str | None, Header(max_length=40)]


def server_clock() -> datetime:
    """The server clock; the API never takes a client's time for when an act happened."""
    return datetime.now(UTC)


def configured_signing() -> dict[str, Any]:
    """The bundle signer (NETRA_SIGNING_KEY_FILE) and the reporter-hash secret
    (NETRA_REPORTER_HASH_SECRET) from the server's settings, where configured."""
    settings = get_settings()
    signer = load_signer(settings.signing_key_file) if settings.signing_key_file else None
    secret = settings.reporter_hash_secret
    return {"signer": signer, "reporter_secret": secret.encode() if secret else None}


def expected_version(if_match: str | None) -> int | None:
    """`If-Match: "7"` (or 7, or W/"7") as the case version the client last saw."""
    if if_match is None or if_match.strip() == "*":
        return None
    text = if_match.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise InvalidInput('If-Match harus berisi versi perkara, mis. "7"')
    return int(text)


def case_answer(case: Any) -> JSONResponse:
    return JSONResponse(case.to_dict(), headers={"ETag": f'"{case.version}"'})


def _instant(value: str, name: str) -> datetime:
    return parse_instant(value, ZoneInfo("Asia/Jakarta"), name)


def v1_router(
    uow_factory: Callable[[], UnitOfWork], now: Callable[[], datetime] = server_clock
) -> APIRouter:
    """The routes; `now` is the server clock (a test or demo database may pass a fixed one)."""
    router = APIRouter(prefix="/api/v1", tags=["v1"])
    officer = bearer_officer(uow_factory)
    idem = Depends(idempotent_request)

    def check_version(officer_id: str, case_id: str, if_match: str | None) -> None:
        wanted = expected_version(if_match)
        if wanted is None:
            return
        current = queries.get_case(uow_factory(), officer_id, case_id).version
        if current != wanted:
            raise ConcurrencyConflict(
                f"Perkara {case_id} berada pada versi {current}, bukan {wanted}; muat ulang"
            )

    @router.get("/cases")
    def list_cases(
        officer_id: str = officer,
        q: Annotated[str | None, Query(max_length=200)] = None,
        state: Annotated[str | None, Query(max_length=40)] = None,
        region: Annotated[str | None, Query(max_length=16)] = None,
        violation: Annotated[str | None, Query(max_length=16)] = None,
        election_type: Annotated[str | None, Query(max_length=16)] = None,
        overdue: bool = False,
        opened_from: Annotated[str | None, Query(max_length=40)] = None,
        opened_to: Annotated[str | None, Query(max_length=40)] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    ) -> dict[str, Any]:
        flt = CaseFilter(
            state=state,
            region_code=region,
            violation_code=violation,
            election_type=election_type,
            search=q,
            overdue_at=now() if overdue else None,
            opened_from=_instant(opened_from, "opened_from") if opened_from else None,
            opened_to=_instant(opened_to, "opened_to") if opened_to else None,
        )
        items = queries.list_cases(uow_factory(), officer_id, flt, limit, offset)
        total = queries.count_cases(uow_factory(), officer_id, flt)
        return {"total": total, "items": [case.to_dict() for case in items]}

    @router.post("/cases", status_code=201)
    def open_case(
        body: OpenCaseIn, officer_id: str = officer, request: IdempotentRequest = idem
    ) -> JSONResponse:
        new = NewCase(
            channel=body.channel,
            election_type=body.election_type,
            region_code=body.region_code,
            received_at=body.received_at,
            known_at=body.known_at,
            incident_at=body.incident_at,
            incident_place=body.incident_place,
            summary=body.summary,
            violation_codes=body.violation_codes,
            terlapor=Terlapor(**body.terlapor.model_dump()),
            reporter=Reporter(**body.reporter.model_dump()) if body.reporter else None,
            after_determination=body.after_determination,
        )
        return run_once(
            uow_factory,
            officer_id,
            request,
            201,
            lambda: commands.open_case(uow_factory(), officer_id, new, now()).to_dict(),
        )

    @router.get("/cases/{case_id}")
    def get_case(case_id: CaseId, officer_id: str = officer) -> JSONResponse:
        return case_answer(queries.get_case(uow_factory(), officer_id, case_id))

    @router.get("/cases/{case_id}/timeline")
    def timeline(case_id: CaseId, officer_id: str = officer) -> list[dict[str, Any]]:
        return [e.to_dict() for e in queries.timeline(uow_factory(), officer_id, case_id)]

    @router.get("/cases/{case_id}/steps")
    def steps(case_id: CaseId, officer_id: str = officer) -> list[dict[str, Any]]:
        case = queries.get_case(uow_factory(), officer_id, case_id)
        return [asdict(step) for step in allowed_steps(uow_factory(), officer_id, case, now())]

    @router.post("/cases/{case_id}/steps/{trigger}")
    def take_step(
        case_id: CaseId,
        trigger: Annotated[str, Path(max_length=40, pattern=r"^[a-z_]+$")],
        body: StepIn,
        if_match: IfMatch = None,
        officer_id: str = officer,
        request: IdempotentRequest = idem,
    ) -> JSONResponse:
        version = expected_version(if_match)
        return run_once(
            uow_factory,
            officer_id,
            request,
            200,
            lambda: commands.advance(
                uow_factory(), officer_id, case_id, trigger, body.data, now(), version
            ).to_dict(),
        )

    @router.post("/cases/{case_id}/notes")
    def add_note(
        case_id: CaseId,
        body: NoteIn,
        if_match: IfMatch = None,
        officer_id: str = officer,
        request: IdempotentRequest = idem,
    ) -> JSONResponse:
        def note() -> dict[str, Any]:
            check_version(officer_id, case_id, if_match)
            return commands.add_note(uow_factory(), officer_id, case_id, body.text, now()).to_dict()

        return run_once(uow_factory, officer_id, request, 200, note)

    @router.post("/cases/{case_id}/reassign")
    def reassign(
        case_id: CaseId,
        body: ReassignIn,
        if_match: IfMatch = None,
        officer_id: str = officer,
        request: IdempotentRequest = idem,
    ) -> JSONResponse:
        def move() -> dict[str, Any]:
            check_version(officer_id, case_id, if_match)
            case = commands.reassign(uow_factory(), officer_id, case_id, body.assignee, now())
            return case.to_dict()

        return run_once(uow_factory, officer_id, request, 200, move)

    @router.get("/cases/{case_id}/letters")
    def case_letters(case_id: CaseId, officer_id: str = officer) -> list[dict[str, Any]]:
        return [s.to_dict() for s in letters.list_letters(uow_factory(), officer_id, case_id)]

    @router.get("/letters/{letter_id}", response_class=HTMLResponse)
    def letter_html(
        letter_id: Annotated[str, Path(max_length=64)], officer_id: str = officer
    ) -> HTMLResponse:
        letter = letters.get_letter(uow_factory(), officer_id, letter_id)
        return HTMLResponse(letter.html, headers={"Content-Security-Policy": "script-src 'none'"})

    @router.get("/letters/{letter_id}/pdf", response_class=Response)
    def letter_pdf(
        letter_id: Annotated[str, Path(max_length=64)], officer_id: str = officer
    ) -> Response:
        pdf = letters.render_pdf(uow_factory(), officer_id, letter_id)
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{letter_id}.pdf"'},
        )

    @router.get("/letters/{letter_id}/verify")
    def letter_verify(
        letter_id: Annotated[str, Path(max_length=64)], officer_id: str = officer
    ) -> dict[str, Any]:
        return letters.verify_letter(uow_factory(), officer_id, letter_id).to_dict()

    @router.get("/worklist")
    def my_tasks(
        officer_id: str = officer,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    ) -> dict[str, Any]:
        found = worklist(uow_factory(), officer_id, now(), limit, offset)
        return {
            "total": found.total,
            "per_state": found.per_state,
            "items": [
                {
                    "case": item.case.to_dict(),
                    "mine": item.mine,
                    "overdue": item.overdue,
                    "due_soon": item.due_soon,
                }
                for item in found.items
            ],
        }

    @router.get("/audit/verify")
    def audit_verify(
        officer_id: str = officer,
        case: Annotated[list[str] | None, Query(max_length=100)] = None,
    ) -> dict[str, Any]:
        return verify_records(uow_factory(), officer_id, case or None).to_dict()

    @router.get("/cases/{case_id}/replay")
    def replay(
        case_id: CaseId, at: Annotated[str, Query(max_length=40)], officer_id: str = officer
    ) -> dict[str, Any]:
        instant = _instant(at, "at")
        return queries.replay_at(uow_factory(), officer_id, case_id, instant).to_dict()

    @router.get("/cases/{case_id}/diff")
    def case_diff(
        case_id: CaseId,
        start: Annotated[str, Query(alias="from", max_length=40)],
        end: Annotated[str, Query(alias="to", max_length=40)],
        officer_id: str = officer,
    ) -> dict[str, Any]:
        found = diff(
            uow_factory(), officer_id, case_id, _instant(start, "from"), _instant(end, "to")
        )
        return found.to_dict()

    @router.post("/audit/export", response_class=Response)
    def audit_export(body: ExportIn, officer_id: str = officer) -> Response:
        data = export_bundle(
            uow_factory(),
            officer_id,
            now(),
            case_ids=body.case_ids,
            with_pdf=body.with_pdf,
            **configured_signing(),
        )
        return Response(
            data,
            media_type="application/zip",
            headers={"Content-Disposition": 'attachment; filename="netra-bundle.zip"'},
        )

    return router
