"""A letter refused because its template sources are not stored (migration 0123), as the
error Netra reports, on either database.

The database refuses to insert a letter whose template hash is not in `letter_templates`.
That happens when a process remembered the sources as stored (`db.template_store`) in a
database that has since been restored from an older backup: the command writes nothing,
the unit of work forgets what the process remembered, and the command is taken again with
the sources (`cases.commands.from_cache_or_fresh`); elsewhere the officer is asked to
repeat it.
"""

from __future__ import annotations

from rules.errors import ConcurrencyConflict

# SQLSTATE raised by netra_letter_templates_kept() on PostgreSQL
TEMPLATES_NOT_STORED = "NT410"
# RAISE(ABORT, ...) message of the SQLite trigger (written out in migration 0123 too)
SQLITE_MARKER = "netra: letter template not stored"


class TemplatesNotStored(ConcurrencyConflict):
    """A letter named template sources the database does not hold; repeat the command."""


def templates_not_stored() -> TemplatesNotStored:
    return TemplatesNotStored(
        "Sumber templat surat belum tersimpan di basis data ini (basis data dipulihkan dari "
        "cadangan?); tidak ada yang disimpan, ulangi perintah"
    )


def is_templates_not_stored(error: BaseException) -> bool:
    """The database refused a letter for want of its template sources (error or cause)."""
    seen: BaseException | None = error
    visited: set[int] = set()
    while seen is not None and id(seen) not in visited:
        visited.add(id(seen))
        if getattr(seen, "sqlstate", None) == TEMPLATES_NOT_STORED or SQLITE_MARKER in str(seen):
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__
    return False
