"""Text that came from users (file names, descriptions) made safe for the terminal: control
characters removed and rich markup escaped."""

from __future__ import annotations

import unicodedata

from rich.markup import escape


def terminal_safe(text: str) -> str:
    visible = "".join(
        ch if unicodedata.category(ch)[0] != "C" or ch == " " else "?" for ch in str(text)
    )
    return escape(visible)
