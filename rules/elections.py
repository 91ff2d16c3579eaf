"""Election schedules as data (`rules/data/<version>/elections.yaml`): for each election, when
its candidates were determined (penetapan calon / pasangan calon), nationally and per region.

Whether an act happened before or after penetapan calon decides if the SKB 2022 annex treats
it as an ethics matter (bakal calon) or a discipline matter (calon); Netra derives it from
this schedule when a case is opened instead of from a default flag.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from rules.errors import RuleSetError
from rules.models import Citation, ElectionType

ELECTIONS_FILE = "elections.yaml"
REGION_PREFIX = re.compile(r"^\d{2}(\.\d{2})?$")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RegionOverride(_Frozen):
    """A province (`NN`) or kabupaten/kota (`NN.NN`) whose candidates were determined on
    another day than the national schedule (e.g. a postponed or repeated election)."""

    region: str = Field(pattern=REGION_PREFIX.pattern)
    candidate_determination: date
    citation: Citation


class Election(_Frozen):
    """One election cycle: its stages' span and the day its candidates were determined."""

    code: str = Field(pattern=r"^[a-z0-9_]+$")
    election_type: ElectionType
    title: str
    period_start: date  # first day of the tahapan (schedule decree)
    period_end: date  # last day the cycle's neutrality rules are applied by Netra
    candidate_determination: date
    citation: Citation
    overrides: list[RegionOverride] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates_in_order(self) -> Election:
        if not self.period_start <= self.candidate_determination <= self.period_end:
            raise ValueError(
                f"{self.code}: penetapan calon {self.candidate_determination} di luar "
                f"{self.period_start}..{self.period_end}"
            )
        for override in self.overrides:
            if not self.period_start <= override.candidate_determination <= self.period_end:
                raise ValueError(f"{self.code}: override {override.region} di luar periode")
        regions = [o.region for o in self.overrides]
        if len(regions) != len(set(regions)):
            raise ValueError(f"{self.code}: wilayah override ganda")
        return self


class ElectionBook(_Frozen):
    version: str
    source: str
    elections: list[Election]


@dataclass(frozen=True)
class Determination:
    """Whether an act on `on` was after penetapan calon, and the schedule entry that says so."""

    after: bool
    election: str
    determined_on: date
    citation: str
    region_override: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "after_determination": self.after,
            "election": self.election,
            "determined_on": self.determined_on.isoformat(),
            "citation": self.citation,
            "region_override": self.region_override,
        }


@dataclass(frozen=True)
class ElectionSchedule:
    """The validated schedule of one rule-set version."""

    book: ElectionBook

    def determination(
        self, election_type: ElectionType | str, region_code: str, on: date
    ) -> Determination | None:
        """The determination in force for an act on `on` (local date) in `region_code`;
        None when no known election of that type covers the day.

        An act on the day of penetapan itself counts as after it (the decree is dated that
        day); a kabupaten/kota override wins over its province's, which wins over the
        national date.
        """
        kind = ElectionType(election_type)
        for election in self.book.elections:
            if election.election_type is not kind:
                continue
            if not election.period_start <= on <= election.period_end:
                continue
            chosen = _override_for(election, region_code)
            day = chosen.candidate_determination if chosen else election.candidate_determination
            citation = chosen.citation.text if chosen else election.citation.text
            return Determination(
                after=on >= day,
                election=election.code,
                determined_on=day,
                citation=citation,
                region_override=chosen.region if chosen else None,
            )
        return None


def _override_for(election: Election, region_code: str) -> RegionOverride | None:
    by_region = {o.region: o for o in election.overrides}
    return by_region.get(region_code) or by_region.get(region_code[:2])


def parse_elections(raw: bytes, version: str) -> ElectionSchedule:
    """Validate an elections.yaml; periods of one election type must not overlap."""
    try:
        book = ElectionBook.model_validate(yaml.safe_load(raw))
    except (yaml.YAMLError, ValidationError) as exc:
        raise RuleSetError(
            f"Berkas aturan {ELECTIONS_FILE} ({version}) tidak valid: {exc}"
        ) from exc
    if book.version != version:
        raise RuleSetError(f"{ELECTIONS_FILE} menyebut versi {book.version}, folder {version}")
    codes = [e.code for e in book.elections]
    if len(codes) != len(set(codes)):
        raise RuleSetError(f"{ELECTIONS_FILE}: kode pemilihan ganda")
    for kind in ElectionType:
        spans = sorted(
            (e.period_start, e.period_end, e.code)
            for e in book.elections
            if e.election_type is kind
        )
        for (_, end, first), (start, _, second) in itertools.pairwise(spans):
            if start <= end:
                raise RuleSetError(f"{ELECTIONS_FILE}: periode {first} dan {second} bertumpuk")
    return ElectionSchedule(book)


@cache
def load_elections(version: str) -> ElectionSchedule:
    """The election schedule shipped with a rule-set version (cached: rule data is immutable)."""
    path = resources.files("rules").joinpath("data", version, ELECTIONS_FILE)
    if not path.is_file():
        raise RuleSetError(f"Aturan {version} tidak memiliki {ELECTIONS_FILE}")
    return parse_elections(path.read_bytes(), version)
