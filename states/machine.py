"""The lifecycle state machine: one shared `transitions` Machine per rule-set version.

A Machine is built once per rule-set (building one per case costs about a millisecond) and
defines the lifecycle; a step is decided through the step table read off it once
(`states/dispatch.py`), which evaluates the same branches with the same checks in the same
order without the Machine's per-event machinery. `Lifecycle.run_machine` still runs the
Machine itself on a throw-away two-slot model, so no per-case machine ever exists.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any

from transitions import Machine, State

from rules.calendar import WorkingCalendar
from rules.errors import InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from rules.models import Role, TransitionSpec
from rules.regions import timezone_for
from rules.ruleset import RuleSet, load_rule_set
from states.canonical import GENESIS_HASH
from states.case import Case
from states.deadlines import entering, on_entering, state_entries
from states.dispatch import Check, Fire, Position, Route, route_table
from states.events import CASE_OPENED, SIASN_BLOCK_LIFTED, Actor, PendingEvent, record
from states.guards import GUARDS, SELECTORS
from states.guards_objections import deadline_has_passed
from states.step_context import StepContext


class Lifecycle:
    """Decides the events of a step: permission, required data, guards, deadlines."""

    def __init__(self, rule_set: RuleSet) -> None:
        self.rule_set = rule_set
        unknown = [
            name
            for spec in rule_set.lifecycle.transitions
            for name in [*spec.guards, *([spec.when] if spec.when else [])]
            if name not in GUARDS and name not in SELECTORS
        ]
        if unknown:
            raise InvalidInput(f"Aturan {rule_set.version} memakai guard tak dikenal: {unknown}")
        # (state, trigger) pairs the law ties to a missed deadline: guarded for every actor
        self.deadline_steps = frozenset(
            (rule.state, rule.on_miss.trigger)
            for rule in rule_set.deadlines.rules
            if rule.on_miss is not None and rule.on_miss.trigger
        )
        self.machine = Machine(
            model=None,
            states=[state.name for state in rule_set.lifecycle.states],
            initial=rule_set.lifecycle.initial,
            auto_transitions=False,
            send_event=True,
        )
        for spec in rule_set.lifecycle.transitions:
            checks = [Check(spec.when, selector=SELECTORS[spec.when])] if spec.when else []
            checks += [Check(name, guard=GUARDS[name]) for name in spec.guards]
            conditions: list[str | Callable[..., bool | None]] = list(checks)
            sources: list[str | Enum | State] = list(spec.sources)
            self.machine.add_transition(
                spec.trigger, sources, spec.dest, conditions=conditions, before=Fire(spec)
            )
        # the hot path: (state, trigger) -> the Machine's branches, read off it once
        self.routes: dict[tuple[str, str], Route] = route_table(self.machine)
        self.terminal = frozenset(s.name for s in rule_set.lifecycle.states if s.terminal)
        self.entries = state_entries(rule_set)

    def specs_from(self, state: str, trigger: str) -> list[TransitionSpec]:
        route = self.routes.get((state, trigger))
        return route.specs if route is not None else []

    def allowed_triggers(self, state: str) -> list[str]:
        return [spec.trigger for spec in self.rule_set.triggers_from(state)]

    def check_step(self, case: Case, trigger: str, actor: Actor) -> list[TransitionSpec]:
        """Refuse an unknown step, a step from the wrong state, or the wrong role."""
        return self.route(case.state, trigger, actor).specs

    def route(self, state: str, trigger: str, actor: Actor) -> Route:
        """The step's route from `state`, or the named refusal `check_step` documents."""
        route = self.routes.get((state, trigger))
        if route is None:
            if trigger not in self.machine.events:
                raise NotFound(f"Langkah '{trigger}' tidak dikenal")
            rules = self.rule_set
            allowed = (
                ", ".join(
                    dict.fromkeys(f'"{rules.step_label(t)}"' for t in self.allowed_triggers(state))
                )
                or "tidak ada (status akhir)"
            )
            raise TransitionNotAllowed(
                f'Langkah "{rules.step_label(trigger)}" tidak dapat dilakukan pada status '
                f'"{rules.state_label(state)}"; langkah yang mungkin: {allowed}'
            )
        if actor.role not in route.roles and actor.role is not Role.ADMIN:
            rules = self.rule_set
            wanted = ", ".join(sorted(rules.role_label(role) for role in route.roles))
            raise PermissionDenied(
                f"Peran {rules.role_label(actor.role)} tidak berwenang melakukan langkah "
                f'"{rules.step_label(trigger)}" (berwenang: {wanted})'
            )
        return route

    def run_machine(self, state: str, trigger: str, ctx: StepContext) -> TransitionSpec | None:
        """The branch the `transitions` Machine itself takes (the reference the table follows)."""
        position = Position(state)
        moved = self.machine.events[trigger].trigger(position, ctx=ctx)
        return position.fired if moved else None

    def decide(
        self,
        case: Case,
        trigger: str,
        data: dict[str, Any],
        actor: Actor,
        at: datetime,
        calendar: WorkingCalendar,
    ) -> list[PendingEvent]:
        """The events one step records, or a named error (and nothing to record)."""
        route = self.route(case.state, trigger, actor)
        missing = [name for name in route.required if _is_blank(data.get(name))]
        if missing:
            rules = self.rule_set
            needed = ", ".join(rules.field_label(name) for name in missing)
            raise InvalidInput(f'Langkah "{rules.step_label(trigger)}" memerlukan: {needed}')
        ctx = StepContext(
            case=case,
            data=data,
            at=at,
            actor=actor,
            rule_set=self.rule_set,
            calendar=calendar,
            zone=timezone_for(case.region_code),
        )
        override = None
        if (case.state, trigger) in self.deadline_steps:
            override = deadline_has_passed(ctx)
        elif data.get("override_reason") is not None:
            rules = self.rule_set
            raise InvalidInput(
                f'"{rules.field_label("override_reason")}" tidak berlaku untuk langkah '
                f'"{rules.step_label(trigger)}"'
            )
        spec = route.choose(ctx)
        if spec is None:
            raise TransitionNotAllowed(
                f'Tidak ada cabang langkah "{self.rule_set.step_label(trigger)}" yang berlaku '
                "saat ini"
            )
        terminal = spec.dest in self.terminal
        payload: dict[str, Any] = {
            "trigger": trigger,
            "from": case.state,
            "to": spec.dest,
            "terminal": terminal,
            "letters": list(spec.letters),
            "data": data,
        }
        if override is not None:
            payload["deadline_override"] = override
        step = PendingEvent(spec.event, actor, at, payload)
        if spec.keeps_deadline:
            return [step]
        met, new = entering(
            self.entries[spec.dest], case, at, data, actor, self.rule_set, calendar, ctx.zone
        )
        lifted = []
        if spec.lifts_siasn_block and case.siasn_blocked:
            lifted.append(
                PendingEvent(
                    SIASN_BLOCK_LIFTED,
                    actor,
                    at,
                    {
                        "by_step": trigger,
                        "citation": self.rule_set.law("perban_bkn_1_2023"),
                    },
                )
            )
        return [*met, step, *lifted, *new]


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@cache
def lifecycle_for(version: str) -> Lifecycle:
    """The shared Lifecycle (and Machine) of a rule-set version."""
    return Lifecycle(load_rule_set(version))


def open_case(
    case_id: str,
    facts: dict[str, Any],
    actor: Actor,
    at: datetime,
    rule_set: RuleSet,
    calendar: WorkingCalendar,
) -> list[PendingEvent]:
    """`case_opened` plus the first deadline (the kajian awal of a received report)."""
    initial = rule_set.lifecycle.initial
    opened = PendingEvent(CASE_OPENED, actor, at, {**facts, "state": initial})
    draft = Case.replay(case_id, [record(case_id, 1, opened, at, rule_set.version, GENESIS_HASH)])
    return [opened, *on_entering(draft, initial, at, facts, actor, rule_set, calendar)]
