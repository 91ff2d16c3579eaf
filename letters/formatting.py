"""Indonesian formatting for official letters: dates, weekdays, times, numbers in words, NIP.

Every function is pure and deterministic (babel with the `id` locale, num2words `lang="id"`),
so the same context always renders to the same bytes. They are registered as Jinja filters.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date
from num2words import num2words

from states.canonical import parse_utc

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
ZONE_LABELS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def _day(value: date | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


@lru_cache(maxsize=4096)
def _tanggal(day: date) -> str:
    return format_date(day, "d MMMM y", locale="id")


@lru_cache(maxsize=4096)
def _hari(day: date) -> str:
    return format_date(day, "EEEE", locale="id")


def tanggal(value: date | str) -> str:
    """`2024-11-18` → `18 November 2024` (Tata Naskah Dinas date style)."""
    return _tanggal(_day(value))


def hari(value: date | str) -> str:
    """`2024-11-18` → `Senin`."""
    return _hari(_day(value))


def local_instant(value: str, zone: str) -> datetime:
    """A stored UTC instant (ISO) as local time in `zone` (e.g. `Asia/Jakarta`)."""
    return parse_utc(value).astimezone(ZoneInfo(zone))


def tanggal_waktu(value: str, zone: str) -> str:
    """A UTC instant as `18 November 2024` in the region's local calendar."""
    return tanggal(local_instant(value, zone).date())


def hari_waktu(value: str, zone: str) -> str:
    return hari(local_instant(value, zone).date())


def jam(value: str, zone: str) -> str:
    """A UTC instant as `10.00 WIB` (Indonesian style uses a dot between hours and minutes)."""
    local = local_instant(value, zone)
    return f"{local:%H.%M} {ZONE_LABELS.get(zone, zone)}"


def terbilang(value: int) -> str:
    """An integer in Indonesian words: 12 → `dua belas`."""
    return str(num2words(int(value), lang="id"))


def angka_terbilang(value: int) -> str:
    """The official style for counts and durations: 12 → `12 (dua belas)`."""
    return f"{int(value)} ({terbilang(value)})"


def romawi(month: int) -> str:
    """A month number as a Roman numeral (letter numbers): 11 → `XI`."""
    if not 1 <= int(month) <= 12:
        raise ValueError(f"month {month} out of range")
    return ROMAN_MONTHS[int(month) - 1]


def nip(value: str | None) -> str:
    """The printed NIP `19850312 201001 1 003`; `-` when there is none."""
    if not value:
        return "-"
    digits = value.replace(" ", "")
    if len(digits) != 18:
        return value
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def tanpa_titik(text: str) -> str:
    """Free text without its final full stop, to continue the sentence: `... calon.` → `... calon`."""
    return str(text).rstrip().rstrip(".")


def awal_kecil(text: str) -> str:
    """A title continued inside a sentence: its first letter lower-case, acronyms kept
    (`Melakukan pendekatan ... tanpa CLTN` → `melakukan pendekatan ... tanpa CLTN`)."""
    text = str(text)
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[1:2].isupper():  # an acronym opens the title (e.g. "ASN")
        return text
    return text[:1].lower() + text[1:]


FILTERS = {
    "tanpa_titik": tanpa_titik,
    "awal_kecil": awal_kecil,
    "tanggal": tanggal,
    "hari": hari,
    "tanggal_waktu": tanggal_waktu,
    "hari_waktu": hari_waktu,
    "jam": jam,
    "terbilang": terbilang,
    "angka_terbilang": angka_terbilang,
    "romawi": romawi,
    "nip": nip,
}
