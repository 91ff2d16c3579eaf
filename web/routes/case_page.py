"""The case page: who must act by when and why, the steps allowed now, the timeline with its
chain status, letters, evidence, notes, reassignment and the audit bundle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.downloads import file_response
from api.v1.routes import configured_signing
from cases import commands
from cases.bundle_export import export_bundle
from cases.case_page import case_page
from cases.policy import Action
from rules.errors import NetraError
from rules.ruleset import load_rule_set
from states.canonical import parse_utc
from states.case import Case
from states.events import RecordedEvent
from web import labels
from web.context import Pages, one
from web.session import Visitor


@dataclass
class TimelineRow:
    event: RecordedEvent
    label: str
    chain_ok: bool
    redacted: bool


def timeline_rows(events: list[RecordedEvent], version: str) -> list[TimelineRow]:
    rows: list[TimelineRow] = []
    previous: RecordedEvent | None = None
    for event in events:
        redacted = event.payload.get("reporter") == {"redacted": True}
        linked = previous is None or event.prev_hash == previous.hash
        intact = redacted or event.hash == event.expected_hash()
        rows.append(
            TimelineRow(event, labels.event(event.event_type, version), linked and intact, redacted)
        )
        previous = event
    return rows


def overdue(case: Case, now: datetime) -> bool:
    deadline = case.deadline
    if deadline is None or deadline.stopped_at or not deadline.due_at:
        return False
    return parse_utc(deadline.due_at) <= now


def show_case(
    pages: Pages, request: Request, who: Visitor, case_id: str, status: int = 200, **extra: Any
) -> HTMLResponse:
    """The case page (also re-rendered with an inline error by the forms on it); its data
    come from one unit of work (`cases.case_page`)."""
    now = pages.now()
    view = case_page(pages.uow(), who.officer_id, case_id, now)
    case = view.case
    return pages.page(
        request,
        "case.html",
        who,
        status=status,
        case=case,
        rules=load_rule_set(case.rule_set),
        steps=view.steps,
        timeline=timeline_rows(view.timeline, case.rule_set),
        notes=[e for e in view.timeline if e.event_type == "note_added"],
        letters=view.letters,
        evidence=view.evidence,
        may_add_evidence=view.may_add_evidence,
        may_note=Action.NOTE in view.permitted,
        may_reassign=Action.REASSIGN in view.permitted,
        overdue=overdue(case, now),
        **extra,
    )


def router(pages: Pages) -> APIRouter:
    routes = APIRouter()

    @routes.get("/perkara/{case_id}", response_class=HTMLResponse)
    def case_view(request: Request, case_id: str) -> HTMLResponse:
        return show_case(pages, request, pages.visitor(request), case_id)

    @routes.post("/perkara/{case_id}/catatan", response_class=HTMLResponse)
    async def add_note(request: Request, case_id: str) -> Response:
        who = pages.visitor(request)
        text = (await pages.posted(request, who)).get("text", [""])[-1]
        try:
            commands.add_note(pages.uow(), who.officer_id, case_id, text, pages.now())
        except NetraError as error:
            if error.http_status >= 500 or error.http_status == 404:
                raise
            return show_case(
                pages, request, who, case_id, status=error.http_status, note_error=error.message
            )
        return RedirectResponse(f"/perkara/{case_id}#catatan", status_code=303)

    @routes.post("/perkara/{case_id}/alihkan", response_class=HTMLResponse)
    async def reassign(request: Request, case_id: str) -> Response:
        who = pages.visitor(request)
        assignee = one(await pages.posted(request, who), "assignee")
        try:
            commands.reassign(pages.uow(), who.officer_id, case_id, assignee, pages.now())
        except NetraError as error:
            if error.http_status >= 500 or error.http_status == 404:
                raise
            return show_case(
                pages, request, who, case_id, status=error.http_status, reassign_error=error.message
            )
        return RedirectResponse(f"/perkara/{case_id}", status_code=303)

    @routes.post("/perkara/{case_id}/bundel")
    async def audit_bundle(request: Request, case_id: str) -> Response:
        """The case's verifiable audit bundle (events, letters, rules, proofs) as a zip."""
        who = pages.visitor(request)
        await pages.posted(request, who)
        data = export_bundle(
            pages.uow(), who.officer_id, pages.now(), case_ids=[case_id], **configured_signing()
        )
        return file_response(data, "application/zip", f"bundel-{case_id}.zip")

    return routes
