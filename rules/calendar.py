"""Working-day arithmetic on the Indonesian calendar (public holidays and cuti bersama).

National holidays come from the `holidays` package (Indonesia, categories public and
government, which carries the cuti bersama decrees). An administrator can add a holiday the
package does not know (a year's new cuti bersama decree, a regional holiday such as a local
Pilkada day) or declare a listed day a working day; those overrides are passed in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

from rules.errors import InvalidInput
from rules.models import DayType, Period

MAX_PERIOD_DAYS = 3660
_ONE_DAY = timedelta(days=1)  # made once: a keyword timedelta costs more than the day test


class OverrideKind(StrEnum):
    HOLIDAY = "holiday"
    WORKING_DAY = "working_day"


@dataclass(frozen=True)
class CalendarOverride:
    """An administrator's correction to the national calendar, nationwide or for one region."""

    day: date
    kind: OverrideKind
    name: str
    region_code: str | None = None


@dataclass(frozen=True)
class CalendarDay:
    day: date
    name: str
    source: str  # "nasional" or "admin" (override)


@cache
def _national(year: int) -> dict[date, str]:
    import holidays  # imported when a working day is counted: keeps reads light

    table = holidays.country_holidays(
        "ID", years=year, categories=("public", "government"), language="id"
    )
    return dict(table.items())


class WorkingCalendar:
    """Decides which days are working days (hari kerja) for one region."""

    def __init__(
        self, overrides: Iterable[CalendarOverride] = (), region_code: str | None = None
    ) -> None:
        self.region_code = region_code
        self._added: dict[date, str] = {}
        self._removed: dict[date, str] = {}
        for override in overrides:
            if override.region_code not in (None, region_code):
                continue
            if override.kind is OverrideKind.HOLIDAY:
                self._added[override.day] = override.name
            else:
                self._removed[override.day] = override.name

    def holiday_name(self, day: date) -> str | None:
        """The holiday's name if `day` is a holiday here, else None (weekends are not named)."""
        if day in self._removed:
            return None
        if day in self._added:
            return self._added[day]
        return _national(day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        if day in self._removed:
            return True
        return day.weekday() < 5 and self.holiday_name(day) is None

    def add_working_days(self, start: date, days: int) -> date:
        """The `days`-th working day after `start` (the start day itself never counts)."""
        if days < 0 or days > MAX_PERIOD_DAYS:
            raise InvalidInput(f"Jumlah hari kerja {days} di luar batas")
        current = start
        counted = 0
        while counted < days:
            current += _ONE_DAY
            if self.is_working_day(current):
                counted += 1
        return current

    def add(self, start: date, period: Period) -> date:
        """`start` plus a period of calendar or working days."""
        if period.day_type is DayType.WORKING:
            return self.add_working_days(start, period.days)
        return start + timedelta(days=period.days)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`."""
        count = 0
        current = start
        while current < end:
            current += _ONE_DAY
            if self.is_working_day(current):
                count += 1
        return count

    def holidays_in(self, year: int) -> list[CalendarDay]:
        days = {d: CalendarDay(d, n, "nasional") for d, n in _national(year).items()}
        for d, n in self._added.items():
            if d.year == year:
                days[d] = CalendarDay(d, n, "admin")
        for d in self._removed:
            days.pop(d, None)
        return sorted(days.values(), key=lambda c: c.day)


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    """The calendar date of an instant in a region's time zone."""
    return instant.astimezone(zone).date()


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The instant a deadline on `day` passes: midnight after it, local time, in UTC."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
