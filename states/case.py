"""The Case aggregate: current state rebuilt by folding a case's events with `apply`.

Folding is copy-on-write: no code changes a Case's containers (lists, dicts, the frozen
Deadline) or anything in them in place; an event handler puts a new container on the case
instead. So `copy()`, `snapshot()` and `from_dict()` share containers freely, and a copy
costs one attribute dict instead of a deep copy of the whole case.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from typing import Any

import orjson

from states import events as ev
from states.events import RecordedEvent


@dataclass(frozen=True)
class Deadline:
    """The deadline running in the current state: who must act, by when, and what happened.

    Frozen: cases that share it (a Case and its copies) never see it change; a handler
    records a change by putting a new Deadline on the case.
    """

    state: str
    owner: str
    action: str
    anchor_on: str  # ISO date the period counts from
    due_on: str  # ISO date, local to the case's region
    due_at: str  # UTC instant at which it passes
    remind_at: str | None
    max_due_on: str | None
    set_at: str
    citation: str
    reminded: bool = False
    missed: bool = False
    stopped_at: str | None = None
    extensions: int = 0
    basis: str = "law"  # or "service_level": a period set by the administrator, not by law

    @property
    def alarm_at(self) -> str | None:
        """The next instant the deadline sweep must look at this case, if any."""
        if self.stopped_at is not None or self.missed:
            return None
        if not self.reminded and self.remind_at is not None and self.remind_at < self.due_at:
            return self.remind_at
        return self.due_at

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Deadline:
        """From a snapshot's deadline (every field present: no __init__ call; else defaults)."""
        if data.keys() == _DEADLINE_KEYS:
            deadline = cls.__new__(cls)
            deadline.__dict__.update(data)
            return deadline
        return cls(**data)


@dataclass
class Case:
    """Everything known about one case, as of its last applied event. JSON-native fields only."""

    case_id: str
    rule_set: str = ""
    state: str = ""
    version: int = 0
    head_hash: str = ""
    channel: str = ""
    election_type: str = ""
    region_code: str = ""
    bawaslu_office: str = ""
    after_determination: bool = False
    received_at: str = ""
    known_at: str = ""
    incident_at: str = ""
    incident_place: str = ""
    summary: str = ""
    violation_codes: list[str] = field(default_factory=list)
    terlapor: dict[str, Any] = field(default_factory=dict)
    reporter: dict[str, Any] | None = None
    assignee: str = ""
    steps: dict[str, dict[str, Any]] = field(default_factory=dict)
    summons: list[dict[str, Any]] = field(default_factory=list)
    recommended_category: str | None = None
    ppk_institution: str | None = None
    sanction_code: str | None = None
    examination_team: list[str] = field(default_factory=list)  # the tim pemeriksa, latest
    siasn_blocked: bool = False  # BKN blocked the terlapor's SIASN data (PPK non-compliant)
    deadline: Deadline | None = None
    escalations: list[dict[str, Any]] = field(default_factory=list)
    letters: list[dict[str, Any]] = field(default_factory=list)
    notes: int = 0
    outcome: str | None = None
    opened_at: str = ""
    updated_at: str = ""
    closed_at: str | None = None

    # --- folding -----------------------------------------------------------------------

    @classmethod
    def replay(cls, case_id: str, events: Iterable[RecordedEvent]) -> Case:
        case = cls(case_id)
        for event in events:
            case.apply(event)
        return case

    def apply(self, event: RecordedEvent) -> Case:
        """Fold one recorded event into the state (pure: uses only the event)."""
        if event.seq != self.version + 1:
            raise ValueError(f"event seq {event.seq} does not follow version {self.version}")
        handler = _HANDLERS.get(event.event_type, _apply_transition)
        handler(self, event)
        self.version = event.seq
        self.head_hash = event.hash
        self.updated_at = event.occurred_text
        return self

    # --- snapshot ----------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A deep, JSON-native copy of the state, sharing nothing with the Case."""
        copied: dict[str, Any] = orjson.loads(orjson.dumps(self.snapshot()))
        return copied

    def snapshot(self) -> dict[str, Any]:
        """The state as a dict for the projection: the same JSON as `to_dict()`, sharing the
        Case's containers (nothing changes them in place)."""
        data = self.__dict__.copy()
        deadline = self.deadline
        data["deadline"] = None if deadline is None else deadline.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Case:
        """Rebuild from a snapshot, sharing its containers (nothing changes them in place).

        A snapshot with every field is adopted as it is; an older one lacking a field gets
        the field's default, and an unknown field is a TypeError, as from the constructor.
        """
        values = dict(data)
        if values.keys() == _CASE_KEYS:
            deadline = values["deadline"]
            values["deadline"] = Deadline.from_dict(deadline) if deadline else None
            case = cls.__new__(cls)
            case.__dict__.update(values)
            return case
        deadline = values.pop("deadline", None)
        case = cls(**values)
        case.deadline = Deadline.from_dict(deadline) if deadline else None
        return case

    def copy(self) -> Case:
        """A Case to fold further events into: folding it never changes this one."""
        clone = Case.__new__(Case)
        clone.__dict__.update(self.__dict__)
        return clone

    # --- reading -----------------------------------------------------------------------

    def step(self, trigger: str) -> dict[str, Any]:
        """The data recorded by the latest `trigger` step, or an empty dict."""
        return self.steps.get(trigger, {})

    @property
    def decree(self) -> dict[str, Any]:
        """The step that set the sanction decree: a discipline decree or an ethics decision."""
        return self.step("decide_ethics") or self.step("impose_sanction")

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def redacted(self) -> Case:
        """A copy without the reporter's identity, for anyone outside Bawaslu."""
        clone = self.copy()
        if clone.reporter is not None:
            clone.reporter = {"redacted": True}
        return clone


