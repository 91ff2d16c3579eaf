"""Recording a laporan or temuan: the form, the likely-duplicate warning the officer must
confirm before the case is opened, and the opening itself (one transaction)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cases import commands
from cases.commands import NewCase, Reporter, Terlapor
from cases.intake.duplicates import DuplicateCandidate, likely_duplicates
from rules.errors import InvalidInput, NetraError
from rules.regions import REGENCY_CODE
from rules.ruleset import latest_version, load_rule_set
from web.context import Pages, Posted, one
from web.session import Visitor

CONFIRMED = "confirm_duplicate"


def new_case_of(posted: Posted) -> NewCase:
    """The laporan or temuan typed into the form; the service validates every field."""
    channel = one(posted, "channel")
    reporter = None
    if channel == "laporan":
        reporter = Reporter(
            name=one(posted, "reporter_name"),
            address=one(posted, "reporter_address"),
            phone=one(posted, "reporter_phone"),
            email=one(posted, "reporter_email"),
        )
    for name, label in (
        ("received_at", "Waktu diterima"),
        ("known_at", "Waktu diketahui"),
        ("incident_at", "Waktu kejadian"),
    ):
        if not one(posted, name):
            raise InvalidInput(f"{label} wajib diisi")
    return NewCase(
        channel=channel,
        election_type=one(posted, "election_type"),
        region_code=one(posted, "region_code"),
        received_at=one(posted, "received_at"),
        known_at=one(posted, "known_at"),
        incident_at=one(posted, "incident_at"),
        incident_place=one(posted, "incident_place"),
        summary=one(posted, "summary"),
        violation_codes=[v for v in posted.get("violation_codes", []) if v.strip()],
        terlapor=Terlapor(
            nip=one(posted, "nip"),
            name=one(posted, "name"),
            position=one(posted, "position"),
            unit=one(posted, "unit"),
            agency=one(posted, "agency"),
            rank=one(posted, "rank"),
        ),
        reporter=reporter,
    )


def duplicate_key(new: NewCase) -> str:
    """What the officer confirmed as not a duplicate: changing the NIP, the region or the
    incident time after the warning brings the check back."""
    return f"{new.terlapor.nip}|{new.region_code}|{new.incident_at}"


def router(pages: Pages) -> APIRouter:
    routes = APIRouter()

    def form_page(
        request: Request,
        who: Visitor,
        posted: Posted,
        message: str = "",
        duplicates: list[DuplicateCandidate] | None = None,
        status: int = 200,
        confirm: str = "",
    ) -> HTMLResponse:
        work = pages.uow()
        with work:
            office = work.registry.institution(
                work.registry.officer(who.officer_id).institution_code
            )
        office_region = office.region_code or ""
        rules = load_rule_set(latest_version())
        values: dict[str, Any] = {k: v[-1] for k, v in posted.items() if v and k != CONFIRMED}
        # an office of one kabupaten/kota opens its cases there; a provincial or national
        # office chooses the region
        values.setdefault("region_code", office_region if REGENCY_CODE.match(office_region) else "")
        return pages.page(
            request,
            "new_case.html",
            who,
            status=status,
            values=values,
            chosen=posted.get("violation_codes", []),
            message=message,
            duplicates=duplicates or [],
            confirm=confirm,
            rules=rules,
            violations=[(code, rules.violation_label(code)) for code in sorted(rules.violations)],
        )

    @routes.get("/perkara/baru", response_class=HTMLResponse)
    def new_case_form(request: Request) -> HTMLResponse:
        return form_page(request, pages.visitor(request), {})

    @routes.post("/perkara/baru", response_class=HTMLResponse)
    async def open_case(request: Request) -> Response:
        who = pages.visitor(request)
        posted = await pages.posted(request, who)
        try:
            new = new_case_of(posted)
            if one(posted, CONFIRMED) != duplicate_key(new):
                found = likely_duplicates(
                    pages.uow(),
                    who.officer_id,
                    new.terlapor.nip,
                    new.region_code,
                    new.incident_at,
                )
                if found:
                    return form_page(
                        request, who, posted, duplicates=found, confirm=duplicate_key(new)
                    )
            case = commands.open_case(pages.uow(), who.officer_id, new, pages.now())
        except NetraError as error:
            if error.http_status >= 500 or error.http_status == 403:
                raise
            return form_page(request, who, posted, error.message, status=422)
        return RedirectResponse(f"/perkara/{case.case_id}?ok=open", status_code=303)

    return routes
