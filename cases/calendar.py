"""Calendar services: the working calendar of a region, and the admin overrides."""

from __future__ import annotations

from datetime import date, datetime

from cases.access import acting, require_role
from db.unit_of_work import UnitOfWork
from rules.calendar import CalendarDay, CalendarOverride, OverrideKind, WorkingCalendar
from rules.errors import InvalidInput
from rules.models import Role
from rules.ruleset import load_rule_set


def calendar_for(uow: UnitOfWork, region_code: str | None) -> WorkingCalendar:
    return WorkingCalendar(uow.registry.calendar_overrides(), region_code)


def holidays_of(uow: UnitOfWork, year: int, region_code: str | None = None) -> list[CalendarDay]:
    with uow:
        return calendar_for(uow, region_code).holidays_in(year)


def add_override(
    uow: UnitOfWork,
    officer_id: str,
    day: date,
    name: str,
    now: datetime,
    kind: OverrideKind = OverrideKind.HOLIDAY,
    region_code: str | None = None,
) -> CalendarOverride:
    """Record a holiday (e.g. a new cuti bersama decree) or a working-day correction."""
    if not name.strip():
        raise InvalidInput("Nama hari libur/koreksi wajib diisi")
    if region_code is not None:
        load_rule_set().regions.regency_name(region_code)
    override = CalendarOverride(day, kind, name.strip(), region_code)
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, Role.ADMIN)
        uow.registry.add_calendar_override(override, actor.user_id, now)
        uow.commit()
    return override
