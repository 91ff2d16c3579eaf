"""Dates and times as an official reads them: "5 Desember 2024", "5 Desember 2024 14.30 WITA"
(the instant in the case region's own time zone: WIB, WITA or WIT). Pure and light, shared by
the web app and the command line: babel's `id` locale (what letters use) costs ~45 ms of
start-up the CLI cannot spend, so the month names are written here and a test keeps them
equal to babel's (tests/rules/test_indonesian_dates.py)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from rules.errors import NotFound
from rules.regions import timezone_for

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}
WIB = ZoneInfo("Asia/Jakarta")


def zone_of(region_code: str | None) -> ZoneInfo:
    """The region's time zone; WIB when the region is not known."""
    if not region_code:
        return WIB
    try:
        return timezone_for(region_code)
    except (NotFound, KeyError, ValueError):
        return WIB


def day(value: date | str | None) -> str:
    """`2024-12-05` as "5 Desember 2024"."""
    if not value:
        return "-"
    found = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{found.day} {MONTHS[found.month - 1]} {found.year}"


def instant(value: datetime | str | None, region_code: str | None = None) -> str:
    """A UTC instant (or its ISO text, `Z` or offset) as "5 Desember 2024 14.30 WITA" in the
    region's zone."""
    if not value:
        return "-"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    zone = zone_of(region_code)
    local = moment.astimezone(zone)
    return f"{day(local.date())} {local:%H.%M} {ZONE_NAMES.get(zone.key, zone.key)}"
