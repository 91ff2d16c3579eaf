"""Request bodies of the REST API (pydantic); answers are the services' own dictionaries."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

SHORT = 200
LONG = 4000


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TerlaporIn(_Body):
    nip: str = Field(max_length=40)
    name: str = Field(max_length=SHORT)
    position: str = Field("", max_length=SHORT)
    unit: str = Field("", max_length=SHORT)
    agency: str = Field("", max_length=SHORT)
    rank: str = Field("", max_length=SHORT)


class ReporterIn(_Body):
    name: str = Field(max_length=SHORT)
    address: str = Field("", max_length=SHORT)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=SHORT)


class OpenCaseIn(_Body):
    """A laporan or temuan; instants are local time of the region unless they carry an offset."""

    channel: str = Field(max_length=16, examples=["laporan"])
    election_type: str = Field(max_length=16, examples=["pilkada"])
    region_code: str = Field(max_length=16, examples=["35.75"])
    received_at: str = Field(max_length=40)
    known_at: str = Field(max_length=40)
    incident_at: str = Field(max_length=40)
    incident_place: str = Field(max_length=SHORT)
    summary: str = Field(max_length=LONG)
    violation_codes: list[str] = Field(min_length=1, max_length=20)
    terlapor: TerlaporIn
    reporter: ReporterIn | None = None
    after_determination: bool = False


class StepIn(_Body):
    """The step's data fields by name (see GET /cases/{id}/steps)."""

    data: dict[str, Any] = Field(default_factory=dict)


class NoteIn(_Body):
    text: str = Field(min_length=1, max_length=LONG)


class ReassignIn(_Body):
    assignee: str = Field(min_length=1, max_length=64)


class ExportIn(_Body):
    case_ids: list[str] = Field(min_length=1, max_length=1000)
    with_pdf: bool = False


class WithdrawIn(_Body):
    reason: str = Field(min_length=1, max_length=LONG)


class ReasonIn(_Body):
    reason: str = Field(min_length=1, max_length=LONG)


class ExtendIn(_Body):
    new_due_on: str = Field(max_length=10, examples=["2024-12-31"])
    reason: str = Field(min_length=1, max_length=LONG)


class DuplicateLinkIn(_Body):
    duplicate_of: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=LONG)


class InstitutionIn(_Body):
    """An institution's registry entry (code and kind cannot change once registered)."""

    code: str = Field(min_length=1, max_length=64)
    kind: str = Field(max_length=16, examples=["ppk"])
    name: str = Field(max_length=SHORT)
    parent_name: str | None = Field(None, max_length=SHORT)
    region_code: str | None = Field(None, max_length=16)
    city: str = Field(max_length=SHORT)
    address: str = Field(max_length=SHORT)
    phone: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=SHORT)
    website: str | None = Field(None, max_length=SHORT)
    head_title: str = Field(max_length=SHORT)
    head_name: str = Field(max_length=SHORT)
    head_nip: str | None = Field(None, max_length=40)
    letter_number_format: str = Field(max_length=SHORT, examples=["{serial:03d}/{year}"])
    reason: str = Field("", max_length=SHORT)


class OfficerIn(_Body):
    id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=SHORT)
    role: str = Field(max_length=16, examples=["bawaslu"])
    institution: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1, max_length=SHORT)
    nip: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=SHORT)
    notify: str = Field("none", max_length=8)


class OfficerChangeIn(_Body):
    role: str | None = Field(None, max_length=16)
    institution: str | None = Field(None, max_length=64)
    title: str | None = Field(None, max_length=SHORT)
    email: str | None = Field(None, max_length=SHORT)
    notify: str | None = Field(None, max_length=8)
    active: bool | None = None
    reason: str = Field("", max_length=SHORT)


class TokenIn(_Body):
    name: str = Field(min_length=1, max_length=100)
    days: int = Field(ge=1, le=366)
    officer: str | None = Field(None, max_length=64)


class CalendarOverrideIn(_Body):
    day: str = Field(max_length=10, examples=["2026-12-24"])
    name: str = Field(min_length=1, max_length=SHORT)
    working_day: bool = False
    region_code: str | None = Field(None, max_length=16)
