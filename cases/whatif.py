"""Rule-set versions per case: what-if replay under another version, and explicit migration.

`whatif` replays the recorded steps of a case (trigger, data, actor, instant) through another
rule-set's lifecycle on a scratch case and reports, step by step, whether the step would have
been allowed and where deadlines (due dates, lateness) would differ. It writes nothing.

`migrate_rule_set` moves a running case to another version as a recorded event
(`rule_set_migrated`), and recomputes its running deadline under the new rules, explicitly.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from cases.access import acting, require_act, require_read, require_role, subject_of
from cases.calendar import calendar_for
from cases.commands import record_and_fold
from db.unit_of_work import UnitOfWork
from rules.calendar import WorkingCalendar
from rules.errors import InvalidInput, NetraError, TransitionNotAllowed
from rules.models import Role
from rules.ruleset import RuleSet, load_rule_set
from states import deadlines
from states import events as ev
from states.canonical import GENESIS_HASH
from states.case import Case
from states.events import PendingEvent, RecordedEvent, record
from states.machine import lifecycle_for
from states.machine import open_case as decide_opening

# Events the deadline sweep derives from the rules; under other rules they are recomputed.
_SWEEP_EVENTS = frozenset({ev.DEADLINE_MISSED, ev.DEADLINE_REMINDED, ev.ESCALATED})
_DEADLINE_EVENTS = frozenset({ev.DEADLINE_SET, ev.DEADLINE_MET})


@dataclass
class WhatIfStep:
    """One recorded command, replayed under the alternative rules."""

    seq: int  # the recorded event that names the command (transition or overlay)
    action: str  # trigger, or event type for overlays
    at: str
    allowed: bool = True
    reason: str | None = None
    recorded_state: str = ""
    alternative_state: str = ""
    recorded_due_on: str | None = None
    alternative_due_on: str | None = None
    recorded_late: bool | None = None
    alternative_late: bool | None = None

    @property
    def differs(self) -> bool:
        return (
            not self.allowed
            or self.recorded_state != self.alternative_state
            or self.recorded_due_on != self.alternative_due_on
            or bool(self.recorded_late) != bool(self.alternative_late)
        )

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "differs": self.differs}


@dataclass
class WhatIfReport:
    case_id: str
    recorded_rule_set: str
    alternative: str
    steps: list[WhatIfStep] = field(default_factory=list)

    @property
    def differences(self) -> list[WhatIfStep]:
        return [s for s in self.steps if s.differs]

    def to_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "recorded_rule_set": self.recorded_rule_set,
            "alternative": self.alternative,
            "steps": [s.to_dict() for s in self.steps],
            "differences": len(self.differences),
        }


def commands_of(events: Sequence[RecordedEvent]) -> Iterator[list[RecordedEvent]]:
    """Split a history into the commands that wrote it: contiguous events sharing the
    recording instant and actor (one transaction each)."""
    group: list[RecordedEvent] = []
    for event in events:
        if group and (
            event.recorded_at != group[0].recorded_at
            or event.actor != group[0].actor
            or event.event_type == ev.CASE_OPENED
        ):
            yield group
            group = []
        group.append(event)
    if group:
        yield group


class _Scratch:
    """A throw-away case the alternative history is folded into."""

    def __init__(self, case_id: str, rule_set: RuleSet) -> None:
        self.case = Case(case_id)
        self.rule_set = rule_set

    def fold(self, pending: Sequence[PendingEvent], at: datetime) -> list[RecordedEvent]:
        recorded = []
        for item in pending:
            prev = self.case.head_hash or GENESIS_HASH
            event = record(
                self.case.case_id, self.case.version + 1, item, at, self.rule_set.version, prev
            )
            self.case.apply(event)
            recorded.append(event)
        return recorded

    def copy_of(self, events: Sequence[RecordedEvent]) -> None:
        """Follow the recorded history (when the alternative refuses the step)."""
        self.fold(
            [PendingEvent(e.event_type, e.actor, e.occurred_at, e.payload) for e in events],
            events[0].recorded_at,
        )


def _late(events: Sequence[RecordedEvent]) -> bool | None:
    met = [e for e in events if e.event_type == ev.DEADLINE_MET]
    return bool(met[0].payload.get("late")) if met else None


def _replay_command(
    scratch: _Scratch, group: list[RecordedEvent], calendar: WorkingCalendar
) -> WhatIfStep:
    lifecycle = lifecycle_for(scratch.rule_set.version)
    head = next((e for e in group if e.event_type not in ev.OVERLAY_EVENTS), None)
    opened = group[0] if group[0].event_type == ev.CASE_OPENED else None
    main = head or opened or group[0]
    step = WhatIfStep(
        seq=main.seq,
        at=main.occurred_at.isoformat(),
        action=main.payload["trigger"] if head else main.event_type,
    )
    step.recorded_late = _late(group)
    at = main.occurred_at
    try:
        if opened is not None:
            facts = {k: v for k, v in opened.payload.items() if k != "state"}
            scratch.fold(
                decide_opening(
                    scratch.case.case_id, facts, opened.actor, at, scratch.rule_set, calendar
                ),
                at,
            )
        elif head is not None:
            p = head.payload
            decided = lifecycle.decide(
                scratch.case, p["trigger"], dict(p["data"]), head.actor, at, calendar
            )
            recorded = scratch.fold(decided, at)
            step.alternative_late = _late(recorded)
            rest = [e for e in group if e is not head and e.event_type not in _DEADLINE_EVENTS]
            _overlays(scratch, rest, calendar)
        else:
            _overlays(scratch, group, calendar)
    except NetraError as error:
        step.allowed = False
        step.reason = f"{error.message} [{error.label}]"
        scratch.copy_of([e for e in group if e.event_type not in _SWEEP_EVENTS] or group)
        step.alternative_late = step.recorded_late
    if step.alternative_late is None and step.allowed:
        step.alternative_late = step.recorded_late if head is None else None
    return step


def _overlays(scratch: _Scratch, group: Sequence[RecordedEvent], calendar: WorkingCalendar) -> None:
    """Re-decide the deadline commands under the alternative rules; copy the others."""
    rules = scratch.rule_set
    for event in group:
        case, at, actor, p = scratch.case, event.occurred_at, event.actor, event.payload
        pending: PendingEvent | None
        if event.event_type == ev.DEADLINE_EXTENDED:
            pending = deadlines.extend(
                case, date.fromisoformat(p["due_on"]), p["reason"], actor, at, rules, calendar
            )
        elif event.event_type == ev.CLOCK_STOPPED:
            pending = deadlines.stop_clock(case, p["reason"], actor, at, rules)
        elif event.event_type == ev.CLOCK_RESUMED:
            pending = deadlines.resume_clock(case, actor, at, rules, calendar)
        elif event.event_type == ev.DEADLINE_RECOMPUTED:
            pending = deadlines.recompute(case, p.get("reason") or "-", actor, at, rules, calendar)
        elif event.event_type in _SWEEP_EVENTS:
            outcome = deadlines.sweep(case, at, rules)
            pending = next((e for e in outcome.events if e.event_type == event.event_type), None)
        elif event.event_type in (ev.RULE_SET_MIGRATED, *_DEADLINE_EVENTS):
            pending = None
        else:
            pending = PendingEvent(event.event_type, actor, at, p)
        if pending is not None:
            scratch.fold([pending], at)


def whatif(uow: UnitOfWork, officer_id: str, case_id: str, version: str) -> WhatIfReport:
    """Replay the case's recorded commands under rule-set `version`; nothing is written."""
    alternative = load_rule_set(version)
    with uow:
        actor, _ = acting(uow, officer_id)
        current = uow.cases.get(case_id)
        require_read(subject_of(uow, actor), current)
        events = uow.events.load(case_id)
        calendar = calendar_for(uow, current.region_code)
    report = WhatIfReport(case_id, events[0].rule_set if events else "", alternative.version)
    real = Case(case_id)
    scratch = _Scratch(case_id, alternative)
    for group in commands_of(events):
        for event in group:
            real.apply(event)
        step = _replay_command(scratch, group, calendar)
        step.recorded_state = real.state
        step.alternative_state = scratch.case.state
        step.recorded_due_on = real.deadline.due_on if real.deadline else None
        step.alternative_due_on = scratch.case.deadline.due_on if scratch.case.deadline else None
        report.steps.append(step)
    return report


