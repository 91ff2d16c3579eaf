"""Single-row lookups: an officer, an institution, an API token, a case's snapshot.

Written once as plain SQL on `Rows` (db/rows.py), so the full unit of work (through its
Session's connection) and the read-only one of short commands (db/read_unit_of_work.py, on
SQLAlchemy Core or on the sqlite3 driver) run the same statements and read the values alike.
tests/db/test_lookups.py keeps the column names equal to the schema's (db/schema/).
"""

from __future__ import annotations

from datetime import datetime

from db.identity_records import API_TOKEN_FIELDS, ApiToken, token_from_row
from db.registry_records import INSTITUTION_FIELDS, OFFICER_FIELDS, Institution, Officer
from db.rows import Rows, json_value
from rules.errors import NotFound
from rules.roles import Role
from states.case import Case

CASE_SNAPSHOT = "SELECT snapshot FROM cases WHERE id = :b_id"
OFFICER = f"SELECT {', '.join(OFFICER_FIELDS)} FROM officers WHERE id = :b_id"
INSTITUTION = f"SELECT {', '.join(INSTITUTION_FIELDS)} FROM institutions WHERE code = :b_id"
TOKEN = f"SELECT {', '.join(API_TOKEN_FIELDS)} FROM api_tokens WHERE id = :b_id"
TOUCH_TOKEN = "UPDATE api_tokens SET last_used_at = :b_now WHERE id = :b_id"


def case_snapshot(rows: Rows, case_id: str) -> Case:
    """The case as its projection's snapshot holds it."""
    row = rows.one(CASE_SNAPSHOT, {"b_id": case_id})
    snapshot = json_value(row[0]) if row is not None else None
    if snapshot is None:
        raise NotFound(f"Perkara '{case_id}' tidak ditemukan")
    return Case.from_dict(snapshot)


def officer(rows: Rows, officer_id: str) -> Officer:
    row = rows.one(OFFICER, {"b_id": officer_id})
    if row is None:
        raise NotFound(f"Petugas '{officer_id}' tidak terdaftar")
    values = dict(zip(OFFICER_FIELDS, row, strict=True))
    return Officer(**{**values, "role": Role(values["role"]), "active": bool(values["active"])})


def institution(rows: Rows, code: str) -> Institution:
    row = rows.one(INSTITUTION, {"b_id": code})
    if row is None:
        raise NotFound(f"Instansi '{code}' tidak terdaftar")
    return Institution(*row)


def token(rows: Rows, token_id: str) -> ApiToken | None:
    row = rows.one(TOKEN, {"b_id": token_id})
    if row is None:
        return None
    return token_from_row(dict(zip(API_TOKEN_FIELDS, row, strict=True)))


def touch_token(rows: Rows, token_id: str, now: datetime) -> None:
    """Record the token's last use."""
    rows.run(TOUCH_TOKEN, {"b_id": token_id, "b_now": rows.instant_param(now)})
