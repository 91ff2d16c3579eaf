"""Import a report file: validate every row (each fault by row and Indonesian column), catch
likely duplicates, then open the cases in ONE transaction with the rows' import keys.

Re-importing the same file is idempotent: the file's SHA-256 and the row number are the
import key, stored with the cases; rows imported before are reported with their case ids
and nothing is opened twice. By default the import is all-or-nothing; `per_row` writes the
good rows and reports the bad ones. A likely duplicate (same NIP and region, overlapping
incident date, in the database or earlier in the file) needs the officer's choice:
`skip` it, `flag` it (open it, linked to the case it may duplicate) or `open` it as is.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import IO, Any

from cases.access import Action, acting, may_read, require_role, subject_of
from cases.calendar import calendar_for
from cases.commands import chain_and_fold, new_case_id, validated_facts
from cases.input_limits import check_case_id
from cases.intake.determination import determination_for
from cases.intake.duplicates import candidates_among, incident_day, overlaps
from cases.intake.reading import ReportFile
from cases.intake.rows import ParsedRow, RowError, RowFaults, column_of_message, parse_row
from cases.policy import Subject, allowed
from cases.spreadsheet_safety import safe_cell
from db.case_repository import projection_columns
from db.import_register import ImportRegister, add_cases, cases_of_terlapor
from db.unit_of_work import UnitOfWork
from rules.calendar import WorkingCalendar
from rules.errors import InvalidInput
from rules.models import Role
from rules.ruleset import RuleSet, load_rule_set, version_in_force
from states import events as ev
from states.case import Case
from states.events import Actor, PendingEvent, RecordedEvent
from states.machine import open_case as decide_opening

Progress = Callable[[int], None]


class OnDuplicate(StrEnum):
    SKIP = "skip"
    FLAG = "flag"
    OPEN = "open"


OUTCOME_LABELS = {
    "opened": "dibuka",
    "skipped": "dilewati (kemungkinan ganda)",
    "imported_before": "sudah diimpor sebelumnya",
    "error": "salah",
    "not_written": "tidak ditulis",
}


@dataclass
class RowOutcome:
    row: int
    outcome: str  # opened | skipped | imported_before | error | not_written
    case_id: str | None = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "outcome": self.outcome,
            "case_id": self.case_id,
            "note": self.note,
        }


@dataclass
class ImportResult:
    """What an import did, row by row."""

    file_name: str
    file_sha256: str
    rows: int = 0
    outcomes: list[RowOutcome] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    @property
    def opened(self) -> list[str]:
        return [o.case_id for o in self.outcomes if o.outcome == "opened" and o.case_id]

    def count(self, outcome: str) -> int:
        return sum(o.outcome == outcome for o in self.outcomes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file_name,
            "file_sha256": self.file_sha256,
            "rows": self.rows,
            "written": self.written,
            "opened": self.opened,
            "outcomes": [o.to_dict() for o in self.outcomes],
            "errors": [e.to_dict() for e in self.errors],
        }


@dataclass
class _Planned:
    row: int
    case_id: str
    facts: dict[str, Any]
    extra: list[PendingEvent]
    duplicate_key: tuple[str, str]
    incident_on: date


def import_report(
    uow: UnitOfWork,
    officer_id: str,
    report: ReportFile,
    now: datetime,
    on_duplicate: OnDuplicate | None = None,
    per_row: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate every row, then open the cases (all-or-nothing unless `per_row`)."""
    result = ImportResult(report.name, report.sha256, rows=len(report.rows))
    rule_set = load_rule_set(version_in_force(now.date()))
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, Role.BAWASLU)
        register = ImportRegister(uow.session)
        before = register.imported(report.sha256)
        parsed = _parse_all(report, rule_set, now, before, result, progress)
        subject = subject_of(uow, actor)
        existing = _existing_cases(uow, subject, [p.new.terlapor.nip for _, p in parsed])
        planned = _plan(uow, subject, rule_set, now, parsed, existing, on_duplicate, report, result)
        if result.errors and not per_row:
            for outcome in result.outcomes:
                if outcome.outcome == "opened":
                    outcome.outcome, outcome.case_id = "not_written", None
            result.outcomes.sort(key=lambda o: o.row)
            result.errors.sort(key=lambda e: (e.row, e.column or ""))
            return result
        _write(uow, actor, rule_set, now, planned, progress)
        register.record(
            report.sha256,
            report.name,
            actor.user_id,
            now,
            [
                (o.row, o.outcome, o.case_id)
                for o in result.outcomes
                if o.outcome in ("opened", "skipped")
            ],
        )
        if planned or result.count("skipped"):
            uow.commit()
            result.written = True
    result.outcomes.sort(key=lambda o: o.row)
    result.errors.sort(key=lambda e: (e.row, e.column or ""))
    return result


