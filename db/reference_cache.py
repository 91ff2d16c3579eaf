"""Reference data shared by the commands of one process while `reference_version` holds.

Triggers bump `reference_version` on every change to officers, institutions, calendar
overrides, settings and letterheads (migration 0117). A command reads the number in the same statement
as its case snapshot; officers, institutions, overrides and settings it looks up are then
taken from, or added to, the process's entry for that number, so a second command with the
same number reads none of them again. Data read after the number was read is at least as
new as the number, so an entry never holds data older than its number says.

Only command transactions use the shared entry, and a transaction that writes reference
data stops using it (its uncommitted rows must not reach other transactions).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from sqlalchemy import Engine

if TYPE_CHECKING:
    from rules.calendar import CalendarOverride


@dataclass
class SharedReference:
    """What commands of one process have read of the reference data at `version`."""

    version: int
    officers: dict[str, Any] = field(default_factory=dict)
    institutions: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, str | None] = field(default_factory=dict)
    letterheads: dict[str, Any] = field(default_factory=dict)
    calendar: list[CalendarOverride] | None = None


_ENTRIES: WeakKeyDictionary[Engine, SharedReference] = WeakKeyDictionary()
_LOCK = threading.Lock()


def shared_reference(engine: Engine, version: int) -> SharedReference:
    """The process's entry for `engine` at `version` (a new, empty one when it moved on)."""
    with _LOCK:
        entry = _ENTRIES.get(engine)
        if entry is None or entry.version != version:
            entry = SharedReference(version)
            _ENTRIES[engine] = entry
        return entry


def current_reference(engine: Engine) -> SharedReference | None:
    """The process's entry for `engine` at the version its commands read last, for a
    command that starts from a cached snapshot (its write checks that version still holds)."""
    with _LOCK:
        return _ENTRIES.get(engine)
