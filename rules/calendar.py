"""Working-day arithmetic on the Indonesian calendar (public holidays and cuti bersama).

National holidays come from the `holidays` package (Indonesia, categories public and
government, which carries the cuti bersama decrees). An administrator can add a holiday the
package does not know (a year's new cuti bersama decree, a regional holiday such as a local
Pilkada day) or declare a listed day a working day; those overrides are passed in. An
override names the whole country, a province (`35`: every kabupaten/kota in it) or one
kabupaten/kota (`35.71`).
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

# `add_working_days` results by (the calendar's overrides, start, days): every command builds
# its calendar anew and most ask the same few periods from the same days. Bounded: cleared
# when full (a day's deadlines refill it within a few commands).
_SHIFTS: dict[tuple[object, date, int], date] = {}
_SHIFTS_LIMIT = 4096


class OverrideKind(StrEnum):
    HOLIDAY = "holiday"
    WORKING_DAY = "working_day"


@dataclass(frozen=True)
class CalendarOverride:
    """An administrator's correction to the national calendar: nationwide, for a province
    (its every kabupaten/kota) or for one kabupaten/kota."""

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
        applies = {None, region_code, region_code[:2] if region_code else None}
        for override in overrides:
            if override.region_code not in applies:
                continue
            if override.kind is OverrideKind.HOLIDAY:
                self._added[override.day] = override.name
            else:
                self._removed[override.day] = override.name
        self._overrides_key: object = None  # made when first needed (`_cache_key`)

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
        return self._shifted(start, days)

    def working_day_before(self, day: date, days: int) -> date:
        """The `days`-th working day before `day` (`day` itself never counts)."""
        if days < 0 or days > MAX_PERIOD_DAYS:
            raise InvalidInput(f"Jumlah hari kerja {days} di luar batas")
        return self._shifted(day, -days)

    def _shifted(self, start: date, days: int) -> date:
        """`days` working days on from `start` (back when negative), from the cache when a
        calendar with the same overrides counted it before."""
        key = (self._cache_key(), start, days)
        found = _SHIFTS.get(key)
        if found is None:
            found = self._count(start, days)
            if len(_SHIFTS) >= _SHIFTS_LIMIT:
                _SHIFTS.clear()
            _SHIFTS[key] = found
        return found

    def _cache_key(self) -> object:
        """What decides a day here besides the national table (names included), so that two
        calendars with the same overrides share cached results; () when there are none."""
        if self._overrides_key is None:
            self._overrides_key = (
                (frozenset(self._added.items()), frozenset(self._removed.items()))
                if self._added or self._removed
                else ()
            )
        return self._overrides_key

    def _count(self, start: date, days: int) -> date:
        step = _ONE_DAY if days >= 0 else -_ONE_DAY
        current = start
        for _ in range(abs(days)):
            current += step
            while not self.is_working_day(current):
                current += step
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
