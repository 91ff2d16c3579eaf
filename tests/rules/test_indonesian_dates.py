"""The light date formatter (no babel at start-up) writes what babel's `id` locale writes, and
places an instant in the region's own zone (WIB, WITA, WIT)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from babel.dates import format_date

from rules.indonesian_dates import day, instant


def test_every_month_is_written_as_babel_writes_it() -> None:
    for month in range(1, 13):
        for value in (date(2024, month, 1), date(2026, month, 28)):
            assert day(value) == format_date(value, format="d MMMM y", locale="id")
    assert day("2024-12-05") == "5 Desember 2024" and day(None) == "-"


def test_an_instant_is_shown_in_the_regions_zone() -> None:
    moment = datetime(2024, 11, 30, 23, 30, tzinfo=UTC)
    assert instant(moment, "35.75") == "1 Desember 2024 06.30 WIB"  # Kota Pasuruan
    assert instant("2024-11-30T23:30:00Z", "73.71") == "1 Desember 2024 07.30 WITA"  # Makassar
    assert instant("2024-11-30T23:30:00+00:00", "94.71") == "1 Desember 2024 08.30 WIT"
    assert instant(moment, "99.99") == "1 Desember 2024 06.30 WIB"  # unknown: WIB
    assert instant(None) == "-"
