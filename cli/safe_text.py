"""Terminal safety for everything the CLI prints that came from data.

`shown` strips terminal control sequences (ESC, CSI, OSC, C0/C1 controls except newline and
tab) and escapes rich markup, so a name like `[/red]` or `\x1b]0;owned\x07` is printed as
text and never interpreted. `SafeTable` applies it to every cell, so tables need no care at
the call site.
"""

from __future__ import annotations

import re
from typing import Any

from rich.markup import escape
from rich.table import Table

_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.?")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_control(text: str) -> str:
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def shown(value: Any) -> str:
    """Data made safe to embed in a rich markup string."""
    return escape(strip_control("" if value is None else str(value)))


class SafeTable(Table):
    """A rich Table whose string cells are data: control-stripped and markup-escaped."""

    def add_row(self, *renderables: Any, **options: Any) -> None:
        super().add_row(
            *(shown(cell) if isinstance(cell, str) else cell for cell in renderables), **options
        )
