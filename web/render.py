"""Jinja2 rendering of the pages (autoescaped), with the label and date filters and the
security headers every page carries."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from web import labels

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

ENV = Environment(
    loader=PackageLoader("web", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.filters.update(
    state=labels.state,
    step=labels.step,
    field_label=labels.field,
    event=labels.event,
    role=labels.role,
    sanction=labels.sanction,
    category=labels.category,
    violation=labels.violation,
    escalation=labels.escalation,
    letter_kind=labels.letter_kind,
    recipient=labels.recipient,
    day=labels.day,
    instant=labels.instant,
    region=labels.region,
    institution_kind=labels.institution_kind,
    evidence_kind=labels.evidence_kind,
)


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    body = ENV.get_template(template).render(request=request, path=request.url.path, **context)
    return HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)
