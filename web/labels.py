"""Every Indonesian word a page shows for a code: states, steps, fields, events, roles,
sanctions, violations (all from the rule data), and dates and times the Indonesian way in the
case's own time zone (WIB, WITA, WIT). The one place pages look labels up."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from cases.evidence.media import ALLOWED
from letters.catalog import KINDS
from rules.errors import NetraError, NotFound
from rules.regions import timezone_for
from rules.ruleset import RuleSet, latest_version, load_rule_set
from states.canonical import parse_utc

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


def rules_of(version: str | None) -> RuleSet:
    return load_rule_set(version or latest_version())


def _safe(lookup: object, code: str) -> str:
    try:
        return str(lookup(code))  # type: ignore[operator]
    except (NotFound, KeyError, ValueError):
        return code


def state(code: str, version: str | None = None) -> str:
    return _safe(rules_of(version).state_label, code) if code else ""


def step(trigger: str, version: str | None = None) -> str:
    return _safe(rules_of(version).step_label, trigger)


def field(name: str, version: str | None = None) -> str:
    return _safe(rules_of(version).field_label, name)


def event(event_type: str, version: str | None = None) -> str:
    return _safe(rules_of(version).event_label, event_type)


def role(code: str, version: str | None = None) -> str:
    return _safe(rules_of(version).role_label, code)


def sanction(code: str | None, version: str | None = None) -> str:
    return _safe(rules_of(version).sanction_label, code) if code else "-"


def category(code: str | None, version: str | None = None) -> str:
    return _safe(rules_of(version).category_label, code) if code else "-"


def violation(code: str, version: str | None = None) -> str:
    return _safe(rules_of(version).violation_label, code)


def escalation(kind: str, version: str | None = None) -> str:
    return _safe(rules_of(version).escalation_label, kind)


def region(code: str | None, version: str | None = None) -> str:
    """A Kemendagri regency code as its name ("35.75" as "Kota Pasuruan"); the code itself
    when the rule data does not know it."""
    if not code:
        return "-"
    try:
        return rules_of(version).regions.regency_name(code)
    except NetraError:
        return code


def zone_of(region_code: str | None) -> ZoneInfo:
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
    """A UTC instant as "5 Desember 2024 14.30 WITA" in the region's zone."""
    if not value:
        return "-"
    moment = parse_utc(value) if isinstance(value, str) else value
    zone = zone_of(region_code)
    local = moment.astimezone(zone)
    return f"{day(local.date())} {local:%H.%M} {ZONE_NAMES.get(zone.key, zone.key)}"


RECIPIENTS = {
    "pelapor": "Pelapor",
    "terlapor": "Terlapor",
    "bkn": "Kepala BKN",
    "ppk": "PPK",
    "bkn_bawaslu": "BKN dan Bawaslu",
    "arsip": "Arsip berkas perkara",
}


def letter_kind(kind: str) -> str:
    """The letter's subject (perihal) from the letter catalog."""
    try:
        return KINDS[kind].title
    except KeyError:
        return kind


def recipient(code: str) -> str:
    return RECIPIENTS.get(code, code)


INSTITUTION_KINDS = {"bawaslu": "Bawaslu", "bkn": "BKN", "ppk": "PPK", "sistem": "Sistem"}


def institution_kind(code: str) -> str:
    return INSTITUTION_KINDS.get(code, code)


def evidence_kind(media_type: str) -> str:
    """`image/png` as "foto/tangkapan layar" (the evidence allowlist's own words)."""
    kind = ALLOWED.get(media_type)
    return kind.label if kind else media_type
