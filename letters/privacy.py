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
_APOSTROPHES = ("’", "‘", "ʼ", "`", "´")  # each folded to "'"
MIN_LENGTH = 5


def normalised(text: str) -> str:
    text = html.unescape(_TAGS.sub(" ", html.unescape(text)))
    text = unicodedata.normalize("NFKC", text)
    for apostrophe in _APOSTROPHES:  # str.replace: translate() is slow on non-ASCII text
        text = text.replace(apostrophe, "'")
    text = text.casefold()
    return " ".join(text.split())  # whitespace runs as one space (str.isspace is `\s`)


# `\+?\d` spelled as two branches, so the scan can skip to a "+" or a digit.
_NUMBER = re.compile(r"(?:\+\d|\d)[\d\s().-]{4,}\d")
# What a number may hold besides digits (and a leading "+"), in normalised text.
_NUMBER_SEPARATORS = (" ", "(", ")", ".", "-", "+")


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
    found = []
    for key in ("name", "address", "phone", "email"):
        value = str(reporter.get(key) or "")
        needle = normalised(value)
        if len(needle) < MIN_LENGTH:
            continue
        phone = digits(value) if key == "phone" else ""
        if needle in haystack or (len(phone) >= 6 and _written(phone, haystack)):
            found.append(key)
    return found


def _written(phone: str, haystack: str) -> bool:
    """Does a number written in the normalised `haystack` contain the digits `phone`?

    A number is digits with separators (`phone_numbers`), so the digits can only be in one
    if they are in the haystack with every separator removed; only then is it scanned."""
    bare = haystack
    for separator in _NUMBER_SEPARATORS:
        bare = bare.replace(separator, "")
    if phone not in bare:
        return False
    return any(phone in number for number in phone_numbers(haystack))
