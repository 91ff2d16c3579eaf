"""Which steps a case can take now: each step's guards dry-run on the case as it stands,
without the data an officer has yet to type.

A guard that refuses on the case alone (the recommendation is disiplin, so no ethics council;
the first examination date has not come, so no second summons; the deadline the law ties a
step to has not passed) hides the step. A guard that needs the step's data, or refuses only
the data (`InvalidInput`), leaves it offered: the form will ask for it and the step itself
checks everything again when taken.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from rules.calendar import WorkingCalendar
from rules.errors import NetraError, PermissionDenied, TransitionNotAllowed
from rules.models import TransitionSpec
from rules.regions import timezone_for
from states.case import Case
from states.events import Actor
from states.guards import GUARDS, SELECTORS
from states.guards_objections import deadline_has_passed
from states.machine import lifecycle_for
from states.step_context import StepContext


class _NeedsData(Exception):
    """A guard asked for a field of the step's data."""


class _Untyped(dict[str, Any]):
    """Step data not typed yet: reading a field raises _NeedsData; `get` gives the default
    and remembers that data was consulted."""

    def __init__(self) -> None:
        super().__init__()
        self.consulted = False

    def __getitem__(self, key: str) -> Any:
        raise _NeedsData(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.consulted = True
        return default


def _refuses(guard_name: str, ctx: StepContext, data: _Untyped) -> bool:
    """True when the guard refuses the step on the case alone."""
    data.consulted = False
    check = SELECTORS.get(guard_name) or GUARDS[guard_name]
    try:
        result = check(ctx)
    except _NeedsData:
        return False
    except (KeyError, TypeError, ValueError):
        return False  # a guard reading data in another way: decided when the step is taken
    except (TransitionNotAllowed, PermissionDenied):
        return not data.consulted
    except NetraError:
        return False  # invalid data, a permission the step itself decides
    if guard_name in SELECTORS:
        return result is False and not data.consulted
    return False


def _branch_open(spec: TransitionSpec, ctx: StepContext, data: _Untyped) -> bool:
    names = [*([spec.when] if spec.when else []), *spec.guards]
    return not any(_refuses(name, ctx, data) for name in names)


def open_triggers(
    case: Case, actor: Actor, at: datetime, calendar: WorkingCalendar
) -> Iterator[str]:
    """The triggers from the case's state whose guards do not refuse on the case alone
    (roles are not checked here: the caller asks the policy)."""
    lifecycle = lifecycle_for(case.rule_set)
    data = _Untyped()
    ctx = StepContext(
        case=case,
        data=data,
        at=at,
        actor=actor,
        rule_set=lifecycle.rule_set,
        calendar=calendar,
        zone=timezone_for(case.region_code),
    )
    seen: set[str] = set()
    for spec in lifecycle.rule_set.triggers_from(case.state):
        if spec.trigger in seen:
            continue
        if (case.state, spec.trigger) in lifecycle.deadline_steps:
            try:
                deadline_has_passed(ctx)
            except TransitionNotAllowed:
                continue
            except NetraError:
                pass  # an administrator may go earlier with a recorded reason
        branches = [
            s for s in lifecycle.rule_set.transitions(spec.trigger) if case.state in s.sources
        ]
        if any(_branch_open(branch, ctx, data) for branch in branches):
            seen.add(spec.trigger)
            yield spec.trigger
