"""The officers' pages: sign-in and sign-out, Tugas saya, the case list and search, the case
page with its timeline, letters, notes and reassignment, and the step forms with their
confirmation screen. Pages call services only; every decision about who may do what is the
services' (cases/policy.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.v1.routes import configured_signing
from cases import commands, letters, queries
from cases.bundle_export import export_bundle
from cases.calendar import holidays_of
from cases.commands import NewCase, Reporter, Terlapor
from cases.dashboards import Dashboard, dashboard
from cases.identity import sessions
from cases.identity.accounts import list_accounts
from cases.identity.tokens import create_token, list_tokens, revoke_token
from cases.letter_preview import preview_step_letters
from cases.spreadsheet_safety import safe_cell
from cases.step_forms import StepForm, allowed_steps
from cases.worklist import worklist
from db.case_repository import CaseFilter
from db.unit_of_work import UnitOfWork
from rules.errors import (
    ConcurrencyConflict,
    InvalidInput,
    NetraError,
    NotFound,
    PermissionDenied,
    TransitionNotAllowed,
)
from rules.ruleset import available_versions, latest_version, load_rule_set, version_in_force
from states.canonical import parse_utc
from states.case import Case
from states.events import RecordedEvent
from web import charts, labels
from web.render import render
from web.session import (
    Visitor,
    check_form,
    check_same_origin,
    clear_cookie,
    current,
    form_of,
    set_cookie,
)

PAGE_SIZE = 25
SHORT = Annotated[str, Query(max_length=200)]


Clock = Callable[[], datetime]


def server_clock() -> datetime:
    """The server clock: pages never take a client's time for when an act happened."""
    return datetime.now(UTC)


@dataclass
class TimelineRow:
    event: RecordedEvent
    label: str
    chain_ok: bool
    redacted: bool


