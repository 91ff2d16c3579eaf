"""Deadline decisions, pure: what to record when a case enters a state or when time passes.

Due dates are computed once, from the rule and the calendar in force, and carried by the
`deadline_set` event; nothing here reads a clock or a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from rules.calendar import WorkingCalendar, end_of_day, local_date
from rules.errors import InvalidInput, TransitionNotAllowed
from rules.models import Anchor, DeadlineRule, DeadlineVariant, ElectionType
from rules.regions import timezone_for
from rules.ruleset import RuleSet
from states import events as ev
from states.canonical import parse_utc, utc_iso
from states.case import Case, Deadline
from states.events import SYSTEM_ACTOR, Actor, PendingEvent


@dataclass(frozen=True)
class DueDate:
    """A computed deadline: the local due date and the UTC instant it passes."""

    due_on: date
    due_at: datetime
    remind_at: datetime | None
    max_due_on: date | None


def variant_for(rule: DeadlineRule, case: Case) -> DeadlineVariant:
    return rule.variants[ElectionType(case.election_type)]


_ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=4096)
def _end_of_day(day: date, zone: ZoneInfo) -> datetime:
    """`end_of_day`, remembered: a pure function of a date and a zone."""
    return end_of_day(day, zone)


@lru_cache(maxsize=4096)
def _instant_text(instant: datetime) -> str:
    """`utc_iso` of a due or reminder instant (few distinct ones), remembered."""
    return utc_iso(instant)


def compute_due(
    rule: DeadlineRule,
    case: Case,
    anchor_day: date,
    rule_set: RuleSet,
    calendar: WorkingCalendar,
) -> DueDate:
    """Due date = anchor + period on the region's calendar, with reminder and extension cap."""
    zone = timezone_for(case.region_code)
    return _due(variant_for(rule, case), anchor_day, rule_set, calendar, zone)


def _due(
    variant: DeadlineVariant,
    anchor_day: date,
    rule_set: RuleSet,
    calendar: WorkingCalendar,
    zone: ZoneInfo,
) -> DueDate:
    due_on = calendar.add(anchor_day, variant.period)
    return DueDate(
        due_on=due_on,
        due_at=_end_of_day(due_on, zone),
        remind_at=reminder_instant(due_on, rule_set, calendar, zone),
        max_due_on=calendar.add(anchor_day, variant.max_total) if variant.max_total else None,
    )


def reminder_instant(
    due_on: date, rule_set: RuleSet, calendar: WorkingCalendar, zone: ZoneInfo
) -> datetime | None:
    """Start of the working day `reminder_lead` working days before the due date."""
    lead = rule_set.deadlines.reminder_lead.days
    if lead == 0:
        return None
    return _end_of_day(calendar.working_day_before(due_on, lead) - _ONE_DAY, zone)


def anchor_day(rule: DeadlineRule, case: Case, entered_at: datetime, data: dict[str, Any]) -> date:
    """The day the period counts from: the variant's anchor if it names one, else the rule's."""
    anchor = variant_for(rule, case).anchor or rule.anchor
    return _anchor_day(anchor, rule, case, entered_at, data, timezone_for(case.region_code))


def _anchor_day(
    anchor: Anchor,
    rule: DeadlineRule,
    case: Case,
    entered_at: datetime,
    data: dict[str, Any],
    zone: ZoneInfo,
) -> date:
    if anchor is Anchor.RECEIVED:
        return local_date(parse_utc(case.received_at), zone)
    if anchor is Anchor.PAYLOAD_DATE:
        assert rule.anchor_field is not None
        return local_date(parse_utc(str(data[rule.anchor_field])), zone)
    return local_date(entered_at, zone)


@dataclass(frozen=True, slots=True)
class _Variant:
    """One election type's deadline on entering a state, with the parts that never vary."""

    variant: DeadlineVariant
    anchor: Anchor
    owner: str
    period_days: int
    day_type: str


@dataclass(frozen=True, slots=True)
class StateEntry:
    """What entering one state does to deadlines, read from the rules once per rule set.

    `rule` is None where no deadline runs (a terminal state, or a state without a rule).
    """

    state: str
    rule: DeadlineRule | None
    variants: dict[str, _Variant]  # by election type value


def state_entry(rule_set: RuleSet, state: str) -> StateEntry:
    rule = None if rule_set.is_terminal(state) else rule_set.deadline_rule(state)
    variants = {}
    if rule is not None:
        for election, variant in rule.variants.items():
            variants[election.value] = _Variant(
                variant=variant,
                anchor=variant.anchor or rule.anchor,
                owner=rule.owner.value,
                period_days=variant.period.days,
                day_type=variant.period.day_type.value,
            )
    return StateEntry(state, rule, variants)