def _parse_all(
    report: ReportFile,
    rule_set: RuleSet,
    now: datetime,
    before: dict[int, tuple[str, str | None]],
    result: ImportResult,
    progress: Progress | None,
) -> list[tuple[int, ParsedRow]]:
    parsed: list[tuple[int, ParsedRow]] = []
    for row in report.rows:
        if row.number in before:
            outcome, case_id = before[row.number]
            note = f"berkas yang sama sudah diimpor ({OUTCOME_LABELS.get(outcome, outcome)})"
            result.outcomes.append(RowOutcome(row.number, "imported_before", case_id, note))
        else:
            try:
                parsed.append((row.number, parse_row(row, rule_set, now)))
            except RowFaults as faults:
                _fail(result, faults.errors)
        if progress:
            progress(1)
    return parsed


def _fail(result: ImportResult, errors: list[RowError]) -> None:
    result.errors += errors
    result.outcomes.append(
        RowOutcome(errors[0].row, "error", None, "; ".join(str(e) for e in errors))
    )


def _existing_cases(uow: UnitOfWork, subject: Subject, nips: list[str]) -> dict[str, list[Case]]:
    by_nip: dict[str, list[Case]] = {}
    for snapshot in cases_of_terlapor(uow.session, [n.replace(" ", "") for n in nips]):
        case = Case.from_dict(snapshot)
        if may_read(subject, case):
            by_nip.setdefault(case.terlapor.get("nip", ""), []).append(case)
    return by_nip


def _plan(
    uow: UnitOfWork,
    subject: Subject,
    rule_set: RuleSet,
    now: datetime,
    parsed: list[tuple[int, ParsedRow]],
    existing: dict[str, list[Case]],
    on_duplicate: OnDuplicate | None,
    report: ReportFile,
    result: ImportResult,
) -> list[_Planned]:
    actor = subject.actor
    planned: list[_Planned] = []
    in_file: dict[tuple[str, str], list[_Planned]] = {}  # earlier rows by (NIP, region)
    explicit_ids: dict[str, int] = {}
    for number, row in parsed:
        try:
            facts = validated_facts(row.new, rule_set, actor, now)
            extra = _determination_events(row, facts, rule_set, actor, now)
        except InvalidInput as error:
            _fail(result, [RowError(number, column_of_message(error.message), error.message)])
            continue
        case_id = row.case_id or new_case_id(now)
        if not allowed(subject, Action.OPEN, Case(case_id, region_code=row.new.region_code)):
            message = f"wilayah {row.new.region_code} di luar wilayah {actor.institution}"
            _fail(result, [RowError(number, "Kode Wilayah", message)])
            continue
        if row.case_id:
            try:
                check_case_id(row.case_id)
            except InvalidInput as error:
                _fail(result, [RowError(number, "Nomor Perkara", error.message)])
                continue
            if row.case_id in explicit_ids:
                message = (
                    f"nomor perkara {row.case_id} ganda (juga baris {explicit_ids[row.case_id]})"
                )
                _fail(result, [RowError(number, "Nomor Perkara", message)])
                continue
            if uow.cases.exists(row.case_id):
                _fail(
                    result, [RowError(number, "Nomor Perkara", f"perkara {row.case_id} sudah ada")]
                )
                continue
            explicit_ids[row.case_id] = number
        nip, region = facts["terlapor"]["nip"], facts["region_code"]
        day = incident_day(facts["incident_at"], region)
        duplicates = [c.case_id for c in candidates_among(existing.get(nip, []), region, day)]
        earlier = in_file.setdefault((nip, region), [])
        duplicates += [p.case_id for p in earlier if overlaps(p.incident_on, day)]
        if duplicates:
            listed = ", ".join(duplicates[:5])
            if on_duplicate is None:
                message = (
                    f"kemungkinan ganda dengan {listed} (NIP, wilayah dan tanggal kejadian sama); "
                    "pilih --on-duplicate skip|flag|open"
                )
                _fail(result, [RowError(number, "NIP Terlapor", message)])
                continue
            if on_duplicate is OnDuplicate.SKIP:
                note = f"kemungkinan ganda dengan {listed}"
                result.outcomes.append(RowOutcome(number, "skipped", None, note))
                continue
            if on_duplicate is OnDuplicate.FLAG:
                extra += [
                    PendingEvent(
                        ev.DUPLICATE_LINKED,
                        actor,
                        now,
                        {
                            "duplicate_of": other,
                            "reason": "Ditandai saat impor: NIP, wilayah dan tanggal kejadian sama",
                            "source": "impor",
                            "file_sha256": report.sha256,
                            "row": number,
                        },
                    )
                    for other in duplicates[:5]
                ]
        note = f"kemungkinan ganda dengan {', '.join(duplicates[:5])}" if duplicates else ""
        planned.append(_Planned(number, case_id, facts, extra, (nip, region), day))
        earlier.append(planned[-1])
        result.outcomes.append(RowOutcome(number, "opened", case_id, note))
    return planned


