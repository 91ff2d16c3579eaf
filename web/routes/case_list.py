"""The case list and search, filtered by the officer's permissions, paged, and downloadable
as CSV or XLSX (the whole result, not just the page)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.downloads import table_response
from cases import queries
from db.case_repository import CaseFilter
from rules.errors import InvalidInput
from rules.ruleset import latest_version, load_rule_set
from web import labels
from web.context import OFFSET, PAGE_SIZE, SHORT, Pages

COUNT_SHOWN = 1000  # matches counted exactly; a broader search shows "lebih dari 1.000"

EXPORT_LIMIT = 100_000
COLUMNS = [
    "Nomor perkara",
    "Status",
    "Wilayah",
    "Kode wilayah",
    "Terlapor",
    "NIP",
    "Tenggat",
    "Dibuka",
]


class ListQuery:
    """The search form's fields, as typed (the page shows them back) and as a filter."""

    def __init__(
        self,
        q: SHORT = "",
        state: SHORT = "",
        region: SHORT = "",
        violation: SHORT = "",
        election: SHORT = "",
        overdue: bool = False,
        date_from: SHORT = "",
        date_to: SHORT = "",
    ) -> None:
        self.params = {
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

    def filter(self, now: datetime) -> CaseFilter:
        p = self.params
        end = _day_start(p.get("date_to"), "Sampai tanggal")
        return CaseFilter(
            search=p.get("q"),
            state=p.get("state"),
            region_code=p.get("region"),
            violation_code=p.get("violation"),
            election_type=p.get("election"),
            overdue_at=now if p.get("overdue") else None,
            opened_from=_day_start(p.get("date_from"), "Dari tanggal"),
            opened_to=end + timedelta(days=1) if end else None,
        )


LIST_QUERY = Annotated[ListQuery, Depends()]


def _day_start(text: str | None, name: str) -> datetime | None:
    if not text:
        return None
    try:
        found = datetime.fromisoformat(text).date()
    except ValueError:
        raise InvalidInput(f"{name} harus berupa tanggal (YYYY-MM-DD)") from None
    return datetime.combine(found, time(), labels.WIB)


def count_label(total: int, cap: int) -> str:
    """The number of matches as the page states it: exact below `cap`, else "lebih dari N"."""
    if total < cap:
        return f"{total:,}".replace(",", ".")
    return "lebih dari " + f"{cap - 1:,}".replace(",", ".")


def router(pages: Pages) -> APIRouter:
    routes = APIRouter()

    @routes.get("/perkara", response_class=HTMLResponse)
    def case_list(request: Request, query: LIST_QUERY, offset: OFFSET = 0) -> HTMLResponse:
        who = pages.visitor(request)
        flt = query.filter(pages.now())
        found = queries.list_cases(pages.uow(), who.officer_id, flt, PAGE_SIZE, offset)
        # an exact count up to COUNT_SHOWN past this page; beyond it "lebih dari N"
        cap = max(COUNT_SHOWN, offset + PAGE_SIZE) + 1
        total = queries.count_cases(pages.uow(), who.officer_id, flt, cap)
        return pages.page(
            request,
            "case_list.html",
            who,
            cases=found,
            total=total,
            count_label=count_label(total, cap),
            offset=offset,
            page_size=PAGE_SIZE,
            params=query.params,
            query=urlencode(query.params),
            rules=load_rule_set(latest_version()),
        )

    @routes.get("/perkara.{fmt}")
    def case_list_download(request: Request, fmt: str, query: LIST_QUERY) -> Response:
        who = pages.visitor(request)
        flt = query.filter(pages.now())

        def rows() -> Iterator[list[Any]]:
            found = queries.iterate_cases(pages.uow(), who.officer_id, flt, limit=EXPORT_LIMIT)
            for case in found:
                yield [
                    case.case_id,
                    labels.state(case.state, case.rule_set),
                    labels.region(case.region_code, case.rule_set),
                    case.region_code,
                    case.terlapor.get("name", ""),
                    case.terlapor.get("nip", ""),
                    case.deadline.due_on if case.deadline else "",
                    case.opened_at,
                ]

        return table_response(fmt, "perkara", COLUMNS, rows(), sheet="Perkara")

    return routes