@dataclass
class StepDraft:
    """What the officer typed into a step form, and what was wrong with it."""

    values: dict[str, list[str]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    message: str = ""
    conflict: bool = False


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


def step_data(
    form: StepForm, posted: dict[str, list[str]]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The step's data from the posted fields, and an error per blank required field."""
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for item in form.fields:
        values = [v.strip() for v in posted.get(item.name, []) if v.strip()]
        if item.kind == "bool":
            data[item.name] = bool(values) and values[-1] in ("ya", "on", "true")
            continue
        if not values:
            if item.required:
                errors[item.name] = f"{item.label} wajib diisi"
            continue
        if item.kind in ("codes", "list"):
            parts = [p.strip() for v in values for p in v.replace("\n", ",").split(",")]
            data[item.name] = [p for p in parts if p]
        else:
            data[item.name] = values[-1]
    return data, errors


def errors_for(message: str, form: StepForm) -> dict[str, str]:
    """Attach a service's message to the fields it names (by code or by label)."""
    found: dict[str, str] = {}
    for item in form.fields:
        if item.name in message or item.label.lower() in message.lower():
            found[item.name] = message
    return found


def _grouped(form: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name, value in form:
        grouped.setdefault(name, []).append(value)
    return grouped


def _filters(
    now: datetime,
    q: str | None,
    state: str | None,
    region: str | None,
    violation: str | None,
    election: str | None,
    overdue: bool,
    date_from: str | None,
    date_to: str | None,
) -> CaseFilter:
    def day_start(text: str | None, name: str) -> datetime | None:
        if not text:
            return None
        try:
            found = datetime.fromisoformat(text).date()
        except ValueError:
            raise InvalidInput(f"{name} harus berupa tanggal (YYYY-MM-DD)") from None
        return datetime.combine(found, time(), labels.WIB)

    end = day_start(date_to, "Sampai tanggal")
    return CaseFilter(
        search=q or None,
        state=state or None,
        region_code=region or None,
        violation_code=violation or None,
        election_type=election or None,
        overdue_at=now if overdue else None,
        opened_from=day_start(date_from, "Dari tanggal"),
        opened_to=end + timedelta(days=1) if end else None,
    )


def pages_router(
    uow_factory: Callable[[], UnitOfWork], secure_cookies: bool, now: Clock = server_clock
) -> APIRouter:
    """The pages; `now` is the server clock (a test or demo database may pass a fixed one)."""
    router = APIRouter(include_in_schema=False)

    def visitor(request: Request) -> Visitor:
        return current(request, uow_factory)

    def page(
        request: Request, template: str, who: Visitor | None, status: int = 200, **context: Any
    ) -> HTMLResponse:
        officer = None
        if who is not None:
            work = uow_factory()
            with work:
                officer = work.registry.officer(who.officer_id)
        return render(request, template, status=status, visitor=who, officer=officer, **context)

    @router.get("/masuk", response_class=HTMLResponse)
    def sign_in_form(request: Request, next: SHORT = "/") -> HTMLResponse:
        return page(request, "sign_in.html", None, next=_local(next), message="")

    @router.post("/masuk", response_class=HTMLResponse)
    async def sign_in(request: Request) -> Response:
        check_same_origin(request)
        posted = _grouped(await form_of(request))
        user = (posted.get("user_id") or [""])[-1].strip()
        password = (posted.get("password") or [""])[-1]
        totp = (posted.get("totp") or [""])[-1].strip() or None
        target = _local((posted.get("next") or ["/"])[-1])
        try:
            signed = sessions.sign_in(uow_factory(), user, password, totp)
        except NetraError as error:
            return page(
                request,
                "sign_in.html",
                None,
                status=401,
                next=target,
                message=error.message,
                user_id=user,
            )
        response = RedirectResponse(target, status_code=303)
        set_cookie(response, signed, secure_cookies)
        return response

    @router.post("/keluar")
    async def sign_out(request: Request) -> Response:
        who = visitor(request)
        check_form(who, await form_of(request))
        sessions.sign_out(uow_factory(), request.cookies.get("netra_sesi", ""))
        response = RedirectResponse("/masuk", status_code=303)
        clear_cookie(response, secure_cookies)
        return response

    @router.get("/", response_class=HTMLResponse)
    def my_tasks(
        request: Request, offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0
    ) -> HTMLResponse:
        who = visitor(request)
        found = worklist(uow_factory(), who.officer_id, now(), PAGE_SIZE, offset)
        return page(
            request,
            "tasks.html",
            who,
            work=found,
            offset=offset,
            page_size=PAGE_SIZE,
            rules=load_rule_set(latest_version()),
        )

    @router.get("/perkara", response_class=HTMLResponse)
    def case_list(
        request: Request,
        q: SHORT = "",
        state: SHORT = "",
        region: SHORT = "",
        violation: SHORT = "",
        election: SHORT = "",
        overdue: bool = False,
        date_from: SHORT = "",
        date_to: SHORT = "",
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    ) -> HTMLResponse:
        who = visitor(request)
        flt = _filters(now(), q, state, region, violation, election, overdue, date_from, date_to)
        found = queries.list_cases(uow_factory(), who.officer_id, flt, PAGE_SIZE, offset)
        total = queries.count_cases(uow_factory(), who.officer_id, flt)
        params = {
            k: v
            for k, v in {
                "q": q,
                "state": state,
                "region": region,
                "violation": violation,
                "election": election,
                "overdue": "true" if overdue else "",
                "date_from": date_from,
                "date_to": date_to,
            }.items()
            if v
        }
        rules = load_rule_set(latest_version())
        return page(
            request,
            "case_list.html",
            who,
            cases=found,
            total=total,
            offset=offset,
            page_size=PAGE_SIZE,
            params=params,
            query=urlencode(params),
            rules=rules,
            fragment=request.headers.get("HX-Request") == "true",
        )

    @router.get("/perkara.csv")
    def case_list_csv(
        request: Request,
        q: SHORT = "",
        state: SHORT = "",
        region: SHORT = "",
        violation: SHORT = "",
        election: SHORT = "",
        overdue: bool = False,
        date_from: SHORT = "",
        date_to: SHORT = "",
    ) -> Response:
        who = visitor(request)
        flt = _filters(now(), q, state, region, violation, election, overdue, date_from, date_to)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            ["Nomor perkara", "Status", "Wilayah", "Terlapor", "NIP", "Tenggat", "Dibuka"]
        )
        for case in queries.iterate_cases(uow_factory(), who.officer_id, flt, limit=100_000):
            writer.writerow(
                [
                    safe_cell(value)
                    for value in (
                        case.case_id,
                        labels.state(case.state, case.rule_set),
                        case.region_code,
                        case.terlapor.get("name", ""),
                        case.terlapor.get("nip", ""),
                        case.deadline.due_on if case.deadline else "",
                        case.opened_at,
                    )
                ]
            )
        return Response(
            out.getvalue().encode("utf-8-sig"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="perkara.csv"'},
        )

    @router.get("/perkara/baru", response_class=HTMLResponse)
    def new_case_form(request: Request) -> HTMLResponse:
        who = visitor(request)
        return page(request, "new_case.html", who, **_new_case_context(uow_factory, who, {}, ""))

    @router.post("/perkara/baru", response_class=HTMLResponse)
    async def open_case(request: Request) -> Response:
        who = visitor(request)
        posted_list = await form_of(request)
        check_form(who, posted_list)
        posted = _grouped(posted_list)
        try:
            case = commands.open_case(uow_factory(), who.officer_id, new_case_of(posted), now())
        except InvalidInput as error:
            context = _new_case_context(uow_factory, who, posted, error.message)
            return page(request, "new_case.html", who, status=422, **context)
        return RedirectResponse(f"/perkara/{case.case_id}?ok=open", status_code=303)

    def case_page(
        request: Request, who: Visitor, case_id: str, status: int = 200, **extra: Any
    ) -> HTMLResponse:
        work = uow_factory
        case = queries.get_case(work(), who.officer_id, case_id)
        events = queries.timeline(work(), who.officer_id, case_id)
        return page(
            request,
            "case.html",
            who,
            status=status,
            case=case,
            rules=load_rule_set(case.rule_set),
            steps=allowed_steps(work(), who.officer_id, case),
            timeline=timeline_rows(events, case.rule_set),
            notes=[e for e in events if e.event_type == "note_added"],
            letters=letters.list_letters(work(), who.officer_id, case_id),
            overdue=_overdue(case, now()),
            **extra,
        )

    @router.get("/perkara/{case_id}", response_class=HTMLResponse)
    def show_case(request: Request, case_id: str) -> HTMLResponse:
        return case_page(request, visitor(request), case_id)

    def find_step(who: Visitor, case: Case, trigger: str) -> StepForm:
        for form in allowed_steps(uow_factory(), who.officer_id, case):
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
        return page(
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

    @router.get("/perkara/{case_id}/langkah/{trigger}", response_class=HTMLResponse)
    def step_form(request: Request, case_id: str, trigger: str) -> HTMLResponse:
        who = visitor(request)
        case = queries.get_case(uow_factory(), who.officer_id, case_id)
        form = find_step(who, case, trigger)
        return step_page(request, who, case, form, StepDraft(), case.version)

    @router.post("/perkara/{case_id}/langkah/{trigger}", response_class=HTMLResponse)
    async def take_step(request: Request, case_id: str, trigger: str) -> Response:
        who = visitor(request)
        posted_list = await form_of(request)
        check_form(who, posted_list)
        posted = _grouped(posted_list)
        version_text = (posted.get("version") or [""])[-1]
        if not version_text.isdigit():
            raise InvalidInput("Formulir tidak memuat versi perkara; muat ulang halaman")
        version = int(version_text)
        case = queries.get_case(uow_factory(), who.officer_id, case_id)
        if case.version != version:
            draft = StepDraft(
                values=posted,
                message=(
                    "Perkara ini telah diubah petugas lain sejak formulir dibuka (versi "
                    f"{version} → {case.version}); tidak ada yang disimpan. Periksa status "
                    "terbaru lalu ulangi bila masih perlu."
                ),
                conflict=True,
            )
            return page(request, "conflict.html", who, status=409, case=case, draft=draft)
        form = find_step(who, case, trigger)
        data, errors = step_data(form, posted)
        if errors:
            draft = StepDraft(posted, errors, "Periksa isian yang ditandai.")
            return step_page(request, who, case, form, draft, version, status=422)
        confirmed = (posted.get("action") or [""])[-1] == "simpan"
        if not confirmed:
            try:  # the same checks as the step itself; nothing is written
                drafts = preview_step_letters(
                    uow_factory(), who.officer_id, case_id, trigger, data, now()
                )
            except (InvalidInput, TransitionNotAllowed) as error:
                draft = StepDraft(posted, errors_for(error.message, form), error.message)
                return step_page(request, who, case, form, draft, version, status=422)
            previews = [
                {"title": labels.letter_kind(d.kind), "html": d.html}
                for d in drafts
                if d.html is not None
            ]
            response = page(
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
        try:
            commands.advance(uow_factory(), who.officer_id, case_id, trigger, data, now(), version)
        except ConcurrencyConflict as error:
            fresh = queries.get_case(uow_factory(), who.officer_id, case_id)
            draft = StepDraft(
                values=posted, message=error.message + "; tidak ada yang disimpan.", conflict=True
            )
            return page(request, "conflict.html", who, status=409, case=fresh, draft=draft)
        except (InvalidInput, TransitionNotAllowed) as error:
            draft = StepDraft(posted, errors_for(error.message, form), error.message)
            return step_page(request, who, case, form, draft, version, status=422)
        return RedirectResponse(f"/perkara/{case_id}?ok={trigger}", status_code=303)

    @router.post("/perkara/{case_id}/langkah/{trigger}/ubah", response_class=HTMLResponse)
    async def edit_step(request: Request, case_id: str, trigger: str) -> Response:
        """Back from the confirmation screen to the form, with what was typed."""
        who = visitor(request)
        posted_list = await form_of(request)
        check_form(who, posted_list)
        posted = _grouped(posted_list)
        case = queries.get_case(uow_factory(), who.officer_id, case_id)
        form = find_step(who, case, trigger)
        version_text = (posted.get("version") or [""])[-1]
        version = int(version_text) if version_text.isdigit() else case.version
        return step_page(request, who, case, form, StepDraft(values=posted), version)

    @router.post("/perkara/{case_id}/catatan", response_class=HTMLResponse)
    async def add_note(request: Request, case_id: str) -> Response:
        who = visitor(request)
        posted_list = await form_of(request)
        check_form(who, posted_list)
        text = (_grouped(posted_list).get("text") or [""])[-1]
        try:
            commands.add_note(uow_factory(), who.officer_id, case_id, text, now())
        except InvalidInput as error:
            return case_page(request, who, case_id, status=422, note_error=error.message)
        return RedirectResponse(f"/perkara/{case_id}#catatan", status_code=303)

    @router.post("/perkara/{case_id}/alihkan", response_class=HTMLResponse)
    async def reassign(request: Request, case_id: str) -> Response:
        who = visitor(request)
        posted_list = await form_of(request)
        check_form(who, posted_list)
        assignee = (_grouped(posted_list).get("assignee") or [""])[-1].strip()
        try:
            commands.reassign(uow_factory(), who.officer_id, case_id, assignee, now())
        except (InvalidInput, NetraError) as error:
            if error.http_status >= 500:
                raise
            return case_page(
                request, who, case_id, status=error.http_status, reassign_error=error.message
            )
        return RedirectResponse(f"/perkara/{case_id}", status_code=303)

    @router.post("/perkara/{case_id}/bundel")
    async def audit_bundle(request: Request, case_id: str) -> Response:
        """The case's verifiable audit bundle (events, letters, rules, proofs) as a zip."""
        who = visitor(request)
        check_form(who, await form_of(request))
        data = export_bundle(
            uow_factory(), who.officer_id, now(), case_ids=[case_id], **configured_signing()
        )
        return Response(
            data,
            media_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="bundel-{case_id}.zip"'},
        )

    def figures(who: Visitor) -> tuple[Dashboard, dict[str, dict[str, int]], dict[str, str]]:
        found = dashboard(uow_factory(), who.officer_id, now())
        rules = load_rule_set(latest_version())
        order = list(rules.states)
        stages = {
            rules.state_label(code): found.by_state[code]
            for code in sorted(found.by_state, key=lambda c: order.index(c) if c in order else 99)
        }
        regions = {f"{code} {_regency(rules, code)}": n for code, n in found.by_region.items()}
        violations = {rules.violation_label(code)[:90]: n for code, n in found.by_violation.items()}
        work = uow_factory()
        with work:
            names = {i.code: i.name for i in work.registry.institutions()}
        return found, {"tahap": stages, "wilayah": regions, "pelanggaran": violations}, names

    @router.get("/dasbor", response_class=HTMLResponse)
    def dashboard_page(request: Request) -> HTMLResponse:
        who = visitor(request)
        found, tables, names = figures(who)
        return page(request, "dashboard.html", who, dash=found, tables=tables, names=names)

    @router.get("/dasbor/grafik/{name}.svg")
    def dashboard_chart(request: Request, name: str) -> Response:
        who = visitor(request)
        _, tables, _ = figures(who)
        titles = {
            "tahap": "Perkara per tahap",
            "wilayah": "Perkara per wilayah",
            "pelanggaran": "Perkara per jenis pelanggaran",
        }
        if name not in titles:
            raise NotFound(f"Grafik '{name}' tidak ada")
        svg = charts.bars(titles[name], tables[name])
        return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-store"})

    @router.get("/dasbor/{name}.csv")
    def dashboard_table(request: Request, name: str) -> Response:
        who = visitor(request)
        found, tables, names = figures(who)
        rows: list[list[Any]]
        if name in tables:
            rows = [["Kategori", "Jumlah perkara"], *([k, v] for k, v in tables[name].items())]
        elif name == "kepatuhan":
            rows = [
                ["Instansi", "Nama", "Perkara terbuka", "Lewat tenggat", "Tenggat terlewat (sapu)"]
            ]
            rows += [
                [c.institution, names.get(c.institution, ""), c.open, c.overdue, c.missed]
                for c in found.compliance
            ]
        elif name == "tindak-lanjut":
            rows = [
                [
                    "PPK",
                    "Nama",
                    "Rekomendasi BKN",
                    "Menunggu lewat tenggat",
                    "Eskalasi (blokir SIASN)",
                    "Sanksi dijatuhkan",
                    "Median hari rekomendasi-sanksi",
                ]
            ]
            rows += [
                [
                    f.ppk,
                    names.get(f.ppk, ""),
                    f.recommended,
                    f.waiting_past_deadline,
                    f.escalated,
                    f.sanctioned,
                    f.median_days if f.median_days is not None else "",
                ]
                for f in found.follow_up
            ]
        else:
            raise NotFound(f"Tabel '{name}' tidak ada")
        out = io.StringIO()
        writer = csv.writer(out)
        for row in rows:
            writer.writerow([safe_cell(v) for v in row])
        return Response(
            out.getvalue().encode("utf-8-sig"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="dasbor-{name}.csv"'},
        )

    def admin_page(request: Request, who: Visitor, status: int = 200, **extra: Any) -> HTMLResponse:
        today = now().astimezone(labels.WIB).date()
        try:
            accounts: list[Any] | None = list_accounts(uow_factory(), who.officer_id)
        except PermissionDenied:
            accounts = None  # the registry is the administrators' (the service decides)
        work = uow_factory()
        with work:
            institutions = work.registry.institutions()
        rule_sets = [load_rule_set(v) for v in available_versions()]
        return page(
            request,
            "admin.html",
            who,
            status=status,
            tokens=list_tokens(uow_factory(), who.officer_id),
            accounts=accounts,
            institutions=institutions,
            rule_sets=rule_sets,
            in_force=version_in_force(today),
            holidays=holidays_of(uow_factory(), today.year),
            year=today.year,
            **extra,
        )

    @router.get("/pengaturan", response_class=HTMLResponse)
    def settings_page(request: Request) -> HTMLResponse:
        return admin_page(request, visitor(request))

    @router.post("/pengaturan/token", response_class=HTMLResponse)
    async def new_token(request: Request) -> HTMLResponse:
        who = visitor(request)
        posted_list = await form_of(request)
        check_form(who, posted_list)
        posted = _grouped(posted_list)
        days_text = _one(posted, "days")
        try:
            if not days_text.isdigit():
                raise InvalidInput("Masa berlaku harus berupa jumlah hari")
            _, text = create_token(
                uow_factory(), who.officer_id, _one(posted, "name"), int(days_text)
            )
        except InvalidInput as error:
            return admin_page(request, who, status=422, token_error=error.message)
        return admin_page(request, who, new_token=text)

    @router.post("/pengaturan/token/{token_id}/cabut", response_class=HTMLResponse)
    async def revoke(request: Request, token_id: str) -> Response:
        who = visitor(request)
        check_form(who, await form_of(request))
        revoke_token(uow_factory(), who.officer_id, token_id)
        return RedirectResponse("/pengaturan#token", status_code=303)

    @router.get("/surat/{letter_id}", response_class=HTMLResponse)
    def letter_view(request: Request, letter_id: str) -> HTMLResponse:
        who = visitor(request)
        letter = letters.get_letter(uow_factory(), who.officer_id, letter_id)
        return HTMLResponse(
            letter.html,
            headers={
                "Content-Security-Policy": "default-src 'self' data:; script-src 'none'; style-src 'self' 'unsafe-inline'"
            },
        )

    @router.get("/surat/{letter_id}/pdf")
    def letter_pdf(request: Request, letter_id: str) -> Response:
        who = visitor(request)
        pdf = letters.render_pdf(uow_factory(), who.officer_id, letter_id)
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{letter_id}.pdf"'},
        )

    return router


def _one(posted: dict[str, list[str]], name: str) -> str:
    return (posted.get(name) or [""])[-1].strip()


def new_case_of(posted: dict[str, list[str]]) -> NewCase:
    """The laporan or temuan typed into the form; the service validates every field."""
    channel = _one(posted, "channel")
    reporter = None
    if channel == "laporan":
        reporter = Reporter(
            name=_one(posted, "reporter_name"),
            address=_one(posted, "reporter_address"),
            phone=_one(posted, "reporter_phone"),
            email=_one(posted, "reporter_email"),
        )
    for name, label in (
        ("received_at", "Waktu diterima"),
        ("known_at", "Waktu diketahui"),
        ("incident_at", "Waktu kejadian"),
    ):
        if not _one(posted, name):
            raise InvalidInput(f"{label} wajib diisi")
    return NewCase(
        channel=channel,
        election_type=_one(posted, "election_type"),
        region_code=_one(posted, "region_code"),
        received_at=_one(posted, "received_at"),
        known_at=_one(posted, "known_at"),
        incident_at=_one(posted, "incident_at"),
        incident_place=_one(posted, "incident_place"),
        summary=_one(posted, "summary"),
        violation_codes=[v for v in posted.get("violation_codes", []) if v.strip()],
        terlapor=Terlapor(
            nip=_one(posted, "nip"),
            name=_one(posted, "name"),
            position=_one(posted, "position"),
            unit=_one(posted, "unit"),
            agency=_one(posted, "agency"),
            rank=_one(posted, "rank"),
        ),
        reporter=reporter,
    )


def _new_case_context(
    uow_factory: Callable[[], UnitOfWork], who: Visitor, posted: dict[str, list[str]], message: str
) -> dict[str, Any]:
    work = uow_factory()
    with work:
        office = work.registry.institution(work.registry.officer(who.officer_id).institution_code)
    rules = load_rule_set(latest_version())
    values = {k: v[-1] for k, v in posted.items() if v}
    values.setdefault("region_code", office.region_code or "")
    return {
        "values": values,
        "chosen": posted.get("violation_codes", []),
        "message": message,
        "violations": [(code, rules.violation_label(code)) for code in sorted(rules.violations)],
    }


def _regency(rules: Any, code: str) -> str:
    try:
        return str(rules.regions.regency_name(code))
    except NetraError:
        return ""


def _overdue(case: Case, now: datetime) -> bool:
    deadline = case.deadline
    if deadline is None or deadline.stopped_at or not deadline.due_at:
        return False
    return parse_utc(deadline.due_at) <= now


def _local(target: str) -> str:
    """Only paths of this site after sign-in (no open redirect)."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
