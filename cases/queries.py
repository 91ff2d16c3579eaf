"""Queries: a case, a filtered list, a timeline, and a case as it stood at a given instant."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from cases.access import acting, read_scope, require_read, subject_of, visible
from cases.policy import Action, Subject, allowed
from db.case_filter import CaseFilter
from rules.errors import NotFound
from states.case import Case
from states.events import EVIDENCE_ADDED, Actor, RecordedEvent

if TYPE_CHECKING:
    from db.reading import ReadingUnitOfWork
    from db.unit_of_work import UnitOfWork


def get_case(uow: ReadingUnitOfWork, officer_id: str, case_id: str) -> Case:
    with uow:
        actor, _ = acting(uow, officer_id)
        case = uow.cases.get(case_id)
        return readable_case(subject_of(uow, actor), case)


def readable_case(subject: Subject, case: Case) -> Case:
    """`get_case` inside an open unit of work: the stored case as this reader may see it
    (reporter identity removed outside Bawaslu); refused when it may not read the case."""
    require_read(subject, case)
    return visible(subject.actor, case)


def permitted_actions(
    uow: ReadingUnitOfWork, officer_id: str, case: Case, *actions: Action
) -> frozenset[Action]:
    """Which of `actions` (a note, a reassignment) this officer may take on the case: pages
    offer those forms only; the commands check again."""
    with uow:
        actor, _ = acting(uow, officer_id)
    return actions_permitted(actor, case, *actions)


def actions_permitted(actor: Actor, case: Case, *actions: Action) -> frozenset[Action]:
    """`permitted_actions` for an officer already read."""
    subject = Subject(actor)
    return frozenset(action for action in actions if allowed(subject, action, case))


def institution_name(uow: ReadingUnitOfWork, code: str) -> str:
    """The registered institution's name ("PEMDA-3571" as "Pemerintah Kota Kediri"); its code
    when it is not registered."""
    with uow:
        try:
            return uow.registry.institution(code).name
        except NotFound:
            return code


def list_cases(
    uow: UnitOfWork,
    officer_id: str,
    flt: CaseFilter | None = None,
    limit: int | None = 100,
    offset: int = 0,
) -> list[Case]:
    """Cases this officer may read, filtered; reporter identity redacted outside Bawaslu."""
    return list(iterate_cases(uow, officer_id, flt, limit=limit, offset=offset))


def iterate_cases(
    uow: UnitOfWork,
    officer_id: str,
    flt: CaseFilter | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Iterator[Case]:
    """Streams matching cases (constant memory), for exports and large lists.

    The reader's permission is part of the SQL filter, so LIMIT/OFFSET count only cases the
    reader may see.
    """
    with uow:
        actor, _ = acting(uow, officer_id)
        scoped = replace(flt or CaseFilter(), scope=read_scope(subject_of(uow, actor)))
        for case in uow.cases.iterate(scoped, limit=limit, offset=offset):
            yield visible(actor, case)


def count_cases(
    uow: UnitOfWork, officer_id: str, flt: CaseFilter | None = None, cap: int | None = None
) -> int:
    """How many cases match `flt` among those this officer may read (at most `cap`)."""
    with uow:
        actor, _ = acting(uow, officer_id)
        scoped = replace(flt or CaseFilter(), scope=read_scope(subject_of(uow, actor)))
        return uow.cases.count(scoped, cap)


def timeline(uow: UnitOfWork, officer_id: str, case_id: str) -> list[RecordedEvent]:
    """Every event of the case in order; reporter identity removed outside Bawaslu."""
    with uow:
        actor, _ = acting(uow, officer_id)
        case = uow.cases.get(case_id)
        return case_timeline(uow, subject_of(uow, actor), case)


def case_timeline(uow: UnitOfWork, subject: Subject, case: Case) -> list[RecordedEvent]:
    """`timeline` inside an open unit of work, for the stored (unredacted) case."""
    require_read(subject, case)
    events = uow.events.load(case.case_id)
    if visible(subject.actor, case) is case:
        return events
    return [_redact(event) for event in events]


def _redact(event: RecordedEvent) -> RecordedEvent:
    if event.event_type == EVIDENCE_ADDED and event.payload.get("internal"):
        hidden = {"file_name": "(internal Bawaslu)", "description": "(internal Bawaslu)"}
        return replace(event, payload={**event.payload, **hidden})
    if event.payload.get("reporter"):
        return replace(event, payload={**event.payload, "reporter": {"redacted": True}})
    return event


def replay_at(uow: UnitOfWork, officer_id: str, case_id: str, instant: datetime) -> Case:
    """The case as it stood at `instant`, rebuilt from the events recorded by then."""
    with uow:
        actor, _ = acting(uow, officer_id)
        current = uow.cases.get(case_id)
        require_read(subject_of(uow, actor), current)
        events = uow.events.load_until(case_id, instant)
    if not events:
        raise NotFound(f"Perkara {case_id} belum ada pada {instant.isoformat()}")
    return visible(actor, Case.replay(case_id, events))