# --- handlers ------------------------------------------------------------------------------


def _apply_opened(case: Case, event: RecordedEvent) -> None:
    p = event.payload
    case.rule_set = event.rule_set
    case.state = p["state"]
    case.channel = p["channel"]
    case.election_type = p["election_type"]
    case.region_code = p["region_code"]
    case.bawaslu_office = p["bawaslu_office"]
    case.after_determination = p["after_determination"]
    case.received_at = p["received_at"]
    case.known_at = p["known_at"]
    case.incident_at = p["incident_at"]
    case.incident_place = p["incident_place"]
    case.summary = p["summary"]
    case.violation_codes = list(p["violation_codes"])
    case.terlapor = dict(p["terlapor"])
    case.reporter = dict(p["reporter"]) if p.get("reporter") else None
    case.assignee = p["assignee"]
    case.opened_at = event.occurred_text


def _apply_transition(case: Case, event: RecordedEvent) -> None:
    p = event.payload
    trigger, data = p["trigger"], dict(p["data"])
    case.state = p["to"]
    case.steps = {**case.steps, trigger: data}
    if trigger in ("summon", "second_summons"):
        case.summons = [*case.summons, {**data, "issued_at": event.occurred_text}]
    if "violation_codes" in data:
        case.violation_codes = list(data["violation_codes"])
    if trigger == "bkn_recommend":
        case.recommended_category = data["sanction_category"]
        case.ppk_institution = data["ppk_institution"]
    if data.get("examination_team"):
        case.examination_team = list(data["examination_team"])
    if trigger == "escalate_ppk":
        case.siasn_blocked = True
    if trigger in ("impose_sanction", "decide_ethics"):
        case.sanction_code = data["sanction_code"]
    if trigger in ("decide_objection", "decide_appeal") and data.get("sanction_code"):
        case.sanction_code = data["sanction_code"]
    if p.get("terminal"):
        case.closed_at = event.occurred_text
        case.outcome = p["to"]
        case.deadline = None


def _apply_deadline_set(case: Case, event: RecordedEvent) -> None:
    p = event.payload
    case.deadline = Deadline.from_dict(
        {
            "state": p["state"],
            "owner": p["owner"],
            "action": p["action"],
            "anchor_on": p["anchor_on"],
            "due_on": p["due_on"],
            "due_at": p["due_at"],
            "remind_at": p["remind_at"],
            "max_due_on": p["max_due_on"],
            "set_at": event.occurred_text,
            "citation": p["citation"],
            "reminded": False,
            "missed": False,
            "stopped_at": None,
            "extensions": 0,
            "basis": p.get("basis", "law"),
        }
    )


def _apply_deadline_met(case: Case, event: RecordedEvent) -> None:
    case.deadline = None


