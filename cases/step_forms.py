"""The steps an officer may take now on a case, as forms: each field with its Indonesian label,
its kind (text, date, time, yes/no, list) and, where the law gives one, its pick-list (the
sanctions of the recommended category, the PPKs, the violation catalog, the officers for a
team). Web pages and the API render these; the services still check everything on submit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from cases.access import Action, acting, subject_of
from cases.calendar import calendar_for
from cases.fields import FIELD_PARSERS, _bool, _codes, _date, _instant, _list
from cases.policy import Subject, allowed
from db.unit_of_work import UnitOfWork
from rules.errors import NotFound
from rules.models import Role
from rules.ruleset import RuleSet, load_rule_set
from states.availability import open_triggers
from states.case import Case

FIXED_CHOICES: dict[str, list[tuple[str, str]]] = {
    "outcome": [("dikuatkan", "Dikuatkan"), ("diubah", "Diubah")],
    "objection_kind": [("keberatan", "Keberatan"), ("banding", "Banding administratif")],
}


@dataclass(frozen=True)
class FieldForm:
    name: str
    label: str
    required: bool
    kind: str  # text | longtext | datetime | date | bool | list | codes
    choices: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class StepForm:
    trigger: str
    label: str
    citation: str
    letters: list[str]
    fields: list[FieldForm]


LONG_TEXT = {"findings", "clarification_summary", "justification", "reason", "note"}


def _kind(name: str) -> str:
    parser = FIELD_PARSERS.get(name)
    if parser is _instant:
        return "datetime"
    if parser is _date:
        return "date"
    if parser is _bool:
        return "bool"
    if parser is _list:
        return "list"
    if parser is _codes:
        return "codes"
    return "longtext" if name in LONG_TEXT else "text"


def _choices(
    name: str, case: Case, rules: RuleSet, ppks: list[tuple[str, str]], team: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    if name in FIXED_CHOICES:
        return FIXED_CHOICES[name]
    if name == "sanction_code":
        wanted = case.recommended_category
        return [
            (s.code, s.name)
            for s in rules.sanctions.values()
            if wanted is None or s.category == wanted
        ]
    if name == "sanction_category":
        return [(code, c.name) for code, c in rules.categories.items()]
    if name == "ppk_institution":
        return ppks
    if name == "violation_codes":
        return [(code, rules.violation_label(code)) for code in sorted(rules.violations)]
    if name == "examination_team":
        return team
    return []


def _label(rules: RuleSet, name: str) -> str:
    try:
        return rules.field_label(name)
    except NotFound:  # a field the rule data does not label yet keeps its name
        return name


def allowed_steps(
    uow: UnitOfWork, officer_id: str, case: Case, now: datetime | None = None
) -> list[StepForm]:
    """The steps of the case's state that this officer may take, with their forms.

    With `now`, only the steps whose guards would not refuse on the case as it stands at
    that instant (states/availability.py): e.g. no ethics council on a disiplin case."""
    with uow:
        actor, _ = acting(uow, officer_id)
        return steps_open_to(uow, subject_of(uow, actor), case, now)


def steps_open_to(
    uow: UnitOfWork, subject: Subject, case: Case, now: datetime | None = None
) -> list[StepForm]:
    """`allowed_steps` inside an open unit of work, for an officer already read."""
    rules = load_rule_set(case.rule_set)
    actor = subject.actor
    if not allowed(subject, Action.STEP, case):
        return []
    open_now = (
        None
        if now is None
        else set(open_triggers(case, actor, now, calendar_for(uow, case.region_code)))
    )
    ppks = [(i.code, i.name) for i in uow.registry.institutions("ppk")]
    team = [
        (o.id, f"{o.name} ({o.id})")
        for o in uow.registry.officers()
        if o.active and o.institution_code == actor.institution
    ]
    forms: list[StepForm] = []
    seen: set[str] = set()
    for spec in rules.triggers_from(case.state):
        if spec.trigger in seen or not (actor.role in spec.roles or actor.role is Role.ADMIN):
            continue
        if open_now is not None and spec.trigger not in open_now:
            continue
        if Role.SYSTEM in spec.roles and len(spec.roles) == 1:
            continue
        seen.add(spec.trigger)
        required, optional = rules.step_fields(spec.trigger)
        optional = [*optional, *rules.fields_added_later(spec.trigger)]
        fields = [
            FieldForm(
                name,
                _label(rules, name),
                name in required,
                _kind(name),
                _choices(name, case, rules, ppks, team),
            )
            for name in [*required, *optional]
        ]
        forms.append(
            StepForm(
                spec.trigger,
                rules.step_label(spec.trigger),
                spec.citation.text,
                list(spec.letters),
                fields,
            )
        )
    return forms
