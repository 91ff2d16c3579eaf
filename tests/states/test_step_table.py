"""The step table a step is decided through is the `transitions` Machine's, read off it:
the same branches in the same order with the same checks, so it picks what the Machine picks
(or refuses with the same reason)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from itertools import product
from typing import Any

import pytest

from rules.calendar import WorkingCalendar
from rules.models import Role, TransitionSpec
from rules.regions import timezone_for
from rules.ruleset import available_versions, load_rule_set
from states.case import Case, Deadline
from states.dispatch import Fire
from states.events import Actor
from states.machine import lifecycle_for
from states.step_context import StepContext

AT = datetime(2024, 9, 20, 3, 0, tzinfo=UTC)


@pytest.fixture(params=available_versions())
def version(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _fired_spec(transition: Any) -> TransitionSpec:
    (fire,) = [callback for callback in transition.before if isinstance(callback, Fire)]
    return fire.spec


def test_the_table_holds_every_machine_transition_in_the_machines_order(version: str) -> None:
    lifecycle = lifecycle_for(version)
    rule_set = load_rule_set(version)
    pairs = set()
    for trigger, event in lifecycle.machine.events.items():
        for state, transitions in event.transitions.items():
            if not transitions:
                continue
            pairs.add((state, trigger))
            route = lifecycle.routes[(state, trigger)]
            assert [b.spec for b in route.branches] == [_fired_spec(t) for t in transitions]
            assert [b.spec.dest for b in route.branches] == [t.dest for t in transitions]
            assert [list(b.checks) for b in route.branches] == [
                [condition.func for condition in t.conditions] for t in transitions
            ]
            assert all(c.target is True for t in transitions for c in t.conditions)
            # and the Machine's order is the rule data's order
            in_rules = [t for t in rule_set.transitions(trigger) if state in t.sources]
            assert route.specs == in_rules
            assert route.roles == {role for spec in in_rules for role in spec.roles}
            assert list(route.required) == in_rules[0].required
    assert set(lifecycle.routes) == pairs


def test_each_branch_checks_its_selector_first_then_its_guards_in_rule_order(
    version: str,
) -> None:
    for route in lifecycle_for(version).routes.values():
        for branch in route.branches:
            spec = branch.spec
            names = [*([spec.when] if spec.when else []), *spec.guards]
            assert [check.name for check in branch.checks] == names


def _cases(version: str, state: str) -> list[Case]:
    """Cases in `state` that pass or refuse the checks in different ways."""
    rule_set = load_rule_set(version)
    base = {
        "rule_set": version,
        "state": state,
        "version": 5,
        "channel": "laporan",
        "election_type": "pilkada",
        "region_code": "35.71",
        "received_at": "2024-09-02T02:00:00Z",
        "known_at": "2024-09-01T02:00:00Z",
        "incident_at": "2024-08-31T02:00:00Z",
        "violation_codes": ["NET-05"],
    }
    running = Deadline(
        state=state,
        owner="ppk",
        action="bertindak",
        anchor_on="2024-09-02",
        due_on="2024-09-10",
        due_at="2024-09-10T17:00:00Z",
        remind_at=None,
        max_due_on=None,
        set_at="2024-09-02T02:00:00Z",
        citation="Pasal 1",
    )
    found = [Case("T-1", **base)]
    for code in rule_set.sanctions:
        found.append(Case("T-1", **base, sanction_code=code, deadline=running))
    for category in rule_set.categories:
        found.append(Case("T-1", **base, recommended_category=category))
    return found


_DATA: list[dict[str, Any]] = [
    {},
    {
        "delivered_at": "2024-09-19T02:00:00Z",
        "filed_at": "2024-09-19T02:00:00Z",
        "sanction_code": "moral_tertutup",
        "sanction_category": "moral",
        "decree_date": "2024-09-18",
        "examination_at": "2024-10-10T02:00:00Z",
        "hearing_at": "2024-10-01T02:00:00Z",
        "clarification_at": "2024-09-25T02:00:00Z",
        "outcome": "dikuatkan",
        "attended": True,
        "bpasn_decision_date": "2024-09-19",
    },
]


def _outcome(decide: Callable[..., TransitionSpec | None], *args: Any) -> tuple[str, str]:
    try:
        spec = decide(*args)
    except Exception as error:  # the same refusal either way, whatever it is
        return type(error).__name__, str(error)
    return "taken", "" if spec is None else f"{spec.trigger}->{spec.dest}"


def test_the_table_picks_the_branch_the_machine_picks(version: str) -> None:
    lifecycle = lifecycle_for(version)
    rule_set = load_rule_set(version)
    calendar = WorkingCalendar([], "35.71")
    admin = Actor("admin", Role.ADMIN, "NETRA")
    compared = 0
    for (state, trigger), route in lifecycle.routes.items():
        for case, data in product(_cases(version, state), _DATA):
            ctx = StepContext(case, data, AT, admin, rule_set, calendar, timezone_for("35.71"))
            by_machine = _outcome(lifecycle.run_machine, state, trigger, ctx)
            by_table = _outcome(route.choose, ctx)
            assert by_table == by_machine, (state, trigger, case.sanction_code, data)
            compared += 1
    assert compared > 100
