"""Institutions, officers and calendar overrides: the reference data commands look up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from db import lookups
from db.core_rows import CoreRows
from db.reference_cache import SharedReference
from db.registry_records import INSTITUTION_FIELDS, OFFICER_FIELDS
from db.registry_records import Institution as Institution
from db.registry_records import Officer as Officer
from db.schema import CalendarOverrideRow, InstitutionRow, OfficerRow, SettingRow, table_of
from rules.calendar import CalendarOverride, OverrideKind
from rules.errors import InvalidInput, NotFound
from rules.roles import Role

_INSTITUTIONS = table_of(InstitutionRow)
_OFFICERS = table_of(OfficerRow)


class Registry:
    """Reference data for one transaction; each row is read at most once per transaction.

    In a command transaction `shared` is the process's reference data at the version the
    command read (db.reference_cache): rows found there are not read again, rows read are
    added to it. Writing reference data drops it for the rest of the transaction.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.shared: SharedReference | None = None
        self._institutions: dict[str, Institution] = {}
        self._officers: dict[str, Officer] = {}

    def _writing(self) -> None:
        self.shared = None

    # --- institutions --------------------------------------------------------------------

    def institution(self, code: str) -> Institution:
        cached = self._institutions.get(code)
        if cached is not None:
            return cached
        shared = self.shared
        if shared is not None and code in shared.institutions:
            institution: Institution = shared.institutions[code]
            self._institutions[code] = institution
            return institution
        institution = lookups.institution(CoreRows(self.session.connection()), code)
        self._institutions[code] = institution
        if shared is not None:
            shared.institutions[code] = institution
        return institution

    def institutions(self, kind: str | None = None) -> list[Institution]:
        query = select(InstitutionRow).order_by(InstitutionRow.code)
        if kind:
            query = query.where(InstitutionRow.kind == kind)
        rows = self.session.execute(query).scalars()
        return [Institution(**{f: getattr(r, f) for f in INSTITUTION_FIELDS}) for r in rows]

    def add_institution(self, institution: Institution) -> None:
        self._writing()
        if self.session.get(InstitutionRow, institution.code) is not None:
            raise InvalidInput(f"Instansi '{institution.code}' sudah terdaftar")
        self.session.execute(insert(InstitutionRow).values(**institution.__dict__))

    def letterhead(
        self, code: str, read: Callable[[], dict[str, Any] | None]
    ) -> dict[str, Any] | None:
        """An institution's stored letterhead (`read` fetches it), once per reference version
        in a command transaction; each caller gets its own copy."""
        shared = self.shared
        if shared is None:
            return read()
        if code not in shared.letterheads:
            shared.letterheads[code] = read()
        found = shared.letterheads[code]
        return orjson.loads(orjson.dumps(found)) if found is not None else None

    def update_institution(self, institution: Institution) -> None:
        """Write an institution's current values (the caller records the registry event)."""
        self._writing()
        self._institutions.pop(institution.code, None)
        values = dict(institution.__dict__)
        values.pop("code")
        self.session.connection().execute(
            update(_INSTITUTIONS).where(_INSTITUTIONS.c.code == institution.code).values(**values)
        )

    # --- officers ------------------------------------------------------------------------

    def officer(self, officer_id: str) -> Officer:
        cached = self._officers.get(officer_id)
        if cached is not None:
            return cached
        shared = self.shared
        if shared is not None and officer_id in shared.officers:
            found: Officer = shared.officers[officer_id]
            self._officers[officer_id] = found
            return found
        officer = lookups.officer(CoreRows(self.session.connection()), officer_id)
        self._officers[officer_id] = officer
        if shared is not None:
            shared.officers[officer_id] = officer
        return officer

    def officers(self) -> list[Officer]:
        rows = self.session.execute(select(OfficerRow).order_by(OfficerRow.id)).scalars()
        return [
            Officer(**{f: getattr(r, f) for f in OFFICER_FIELDS if f != "role"}, role=Role(r.role))
            for r in rows
        ]

    def update_officer(self, officer: Officer) -> None:
        """Write an officer's current values (the caller records the registry event)."""
        self._writing()
        self._officers.pop(officer.id, None)
        values = {**officer.__dict__, "role": officer.role.value}
        values.pop("id")
        self.session.connection().execute(
            update(_OFFICERS).where(_OFFICERS.c.id == officer.id).values(**values)
        )

    def has_officers(self) -> bool:
        return (
            self.session.connection().execute(select(_OFFICERS.c.id).limit(1)).first() is not None
        )

    def add_officer(self, officer: Officer) -> None:
        self._writing()
        if self.session.get(OfficerRow, officer.id) is not None:
            raise InvalidInput(f"Petugas '{officer.id}' sudah terdaftar")
        self.institution(officer.institution_code)
        values = {**officer.__dict__, "role": officer.role.value}
        self.session.execute(insert(OfficerRow).values(**values))

    # --- settings ------------------------------------------------------------------------

    def set_setting(self, key: str, value: str) -> None:
        self._writing()
        table = table_of(SettingRow)
        connection = self.session.connection()
        changed = connection.execute(update(table).where(table.c.key == key).values(value=value))
        if changed.rowcount == 0:
            connection.execute(insert(table).values(key=key, value=value))

    def settings(self) -> dict[str, str]:
        table = table_of(SettingRow)
        rows = self.session.connection().execute(select(table.c.key, table.c.value))
        return {str(key): str(value) for key, value in rows}

    # --- calendar ------------------------------------------------------------------------

    def calendar_overrides(self) -> list[CalendarOverride]:
        shared = self.shared
        if shared is not None and shared.calendar is not None:
            return list(shared.calendar)
        table = table_of(CalendarOverrideRow)
        rows = self.session.connection().execute(
            select(table.c.day, table.c.kind, table.c.name, table.c.region_code).order_by(
                table.c.day
            )
        )
        overrides = [
            CalendarOverride(day, OverrideKind(kind), name, region)
            for day, kind, name, region in rows
        ]
        if shared is not None:
            shared.calendar = list(overrides)
        return overrides

    def add_calendar_override(
        self, override: CalendarOverride, created_by: str, created_at: datetime
    ) -> None:
        self._writing()
        exists = self.session.execute(
            select(CalendarOverrideRow.id).where(
                CalendarOverrideRow.day == override.day,
                CalendarOverrideRow.region_code.is_(None)
                if override.region_code is None
                else CalendarOverrideRow.region_code == override.region_code,
            )
        ).first()
        if exists:
            raise InvalidInput(
                f"Tanggal {override.day} sudah memiliki koreksi kalender"
                + (f" untuk wilayah {override.region_code}" if override.region_code else "")
            )
        self.session.execute(
            insert(CalendarOverrideRow).values(
                day=override.day,
                kind=override.kind.value,
                name=override.name,
                region_code=override.region_code,
                created_by=created_by,
                created_at=created_at,
            )
        )

    def remove_calendar_override(self, day: date, region_code: str | None) -> None:
        self._writing()
        result = self.session.execute(
            delete(CalendarOverrideRow).where(
                CalendarOverrideRow.day == day,
                CalendarOverrideRow.region_code.is_(None)
                if region_code is None
                else CalendarOverrideRow.region_code == region_code,
            )
        )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise NotFound(f"Tidak ada koreksi kalender pada {day}")
