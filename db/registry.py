"""Institutions, officers and calendar overrides: the reference data commands look up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from db.schema import CalendarOverrideRow, InstitutionRow, OfficerRow, SettingRow, table_of
from rules.calendar import CalendarOverride, OverrideKind
from rules.errors import InvalidInput, NotFound
from rules.models import Role


@dataclass(frozen=True)
class Institution:
    code: str
    kind: str
    name: str
    parent_name: str | None
    region_code: str | None
    city: str
    address: str
    phone: str | None
    email: str | None
    website: str | None
    head_title: str
    head_name: str
    head_nip: str | None
    letter_number_format: str


@dataclass(frozen=True)
class Officer:
    id: str
    name: str
    role: Role
    institution_code: str
    title: str
    nip: str | None
    active: bool = True
    email: str | None = None
    notify: str = "none"  # email | none: how the officer receives deadline notices


_INSTITUTION_FIELDS = tuple(Institution.__dataclass_fields__)
_OFFICER_FIELDS = tuple(Officer.__dataclass_fields__)


_INSTITUTIONS = table_of(InstitutionRow)
_OFFICERS = table_of(OfficerRow)
_INSTITUTION_COLUMNS = [_INSTITUTIONS.c[name] for name in _INSTITUTION_FIELDS]
_OFFICER_COLUMNS = [_OFFICERS.c[name] for name in _OFFICER_FIELDS]


class Registry:
    """Reference data for one transaction; each row is read at most once per transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._institutions: dict[str, Institution] = {}
        self._officers: dict[str, Officer] = {}

    # --- institutions --------------------------------------------------------------------

    def institution(self, code: str) -> Institution:
        cached = self._institutions.get(code)
        if cached is not None:
            return cached
        row = (
            self.session.connection()
            .execute(select(*_INSTITUTION_COLUMNS).where(_INSTITUTIONS.c.code == code))
            .first()
        )
        if row is None:
            raise NotFound(f"Instansi '{code}' tidak terdaftar")
        institution = Institution(*row)
        self._institutions[code] = institution
        return institution

    def institutions(self, kind: str | None = None) -> list[Institution]:
        query = select(InstitutionRow).order_by(InstitutionRow.code)
        if kind:
            query = query.where(InstitutionRow.kind == kind)
        rows = self.session.execute(query).scalars()
        return [Institution(**{f: getattr(r, f) for f in _INSTITUTION_FIELDS}) for r in rows]

    def add_institution(self, institution: Institution) -> None:
        if self.session.get(InstitutionRow, institution.code) is not None:
            raise InvalidInput(f"Instansi '{institution.code}' sudah terdaftar")
        self.session.execute(insert(InstitutionRow).values(**institution.__dict__))

    def update_institution(self, institution: Institution) -> None:
        """Write an institution's current values (the caller records the registry event)."""
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
        row = (
            self.session.connection()
            .execute(select(*_OFFICER_COLUMNS).where(_OFFICERS.c.id == officer_id))
            .first()
        )
        if row is None:
            raise NotFound(f"Petugas '{officer_id}' tidak terdaftar")
        values = dict(zip(_OFFICER_FIELDS, row, strict=True))
        officer = Officer(**{**values, "role": Role(values["role"])})
        self._officers[officer_id] = officer
        return officer

    def officers(self) -> list[Officer]:
        rows = self.session.execute(select(OfficerRow).order_by(OfficerRow.id)).scalars()
        return [
            Officer(**{f: getattr(r, f) for f in _OFFICER_FIELDS if f != "role"}, role=Role(r.role))
            for r in rows
        ]

    def update_officer(self, officer: Officer) -> None:
        """Write an officer's current values (the caller records the registry event)."""
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
        if self.session.get(OfficerRow, officer.id) is not None:
            raise InvalidInput(f"Petugas '{officer.id}' sudah terdaftar")
        self.institution(officer.institution_code)
        values = {**officer.__dict__, "role": officer.role.value}
        self.session.execute(insert(OfficerRow).values(**values))

    # --- settings ------------------------------------------------------------------------

    def set_setting(self, key: str, value: str) -> None:
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
        table = table_of(CalendarOverrideRow)
        rows = self.session.connection().execute(
            select(table.c.day, table.c.kind, table.c.name, table.c.region_code).order_by(
                table.c.day
            )
        )
        return [
            CalendarOverride(day, OverrideKind(kind), name, region)
            for day, kind, name, region in rows
        ]

    def add_calendar_override(
        self, override: CalendarOverride, created_by: str, created_at: datetime
    ) -> None:
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
