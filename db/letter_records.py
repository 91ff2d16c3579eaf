"""Letter records besides the register: letterheads and logos, letters issued outside Netra,
and the status of a letter no longer in force (superseded by a ralat, or revoked).

All methods run inside the caller's transaction (the unit of work).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.command_writes import CommandWrites, HeldWrite
from db.schema import ExternalLetterRow, LetterheadRow, LetterLogoRow, LetterStatusRow
from rules.errors import ConcurrencyConflict, NotFound


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@dataclass(frozen=True)
class ExternalLetter:
    """A letter issued outside Netra: recorded with its own number, never renumbered."""

    id: str
    case_id: str
    case_seq: int
    kind: str
    institution_code: str
    number: str
    issued_on: date
    scan_sha256: str | None
    recorded_at: datetime


@dataclass(frozen=True)
class LetterStatus:
    """Why a letter is no longer in force."""

    letter_id: str
    status: str  # superseded | revoked
    by_letter_id: str | None
    reason: str
    case_seq: int
    recorded_at: datetime


def _external(r: ExternalLetterRow) -> ExternalLetter:
    return ExternalLetter(
        id=r.id,
        case_id=r.case_id,
        case_seq=r.case_seq,
        kind=r.kind,
        institution_code=r.institution_code,
        number=r.number,
        issued_on=r.issued_on,
        scan_sha256=r.scan_sha256,
        recorded_at=_utc(r.recorded_at),
    )


_EXTERNAL_COLUMNS = (*ExternalLetter.__dataclass_fields__, "scan")
# A PostgreSQL command's statement, sent to the driver as it is (prepared).
_INSERT_EXTERNAL_PG = (
    f"INSERT INTO external_letters ({', '.join(_EXTERNAL_COLUMNS)})"
    f" VALUES ({', '.join(f'%({name})s' for name in _EXTERNAL_COLUMNS)})"
)


class LetterRecords:
    """Letterheads, logos, external letters and letter status, within one transaction.

    With a PostgreSQL command's `writes` an external letter's row is held for the command's
    commit (`db.command_writes`).
    """

    def __init__(self, session: Session, writes: CommandWrites | None = None) -> None:
        self.session = session
        self.writes = writes

    # --- letterheads ------------------------------------------------------------------------

    def letterhead(self, institution_code: str) -> dict[str, Any] | None:
        row = self.session.get(LetterheadRow, institution_code)
        if row is None:
            return None
        return {
            "kop_lines": list(row.kop_lines),
            "head_kop": row.head_kop,
            "logo_sha256": row.logo_sha256,
        }

    def save_letterhead(
        self,
        institution_code: str,
        kop_lines: list[str],
        head_kop: str | None,
        logo_sha256: str | None,
        by: str,
        now: datetime,
    ) -> None:
        row = self.session.get(LetterheadRow, institution_code)
        if row is None:
            row = LetterheadRow(institution_code=institution_code)
            self.session.add(row)
        row.kop_lines = list(kop_lines)
        row.head_kop = head_kop
        row.logo_sha256 = logo_sha256
        row.updated_at = _utc(now)
        row.updated_by = by
        self.session.flush()

    def add_logo(self, sha256: str, media_type: str, data: bytes, now: datetime) -> None:
        if self.session.get(LetterLogoRow, sha256) is None:
            self.session.add(
                LetterLogoRow(sha256=sha256, media_type=media_type, data=data, created_at=_utc(now))
            )
            self.session.flush()

    def logo(self, sha256: str) -> tuple[str, bytes]:
        row = self.session.get(LetterLogoRow, sha256)
        if row is None:
            raise NotFound(f"Logo {sha256[:12]} tidak ditemukan")
        return row.media_type, bytes(row.data)

    # --- letters issued outside Netra -------------------------------------------------------

    def add_external(self, letter: ExternalLetter, scan: bytes | None = None) -> None:
        values = {**letter.__dict__, "recorded_at": _utc(letter.recorded_at), "scan": scan}
        if self.writes is not None:
            conflict = ConcurrencyConflict(f"Surat {letter.id} sudah dicatat")
            self.writes.hold(HeldWrite(_INSERT_EXTERNAL_PG, values, "external_letters", conflict))
            return
        self.session.add(ExternalLetterRow(**values))
        try:
            self.session.flush()
        except IntegrityError as exc:
            raise ConcurrencyConflict(f"Surat {letter.id} sudah dicatat") from exc

    def external(self, letter_id: str) -> ExternalLetter | None:
        row = self.session.get(ExternalLetterRow, letter_id)
        return None if row is None else _external(row)

    def attach_scan(self, letter_id: str, sha256: str, scan: bytes) -> ExternalLetter:
        """Keep the scan of an external letter; a scan once kept is never replaced."""
        row = self.session.get(ExternalLetterRow, letter_id, with_for_update=True)
        if row is None:
            raise NotFound(f"Surat luar '{letter_id}' tidak ditemukan")
        if row.scan_sha256 is not None:
            raise ConcurrencyConflict(f"Pindaian surat {letter_id} sudah tersimpan")
        row.scan_sha256 = sha256
        row.scan = scan
        self.session.flush()
        return _external(row)

    def externals_for_case(self, case_id: str) -> list[ExternalLetter]:
        rows = self.session.execute(
            select(ExternalLetterRow)
            .where(ExternalLetterRow.case_id == case_id)
            .order_by(ExternalLetterRow.case_seq, ExternalLetterRow.id)
        ).scalars()
        return [_external(r) for r in rows]

    # --- status of letters no longer in force -----------------------------------------------

    def set_status(self, status: LetterStatus) -> None:
        values = {**status.__dict__, "recorded_at": _utc(status.recorded_at)}
        self.session.add(LetterStatusRow(**values))
        try:
            self.session.flush()
        except IntegrityError as exc:
            raise ConcurrencyConflict(
                f"Surat {status.letter_id} sudah tidak berlaku (diralat atau dicabut)"
            ) from exc

    def status(self, letter_id: str) -> LetterStatus | None:
        row = self.session.get(LetterStatusRow, letter_id)
        if row is None:
            return None
        return LetterStatus(
            letter_id=row.letter_id,
            status=row.status,
            by_letter_id=row.by_letter_id,
            reason=row.reason,
            case_seq=row.case_seq,
            recorded_at=_utc(row.recorded_at),
        )
