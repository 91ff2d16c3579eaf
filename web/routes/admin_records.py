"""Admin records, read-only: the registry history (who changed officers, institutions,
tokens, the calendar and settings) with its verification, the rule-set versions in force,
and the notice deliveries (failed ones first). Auditors may read the history and the
deliveries too: the services decide."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from cases.identity.accounts import registry_events, verify_registry_history
from cases.identity.history import EVENT_LABELS
from cases.notice_delivery import deliveries
from rules.indonesian_terms import (
    DELIVERY_STATUSES,
    OVERRIDE_KINDS,
    SETTING_VALUES,
    SETTINGS,
    TOKEN_SCOPES,
)
from web import labels
from web.context import Pages
from web.routes.settings import rule_sets_in_force

HISTORY_SHOWN = 300


DETAIL_LABELS = {
    "officer_id": "petugas",
    "officer": "petugas",
    "institution": "instansi",
    "token_id": "token",
    "scope": "cakupan",
    "name": "nama",
    "expires_at": "berlaku sampai",
    "day": "tanggal",
    "kind": "jenis",
    "region_code": "wilayah",
    "key": "pengaturan",
    "value": "nilai",
    "reason": "alasan",
    "on": "aktif",
}
HIDDEN_DETAILS = frozenset({"digest"})
# coded values an administrator reads as words, by the detail they are the value of
VALUE_LABELS = {
    "key": SETTINGS,
    "value": SETTING_VALUES,
    "kind": OVERRIDE_KINDS,
    "scope": TOKEN_SCOPES,
}
DATE_DETAILS = frozenset({"day"})
INSTANT_DETAILS = frozenset({"expires_at"})


def details(payload: dict[str, Any]) -> str:
    """A registry event's payload in a line an administrator reads: Indonesian names, an
    officer or institution by its id or code, credential digests left out."""
    parts = []
    for key, value in payload.items():
        if key in HIDDEN_DETAILS or value in (None, ""):
            continue
        if isinstance(value, dict):
            value = value.get("id") or value.get("code") or "…"
        elif isinstance(value, bool):
            value = "ya" if value else "tidak"
        elif key in DATE_DETAILS:
            value = labels.day(value)
        elif key in INSTANT_DETAILS:
            value = labels.instant(value)
        else:
            value = VALUE_LABELS.get(key, {}).get(value, value)
        parts.append(f"{DETAIL_LABELS.get(key, key)}: {value}")
    return "; ".join(parts)


def router(pages: Pages) -> APIRouter:
    routes = APIRouter()

    @routes.get("/admin")
    def admin_home(request: Request) -> RedirectResponse:
        pages.admin(request)
        return RedirectResponse("/admin/instansi", status_code=303)

    @routes.get("/admin/riwayat", response_class=HTMLResponse)
    def registry_history(request: Request) -> HTMLResponse:
        who = pages.visitor(request)
        events = registry_events(pages.uow(), who.officer_id)
        report = verify_registry_history(pages.uow(), who.officer_id)
        return pages.page(
            request,
            "admin_history.html",
            who,
            events=[(e, details(e.payload)) for e in reversed(events)][:HISTORY_SHOWN],
            total=len(events),
            report=report,
            event_labels=EVENT_LABELS,
        )

    @routes.get("/admin/aturan", response_class=HTMLResponse)
    def rule_sets(request: Request) -> HTMLResponse:
        who = pages.admin(request)
        return pages.page(request, "admin_rules.html", who, **rule_sets_in_force(pages))

    @routes.get("/admin/pemberitahuan", response_class=HTMLResponse)
    def notices(request: Request) -> HTMLResponse:
        who = pages.visitor(request)
        found = deliveries(pages.uow(), who.officer_id)
        counts = Counter(d.status for d in found)
        return pages.page(
            request,
            "admin_notices.html",
            who,
            failed=[d for d in found if d.status == "failed"],
            waiting=[d for d in found if d.status in ("pending", "sending")][:100],
            counts={DELIVERY_STATUSES.get(k, k): n for k, n in sorted(counts.items())},
        )

    return routes
