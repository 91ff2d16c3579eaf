"""Replay for auditors: a case as it stood at an instant, and what changed between two.

Both are rebuilt from events only (`Case.replay` over the events recorded by the instant);
the projection is never read for the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cases.queries import replay_at, timeline
from db.unit_of_work import UnitOfWork
from rules.errors import InvalidInput, NotFound
from states.case import Case
from states.events import RecordedEvent


@dataclass(frozen=True)
class Change:
    """One field that differs: dotted path, value before, value after."""

    path: str
    before: Any
    after: Any


@dataclass(frozen=True)
class CaseDiff:
    case_id: str
    start: datetime
    end: datetime
    before: Case
    after: Case
    changes: list[Change] = field(default_factory=list)
    events: list[RecordedEvent] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "from_version": self.before.version,
            "to_version": self.after.version,
            "changes": [
                {"path": c.path, "before": c.before, "after": c.after} for c in self.changes
            ],
            "events": [
                {
                    "seq": e.seq,
                    "event_type": e.event_type,
                    "occurred_at": e.occurred_at.isoformat(),
                    "actor": e.actor.user_id,
                }
                for e in self.events
            ],
        }


def summary(case: Case) -> dict[str, Any]:
    """What an auditor asks first: state, deadline, assignee, sanction, rules, version."""
    deadline = case.deadline
    return {
        "case_id": case.case_id,
        "version": case.version,
        "state": case.state,
        "rule_set": case.rule_set,
        "assignee": case.assignee,
        "ppk_institution": case.ppk_institution,
        "recommended_category": case.recommended_category,
        "sanction_code": case.sanction_code,
        "deadline": None
        if deadline is None
        else {
            "state": deadline.state,
            "owner": deadline.owner,
            "due_on": deadline.due_on,
            "due_at": deadline.due_at,
            "missed": deadline.missed,
            "stopped_at": deadline.stopped_at,
            "extensions": deadline.extensions,
            "citation": deadline.citation,
        },
        "escalations": [e.get("kind") for e in case.escalations],
        "letters": [f"{x['kind']} {x['number']}" for x in case.letters],
        "closed_at": case.closed_at,
        "head_hash": case.head_hash,
    }


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested dicts as dotted paths; lists and scalars are leaves."""
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        if not value and prefix:
            flat[prefix] = {}
        return flat
    return {prefix: value}


def field_changes(before: Case, after: Case) -> list[Change]:
    old, new = flatten(before.to_dict()), flatten(after.to_dict())
    return [
        Change(path, old.get(path), new.get(path))
        for path in sorted(set(old) | set(new))
        if old.get(path) != new.get(path)
    ]


def replay_or_empty(uow: UnitOfWork, officer_id: str, case_id: str, instant: datetime) -> Case:
    try:
        return replay_at(uow, officer_id, case_id, instant)
    except NotFound:
        with uow:
            if not uow.cases.exists(case_id):
                raise
        return Case(case_id)


def diff(
    uow: UnitOfWork, officer_id: str, case_id: str, start: datetime, end: datetime
) -> CaseDiff:
    """Field-level differences between the case at `start` and at `end`, with the events
    recorded in between (start exclusive, end inclusive)."""
    if end < start:
        raise InvalidInput("Waktu akhir harus setelah waktu awal")
    before = replay_or_empty(uow, officer_id, case_id, start)
    after = replay_or_empty(uow, officer_id, case_id, end)
    between = [
        e for e in timeline(uow, officer_id, case_id) if before.version < e.seq <= after.version
    ]
    return CaseDiff(case_id, start, end, before, after, field_changes(before, after), between)
