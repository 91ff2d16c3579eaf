"""Test helpers: a fresh case through the public services, and a byte-level database dump."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Engine

from cases.commands import NewCase, Reporter, Terlapor, advance, open_case
from db.unit_of_work import UnitOfWork
from states.case import Case

KEDIRI_OFFICER = "bawaslu.kediri"


def kediri_laporan(**changes: Any) -> NewCase:
    values: dict[str, Any] = {
        "channel": "laporan",
        "election_type": "pilkada",
        "region_code": "35.71",
        "received_at": "2024-11-18T09:00",
        "known_at": "2024-11-15T08:00",
        "incident_at": "2024-11-14T19:00",
        "incident_place": "Kelurahan Bandar",
        "summary": "Terlapor membagikan unggahan pasangan calon di grup pemenangan.",
        "violation_codes": ["NET-05"],
        "terlapor": Terlapor(
            "199001012015031002", "Budi Santoso", "Staf", "Kecamatan Kota", "Pemerintah Kota Kediri"
        ),
        "reporter": Reporter("Warga Pelapor", "Jalan Dhoho 1, Kediri", "0811", "w@example.org"),
        "after_determination": True,
    }
    values.update(changes)
    return NewCase(**values)


def open_kediri(uow: UnitOfWork, now: datetime, case_id: str = "T-1", **changes: Any) -> Case:
    return open_case(uow, KEDIRI_OFFICER, kediri_laporan(**changes), now, case_id=case_id)


def step(uow: UnitOfWork, who: str, case_id: str, trigger: str, now: datetime, **data: Any) -> Case:
    return advance(uow, who, case_id, trigger, data, now)


def database_dump(engine: Engine) -> str:
    """Every row of every table, ordered — equal dumps mean nothing was written."""
    lines: list[str] = []
    with engine.connect() as connection:
        for table in sorted(inspect(connection).get_table_names()):
            rows = connection.execute(text(f'SELECT * FROM "{table}"')).all()
            lines.append(f"## {table} ({len(rows)})")
            lines.extend(sorted(repr(tuple(row)) for row in rows))
    return "\n".join(lines)


def sqlite_file_digest(engine: Engine) -> str | None:
    """On SQLite, the database file's SHA-256 (byte-for-byte comparison)."""
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return None
    engine.dispose()
    with open(engine.url.database, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def count_events(engine: Engine, case_id: str) -> int:
    from db.schema import CaseEventRow

    with engine.connect() as connection:
        rows = connection.execute(
            select(CaseEventRow.seq).where(CaseEventRow.case_id == case_id)
        ).all()
    return len(rows)
