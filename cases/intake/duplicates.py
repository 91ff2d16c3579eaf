"""Likely duplicates: the same NIP, in the same region, with incident dates that overlap
(at most `DUPLICATE_WINDOW_DAYS` apart, in the region's local dates); and the link from a case
to the case it duplicates (a `duplicate_linked` event)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cases.access import acting, may_read, subject_of
from cases.commands import overlay
from cases.fields import parse_instant
from db.case_repository import CaseFilter
from db.unit_of_work import UnitOfWork
from rules.errors import InvalidInput
from rules.identifiers import parse_nip
from rules.models import Role
from rules.regions import timezone_for
from states import events as ev
from states.canonical import parse_utc
from states.case import Case

DUPLICATE_WINDOW_DAYS = 1


@dataclass(frozen=True)
class DuplicateCandidate:
    """An existing case that may report the same act."""

    case_id: str
    state: str
    region_code: str
    incident_on: date
    opened_at: str
    is_open: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "state": self.state,
            "region_code": self.region_code,
            "incident_on": self.incident_on.isoformat(),
            "opened_at": self.opened_at,
            "is_open": self.is_open,
        }


def incident_day(value: date | datetime | str, region_code: str) -> date:
    """The local date of an incident (a date, an instant, or ISO text)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    zone = timezone_for(region_code)
    return parse_instant(value, zone, "tanggal kejadian").astimezone(zone).date()


def case_incident_day(case: Case) -> date:
    return parse_utc(case.incident_at).astimezone(timezone_for(case.region_code)).date()


def overlaps(first: date, second: date, window_days: int = DUPLICATE_WINDOW_DAYS) -> bool:
    return abs((first - second).days) <= window_days


def candidates_among(
    cases: Iterable[Case], region_code: str, day: date, window_days: int = DUPLICATE_WINDOW_DAYS
) -> list[DuplicateCandidate]:
    found = [
        DuplicateCandidate(
            case.case_id,
            case.state,
            case.region_code,
            case_incident_day(case),
            case.opened_at,
            case.is_open,
        )
        for case in cases
        if case.region_code == region_code and overlaps(case_incident_day(case), day, window_days)
    ]
    return sorted(found, key=lambda c: (c.opened_at, c.case_id))


def likely_duplicates(
    uow: UnitOfWork,
    officer_id: str,
    nip: str,
    region_code: str,
    incident_date: date | datetime | str,
    window_days: int = DUPLICATE_WINDOW_DAYS,
) -> list[DuplicateCandidate]:
    """Cases this officer may read that likely report the same act (the web form warns with
    them before opening a case)."""
    value = parse_nip(nip).value
    day = incident_day(incident_date, region_code)
    with uow:
        actor, _ = acting(uow, officer_id)
        subject = subject_of(uow, actor)
        cases = uow.cases.iterate(CaseFilter(terlapor_nip=value, region_code=region_code))
        readable = [case for case in cases if may_read(subject, case)]
    return candidates_among(readable, region_code, day, window_days)


def link_duplicate(
    uow: UnitOfWork,
    officer_id: str,
    case_id: str,
    duplicate_of: str,
    reason: str,
    now: datetime,
) -> Case:
    """Record on `case_id` that it duplicates `duplicate_of` (both must be readable)."""
    if duplicate_of == case_id:
        raise InvalidInput("Perkara tidak dapat menjadi duplikat dirinya sendiri")
    if not reason.strip():
        raise InvalidInput("Alasan penautan duplikat wajib diisi")

    def other_exists(work: UnitOfWork) -> None:
        actor, _ = acting(work, officer_id)
        other = work.cases.get(duplicate_of)  # NotFound for an unknown case
        if not may_read(subject_of(work, actor), other):
            raise InvalidInput(f"Perkara {duplicate_of} tidak dapat Anda baca")

    return overlay(
        uow,
        officer_id,
        case_id,
        ev.DUPLICATE_LINKED,
        {"duplicate_of": duplicate_of, "reason": reason.strip(), "source": "petugas"},
        now,
        roles=(Role.BAWASLU,),
        check=other_exists,
    )
