"""A step's data fields across the installed rule-set versions, for interfaces built once for
every case (the CLI's step commands): a case keeps the version it was opened under, so a field
one version requires may be optional, or unknown, under another.
"""

from __future__ import annotations

from dataclasses import dataclass

from rules.ruleset import available_versions, load_rule_set


@dataclass(frozen=True)
class StepField:
    """One data field of a step: whether every version with the step requires it, and the
    versions that do."""

    name: str
    required_by: tuple[str, ...]  # the installed versions whose step requires it
    always_required: bool  # required by every installed version that has the step


def step_fields_everywhere(trigger: str) -> list[StepField]:
    """The step's fields in every installed version that has it: the newest version's order
    first, then fields only older versions list."""
    versions = [v for v in available_versions() if load_rule_set(v).transitions(trigger)]
    order: list[str] = []
    required_by: dict[str, list[str]] = {}
    for version in reversed(versions):
        required, optional = load_rule_set(version).step_fields(trigger)
        for name in [*required, *optional]:
            if name not in required_by:
                order.append(name)
                required_by[name] = []
        for name in required:
            required_by[name].append(version)
    return [
        StepField(
            name,
            tuple(sorted(required_by[name])),
            bool(versions) and len(required_by[name]) == len(versions),
        )
        for name in order
    ]
