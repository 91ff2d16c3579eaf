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
