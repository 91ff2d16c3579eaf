"""The Indonesian labels a case's summary shows, without loading the rule models.

`netra case show` prints a state, a region, violations, a category, a sanction, a role and
escalations by their labels; the case list and the timeline add steps, events and the
violations' short titles. Building the validated rule set (pydantic models, cross-checks)
for that is most of a short command's start-up, so the labels one rule-set version gives are
kept as a small JSON view in the user's private cache folder (rules/document_cache.py: a
folder only this user may write, JSON only, never pickle), keyed by the SHA-256 of the
version's files. The view is written only from a rule set that passed the full validation
(`from_rule_set`); reading it checks its shape, and any problem (no private folder, missing
or malformed entry, other version) means loading and validating the rule set, as without it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from rules.document_cache import entry_name, private_folder, read_entry, write_entry
from rules.roles import Role
from rules.rule_files import read_rule_files
from rules.unknown_codes import (
    unknown_category,
    unknown_sanction,
    unknown_state,
    unknown_violation,
)

if TYPE_CHECKING:
    from rules.ruleset import RuleSet

FORMAT = b"netra-case-labels-3"


@dataclass(frozen=True)
class CaseLabels:
    """One rule-set version's labels for a case summary; lookups answer as RuleSet's do."""

    version: str
    states: dict[str, str]
    steps: dict[str, str]  # trigger -> label
    events: dict[str, str]  # event type -> label (a step's event: the step's label)
    regencies: dict[str, str]
    violations: dict[str, list[str]]  # code -> [label before, label after penetapan calon]
    violation_titles: dict[str, str]  # code -> short title (no annex row), for narrow lists
    categories: dict[str, str]
    sanctions: dict[str, str]
    roles: dict[str, str]
    escalations: dict[str, str]
    recommending_body: str  # its short name, e.g. BKN
    recommending_head: str  # as letters address it, e.g. Kepala Badan Kepegawaian Negara

    @classmethod
    def from_rule_set(cls, rules: RuleSet) -> CaseLabels:
        """The labels of a loaded (validated, cross-checked) rule set."""
        steps: dict[str, str] = {}
        events: dict[str, str] = {}
        for spec in rules.lifecycle.transitions:
            steps.setdefault(spec.trigger, spec.label)
            events.setdefault(spec.event, spec.label)
        return cls(
            version=rules.version,
            states={name: spec.label for name, spec in rules.states.items()},
            steps=steps,
            events={**events, **rules.labels.events},
            regencies=dict(rules.regions.regencies),
            violations={
                code: [rules.violation_label(code, False), rules.violation_label(code, True)]
                for code in rules.violations
            },
            violation_titles={code: v.short_title for code, v in rules.violations.items()},
            categories={code: category.name for code, category in rules.categories.items()},
            sanctions={code: sanction.name for code, sanction in rules.sanctions.items()},
            roles={role.value: label for role, label in rules.labels.roles.items()},
            escalations=dict(rules.labels.escalations),
            recommending_body=rules.legal.recommending_body.short_name,
            recommending_head=rules.legal.recommending_body.head_title,
        )

    @classmethod
    def from_json(cls, data: Any) -> CaseLabels | None:
        """The labels from a cache entry, or None when it is not exactly their shape."""
        if not isinstance(data, dict) or set(data) != set(cls.__dataclass_fields__):
            return None
        texts = ("version", "recommending_body", "recommending_head")
        if not all(isinstance(data[name], str) for name in texts):
            return None
        maps = ("states", "steps", "events", "regencies", "violation_titles", "categories")
        for name in (*maps, "sanctions", "roles", "escalations"):
            if not _text_map(data[name]):
                return None
        violations = data["violations"]
        if not isinstance(violations, dict) or not all(
            isinstance(code, str)
            and isinstance(pair, list)
            and len(pair) == 2
            and all(isinstance(label, str) for label in pair)
            for code, pair in violations.items()
        ):
            return None
        return cls(**data)

    def state_label(self, name: str) -> str:
        try:
            return self.states[name]
        except KeyError:
            raise unknown_state(name, self.version) from None

    def step_label(self, trigger: str) -> str:
        """A step's label, or its trigger when this version has no such step."""
        return self.steps.get(trigger, trigger)

    def event_label(self, event_type: str) -> str:
        """An event's label (a step's event: the step's), or its type when it has none."""
        return self.events.get(event_type, event_type)

    def region_name(self, code: str) -> str:
        """A kabupaten/kota's name, or its code when the catalog does not list it."""
        return self.regencies.get(code, code)

    def violation_label(self, code: str, after_determination: bool) -> str:
        try:
            return self.violations[code][1 if after_determination else 0]
        except KeyError:
            raise unknown_violation(code) from None

    def violation_title(self, code: str) -> str:
        """The violation's short title alone (lists too narrow for the annex row)."""
        try:
            return self.violation_titles[code]
        except KeyError:
            raise unknown_violation(code) from None

    def category_label(self, code: str) -> str:
        try:
            return self.categories[code]
        except KeyError:
            raise unknown_category(code) from None

    def sanction_label(self, code: str) -> str:
        try:
            return self.sanctions[code]
        except KeyError:
            raise unknown_sanction(code) from None

    def role_label(self, role: Role | str) -> str:
        return self.roles[Role(role).value]

    def escalation_label(self, kind: str) -> str:
        """An escalation's label, or its kind when the rule data has none."""
        return self.escalations.get(kind, kind)


def _text_map(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(key, str) and isinstance(text, str) for key, text in value.items()
    )


@cache
def case_labels(version: str) -> CaseLabels:
    """The labels of rule-set `version`: from the private cache when it holds them for exactly
    these files, else from the validated rule set (and stored for the next process)."""
    files = read_rule_files(version)
    folder = private_folder()
    path = folder / entry_name(files, "labels", FORMAT) if folder is not None else None
    if path is not None:
        found = CaseLabels.from_json(read_entry(path))
        if found is not None and found.version == version:
            return found
    from rules.ruleset import load_rule_set  # only when the cache cannot answer

    labels = CaseLabels.from_rule_set(load_rule_set(version))
    if folder is not None and path is not None:
        write_entry(folder, path, asdict(labels))
    return labels
