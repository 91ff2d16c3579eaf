"""The registry: institutions, officers, calendar overrides and database-wide settings,
the registry's hash-chained history of every change to them (issue 11), and the reference
version that lets commands cache them while unchanged.

No `from __future__ import annotations` here (see the package docstring): the
`Mapped[...]` annotations are evaluated as the classes are built."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.schema.base import Base, Instant, JsonType


class InstitutionRow(Base):
    """A Bawaslu office, BKN, or a PPK's government (with its BKPSDM): letterhead and numbering."""

    __tablename__ = "institutions"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # bawaslu | bkn | ppk
    name: Mapped[str] = mapped_column(String(200))
    parent_name: Mapped[str | None] = mapped_column(String(200))
    region_code: Mapped[str | None] = mapped_column(String(8))
    city: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(100))
    website: Mapped[str | None] = mapped_column(String(100))
    head_title: Mapped[str] = mapped_column(String(200))
    head_name: Mapped[str] = mapped_column(String(200))
    head_nip: Mapped[str | None] = mapped_column(String(18))
    letter_number_format: Mapped[str] = mapped_column(String(200))


class OfficerRow(Base):
    """A user of Netra: a Bawaslu officer, BKN analyst, BKPSDM/PPK staff, auditor or admin."""

    __tablename__ = "officers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    institution_code: Mapped[str] = mapped_column(ForeignKey("institutions.code"))
    title: Mapped[str] = mapped_column(String(200))
    nip: Mapped[str | None] = mapped_column(String(18))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    email: Mapped[str | None] = mapped_column(String(200))
    notify: Mapped[str] = mapped_column(String(8), default="none")  # email | none


class CalendarOverrideRow(Base):
    """An administrator's holiday (cuti bersama decree, regional day) or working-day override."""

    __tablename__ = "calendar_overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str | None] = mapped_column(String(8))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(Instant)

    __table_args__ = (UniqueConstraint("day", "region_code", name="uq_calendar_day_region"),)


class RegistryEventRow(Base):
    """The registry's history: every change to officers, institutions, tokens, calendar
    overrides and settings, append-only and hash-chained like a case."""

    __tablename__ = "registry_events"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    event_type: Mapped[str] = mapped_column(String(48))
    actor_id: Mapped[str] = mapped_column(String(64))
    operator_id: Mapped[str | None] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(Instant)
    payload: Mapped[dict[str, Any]] = mapped_column(JsonType)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class SettingRow(Base):
    """Database-wide settings (e.g. whether fixed clocks are allowed), changed only through
    registry events."""

    __tablename__ = "netra_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class ReferenceVersionRow(Base):
    """One row: bumped by triggers on every change to officers, institutions, calendar
    overrides and settings; commands cache that reference data while it is unchanged."""

    __tablename__ = "reference_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger)
