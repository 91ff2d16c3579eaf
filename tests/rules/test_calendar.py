"""Working days on the Indonesian calendar, with cuti bersama and admin overrides."""

from __future__ import annotations

from datetime import date

from rules.calendar import CalendarOverride, OverrideKind, WorkingCalendar


def test_working_days_skip_idul_fitri_2024_and_its_cuti_bersama() -> None:
    calendar = WorkingCalendar()
    # Fri 5 Apr + 3 working days: 8, 9, 12, 15 Apr are cuti bersama, 10-11 Idul Fitri,
    # so the days counted are 16, 17, 18 April.
    assert calendar.add_working_days(date(2024, 4, 5), 3) == date(2024, 4, 18)


def test_pilkada_day_27_november_2024_is_a_holiday() -> None:
    calendar = WorkingCalendar()
    assert not calendar.is_working_day(date(2024, 11, 27))
    assert calendar.holiday_name(date(2024, 11, 27)) == "Hari Pemilihan Kepala Daerah"
    # Mon 25 Nov + 3 working days: 26, (27 holiday), 28, 29.
    assert calendar.add_working_days(date(2024, 11, 25), 3) == date(2024, 11, 29)


def test_a_regional_override_applies_only_to_its_region() -> None:
    local_day = CalendarOverride(date(2024, 12, 2), OverrideKind.HOLIDAY, "Hari jadi", "35.75")
    pasuruan = WorkingCalendar([local_day], "35.75")
    kediri = WorkingCalendar([local_day], "35.71")
    assert not pasuruan.is_working_day(date(2024, 12, 2))
    assert kediri.is_working_day(date(2024, 12, 2))


def test_a_listed_holiday_can_be_declared_a_working_day() -> None:
    override = CalendarOverride(date(2024, 4, 15), OverrideKind.WORKING_DAY, "Koreksi SKB")
    calendar = WorkingCalendar([override])
    assert calendar.is_working_day(date(2024, 4, 15))
    assert all(day.day != date(2024, 4, 15) for day in calendar.holidays_in(2024))
