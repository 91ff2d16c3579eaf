"""Every Indonesian word a page shows for a code: states, steps, fields, events, roles,
sanctions, violations (all from the rule data), and dates and times the Indonesian way in the
case's own time zone (WIB, WITA, WIT). The one place pages look labels up."""

from __future__ import annotations

from cases.evidence.media import ALLOWED
from letters.catalog import KINDS
from rules.errors import NetraError
from rules.indonesian_dates import WIB as WIB
from rules.indonesian_dates import day as day
from rules.indonesian_dates import instant as instant
from rules.indonesian_terms import institution_kind_label, recipient_label
from rules.ruleset import RuleSet, latest_version, load_rule_set
from rules.unknown_codes import label_or_code


def rules_of(version: str | None) -> RuleSet:
    return load_rule_set(version or latest_version())


_safe = label_or_code


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
    """A Kemendagri regency or province code as its name ("35.75" as "Kota Pasuruan", "35"
    as "Provinsi Jawa Timur"); the code itself when the rule data does not know it."""
    if not code:
        return "-"
    try:
        return rules_of(version).regions.territory_name(code)
    except NetraError:
        return code


def letter_kind(kind: str) -> str:
    """The letter's subject (perihal) from the letter catalog."""
    try:
        return KINDS[kind].title
    except KeyError:
        return kind


def recipient(code: str, version: str | None = None) -> str:
    """A letter's recipient; the recommending body (BKN, or KASN before UU 20/2023) is the
    one of the case's rule set."""
    body = rules_of(version).legal.recommending_body
    return recipient_label(code, body.head_title, body.short_name)


institution_kind = institution_kind_label


def evidence_kind(media_type: str) -> str:
    """`image/png` as "foto/tangkapan layar" (the evidence allowlist's own words)."""
    kind = ALLOWED.get(media_type)
    return kind.label if kind else media_type
