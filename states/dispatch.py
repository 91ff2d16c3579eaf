"""The step table: (state, trigger) -> the Machine's branches, in order, with their checks.

The `transitions` Machine defines the lifecycle; this table is read off the built Machine
once per rule set, so a step evaluates its selectors and guards directly instead of going
through EventData, callbacks and state enter/exit on every command. The Machine's own
conditions are the `Check` objects below and its `before` callback is a `Fire`, so each
branch carries exactly the callables the Machine would run, in the Machine's order.
"""

from __future__ import annotations

from dataclasses import dataclass

from transitions import EventData, Machine, Transition

from rules.models import Role, TransitionSpec
from states.step_context import Guard, Selector, StepContext


class Check:
    """One condition of a branch: a guard (raises to refuse) or a selector (False to skip)."""

    __slots__ = ("guard", "name", "selector")

    def __init__(self, name: str, guard: Guard | None = None, selector: Selector | None = None):
        if (guard is None) == (selector is None):
            raise ValueError("a check is either a guard or a selector")
        self.name = name
        self.guard = guard
        self.selector = selector

    def passes(self, ctx: StepContext) -> bool:
        if self.selector is not None:
            return self.selector(ctx)
        assert self.guard is not None
        self.guard(ctx)
        return True

    def __call__(self, event: EventData) -> bool:
        """As a `transitions` condition (the Machine is built with send_event=True)."""
        return self.passes(event.kwargs["ctx"])


class Position:
    """The throw-away model a shared Machine moves: a state and the transition that fired."""

    __slots__ = ("fired", "state")

    def __init__(self, state: str) -> None:
        self.state = state
        self.fired: TransitionSpec | None = None


class Fire:
    """The Machine's `before` callback of a branch: remembers which rule transition fired."""

    __slots__ = ("spec",)

    def __init__(self, spec: TransitionSpec) -> None:
        self.spec = spec

    def __call__(self, event: EventData) -> None:
        position = event.model
        assert isinstance(position, Position)
        position.fired = self.spec


@dataclass(frozen=True, slots=True)
class Branch:
    """One candidate transition of a step: taken when every check passes, in order."""

    spec: TransitionSpec
    checks: tuple[Check, ...]


@dataclass(frozen=True, slots=True)
class Route:
    """Everything fixed about one trigger from one state: branches, roles, required data."""

    branches: tuple[Branch, ...]
    roles: frozenset[Role]
    required: tuple[str, ...]

    @property
    def specs(self) -> list[TransitionSpec]:
        return [branch.spec for branch in self.branches]

    def choose(self, ctx: StepContext) -> TransitionSpec | None:
        """The first branch whose checks all pass (as the Machine picks), or None; a refusing
        guard raises its reason."""
        for branch in self.branches:
            for check in branch.checks:
                if not check.passes(ctx):
                    break
            else:
                return branch.spec
        return None


def branch_of(transition: Transition) -> Branch:
    """The branch a Machine transition stands for (its `Fire` and its `Check` conditions)."""
    fire = [callback for callback in transition.before if isinstance(callback, Fire)]
    checks: list[Check] = []
    for condition in transition.conditions:
        if not isinstance(condition.func, Check) or condition.target is not True:
            raise ValueError(f"unsupported condition {condition!r} in the lifecycle Machine")
        checks.append(condition.func)
    if len(fire) != 1:
        raise ValueError(f"transition {transition!r} has no single Fire callback")
    return Branch(fire[0].spec, tuple(checks))


def route_table(machine: Machine) -> dict[tuple[str, str], Route]:
    """(state, trigger) -> Route, read off the Machine's events in the Machine's order."""
    table: dict[tuple[str, str], Route] = {}
    for trigger, event in machine.events.items():
        for state, transitions in event.transitions.items():
            branches = tuple(branch_of(transition) for transition in transitions)
            if not branches:
                continue
            table[(state, trigger)] = Route(
                branches=branches,
                roles=frozenset(role for branch in branches for role in branch.spec.roles),
                required=tuple(branches[0].spec.required),
            )
    return table