def state_entries(rule_set: RuleSet) -> dict[str, StateEntry]:
    """`state_entry` of every state of the lifecycle."""
    return {state.name: state_entry(rule_set, state.name) for state in rule_set.lifecycle.states}


def on_entering(
    case: Case,
    new_state: str,
    entered_at: datetime,
    data: dict[str, Any],
    actor: Actor,
    rule_set: RuleSet,
    calendar: WorkingCalendar,
) -> list[PendingEvent]:
    """`deadline_met` for the running deadline (unless it continues) and `deadline_set`."""
    entry = state_entry(rule_set, new_state)
    zone = timezone_for(case.region_code)
    met, new = entering(entry, case, entered_at, data, actor, rule_set, calendar, zone)
    return [*met, *new]


def entering(
    entry: StateEntry,
    case: Case,
    entered_at: datetime,
    data: dict[str, Any],
    actor: Actor,
    rule_set: RuleSet,
    calendar: WorkingCalendar,
    zone: ZoneInfo,
) -> tuple[list[PendingEvent], list[PendingEvent]]:
    """`on_entering` from a precomputed `StateEntry`: (deadline_met events, deadline_set ones)."""
    rule = entry.rule
    running = case.deadline
    if rule is not None and rule.continues and running is not None:
        return [], []
    met = [] if running is None else [met_event(running, entered_at, actor)]
    if rule is None or rule.continues:
        return met, []
    plan = entry.variants[case.election_type]
    anchor = _anchor_day(plan.anchor, rule, case, entered_at, data, zone)
    due = _due(plan.variant, anchor, rule_set, calendar, zone)
    return met, [set_event(rule, plan, entry.state, anchor, due, entered_at, actor)]


def met_event(deadline: Deadline, at: datetime, actor: Actor) -> PendingEvent:
    late = at >= parse_utc(deadline.due_at)
    return PendingEvent(
        ev.DEADLINE_MET,
        actor,
        at,
        {"state": deadline.state, "due_on": deadline.due_on, "late": late},
    )


def set_event(
    rule: DeadlineRule,
    plan: _Variant,
    state: str,
    anchor: date,
    due: DueDate,
    at: datetime,
    actor: Actor,
) -> PendingEvent:
    return PendingEvent(
        ev.DEADLINE_SET,
        actor,
        at,
        {
            "state": state,
            "owner": plan.owner,
            "action": rule.action,
            "anchor_on": anchor.isoformat(),
            "period": {"days": plan.period_days, "day_type": plan.day_type},
            "due_on": due.due_on.isoformat(),
            "due_at": _instant_text(due.due_at),
            "remind_at": _instant_text(due.remind_at) if due.remind_at else None,
            "max_due_on": due.max_due_on.isoformat() if due.max_due_on else None,
            "citation": plan.variant.citation.text,
            "basis": plan.variant.basis,
        },
    )


def _moved_payload(
    due_on: date, case: Case, rule_set: RuleSet, calendar: WorkingCalendar
) -> dict[str, Any]:
    zone = timezone_for(case.region_code)
    remind = reminder_instant(due_on, rule_set, calendar, zone)
    return {
        "due_on": due_on.isoformat(),
        "due_at": _instant_text(_end_of_day(due_on, zone)),
        "remind_at": _instant_text(remind) if remind else None,
    }


def running_deadline(case: Case) -> Deadline:
    if case.deadline is None:
        raise TransitionNotAllowed(f"Perkara {case.case_id} tidak memiliki tenggat berjalan")
    return case.deadline


def extend(
    case: Case,
    new_due_on: date,
    reason: str,
    actor: Actor,
    at: datetime,
    rule_set: RuleSet,
    calendar: WorkingCalendar,
) -> PendingEvent:
    """Move the due date later, never past what the law allows (`max_total`)."""
    deadline = running_deadline(case)
    if not reason.strip():
        raise InvalidInput("Perpanjangan tenggat memerlukan alasan")
    if deadline.max_due_on is None:
        raise TransitionNotAllowed(
            f"Tenggat pada status '{deadline.state}' tidak dapat diperpanjang menurut aturan"
        )
    current = date.fromisoformat(deadline.due_on)
    limit = date.fromisoformat(deadline.max_due_on)
    if new_due_on <= current:
        raise InvalidInput(f"Tanggal baru {new_due_on} harus setelah tenggat {current}")
    if new_due_on > limit:
        raise TransitionNotAllowed(
            f"Perpanjangan sampai {new_due_on} melampaui batas hukum {limit} ({deadline.citation})"
        )
    payload = _moved_payload(new_due_on, case, rule_set, calendar)
    payload.update({"previous_due_on": deadline.due_on, "reason": reason.strip()})
    return PendingEvent(ev.DEADLINE_EXTENDED, actor, at, payload)


