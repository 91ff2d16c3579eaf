"""Spreadsheet output that cannot run: formula prefixes neutralised the OWASP way.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be evaluated by
Excel or LibreOffice (`=HYPERLINK(...)`, `=cmd|...`); it is written with a leading apostrophe
instead, so it shows as text. Numbers stay numbers.
"""

from __future__ import annotations

from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if value is True:
        return "ya"
    if value is False:
        return "tidak"
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(row: list[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]
