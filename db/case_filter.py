"""What a case list asks for: the reader's scope (the policy's SQL twin) and the filters.

Plain values, no SQL: the policy (cases/policy.py) builds a ReadScope and the queries a
CaseFilter without importing the repository that turns them into SQL
(db/case_repository.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ReadScope:
    """The cases one reader may see, as SQL (the policy's twin for lists); empty = all.

    A Bawaslu office sees its own cases and those of its territory (region code, province
    prefix); a PPK the cases addressed to it; `nothing` a reader who may see none.
    """

    bawaslu_office: str | None = None
    territory: str | None = None
    ppk_institution: str | None = None
    nothing: bool = False


@dataclass(frozen=True)
class CaseFilter:
    """Filters for listing cases; None means no filter."""

    state: str | None = None
    region_code: str | None = None
    bawaslu_office: str | None = None
    ppk_institution: str | None = None
    terlapor_nip: str | None = None
    violation_code: str | None = None
    overdue_at: datetime | None = None  # open cases whose deadline passed by this instant
    is_open: bool | None = None
    opened_from: datetime | None = None
    opened_to: datetime | None = None
    election_type: str | None = None
    search: str | None = None  # case id, NIP, terlapor name or words of the summary
    scope: ReadScope = ReadScope()
