"""Input hygiene at the service boundary: lengths, control characters, identifier patterns.

Every free-text value an officer sends (case facts, step fields, notes, reasons, names) passes
`check_text`, and whole payloads pass `check_payload`: NUL bytes and control characters are
refused (newlines and tabs are allowed in long prose), lengths follow rules/data limits, and
identifiers must match their pattern — before anything reaches the database.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from rules.errors import InvalidInput
from rules.input_limits import input_limits

_PROSE_WHITESPACE = frozenset("\n\t\r")
LONG_SUFFIXES = ("_summary", "_findings", "_reason", "reason", "notes", "text", "summary")
NAME_SUFFIXES = ("name", "_title", "title")


def _limit_for(field: str) -> tuple[int, bool]:
    """(max length, whether newlines are allowed) for a field name."""
    limits = input_limits().text
    if field == "summary":
        return limits.summary, True
    if field.endswith(LONG_SUFFIXES):
        return limits.long, True
    if field.endswith(NAME_SUFFIXES):
        return limits.name, False
    return limits.default, True


def check_text(value: str, label: str, limit: str | None = None, field: str = "") -> str:
    """Refuse control characters and over-long text; returns the value unchanged."""
    if limit is not None:
        maximum = int(getattr(input_limits().text, limit))
        multiline = limit in ("summary", "long", "default")
    else:
        maximum, multiline = _limit_for(field or label)
    if len(value) > maximum:
        raise InvalidInput(f"{label} terlalu panjang: {len(value)} karakter (maksimal {maximum})")
    if value.isprintable():  # no character of a category C (nor a separator but the space)
        return value
    for char in value:
        if char in _PROSE_WHITESPACE and multiline:
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cs", "Co") or (
            category == "Cf" and char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        ):
            raise InvalidInput(
                f"{label} memuat karakter kendali (U+{ord(char):04X}) yang tidak diizinkan"
            )
    return value


def check_payload(
    data: Any, field: str = "data", labels: Callable[[str], str] | None = None
) -> None:
    """Apply `check_text` to every string in a (nested) payload, by field name; `labels`
    names a field in the messages (a step field's label), else its name does."""
    if isinstance(data, str):
        try:
            check_text(data, field, field=field)
        except InvalidInput:
            if labels is None:
                raise
            check_text(data, labels(field), field=field)  # the same refusal, named as read
            raise
    elif isinstance(data, dict):
        for key, value in data.items():
            check_text(str(key), "nama kolom", limit="name")
            check_payload(value, str(key), labels)
    elif isinstance(data, list | tuple):
        for item in data:
            check_payload(item, field, labels)


def check_identifier(value: str, label: str, kind: str = "account_id") -> str:
    if not input_limits().pattern(kind).fullmatch(value or ""):
        raise InvalidInput(
            f"{label} '{value[:40]}' tidak sah (pola: {input_limits().pattern(kind).pattern})"
        )
    return value


def check_case_id(case_id: str) -> str:
    return check_identifier(case_id, "Nomor perkara", "case_id")
