"""The snapshots a process's commands last wrote, so its next command on the same case can
start without reading the case back from PostgreSQL.

After a command commits, the snapshot text it wrote (the `json` column stores it as sent, so
it is exactly what a read would return) is kept under the case id, per Engine, for the
most recently written `CACHED_CASES` cases. A command that finds its case here skips the
read round trip; its write then carries the guard the read would have given: the case must
still be at the cached version and head hash, and the reference data at the version the
command used (`db.command_path.write_pg`). Any other process's step, a restore, or a
registry change makes that guard fail, and the command is taken again on a fresh read
(`cases.commands`). Nothing here is ever shown to a user or read outside a command.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from weakref import WeakKeyDictionary

from sqlalchemy import Engine

# Snapshots of cases written by this process kept per Engine (about 2-4 KB of text each).
CACHED_CASES = 1024

_ENTRIES: WeakKeyDictionary[Engine, OrderedDict[str, str]] = WeakKeyDictionary()
_LOCK = threading.Lock()


def cached_snapshot(engine: Engine, case_id: str) -> str | None:
    """The snapshot text this process last wrote for the case, or None."""
    with _LOCK:
        entries = _ENTRIES.get(engine)
        if entries is None:
            return None
        text = entries.get(case_id)
        if text is not None:
            entries.move_to_end(case_id)
        return text


def keep_snapshot(engine: Engine, case_id: str, text: str) -> None:
    """Remember the snapshot text a committed command wrote for the case."""
    with _LOCK:
        entries = _ENTRIES.get(engine)
        if entries is None:
            entries = _ENTRIES[engine] = OrderedDict()
        entries[case_id] = text
        entries.move_to_end(case_id)
        while len(entries) > CACHED_CASES:
            entries.popitem(last=False)


def forget_snapshot(engine: Engine, case_id: str) -> None:
    """Drop the case's entry (its guard failed, or a command on it failed)."""
    with _LOCK:
        entries = _ENTRIES.get(engine)
        if entries is not None:
            entries.pop(case_id, None)


def cached_count(engine: Engine) -> int:
    with _LOCK:
        entries = _ENTRIES.get(engine)
        return 0 if entries is None else len(entries)
