"""Dashboards: cases by stage, region and violation (server-side SVG charts), deadline
compliance per institution and follow-up accountability per PPK; every table downloadable
as CSV or XLSX."""

from __future__ import annotations

import base64
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.downloads import table_response
from cases.dashboards import Dashboard, dashboard
from rules.errors import NetraError, NotFound
from rules.ruleset import RuleSet, latest_version, load_rule_set
from web import charts
from web.context import Pages
from web.session import Visitor

CHARTS = {
    "tahap": "Perkara per tahap",
    "wilayah": "Perkara per wilayah",
    "pelanggaran": "Perkara per jenis pelanggaran",
}
COMPLIANCE = ["Instansi", "Nama", "Perkara terbuka", "Lewat tenggat", "Tenggat terlewat (sapu)"]
FOLLOW_UP = [
    "PPK",
    "Nama",
    "Rekomendasi BKN",
    "Menunggu lewat tenggat",
    "Eskalasi (blokir SIASN)",
    "Sanksi dijatuhkan",
    "Median hari rekomendasi-sanksi",
]


def regency(rules: RuleSet, code: str) -> str:
    try:
        return str(rules.regions.regency_name(code))
    except NetraError:
        return ""


def chart_tables(found: Dashboard) -> dict[str, dict[str, int]]:
    """The three counted tables, labelled in Indonesian, stages in lifecycle order."""
    rules = load_rule_set(latest_version())
    order = list(rules.states)
    stages = {
        rules.state_label(code): found.by_state[code]
        for code in sorted(found.by_state, key=lambda c: order.index(c) if c in order else 99)
    }
    regions = {f"{code} {regency(rules, code)}": n for code, n in found.by_region.items()}
    violations = {rules.violation_label(code)[:90]: n for code, n in found.by_violation.items()}
    return {"tahap": stages, "wilayah": regions, "pelanggaran": violations}


def table_rows(
    name: str, found: Dashboard, names: dict[str, str]
) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of one downloadable table."""
    tables = chart_tables(found)
    if name in tables:
        return ["Kategori", "Jumlah perkara"], [[k, v] for k, v in tables[name].items()]
    if name == "kepatuhan":
        return COMPLIANCE, [
            [c.institution, names.get(c.institution, ""), c.open, c.overdue, c.missed]
            for c in found.compliance
        ]
    if name == "tindak-lanjut":
        return FOLLOW_UP, [
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
    raise NotFound(f"Tabel '{name}' tidak ada")


def chart_images(tables: dict[str, dict[str, int]]) -> dict[str, str]:
    """The three charts as `data:` URIs, drawn from the page's own figures (one pass over the
    cases per dashboard view instead of one per chart image)."""
    return {
        name: "data:image/svg+xml;base64,"
        + base64.b64encode(charts.bars(title, tables[name])).decode()
        for name, title in CHARTS.items()
    }


def router(pages: Pages) -> APIRouter:
    routes = APIRouter()

    def figures(who: Visitor) -> tuple[Dashboard, dict[str, str]]:
        found = dashboard(pages.uow(), who.officer_id, pages.now())
        work = pages.uow()
        with work:
            names = {i.code: i.name for i in work.registry.institutions()}
        return found, names

    @routes.get("/dasbor", response_class=HTMLResponse)
    def dashboard_page(request: Request) -> HTMLResponse:
        who = pages.visitor(request)
        found, names = figures(who)
        tables = chart_tables(found)
        return pages.page(
            request,
            "dashboard.html",
            who,
            dash=found,
            tables=tables,
            images=chart_images(tables),
            names=names,
        )

    @routes.get("/dasbor/grafik/{name}.svg")
    def dashboard_chart(request: Request, name: str) -> Response:
        who = pages.visitor(request)
        if name not in CHARTS:
            raise NotFound(f"Grafik '{name}' tidak ada")
        found, _ = figures(who)
        svg = charts.bars(CHARTS[name], chart_tables(found)[name])
        return Response(
            svg,
            media_type="image/svg+xml",
            headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
        )

    @routes.get("/dasbor/{name}.{fmt}")
    def dashboard_table(request: Request, name: str, fmt: str) -> Response:
        who = pages.visitor(request)
        found, names = figures(who)
        header, rows = table_rows(name, found, names)
        return table_response(fmt, f"dasbor-{name}", header, rows, sheet=name)

    return routes
