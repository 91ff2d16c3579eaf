"""Parses and validates the data a step carries (from CLI strings, JSON or Python values)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from rules.errors import InvalidInput, NotFound
from rules.identifiers import parse_nip
from rules.input_limits import input_limits
from rules.ruleset import RuleSet, load_rule_set
from states.canonical import utc_iso

TEXT_MAX = 4000


def parse_instant(value: Any, zone: ZoneInfo, name: str = "waktu") -> datetime:
    """An ISO date-time; without an offset it is read in the region's local time."""
    if isinstance(value, datetime):
        instant = value
    else:
        try:
            instant = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            raise InvalidInput(
                f"'{name}': '{value}' bukan tanggal-waktu ISO (mis. 2024-11-18T09:00)"
            ) from None
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=zone)
    return instant


def parse_day(value: Any, name: str = "tanggal") -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(f"'{name}': '{value}' bukan tanggal ISO (mis. 2024-11-18)") from None


def _text(value: Any, name: str, **_: Any) -> str:
    text = str(value).strip()
    if not text:
        raise InvalidInput(f"'{name}' tidak boleh kosong")
    if len(text) > TEXT_MAX:
        raise InvalidInput(f"'{name}' terlalu panjang (maks. {TEXT_MAX} karakter)")
    return text


def _instant(value: Any, name: str, zone: ZoneInfo, **_: Any) -> str:
    return utc_iso(parse_instant(value, zone, name))


def _date(value: Any, name: str, **_: Any) -> str:
    return parse_day(value, name).isoformat()


def _bool(value: Any, name: str, **_: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("ya", "yes", "true", "1", "hadir"):
        return True
    if text in ("tidak", "no", "false", "0", "tidak_hadir"):
        return False
    raise InvalidInput(f"'{name}' harus ya/tidak, bukan '{value}'")


def _list(value: Any, name: str, **_: Any) -> list[str]:
    items = value if isinstance(value, list) else str(value).split(",")
    cleaned = [str(item).strip() for item in items if str(item).strip()]
    if not cleaned:
        raise InvalidInput(f"'{name}' tidak boleh kosong")
    return cleaned


def _codes(value: Any, name: str, rule_set: RuleSet, **_: Any) -> list[str]:
    codes = _list(value, name)
    for code in codes:
        if code not in rule_set.violations:
            raise InvalidInput(f"Kode pelanggaran '{code}' tidak ada dalam katalog SKB 2022")
    return sorted(set(codes))


def _nip(value: Any, name: str, **_: Any) -> str:
    return parse_nip(str(value)).value


def _rank(value: Any, name: str, **_: Any) -> str:
    """A pangkat/golongan as the letters print it, e.g. "Penata Tk. I (III/d)": one line of
    text, no longer than a name (rules/data/input_limits.yaml `text.name`)."""
    if not isinstance(value, str):
        raise InvalidInput(
            f"'{name}' harus berupa teks pangkat/golongan (mis. Penata Tk. I (III/d)), "
            f"bukan {type(value).__name__}"
        )
    text = value.strip()
    if not text:
        raise InvalidInput(f"'{name}' tidak boleh kosong")
    if any(char in text for char in "\r\n\t"):
        raise InvalidInput(f"'{name}' harus satu baris (mis. Penata Tk. I (III/d))")
    maximum = input_limits().text.name
    if len(text) > maximum:
        raise InvalidInput(f"'{name}' terlalu panjang: {len(text)} karakter (maks. {maximum})")
    return text


QA_MAX = 200


def _questions(value: Any, name: str, **_: Any) -> list[dict[str, str]]:
    """The BAP's questions and answers: a list of {pertanyaan, jawaban} (or its JSON text)."""
    import json

    items = value
    if isinstance(value, str):
        try:
            items = json.loads(value)
        except ValueError:
            raise InvalidInput(
                f'\'{name}\' harus daftar JSON [{{"pertanyaan": ..., "jawaban": ...}}]'
            ) from None
    if not isinstance(items, list) or not items or len(items) > QA_MAX:
        raise InvalidInput(f"'{name}' harus berisi 1 sampai {QA_MAX} pertanyaan dan jawaban")
    cleaned = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or set(item) != {"pertanyaan", "jawaban"}:
            raise InvalidInput(f"'{name}' butir {number}: harus memuat pertanyaan dan jawaban")
        cleaned.append(
            {
                "pertanyaan": _text(item["pertanyaan"], f"{name} {number} pertanyaan"),
                "jawaban": _text(item["jawaban"], f"{name} {number} jawaban"),
            }
        )
    return cleaned


Parser = Callable[..., Any]

FIELD_PARSERS: dict[str, Parser] = {
    "registration_number": _text,
    "reason": _text,
    "clarification_at": _instant,
    "clarification_place": _text,
    "clarification_summary": _text,
    "findings": _text,
    "recommendation_number": _text,
    "violation_codes": _codes,
    "sanction_category": _text,
    "ppk_institution": _text,
    "bkn_letter_number": _text,
    "justification": _text,
    "examination_at": _instant,
    "examination_place": _text,
    "examiner_name": _text,
    "examiner_nip": _nip,
    "examiner_rank": _rank,
    "attended": _bool,
    "examination_team": _list,
    "examination_qa": _questions,
    "sanction_code": _text,
    "decree_number": _text,
    "decree_date": _date,
    "delivered_at": _instant,
    "filed_at": _instant,
    "objection_kind": _text,
    "outcome": _text,
    "decision_number": _text,
    "executed_at": _instant,
    "report_number": _text,
    "note": _text,
    "override_reason": _text,
    "council_decree_number": _text,
    "hearing_at": _instant,
    "hearing_place": _text,
    "council_members": _list,
    "deciding_official": _text,
    "bpasn_decision_number": _text,
    "bpasn_decision_date": _date,
    "party_joined_on": _date,
}


def normalise_step_data(raw: dict[str, Any], rule_set: RuleSet, zone: ZoneInfo) -> dict[str, Any]:
    """Typed, JSON-native step data; unknown fields and malformed values are refused."""
    data: dict[str, Any] = {}
    for name, value in raw.items():
        parser = FIELD_PARSERS.get(name)
        if parser is None:
            known = ", ".join(sorted(FIELD_PARSERS))
            raise InvalidInput(f"Isian '{name}' tidak dikenal (yang dikenal: {known})")
        if value is None:
            continue
        data[name] = parser(value, name=field_label(rule_set, name), zone=zone, rule_set=rule_set)
    return data


def field_label(rule_set: RuleSet, name: str) -> str:
    """What an official reads for a step field in messages: its label, the code only for a
    field no installed version labels."""
    label = rule_set.labels.fields.get(name)  # the common case, one lookup
    if label is not None:
        return label
    try:
        return rule_set.field_label(name)
    except NotFound:
        return name


def step_field_label(name: str) -> str:
    """A step field's label in the newest rule set (for checks made before the case, and so
    its own version, is read)."""
    return field_label(load_rule_set(), name)
