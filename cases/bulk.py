"""Bulk work: import a batch of reports from Bawaslu's intake forms (CSV), and export
filtered case lists (CSV or XLSX, streamed).

Import validates every row first (each error with its line number). By default it is
all-or-nothing: one bad row and nothing is written; otherwise every case opens in ONE
transaction. In per-row mode the good rows are written (each in its own savepoint) and the
bad ones reported.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from cases.access import SEES_REPORTER, acting, require_role
from cases.calendar import calendar_for
from cases.commands import (
    NewCase,
    Reporter,
    Terlapor,
    new_case_id,
    record_and_fold,
    validated_facts,
)
from cases.queries import iterate_cases
from cases.spreadsheet_safety import safe_row
from db.case_repository import CaseFilter
from db.unit_of_work import UnitOfWork
from rules.errors import InvalidInput, NetraError
from rules.models import Role
from rules.ruleset import load_rule_set, version_in_force
from states.case import Case
from states.machine import open_case as decide_opening

REQUIRED_COLUMNS = (
    "channel",
    "election_type",
    "region_code",
    "received_at",
    "known_at",
    "incident_at",
    "incident_place",
    "summary",
    "violation_codes",
    "terlapor_nip",
    "terlapor_name",
)
OPTIONAL_COLUMNS = (
    "case_id",
    "after_determination",
    "terlapor_position",
    "terlapor_unit",
    "terlapor_agency",
    "terlapor_rank",
    "reporter_name",
    "reporter_address",
    "reporter_phone",
    "reporter_email",
)
TRUE_WORDS = frozenset({"1", "true", "ya", "y", "yes", "benar"})
FALSE_WORDS = frozenset({"", "0", "false", "tidak", "t", "no", "n", "salah"})

Progress = Callable[[int], None]


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"baris {self.line}: {self.message}"


@dataclass
class ImportReport:
    rows: int = 0
    opened: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "opened": self.opened,
            "written": self.written,
            "errors": [{"line": e.line, "message": e.message} for e in self.errors],
        }


def read_reports_csv(stream: IO[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row; a missing column fails at once."""
    reader = csv.DictReader(stream)
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise InvalidInput(f"Kolom wajib tidak ada: {', '.join(missing)}")
    unknown = [c for c in columns if c not in REQUIRED_COLUMNS and c not in OPTIONAL_COLUMNS]
    if unknown:
        raise InvalidInput(f"Kolom tidak dikenal: {', '.join(unknown)}")
    line = reader.line_num
    for row in reader:
        yield line + 1, {k.strip(): (v or "").strip() for k, v in row.items() if k}
        line = reader.line_num


def _flag(value: str, name: str) -> bool:
    word = value.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise InvalidInput(f"'{name}': '{value}' bukan ya/tidak")


def new_case_from_row(row: dict[str, str]) -> NewCase:
    for column in REQUIRED_COLUMNS:
        if not row.get(column, "").strip():
            raise InvalidInput(f"kolom '{column}' kosong")
    codes = [c.strip() for c in row["violation_codes"].replace(",", ";").split(";") if c.strip()]
    reporter = None
    if row.get("reporter_name"):
        reporter = Reporter(
            row["reporter_name"],
            row.get("reporter_address", ""),
            row.get("reporter_phone", ""),
            row.get("reporter_email", ""),
        )
    return NewCase(
        channel=row["channel"].lower(),
        election_type=row["election_type"].lower(),
        region_code=row["region_code"],
        received_at=row["received_at"],
        known_at=row["known_at"],
        incident_at=row["incident_at"],
        incident_place=row["incident_place"],
        summary=row["summary"],
        violation_codes=codes,
        terlapor=Terlapor(
            row["terlapor_nip"],
            row["terlapor_name"],
            row.get("terlapor_position", ""),
            row.get("terlapor_unit", ""),
            row.get("terlapor_agency", ""),
            row.get("terlapor_rank", ""),
        ),
        reporter=reporter,
        after_determination=_flag(row.get("after_determination", ""), "after_determination"),
    )


@dataclass(frozen=True)
class _Valid:
    line: int
    case_id: str
    facts: dict[str, Any]


def import_reports(
    uow: UnitOfWork,
    officer_id: str,
    rows: Iterable[tuple[int, dict[str, str]]],
    now: datetime,
    per_row: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate every row, then open the cases (all-or-nothing unless `per_row`)."""
    report = ImportReport()
    rule_set = load_rule_set(version_in_force(now.date()))
    valid: list[_Valid] = []
    seen: dict[str, int] = {}
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, Role.BAWASLU)
        for line, row in rows:
            report.rows += 1
            try:
                new = new_case_from_row(row)
                facts = validated_facts(new, rule_set, actor, now)
                case_id = row.get("case_id") or new_case_id(now)
                if case_id in seen:
                    raise InvalidInput(
                        f"nomor perkara {case_id} ganda (juga baris {seen[case_id]})"
                    )
                if uow.cases.exists(case_id):
                    raise InvalidInput(f"perkara {case_id} sudah ada")
                seen[case_id] = line
                valid.append(_Valid(line, case_id, facts))
            except NetraError as error:
                report.errors.append(RowError(line, error.message))
            if progress:
                progress(1)
    if report.errors and not per_row:
        return report
    with uow:
        actor, _ = acting(uow, officer_id)
        calendars: dict[str, Any] = {}
        for item in valid:
            region = item.facts["region_code"]
            calendar = calendars.get(region) or calendars.setdefault(
                region, calendar_for(uow, region)
            )
            try:
                if per_row:
                    with uow.session.begin_nested():
                        _open(uow, item, actor, now, rule_set, calendar)
                else:
                    _open(uow, item, actor, now, rule_set, calendar)
                report.opened.append(item.case_id)
            except NetraError as error:
                if not per_row:
                    raise
                report.errors.append(RowError(item.line, error.message))
            if progress:
                progress(1)
        if report.opened:
            uow.commit()
            report.written = True
    report.errors.sort(key=lambda e: e.line)
    return report


def _open(
    uow: UnitOfWork, item: _Valid, actor: Any, now: datetime, rule_set: Any, calendar: Any
) -> None:
    pending = decide_opening(item.case_id, item.facts, actor, now, rule_set, calendar)
    case, _ = record_and_fold(uow, Case(item.case_id), pending, now, rule_set.version)
    uow.cases.add(case)
    uow.session.flush()


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


def write_xlsx(path: str, header: list[str], rows: Iterable[list[Any]]) -> int:
    """Streams rows into a write-only workbook (constant memory)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Perkara")
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append(safe_row(row))
        count += 1
    book.save(path)
    return count
