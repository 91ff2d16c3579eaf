"""Bulk export: filtered case lists (CSV or XLSX, streamed). Importing report files is
`cases.intake.importing`."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import IO, Any

from cases.access import SEES_REPORTER, acting
from cases.queries import iterate_cases
from cases.spreadsheet_safety import safe_row
from db.case_repository import CaseFilter
from db.unit_of_work import UnitOfWork
from rules.ruleset import load_rule_set
from states.case import Case

# --- export -------------------------------------------------------------------------------

EXPORT_COLUMNS = (
    "case_id",
    "state",
    "state_label",
    "is_open",
    "region_code",
    "region_name",
    "election_type",
    "channel",
    "bawaslu_office",
    "ppk_institution",
    "assignee",
    "terlapor_nip",
    "terlapor_name",
    "terlapor_agency",
    "violation_codes",
    "recommended_category",
    "sanction_code",
    "deadline_owner",
    "deadline_due_on",
    "deadline_missed",
    "opened_at",
    "closed_at",
    "rule_set",
    "version",
)
REPORTER_COLUMNS = ("reporter_name", "reporter_address", "reporter_phone", "reporter_email")


def case_row(case: Case, with_reporter: bool) -> list[Any]:
    rules = load_rule_set(case.rule_set)
    deadline = case.deadline
    values: list[Any] = [
        case.case_id,
        case.state,
        rules.state(case.state).label,
        case.is_open,
        case.region_code,
        rules.regions.regencies.get(case.region_code, ""),
        case.election_type,
        case.channel,
        case.bawaslu_office,
        case.ppk_institution or "",
        case.assignee,
        case.terlapor.get("nip", ""),
        case.terlapor.get("name", ""),
        case.terlapor.get("agency", ""),
        ";".join(case.violation_codes),
        case.recommended_category or "",
        case.sanction_code or "",
        deadline.owner if deadline else "",
        deadline.due_on if deadline else "",
        bool(deadline and deadline.missed),
        case.opened_at,
        case.closed_at or "",
        case.rule_set,
        case.version,
    ]
    if with_reporter:
        reporter = case.reporter or {}
        values += [reporter.get(k.removeprefix("reporter_"), "") for k in REPORTER_COLUMNS]
    return values


def export_rows(
    uow: UnitOfWork, officer_id: str, flt: CaseFilter | None = None
) -> tuple[list[str], Iterator[list[Any]]]:
    """Header and streamed rows; reporter columns only for readers who may see them."""
    with uow:
        actor, _ = acting(uow, officer_id)
    with_reporter = actor.role in SEES_REPORTER
    header = [*EXPORT_COLUMNS, *(REPORTER_COLUMNS if with_reporter else ())]
    rows = (case_row(case, with_reporter) for case in iterate_cases(uow, officer_id, flt))
    return header, rows


def write_csv(out: IO[str], header: list[str], rows: Iterable[list[Any]]) -> int:
    writer = csv.writer(out)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(safe_row(row))
        count += 1
    return count


def write_xlsx(
    path: str | IO[bytes], header: list[str], rows: Iterable[list[Any]], sheet_name: str = "Perkara"
) -> int:
    """Streams rows into a write-only workbook (constant memory)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name[:31])
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append(safe_row(row))
        count += 1
    book.save(path)
    return count
