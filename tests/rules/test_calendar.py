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


def test_a_provincial_override_applies_to_every_region_of_its_province_only() -> None:
    province_day = CalendarOverride(date(2024, 12, 2), OverrideKind.HOLIDAY, "Hari jadi", "35")
    for region in ("35.75", "35.71", "35"):  # its regencies, and the province's own offices
        assert not WorkingCalendar([province_day], region).is_working_day(date(2024, 12, 2))
    for region in ("32.72", "53.71", None):  # another province, and the national calendar
        assert WorkingCalendar([province_day], region).is_working_day(date(2024, 12, 2))
    # "3" is not a prefix match: only the province's own code is
    assert WorkingCalendar([province_day], "3").is_working_day(date(2024, 12, 2))


def test_a_listed_holiday_can_be_declared_a_working_day() -> None:
    override = CalendarOverride(date(2024, 4, 15), OverrideKind.WORKING_DAY, "Koreksi SKB")
    calendar = WorkingCalendar([override])
    assert calendar.is_working_day(date(2024, 4, 15))
    assert all(day.day != date(2024, 4, 15) for day in calendar.holidays_in(2024))


def test_counting_back_skips_holidays_as_counting_on_does() -> None:
    calendar = WorkingCalendar()
    # Thu 18 Apr 2024, two working days back: 17, 16 (15 and 12 Apr cuti bersama, 10-11
    # Idul Fitri); three back: 5 Apr.
    assert calendar.working_day_before(date(2024, 4, 18), 2) == date(2024, 4, 16)
    assert calendar.working_day_before(date(2024, 4, 18), 3) == date(2024, 4, 5)
    assert calendar.working_day_before(date(2024, 4, 18), 0) == date(2024, 4, 18)


def test_counted_days_are_shared_only_between_calendars_with_the_same_overrides() -> None:
    start = date(2024, 11, 29)  # Friday: + 1 working day is Monday 2 December
    plain = WorkingCalendar()
    assert plain.add_working_days(start, 1) == date(2024, 12, 2)
    holiday = CalendarOverride(date(2024, 12, 2), OverrideKind.HOLIDAY, "Hari jadi", "35.75")
    pasuruan = WorkingCalendar([holiday], "35.75")
    assert pasuruan.add_working_days(start, 1) == date(2024, 12, 3)
    assert pasuruan.working_day_before(date(2024, 12, 3), 1) == date(2024, 11, 29)
    renamed = CalendarOverride(date(2024, 12, 2), OverrideKind.HOLIDAY, "Nama lain", "35.75")
    assert WorkingCalendar([renamed], "35.75").add_working_days(start, 1) == date(2024, 12, 3)
    # the region's override does not reach a calendar without it, counted after it
    assert WorkingCalendar([holiday], "35.71").add_working_days(start, 1) == date(2024, 12, 2)
    assert WorkingCalendar().add_working_days(start, 1) == date(2024, 12, 2)
    worked = CalendarOverride(date(2024, 11, 30), OverrideKind.WORKING_DAY, "Sabtu kerja")
    assert WorkingCalendar([worked]).add_working_days(start, 1) == date(2024, 11, 30)
