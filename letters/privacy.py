"""Is the reporter named in this letter? Compared on normalised text, so no variant slips by.

Both sides are normalised the same way: HTML entities unescaped (`Ma&#39;rufah`), tags
dropped, Unicode NFKC, typographic apostrophes folded, case folded (`YONO SAPUTRA`) and
whitespace collapsed; phone numbers are compared on their digits alone.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any

_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
MIN_LENGTH = 5


def normalised(text: str) -> str:
    text = html.unescape(_TAGS.sub(" ", html.unescape(text)))
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()
    return _SPACE.sub(" ", text).strip()


_NUMBER = re.compile(r"\+?\d[\d\s().-]{4,}\d")


def digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


def phone_numbers(text: str) -> set[str]:
    """Every number written in the text, as its digits (`0812-3456 789` -> `08123456789`)."""
    return {digits(match) for match in _NUMBER.findall(text)}


def reporter_leaks(document: str, reporter: dict[str, Any] | None) -> list[str]:
    """The reporter's identifying fields that occur in `document` (HTML or text)."""
    if not reporter or reporter.get("redacted"):
        return []
    haystack = normalised(document)
    numbers = phone_numbers(haystack)
    found = []
    for key in ("name", "address", "phone", "email"):
        value = str(reporter.get(key) or "")
        needle = normalised(value)
        if len(needle) < MIN_LENGTH:
            continue
        phone = digits(value) if key == "phone" else ""
        if needle in haystack or (len(phone) >= 6 and any(phone in n for n in numbers)):
            found.append(key)
    return found
