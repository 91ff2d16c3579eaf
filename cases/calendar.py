"""Calendar services: the working calendar of a region, and the admin overrides."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from cases.access import acting, require_role
from cases.identity import history
from cases.input_limits import check_text
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


def list_overrides(uow: UnitOfWork, officer_id: str) -> list[CalendarOverride]:
    """The administrators' overrides (holidays and working-day corrections), by date."""
    with uow:
        acting(uow, officer_id)
        return sorted(uow.registry.calendar_overrides(), key=lambda o: (o.day, o.region_code or ""))


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
    check_text(name, "nama hari libur", limit="name")
    if region_code is not None:  # a province (all its regions) or one kabupaten/kota
        load_rule_set().regions.territory_name(region_code)
    override = CalendarOverride(day, kind, name.strip(), region_code)
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, Role.ADMIN)
        uow.registry.add_calendar_override(override, actor.user_id, now)
        history.record(
            uow,
            history.CALENDAR_OVERRIDE_ADDED,
            actor.user_id,
            {
                "day": override.day.isoformat(),
                "kind": override.kind.value,
                "name": override.name,
                "region_code": override.region_code,
            },
        )
        uow.commit()
    return override


def remove_override(
    uow: UnitOfWork, officer_id: str, day: date, region_code: str | None = None
) -> None:
    """Remove an administrator's override; running deadlines keep their stored due dates."""
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, Role.ADMIN)
        uow.registry.remove_calendar_override(day, region_code)
        history.record(
            uow,
            history.CALENDAR_OVERRIDE_REMOVED,
            actor.user_id,
            {"day": day.isoformat(), "region_code": region_code},
        )
        uow.commit()


def working_days_in(uow: UnitOfWork, year: int, region_code: str | None = None) -> int:
    """How many working days (hari kerja) the year has on this region's calendar."""
    with uow:
        calendar = calendar_for(uow, region_code)
    first = date(year, 1, 1)
    return calendar.working_days_between(first - timedelta(days=1), date(year, 12, 31))
