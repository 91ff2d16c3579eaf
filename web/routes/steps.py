"""Taking a step: the form generated from the rule data, the confirmation screen with the
DRAFT letters the step would issue, and the step itself (one transaction) — or a clear
conflict when another officer advanced the case since the form was opened."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cases import commands, queries
from cases.letter_preview import preview_step_letters
from cases.step_forms import StepForm, allowed_steps
from rules.errors import ConcurrencyConflict, InvalidInput, TransitionNotAllowed
from rules.ruleset import load_rule_set
from states.case import Case
from web import labels
from web.context import Pages, Posted, one
from web.forms import StepDraft, errors_for, step_data
from web.session import Visitor

STALE = (
    "Perkara ini telah diubah petugas lain sejak formulir dibuka (versi {seen} → {now}); "
    "tidak ada yang disimpan. Periksa status terbaru lalu ulangi bila masih perlu."
)


def router(pages: Pages) -> APIRouter:
    routes = APIRouter()

    def find_step(who: Visitor, case: Case, trigger: str) -> StepForm:
        for form in allowed_steps(pages.uow(), who.officer_id, case, pages.now()):
            if form.trigger == trigger:
                return form
        raise TransitionNotAllowed(
            f"Langkah '{labels.step(trigger, case.rule_set)}' tidak dapat Anda ambil pada status "
            f"'{labels.state(case.state, case.rule_set)}'"
        )

    def step_page(
        request: Request,
        who: Visitor,
        case: Case,
        form: StepForm,
        draft: StepDraft,
        version: int,
        status: int = 200,
    ) -> HTMLResponse:
        return pages.page(
            request,
            "step.html",
            who,
            status=status,
            case=case,
            form=form,
            draft=draft,
            version=version,
            rules=load_rule_set(case.rule_set),
        )

    def conflict(
        request: Request, who: Visitor, case: Case, posted: Posted, message: str
    ) -> HTMLResponse:
        draft = StepDraft(values=posted, message=message, conflict=True)
        return pages.page(request, "conflict.html", who, status=409, case=case, draft=draft)

    @routes.get("/perkara/{case_id}/langkah/{trigger}", response_class=HTMLResponse)
    def step_form(request: Request, case_id: str, trigger: str) -> HTMLResponse:
        who = pages.visitor(request)
        case = queries.get_case(pages.uow(), who.officer_id, case_id)
        form = find_step(who, case, trigger)
        return step_page(request, who, case, form, StepDraft(), case.version)

    @routes.post("/perkara/{case_id}/langkah/{trigger}", response_class=HTMLResponse)
    async def take_step(request: Request, case_id: str, trigger: str) -> Response:
        who = pages.visitor(request)
        posted = await pages.posted(request, who)
        version_text = one(posted, "version")
        if not version_text.isdigit():
            raise InvalidInput("Formulir tidak memuat versi perkara; muat ulang halaman")
        version = int(version_text)
        case = queries.get_case(pages.uow(), who.officer_id, case_id)
        if case.version != version:
            message = STALE.format(seen=version, now=case.version)
            return conflict(request, who, case, posted, message)
        form = find_step(who, case, trigger)
        data, errors = step_data(form, posted)
        if errors:
            draft = StepDraft(posted, errors, "Periksa isian yang ditandai.")
            return step_page(request, who, case, form, draft, version, status=422)
        if one(posted, "action") != "simpan":
            return confirmation(request, who, case, form, posted, data, version)
        try:
            commands.advance(
                pages.uow(), who.officer_id, case_id, trigger, data, pages.now(), version
            )
        except ConcurrencyConflict as error:
            fresh = queries.get_case(pages.uow(), who.officer_id, case_id)
            return conflict(
                request, who, fresh, posted, error.message + "; tidak ada yang disimpan."
            )
        except (InvalidInput, TransitionNotAllowed) as error:
            draft = StepDraft(posted, errors_for(error.message, form), error.message)
            return step_page(request, who, case, form, draft, version, status=422)
        return RedirectResponse(f"/perkara/{case_id}?ok={trigger}", status_code=303)

    def confirmation(
        request: Request,
        who: Visitor,
        case: Case,
        form: StepForm,
        posted: Posted,
        data: dict[str, object],
        version: int,
    ) -> HTMLResponse:
        try:  # the same checks as the step itself; nothing is written
            drafts = preview_step_letters(
                pages.uow(), who.officer_id, case.case_id, form.trigger, data, pages.now()
            )
        except (InvalidInput, TransitionNotAllowed) as error:
            draft = StepDraft(posted, errors_for(error.message, form), error.message)
            return step_page(request, who, case, form, draft, version, status=422)
        previews = [
            {"title": labels.letter_kind(d.kind), "html": d.html}
            for d in drafts
            if d.html is not None
        ]
        response = pages.page(
            request,
            "confirm.html",
            who,
            case=case,
            form=form,
            data=data,
            posted=posted,
            version=version,
            rules=load_rule_set(case.rule_set),
            previews=previews,
        )
        if previews:  # the drafts' own print styles, in sandboxed frames without scripts
            policy = response.headers["Content-Security-Policy"]
            response.headers["Content-Security-Policy"] = policy.replace(
                "style-src 'self'", "style-src 'self' 'unsafe-inline'"
            )
        return response

    @routes.post("/perkara/{case_id}/langkah/{trigger}/ubah", response_class=HTMLResponse)
    async def edit_step(request: Request, case_id: str, trigger: str) -> Response:
        """Back from the confirmation screen to the form, with what was typed."""
        who = pages.visitor(request)
        posted = await pages.posted(request, who)
        case = queries.get_case(pages.uow(), who.officer_id, case_id)
        form = find_step(who, case, trigger)
        version_text = one(posted, "version")
        version = int(version_text) if version_text.isdigit() else case.version
        return step_page(request, who, case, form, StepDraft(values=posted), version)

    return routes
