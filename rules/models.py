"""Typed, validated shapes of the rule-set data files (violations, sanctions, deadlines, lifecycle)."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from rules.roles import Role as Role  # re-exported: the rule data names roles


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DayType(StrEnum):
    """Whether a period counts every calendar day or only Indonesian working days."""

    CALENDAR = "calendar"
    WORKING = "working"


class ElectionType(StrEnum):
    """Pemilu (UU 7/2017) or Pilkada (UU 1/2015 as amended by UU 10/2016): deadlines differ."""

    PEMILU = "pemilu"
    PILKADA = "pilkada"


class Channel(StrEnum):
    """How Bawaslu learnt of the act: a citizen's laporan or its own temuan."""

    LAPORAN = "laporan"
    TEMUAN = "temuan"


class Period(_Frozen):
    """A number of days of one type, e.g. 14 working days."""

    days: int = Field(ge=0, le=365)
    day_type: DayType


class Citation(_Frozen):
    """A legal citation with how sure we are of it (`checked: <url>` or `verify: <why>`)."""

    text: str = Field(min_length=3)
    source: str = Field(min_length=3)


# --- violations -------------------------------------------------------------------------------


class Matter(StrEnum):
    ETIK = "etik"
    DISIPLIN = "disiplin"


class ViolationStage(_Frozen):
    """How an act is classified in one period (before or after penetapan calon)."""

    matter: Matter
    # None: the law sets no level for this act at this stage (e.g. "ikut kampanye", PP 94/2021
    # Pasal 5 huruf n angka 1 has no level in Pasal 12-14): BKN chooses and records its basis.
    sanction_category: str | None
    citation: str
    annex_row: str | None = Field(default=None, pattern=r"^[AB]\.\d{1,2}$")


def annex_citation(row: str) -> str:
    """Annex row "B.8" as letters cite it: "Lampiran SKB 2022 huruf B angka 8"."""
    letter, number = row.split(".")
    return f"Lampiran SKB 2022 huruf {letter} angka {number}"


class Violation(_Frozen):
    """One kind of act listed in the SKB 2022 annex."""

    code: str = Field(pattern=r"^NET-\d{2}$")
    title: str
    short_title: str = Field(min_length=3, max_length=70)
    description: str
    before_determination: ViolationStage | None = None
    after_determination: ViolationStage | None = None
    source: str

    def stage(self, after_determination: bool) -> ViolationStage | None:
        return self.after_determination if after_determination else self.before_determination

    @property
    def annex_rows(self) -> list[str]:
        """The annex rows this entry covers (A: kode etik, B: disiplin), in stage order."""
        stages = (self.before_determination, self.after_determination)
        return [s.annex_row for s in stages if s is not None and s.annex_row is not None]


class ViolationCatalog(_Frozen):
    version: str
    source: str
    violations: list[Violation]


# --- sanctions --------------------------------------------------------------------------------


class SanctionCategory(_Frozen):
    """A level of sanction (sanksi moral, hukuman disiplin sedang/berat, pemberhentian)."""

    code: str
    name: str
    matter: Matter
    severity: int = Field(ge=1, le=9)
    # a tim pemeriksa must be appointed when the examination is ordered (PP 94/2021: berat)
    requires_examination_team: bool = False
    citation: Citation


class Sanction(_Frozen):
    """A concrete form of sanction that a decree (SK) imposes."""

    code: str
    category: str
    name: str
    description: str
    duration_months: int | None = None
    requires_examination_team: bool = False
    # PP 79/2021 Pasal 1 angka 4-5: keberatan against every PPK decision but dismissal,
    # banding administratif to BPASN only against dismissal (PDHTAPS, PTDH)
    objection: Literal["none", "keberatan", "banding"]
    # PTDH for party membership takes effect at the end of the month the ASN joined the party
    effective_from_party_entry: bool = False
    citation: Citation


class SanctionCatalog(_Frozen):
    version: str
    categories: list[SanctionCategory]
    sanctions: list[Sanction]


# --- lifecycle --------------------------------------------------------------------------------


class StateSpec(_Frozen):
    """One state of the case lifecycle."""

    name: str = Field(pattern=r"^[a-z_]+$")
    stage: Literal["bawaslu", "bkn", "ppk", "closed"]
    label: str
    terminal: bool = False