def _running(case: Case, event: RecordedEvent) -> Deadline:
    if case.deadline is None:
        raise ValueError(f"{event.event_type} at seq {event.seq} without a running deadline")
    return case.deadline


def _apply_deadline_moved(case: Case, event: RecordedEvent) -> None:
    deadline = _running(case, event)
    p = event.payload
    extended = event.event_type == ev.DEADLINE_EXTENDED
    case.deadline = replace(
        deadline,
        due_on=p["due_on"],
        due_at=p["due_at"],
        remind_at=p["remind_at"],
        reminded=False,
        missed=False,
        extensions=deadline.extensions + 1 if extended else deadline.extensions,
    )


def _apply_reminded(case: Case, event: RecordedEvent) -> None:
    case.deadline = replace(_running(case, event), reminded=True)


def _apply_missed(case: Case, event: RecordedEvent) -> None:
    case.deadline = replace(_running(case, event), missed=True)


def _apply_clock_stopped(case: Case, event: RecordedEvent) -> None:
    case.deadline = replace(_running(case, event), stopped_at=event.occurred_text)


def _apply_clock_resumed(case: Case, event: RecordedEvent) -> None:
    case.deadline = replace(_running(case, event), stopped_at=None)
    _apply_deadline_moved(case, event)


def _apply_escalated(case: Case, event: RecordedEvent) -> None:
    case.escalations = [*case.escalations, {**event.payload, "at": event.occurred_text}]


def _apply_note(case: Case, event: RecordedEvent) -> None:
    case.notes += 1


def _apply_reassigned(case: Case, event: RecordedEvent) -> None:
    case.assignee = event.payload["assignee"]


def _apply_letter(case: Case, event: RecordedEvent) -> None:
    p = event.payload
    issued = {
        "letter_id": p["letter_id"],
        "kind": p["kind"],
        "number": p["number"],
        "issued_at": event.occurred_text,
    }
    case.letters = [*case.letters, issued]


def _apply_letter_withdrawn(case: Case, event: RecordedEvent) -> None:
    p = event.payload
    case.letters = [
        {**item, "status": p["status"]} if item["letter_id"] == p["letter_id"] else item
        for item in case.letters
    ]


def _apply_rule_set_migrated(case: Case, event: RecordedEvent) -> None:
    case.rule_set = event.payload["to"]


def _apply_siasn_block_lifted(case: Case, event: RecordedEvent) -> None:
    case.siasn_blocked = False


def _apply_recorded_only(case: Case, event: RecordedEvent) -> None:
    """Evidence and duplicate links live in their own indexes; the chain holds their record."""


def _apply_determination_overridden(case: Case, event: RecordedEvent) -> None:
    case.after_determination = bool(event.payload["after_determination"])


_HANDLERS = {
    ev.CASE_OPENED: _apply_opened,
    ev.DEADLINE_SET: _apply_deadline_set,
    ev.DEADLINE_MET: _apply_deadline_met,
    ev.DEADLINE_EXTENDED: _apply_deadline_moved,
    ev.DEADLINE_RECOMPUTED: _apply_deadline_moved,
    ev.DEADLINE_REMINDED: _apply_reminded,
    ev.DEADLINE_MISSED: _apply_missed,
    ev.CLOCK_STOPPED: _apply_clock_stopped,
    ev.CLOCK_RESUMED: _apply_clock_resumed,
    ev.ESCALATED: _apply_escalated,
    ev.NOTE_ADDED: _apply_note,
    ev.REASSIGNED: _apply_reassigned,
    ev.LETTER_ISSUED: _apply_letter,
    ev.LETTER_RECORDED: _apply_letter,
    ev.LETTER_WITHDRAWN: _apply_letter_withdrawn,
    ev.RULE_SET_MIGRATED: _apply_rule_set_migrated,
    ev.SIASN_BLOCK_LIFTED: _apply_siasn_block_lifted,
    ev.EVIDENCE_ADDED: _apply_recorded_only,
    ev.EVIDENCE_WITHDRAWN: _apply_recorded_only,
    ev.DUPLICATE_LINKED: _apply_recorded_only,
    ev.DETERMINATION_OVERRIDDEN: _apply_determination_overridden,
}


# the keys of a full snapshot and of its deadline
_CASE_KEYS = frozenset(f.name for f in fields(Case))
_DEADLINE_KEYS = frozenset(f.name for f in fields(Deadline))
