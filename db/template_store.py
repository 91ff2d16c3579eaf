"""The letter template store: the sources every letter was rendered with, by template hash.

`letter_templates` (append-only, migration 0122) keeps, under a letter's `template_hash`, the
template and every template it uses, {file name: source}; verification re-renders a letter
with them instead of the installed templates. A letter's command writes the row in its own
transaction, with `INSERT ... ON CONFLICT DO NOTHING` (held for the commit on PostgreSQL's
command path, `db.command_writes`; through the Session elsewhere).

The sources (~15 KB) are sent once per database and process, not with every letter: the
hashes a committed transaction stored are remembered per Engine (`mark_stored`, called by
the unit of work after its COMMIT succeeded, never for a rolled-back one) and skipped after.
What a transaction skipped on the strength of that memory it notes (`assumed`): the database
refuses a letter whose sources it does not hold (migration 0123, after a restore from an
older backup), and the unit of work then forgets those hashes (`forget_stored`) so the
command taken again sends them (`db.letter_template_guard`).
Nothing here checks that the sources hash to their key: the reader does (`letters.render`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from weakref import WeakKeyDictionary

import orjson
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from db.command_writes import CommandWrites, HeldWrite
from db.schema import LetterRow, LetterTemplateRow, table_of
from rules.errors import ConcurrencyConflict

_STORED: WeakKeyDictionary[Engine, set[str]] = WeakKeyDictionary()
_LOCK = threading.Lock()

_TABLE = table_of(LetterTemplateRow)
_INSERT_PG = (
    "INSERT INTO letter_templates (template_hash, template_name, sources)"
    " VALUES (%(template_hash)s, %(template_name)s, %(sources)s::json)"
    " ON CONFLICT (template_hash) DO NOTHING"
)
# never raised: a hash already stored is skipped by ON CONFLICT DO NOTHING
_NEVER = ConcurrencyConflict("Templat surat sudah tersimpan")


def known_stored(engine: Engine, template_hash: str) -> bool:
    """A committed transaction of this process stored this hash in the Engine's database."""
    with _LOCK:
        return template_hash in _STORED.get(engine, ())


def mark_stored(engine: Engine, hashes: Iterable[str]) -> None:
    """Remember hashes a transaction stored, once it has committed."""
    with _LOCK:
        stored = _STORED.get(engine)
        if stored is None:
            stored = _STORED[engine] = set()
        stored.update(hashes)


def forget_stored(engine: Engine, hashes: Iterable[str]) -> None:
    """Stop taking these hashes as stored (the database refused a letter for want of them)."""
    with _LOCK:
        stored = _STORED.get(engine)
        if stored is not None:
            stored.difference_update(hashes)


@dataclass(frozen=True)
class StoredTemplates:
    """One row of the template store."""

    template_hash: str
    template_name: str
    sources: dict[str, str]


class TemplateStore:
    """Reads and writes the template store within the caller's transaction.

    `written` collects the hashes this transaction wrote (the unit of work marks them stored
    once it commits), `assumed` those it did not send because the process remembers them
    stored (the unit of work forgets them when the database refuses a letter for want of
    them); `writes`: a PostgreSQL command's held writes.
    """

    def __init__(
        self,
        session: Session,
        engine: Engine,
        writes: CommandWrites | None = None,
        written: set[str] | None = None,
        assumed: set[str] | None = None,
    ) -> None:
        self.session = session
        self.engine = engine
        self.writes = writes
        self.written = written if written is not None else set()
        self.assumed = assumed if assumed is not None else set()

    def keep(self, template_name: str, template_hash: str, sources: Mapping[str, str]) -> None:
        """Store the sources a letter was rendered with, unless known to be stored already
        (the database checks that they are when the letter is inserted: migration 0123)."""
        if template_hash in self.written:
            return
        if known_stored(self.engine, template_hash):
            self.assumed.add(template_hash)
            return
        values = {
            "template_hash": template_hash,
            "template_name": template_name,
            "sources": dict(sources),
        }
        if self.writes is not None:
            values["sources"] = orjson.dumps(values["sources"]).decode()
            self.writes.hold(HeldWrite(_INSERT_PG, values, "letter_templates", _NEVER))
        else:
            dialect = self.session.get_bind().dialect.name
            upsert = (pg_insert if dialect == "postgresql" else sqlite_insert)(_TABLE)
            self.session.execute(upsert.on_conflict_do_nothing(), values)
        self.written.add(template_hash)

    def add(self, template_name: str, template_hash: str, sources: Mapping[str, str]) -> None:
        """Store sources not stored yet (the caller checked `get` returned None)."""
        self.session.execute(
            insert(_TABLE),
            {
                "template_hash": template_hash,
                "template_name": template_name,
                "sources": dict(sources),
            },
        )
        self.written.add(template_hash)

    def get(self, template_hash: str) -> StoredTemplates | None:
        row = self.session.get(LetterTemplateRow, template_hash)
        if row is None:
            return None
        return StoredTemplates(row.template_hash, row.template_name, dict(row.sources))

    def stored_hashes(self) -> set[str]:
        return set(self.session.execute(select(LetterTemplateRow.template_hash)).scalars())

    def issued(self) -> list[tuple[str, str, int]]:
        """(template name, template hash, number of letters) of every issued letter's set."""
        rows = self.session.execute(
            select(LetterRow.template_name, LetterRow.template_hash, func.count())
            .group_by(LetterRow.template_name, LetterRow.template_hash)
            .order_by(LetterRow.template_name, LetterRow.template_hash)
        )
        return [(str(name), str(digest), int(count)) for name, digest, count in rows]
