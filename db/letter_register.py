"""The letter register: gap-free serials per (institution, year, classification), letter rows.

`next_serial` runs inside the caller's transaction: one upsert creates the counter row at
1 or adds 1 to it (`INSERT ... ON CONFLICT DO UPDATE ... RETURNING`). On PostgreSQL the
upsert locks the counter row until the transaction ends, so two letters issued at once get
consecutive serials, and a rolled-back transaction gives its serial back (no gaps). On
SQLite the database write lock serialises the same statements. `reserve` takes the serials
of all a step's letters at once, one upsert per register (adding the number of its letters)
in a fixed order, so a register's row is locked once per command, not once per letter.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from db.command_writes import CommandWrites, HeldWrite
from db.letter_template_guard import is_templates_not_stored, templates_not_stored
from db.schema import LetterCounterRow, LetterRow, table_of
from rules.errors import ConcurrencyConflict, NotFound


@dataclass(frozen=True)
class StoredLetter:
    """An issued letter as stored in `letters`."""

    id: str
    case_id: str
    case_seq: int
    kind: str
    institution_code: str
    number: str
    year: int
    classification: str
    serial: int
    template_name: str
    template_hash: str
    context: dict[str, Any]
    context_hash: str
    content_hash: str
    html: str
    issued_at: datetime


_FIELDS = tuple(StoredLetter.__dataclass_fields__)

RegisterKey = tuple[str, int, str]  # (institution_code, year, classification)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _from_row(row: LetterRow) -> StoredLetter:
    values = {name: getattr(row, name) for name in _FIELDS}
    values["issued_at"] = _utc(values["issued_at"])
    return StoredLetter(**values)


_COUNTERS = table_of(LetterCounterRow)

# A PostgreSQL command's statements, sent to the driver as they are (prepared).
_NEXT_SERIAL_PG = (
    "INSERT INTO letter_counters (institution_code, year, classification, last_serial)"
    " VALUES (%(institution_code)s, %(year)s, %(classification)s, %(count)s)"
    " ON CONFLICT (institution_code, year, classification)"
    " DO UPDATE SET last_serial = letter_counters.last_serial + EXCLUDED.last_serial"
    " RETURNING last_serial"
)
_INSERT_PG = (
    f"INSERT INTO letters ({', '.join(_FIELDS)}) VALUES ("
    + ", ".join(f"%({name})s::json" if name == "context" else f"%({name})s" for name in _FIELDS)
    + ")"
)


def _taken(letter: StoredLetter) -> ConcurrencyConflict:
    # The id embeds the case seq: a duplicate means another command took that seq.
    return ConcurrencyConflict(
        f"Surat {letter.id} sudah diterbitkan oleh perubahan lain; muat ulang dan ulangi"
    )


class LetterRegister:
    """Numbers and stores letters within the caller's transaction.

    With a PostgreSQL command's `writes` the serial is reserved at once and the letter row
    is held for the command's commit (`db.command_writes`). `templates_refused` is called
    when the database refuses a letter for want of its template sources (migration 0123).
    """

    def __init__(
        self,
        session: Session,
        writes: CommandWrites | None = None,
        templates_refused: Callable[[], None] | None = None,
    ) -> None:
        self.session = session
        self.writes = writes
        self.templates_refused = templates_refused
        self._reserved: dict[RegisterKey, list[int]] = {}

    def reserve(self, keys: Iterable[RegisterKey]) -> None:
        """Reserve now one serial per key (a register may repeat: one per letter), for the
        `next_serial` calls that follow: one upsert per register, registers in sorted order
        (two commands lock shared rows in the same order). Reserve only what will be
        numbered in this transaction: an unused serial would be a gap at commit."""
        for key, count in sorted(Counter(keys).items()):
            last = self._advance(key, count)
            self._reserved.setdefault(key, []).extend(range(last - count + 1, last + 1))

    def next_serial(self, institution_code: str, year: int, classification: str) -> int:
        """The next serial of this register, gap-free and safe under concurrent issuing:
        one reserved before, else one upsert (the first letter of a register creates its
        counter at 1, later ones add 1 under the row lock); a rolled-back step gives its
        numbers back."""
        key = (institution_code, year, classification)
        reserved = self._reserved.get(key)
        if reserved:
            return reserved.pop(0)
        return self._advance(key, 1)

    def _advance(self, key: RegisterKey, count: int) -> int:
        """Add `count` to the register's counter (created at `count`); its new last serial."""
        institution_code, year, classification = key
        values = {
            "institution_code": institution_code,
            "year": year,
            "classification": classification,
        }
        if self.writes is not None:
            return int(self.writes.returning_one(_NEXT_SERIAL_PG, {**values, "count": count}))
        dialect = self.session.get_bind().dialect.name
        upsert = (pg_insert if dialect == "postgresql" else sqlite_insert)(_COUNTERS)
        statement = (
            upsert.values(**values, last_serial=count)
            .on_conflict_do_update(
                index_elements=list(values),
                set_={"last_serial": _COUNTERS.c.last_serial + count},
            )
            .returning(_COUNTERS.c.last_serial)
        )
        return int(self.session.connection().execute(statement).scalar_one())

    def add(self, letter: StoredLetter) -> None:
        values = {name: getattr(letter, name) for name in _FIELDS}
        values["issued_at"] = _utc(letter.issued_at)
        if self.writes is not None:
            values["context"] = orjson.dumps(letter.context).decode()
            self.writes.hold(HeldWrite(_INSERT_PG, values, "letters", _taken(letter)))
            return
        try:
            self.session.execute(insert(table_of(LetterRow)), values)
        except DBAPIError as exc:
            if is_templates_not_stored(exc):
                if self.templates_refused is not None:
                    self.templates_refused()  # at once: the caller may go on (a savepoint)
                raise templates_not_stored() from exc
            if isinstance(exc, IntegrityError):
                raise _taken(letter) from exc
            raise

    def get(self, letter_id: str) -> StoredLetter:
        row = self.session.get(LetterRow, letter_id)
        if row is None:
            raise NotFound(f"Surat '{letter_id}' tidak ditemukan")
        return _from_row(row)

    def for_case(self, case_id: str) -> list[StoredLetter]:
        rows = self.session.execute(
            select(LetterRow)
            .where(LetterRow.case_id == case_id)
            .order_by(LetterRow.case_seq, LetterRow.id)
        ).scalars()
        return [_from_row(row) for row in rows]

    def last_serial(self, institution_code: str, year: int, classification: str) -> int:
        """The register's last serial (0 when nothing was issued yet)."""
        row = self.session.get(LetterCounterRow, (institution_code, year, classification))
        return row.last_serial if row is not None else 0
