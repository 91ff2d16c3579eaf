"""The import register: which rows of which report file (by SHA-256) were already imported."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from db.schema import ImportRowRow, table_of

_IMPORT_ROWS = table_of(ImportRowRow)


class ImportRegister:
    """Rows of `import_rows` inside the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def imported(self, file_sha256: str) -> dict[int, tuple[str, str | None]]:
        """Row number -> (outcome, case id) for a file imported before."""
        query = select(ImportRowRow.row_number, ImportRowRow.outcome, ImportRowRow.case_id).where(
            ImportRowRow.file_sha256 == file_sha256
        )
        return {int(n): (str(o), c) for n, o, c in self.session.execute(query)}

    def record(
        self,
        file_sha256: str,
        file_name: str,
        officer_id: str,
        at: datetime,
        rows: Sequence[tuple[int, str, str | None]],
    ) -> None:
        """Record (row number, outcome, case id) rows; one statement."""
        if not rows:
            return
        values: list[dict[str, Any]] = [
            {
                "file_sha256": file_sha256,
                "row_number": number,
                "outcome": outcome,
                "case_id": case_id,
                "file_name": file_name[:255],
                "imported_by": officer_id,
                "imported_at": at.astimezone(UTC),
            }
            for number, outcome, case_id in rows
        ]
        self.session.execute(insert(_IMPORT_ROWS), values)


def cases_of_terlapor(session: Session, nips: Sequence[str], batch: int = 1000) -> list[Any]:
    """Snapshots of every case whose terlapor has one of `nips` (for duplicate checks)."""
    from db.schema import CaseRow, CaseSearchRow

    unique = sorted(set(nips))
    snapshots: list[Any] = []
    for start in range(0, len(unique), batch):
        chunk = unique[start : start + batch]
        query = (
            select(CaseRow.snapshot)
            .join(CaseSearchRow, CaseSearchRow.case_id == CaseRow.id)
            .where(CaseSearchRow.terlapor_nip.in_(chunk))
        )
        snapshots += [row[0] for row in session.execute(query)]
    return snapshots


def add_cases(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert new case projections in one statement (the import's batch)."""
    from db.schema import CaseRow

    if rows:
        session.connection().execute(insert(table_of(CaseRow)), list(rows))
