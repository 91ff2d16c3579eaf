"""The deadline entries a Lifecycle reads from the rules once give the same events as the
rules read afresh: for every rule set, state and election type, with or without a running
deadline."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from rules.calendar import WorkingCalendar
from rules.models import ElectionType, Role
from rules.regions import timezone_for
from rules.ruleset import available_versions, load_rule_set
from states.canonical import utc_iso
from states.case import Case, Deadline
from states.deadlines import (
    anchor_day,
    compute_due,
    entering,
    met_event,
    on_entering,
    variant_for,
)
from states.events import Actor, PendingEvent
from states.machine import lifecycle_for

ACTOR = Actor("bkpsdm.kediri", Role.PPK, "PEMDA-3571")
AT = datetime(2024, 12, 23, 3, 0, tzinfo=UTC)  # before Christmas and cuti bersama
RUNNING = Deadline(
    state="somewhere",
    owner="ppk",
    action="bertindak",
    anchor_on="2024-12-02",
    due_on="2024-12-20",
    due_at="2024-12-20T17:00:00Z",
    remind_at=None,
    max_due_on=None,
    set_at="2024-12-02T02:00:00Z",
    citation="Pasal 1",
)


@pytest.fixture(params=available_versions())
def version(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _reference(
    case: Case, state: str, data: dict[str, Any], version: str, calendar: WorkingCalendar
) -> list[PendingEvent]:
    """The rules read afresh for this one step (what on_entering did before issue 16)."""
    rule_set = load_rule_set(version)
    rule = None if rule_set.is_terminal(state) else rule_set.deadline_rule(state)
    if rule is not None and rule.continues and case.deadline is not None:
        return []
    pending = [met_event(case.deadline, AT, ACTOR)] if case.deadline else []
    if rule is not None and not rule.continues:
        anchor = anchor_day(rule, case, AT, data)
        due = compute_due(rule, case, anchor, rule_set, calendar)
        variant = variant_for(rule, case)
        payload = {
            "state": state,
            "owner": rule.owner.value,
            "action": rule.action,
            "anchor_on": anchor.isoformat(),
            "period": {"days": variant.period.days, "day_type": variant.period.day_type.value},
            "due_on": due.due_on.isoformat(),
            "due_at": utc_iso(due.due_at),
            "remind_at": utc_iso(due.remind_at) if due.remind_at else None,
            "max_due_on": due.max_due_on.isoformat() if due.max_due_on else None,
            "citation": variant.citation.text,
            "basis": variant.basis,
        }
        pending.append(PendingEvent("deadline_set", ACTOR, AT, payload))
    return pending


def test_entering_any_state_sets_what_the_rules_read_afresh_set(version: str) -> None:
    rule_set = load_rule_set(version)
    lifecycle = lifecycle_for(version)
    assert set(lifecycle.entries) == set(rule_set.states)
    data = {
        field: "2024-12-27T02:00:00Z"
        for rule in rule_set.deadlines.rules
        if (field := rule.anchor_field) is not None
    }
    for region in ("35.71", "51.71", "94.71"):  # WIB, WITA, WIT
        calendar = WorkingCalendar([], region)
        for state in rule_set.states:
            for election in ElectionType:
                for running in (None, RUNNING):
                    case = Case(
                        "T-1",
                        rule_set=version,
                        state="x",
                        election_type=election.value,
                        region_code=region,
                        received_at="2024-12-20T02:00:00Z",
                        deadline=running,
                    )
                    expected = _reference(case, state, data, version, calendar)
                    got = on_entering(case, state, AT, data, ACTOR, rule_set, calendar)
                    assert got == expected, (state, election, region, running)
                    entry = lifecycle.entries[state]  # as decide() uses them
                    zone = timezone_for(region)
                    met, new = entering(entry, case, AT, data, ACTOR, rule_set, calendar, zone)
                    assert [*met, *new] == expected