def stop_clock(
    case: Case, reason: str, actor: Actor, at: datetime, rule_set: RuleSet
) -> PendingEvent:
    deadline = running_deadline(case)
    rule = rule_set.deadline_rule(deadline.state)
    if rule is None or not rule.clock_stop_allowed:
        raise TransitionNotAllowed(
            f"Penghentian sementara tenggat tidak diperbolehkan pada status '{deadline.state}'"
        )
    if deadline.stopped_at is not None:
        raise TransitionNotAllowed("Tenggat sudah dihentikan sementara")
    if not reason.strip():
        raise InvalidInput("Penghentian sementara tenggat memerlukan alasan")
    return PendingEvent(ev.CLOCK_STOPPED, actor, at, {"reason": reason.strip()})


def resume_clock(
    case: Case, actor: Actor, at: datetime, rule_set: RuleSet, calendar: WorkingCalendar
) -> PendingEvent:
    """Resume a stopped deadline: the working days left when it stopped still remain."""
    deadline = running_deadline(case)
    if deadline.stopped_at is None:
        raise TransitionNotAllowed("Tenggat tidak sedang dihentikan")
    zone = timezone_for(case.region_code)
    stopped_day = local_date(parse_utc(deadline.stopped_at), zone)
    remaining = calendar.working_days_between(stopped_day, date.fromisoformat(deadline.due_on))
    new_due = calendar.add_working_days(local_date(at, zone), remaining)
    payload = _moved_payload(new_due, case, rule_set, calendar)
    payload.update({"previous_due_on": deadline.due_on, "remaining_working_days": remaining})
    return PendingEvent(ev.CLOCK_RESUMED, actor, at, payload)


def recompute(
    case: Case,
    reason: str,
    actor: Actor,
    at: datetime,
    rule_set: RuleSet,
    calendar: WorkingCalendar,
) -> PendingEvent | None:
    """Recompute the running due date on today's calendar (an explicit, recorded command).

    Returns None when the calendar change does not move the due date.
    """
    deadline = running_deadline(case)
    rule = rule_set.deadline_rule(deadline.state)
    if rule is None or not reason.strip():
        raise InvalidInput("Perhitungan ulang tenggat memerlukan alasan")
    due = compute_due(rule, case, date.fromisoformat(deadline.anchor_on), rule_set, calendar)
    if due.due_on.isoformat() == deadline.due_on:
        return None
    payload = _moved_payload(due.due_on, case, rule_set, calendar)
    payload.update({"previous_due_on": deadline.due_on, "reason": reason.strip()})
    return PendingEvent(ev.DEADLINE_RECOMPUTED, actor, at, payload)


@dataclass(frozen=True)
class SweepOutcome:
    """What the sweep must record for one case now, and a system step to take, if any."""

    events: list[PendingEvent]
    trigger: str | None


def sweep(case: Case, now: datetime, rule_set: RuleSet) -> SweepOutcome:
    """Reminder before the due date, miss and escalation after it — each recorded once."""
    deadline = case.deadline
    if deadline is None or deadline.stopped_at is not None or deadline.missed:
        return SweepOutcome([], None)
    due_at = parse_utc(deadline.due_at)
    if now >= due_at:
        rule = rule_set.deadline_rule(deadline.state)
        on_miss = rule.on_miss if rule else None
        pending = [
            PendingEvent(
                ev.DEADLINE_MISSED,
                SYSTEM_ACTOR,
                now,
                {"state": deadline.state, "due_on": deadline.due_on, "owner": deadline.owner},
            )
        ]
        if on_miss is not None and on_miss.escalation:
            pending.append(
                PendingEvent(
                    ev.ESCALATED,
                    SYSTEM_ACTOR,
                    now,
                    {
                        "kind": on_miss.escalation,
                        "to": on_miss.escalate_to.value if on_miss.escalate_to else None,
                        "state": deadline.state,
                        "citation": on_miss.citation.text,
                    },
                )
            )
        return SweepOutcome(pending, on_miss.trigger if on_miss else None)
    if not deadline.reminded and deadline.remind_at and now >= parse_utc(deadline.remind_at):
        return SweepOutcome(
            [
                PendingEvent(
                    ev.DEADLINE_REMINDED,
                    SYSTEM_ACTOR,
                    now,
                    {"state": deadline.state, "due_on": deadline.due_on, "owner": deadline.owner},
                )
            ],
            None,
        )
    return SweepOutcome([], None)