class TransitionSpec(_Frozen):
    """One step an officer (or the system) may take, with its guards and required data."""

    trigger: str = Field(pattern=r"^[a-z_]+$")
    sources: list[str] = Field(min_length=1)
    dest: str
    roles: list[Role] = Field(min_length=1)
    event: str = Field(pattern=r"^[a-z_]+$")
    label: str
    required: list[str] = Field(default_factory=list)
    optional: list[str] = Field(default_factory=list)  # data the step accepts besides `required`
    guards: list[str] = Field(default_factory=list)
    when: str | None = None  # branch selector when one trigger has several outcomes
    letters: list[str] = Field(default_factory=list)
    keeps_deadline: bool = False  # a correction within the state: the running deadline goes on
    lifts_siasn_block: bool = False  # the PPK's follow-up: a SIASN block, if any, is lifted
    citation: Citation
    # The step's basis per election type where Pemilu and Pilkada law differ (Bawaslu's
    # steps): letters of a Pilkada case cite Pilkada law, of a Pemilu case Pemilu law.
    citations: dict[ElectionType, Citation] = Field(default_factory=dict)

    def citation_for(self, election_type: ElectionType | str) -> Citation:
        """The basis a letter of a case of `election_type` cites for this step."""
        return self.citations.get(ElectionType(election_type), self.citation)


class Lifecycle(_Frozen):
    initial: str
    states: list[StateSpec]
    transitions: list[TransitionSpec]


# --- deadlines --------------------------------------------------------------------------------


class Anchor(StrEnum):
    """What instant a deadline counts from."""

    ENTRY = "entry"  # the instant the case entered the state
    RECEIVED = "received"  # the instant the laporan/temuan was received
    PAYLOAD_DATE = "payload_date"  # a date carried by the transition (e.g. examination date)


class OnMiss(_Frozen):
    """What the sweep does when a deadline passes."""

    escalation: str | None = None  # recorded escalation kind, e.g. "blokir_siasn"
    escalate_to: Role | None = None
    trigger: str | None = None  # a system transition fired on miss
    citation: Citation


class DeadlineVariant(_Frozen):
    """The period for one election type.

    `basis: service_level` marks a period no law sets (set by the administrator): data,
    timelines and letters present it as a service level, never as a legal deadline.
    """

    period: Period
    max_total: Period | None = None  # the latest an extension may push the due date
    anchor: Anchor | None = None  # overrides the rule's anchor for this election type
    basis: Literal["law", "service_level"] = "law"
    citation: Citation


class DeadlineRule(_Frozen):
    """Who must act in a state, by when, and what happens if they do not."""

    state: str
    owner: Role
    action: str  # what the owner must do, in Indonesian
    anchor: Anchor = Anchor.ENTRY
    anchor_field: str | None = None
    continues: bool = False  # keep the running deadline instead of setting a new one
    variants: dict[ElectionType, DeadlineVariant] = Field(default_factory=dict)
    clock_stop_allowed: bool = False
    on_miss: OnMiss | None = None


class FilingWindow(_Frozen):
    """How long after learning of an act a citizen may still report it."""

    period: Period
    citation: Citation


class DeadlineBook(_Frozen):
    version: str
    reminder_lead: Period
    filing_windows: dict[ElectionType, FilingWindow]  # laporan: from when the act became known
    finding_windows: dict[ElectionType, FilingWindow]  # temuan: declared after its discovery
    rules: list[DeadlineRule]


# --- labels ----------------------------------------------------------------------------------


class LabelBook(_Frozen):
    """`labels.yaml`: the Indonesian words an official sees for Netra's internal codes."""

    version: str
    fields: dict[str, str]  # step data field -> label
    events: dict[str, str]  # overlay event type -> label (transition events use the step label)
    roles: dict[Role, str]
    escalations: dict[str, str]  # escalation kind -> label
    matters: dict[Matter, str]


# --- legal frame: the laws cited in full and the recommending body, per rule-set version --------


class RecommendingBody(_Frozen):
    """Who examines Bawaslu's forwarding and recommends the sanction: KASN, then BKN."""

    code: Literal["kasn", "bkn"]
    name: str
    short_name: str
    head_title: str
    institution: str  # registry code of the institution whose officers act and sign
    citation: Citation


class LawTitle(Citation):
    """A law's full title and the short name a letter uses after citing it in full once."""

    short: str = Field(min_length=3)


class LegalFrame(_Frozen):
    """`legal.yaml`: what letters cite in full, so no citation lives in templates or code."""

    version: str
    recommending_body: RecommendingBody
    laws: dict[str, LawTitle]  # key -> the law's full title and short name
    party_dismissal: Citation  # the article of dismissal for party membership
    objection_notices: dict[Literal["keberatan", "banding"], Citation]  # the decree's diktum


class RuleSetManifest(_Frozen):
    """`ruleset.yaml`: identity of a rule-set version."""

    version: str
    title: str
    effective_from: str
    notes: str