def _determination_events(
    row: ParsedRow, facts: dict[str, Any], rule_set: RuleSet, actor: Actor, now: datetime
) -> list[PendingEvent]:
    """The officer's statement where it differs from the schedule: an override with a reason
    (or, where no schedule covers the day, simply the statement)."""
    if row.stated_after is None or row.stated_after == facts["after_determination"]:
        return []
    found = determination_for(
        rule_set,
        facts["election_type"],
        facts["region_code"],
        datetime.fromisoformat(facts["incident_at"].replace("Z", "+00:00")),
    )
    if found is None:
        facts["after_determination"] = row.stated_after
        return []
    if not row.reason:
        raise InvalidInput(
            f"Menurut jadwal {found.election}, penetapan calon pada "
            f"{found.determined_on.isoformat()} ({found.citation}): kejadian "
            f"{'sesudah' if found.after else 'sebelum'} penetapan. Isi 'Alasan Koreksi "
            "Penetapan' untuk menyatakan lain"
        )
    payload = {
        "after_determination": row.stated_after,
        "previous": facts["after_determination"],
        "reason": row.reason,
        "schedule": found.to_dict(),
    }
    return [PendingEvent(ev.DETERMINATION_OVERRIDDEN, actor, now, payload)]


def _write(
    uow: UnitOfWork,
    actor: Actor,
    rule_set: RuleSet,
    now: datetime,
    planned: list[_Planned],
    progress: Progress | None,
) -> None:
    """Open every planned case: one insert for all events, one for all projections."""
    calendars: dict[str, WorkingCalendar] = {}
    events: list[RecordedEvent] = []
    projections: list[dict[str, Any]] = []
    for item in planned:
        region = item.facts["region_code"]
        calendar = calendars.get(region) or calendars.setdefault(region, calendar_for(uow, region))
        pending = decide_opening(item.case_id, item.facts, actor, now, rule_set, calendar)
        case, recorded = chain_and_fold(
            Case(item.case_id), [*pending, *item.extra], now, rule_set.version
        )
        events += recorded
        projections.append({"id": case.case_id, **projection_columns(case)})
        if progress:
            progress(1)
    uow.events.insert(events)
    add_cases(uow.session, projections)


RESULT_HEADER = ("Baris", "Hasil", "Nomor Perkara", "Keterangan")


def write_result_csv(result: ImportResult, out: IO[str]) -> None:
    """The result file: one line per row (`;`, for Excel in Indonesian locale)."""
    writer = csv.writer(out, delimiter=";")
    writer.writerow(RESULT_HEADER)
    for outcome in result.outcomes:
        writer.writerow(
            [
                outcome.row,
                OUTCOME_LABELS.get(outcome.outcome, outcome.outcome),
                safe_cell(outcome.case_id or ""),
                safe_cell(outcome.note),
            ]
        )