def migrate_rule_set(
    uow: UnitOfWork, officer_id: str, case_id: str, version: str, reason: str, now: datetime
) -> Case:
    """Move a running case to rule-set `version` (recorded), recomputing its running deadline
    under the new rules; later steps follow the new version."""
    if not reason.strip():
        raise InvalidInput("Migrasi aturan memerlukan alasan")
    target = load_rule_set(version)
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, Role.ADMIN)
        case = uow.cases.get(case_id)
        require_act(actor, case)
        if case.rule_set == target.version:
            raise InvalidInput(f"Perkara {case_id} sudah memakai aturan {target.version}")
        if not case.is_open:
            raise TransitionNotAllowed(f"Perkara {case_id} sudah selesai; aturannya tidak diubah")
        if case.state not in target.states:
            raise TransitionNotAllowed(
                f"Status '{case.state}' tidak ada dalam aturan {target.version}"
            )
        pending = [
            PendingEvent(
                ev.RULE_SET_MIGRATED,
                actor,
                now,
                {"from": case.rule_set, "to": target.version, "reason": reason.strip()},
            )
        ]
        calendar = calendar_for(uow, case.region_code)
        deadline = case.deadline
        if deadline is not None and target.deadline_rule(deadline.state) is not None:
            moved = deadlines.recompute(
                case,
                f"migrasi aturan {case.rule_set} ke {target.version}: {reason.strip()}",
                actor,
                now,
                target,
                calendar,
            )
            if moved is not None:
                moved.payload["rule_set"] = target.version
                pending.append(moved)
        updated, _ = record_and_fold(uow, case, pending, now, target.version)
        uow.cases.save(updated, case.version)
        uow.commit()
    return updated
