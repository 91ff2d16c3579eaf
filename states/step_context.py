"""The step context: everything a guard or branch selector may look at when a step is decided.

A guard takes a `StepContext` (the case before the step, the step's data, the instant, the
actor, the rule-set and the region's calendar) and raises with the reason it refuses; a
branch selector (`when`) returns a bool instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from rules.calendar import WorkingCalendar, local_date
from rules.ruleset import RuleSet
from states.canonical import parse_utc
from states.case import Case
from states.events import Actor


@dataclass(frozen=True)
class StepContext:
    """Everything a guard may look at; nothing else (no clock, no database)."""

    case: Case
    data: dict[str, Any]
    at: datetime
    actor: Actor
    rule_set: RuleSet
    calendar: WorkingCalendar
    zone: ZoneInfo

    def local(self, instant: datetime | str) -> date:
        if isinstance(instant, str):
            instant = parse_utc(instant)
        return local_date(instant, self.zone)

    @property
    def today(self) -> date:
        return self.local(self.at)

    def justified(self) -> bool:
        return bool(str(self.data.get("justification", "")).strip())

    def field(self, name: str) -> str:
        """A step field as a refusal names it: its label, quoted (no official reads a code)."""
        return f'"{self.rule_set.field_label(name)}"'

    def step(self, trigger: str) -> str:
        """A step as a refusal names it: its label, quoted."""
        return f'"{self.rule_set.step_label(trigger)}"'


Guard = Callable[[StepContext], None]
Selector = Callable[[StepContext], bool]
