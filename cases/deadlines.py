"""Deadline commands: extend, stop/resume the clock, recompute — each one transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from cases.access import Action, acting, require_act, require_role, visible
from cases.calendar import calendar_for
from cases.commands import record_and_fold
from db.unit_of_work import UnitOfWork
from rules.calendar import WorkingCalendar
from rules.models import Role
from rules.ruleset import RuleSet, load_rule_set
from states import deadlines as decide
from states.case import Case
from states.events import Actor, PendingEvent

# --- officer commands -------------------------------------------------------------------------


Decision = Callable[[Case, Actor, RuleSet, WorkingCalendar], PendingEvent | None]


def _deadline_command(
    uow: UnitOfWork,
    officer_id: str,
    case_id: str,
    now: datetime,
    decide_event: Decision,
    roles: Sequence[Role] = (),
) -> Case:
    """Load, authorise (the deadline's owner, or admin), decide one event, record, commit."""
    with uow:
        actor, _ = acting(uow, officer_id)
        case = uow.cases.get(case_id)
        running = decide.running_deadline(case)
        require_role(actor, Role(running.owner), *roles)
        require_act(actor, case, Action.DEADLINE)
        rule_set = load_rule_set(case.rule_set)
        pending = decide_event(case, actor, rule_set, calendar_for(uow, case.region_code))
        if pending is None:
            return visible(actor, case)
        updated, _ = record_and_fold(uow, case, [pending], now, case.rule_set)
        uow.cases.save(updated, case.version)
        uow.commit()
    return visible(actor, updated)


def extend_deadline(
    uow: UnitOfWork,
    officer_id: str,
    case_id: str,
    new_due_on: date,
    reason: str,
    now: datetime,
) -> Case:
    """Move the running deadline to `new_due_on`, never past the legal maximum (`max_total`)."""

    def decide_event(
        case: Case, actor: Actor, rule_set: RuleSet, calendar: WorkingCalendar
    ) -> PendingEvent:
        return decide.extend(case, new_due_on, reason, actor, now, rule_set, calendar)

    return _deadline_command(uow, officer_id, case_id, now, decide_event)


def stop_clock(uow: UnitOfWork, officer_id: str, case_id: str, reason: str, now: datetime) -> Case:
    """Stop the running deadline where the law allows it (e.g. an objection awaiting a hearing)."""

    def decide_event(
        case: Case, actor: Actor, rule_set: RuleSet, calendar: WorkingCalendar
    ) -> PendingEvent:
        return decide.stop_clock(case, reason, actor, now, rule_set)

    return _deadline_command(uow, officer_id, case_id, now, decide_event)


def resume_clock(uow: UnitOfWork, officer_id: str, case_id: str, now: datetime) -> Case:
    """Resume a stopped deadline; the working days left when it stopped still remain."""

    def decide_event(
        case: Case, actor: Actor, rule_set: RuleSet, calendar: WorkingCalendar
    ) -> PendingEvent:
        return decide.resume_clock(case, actor, now, rule_set, calendar)

    return _deadline_command(uow, officer_id, case_id, now, decide_event)


def recompute_deadline(
    uow: UnitOfWork, officer_id: str, case_id: str, reason: str, now: datetime
) -> Case:
    """Recompute the running due date on today's calendar: explicit and recorded
    (`deadline_recomputed`). Nothing is written when the calendar change does not move it."""

    def decide_event(
        case: Case, actor: Actor, rule_set: RuleSet, calendar: WorkingCalendar
    ) -> PendingEvent | None:
        return decide.recompute(case, reason, actor, now, rule_set, calendar)

    return _deadline_command(uow, officer_id, case_id, now, decide_event, roles=(Role.BKN,))


# --- notifications ----------------------------------------------------------------------------
