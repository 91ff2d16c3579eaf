"""Tugas saya: the open cases waiting on this officer's institution, soonest deadline first.

A case waits on an institution when the running deadline's owner is its role and the case is
its own: a Bawaslu office's cases, a PPK's addressed cases, every case at the BKN stage for
BKN. Auditors and administrators have no work list. The filter is SQL, so a page of the list
holds only such cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, select, true

from cases.access import acting, visible
from db.schema import CaseRow
from db.unit_of_work import UnitOfWork
from rules.models import Role
from states.case import Case
from states.events import Actor

DUE_SOON = timedelta(days=3)


@dataclass(frozen=True)
class WorkItem:
    """One case on the list: the case, whether it is mine, overdue or due soon."""

    case: Case
    mine: bool
    overdue: bool
    due_soon: bool


@dataclass(frozen=True)
class Worklist:
    items: list[WorkItem]
    total: int
    per_state: dict[str, int]


def _waiting_on(actor: Actor) -> ColumnElement[bool]:
    open_and_owned = and_(CaseRow.is_open == true(), CaseRow.deadline_owner == actor.role.value)
    if actor.role is Role.BAWASLU:
        return and_(open_and_owned, CaseRow.bawaslu_office == actor.institution)
    if actor.role is Role.PPK:
        return and_(open_and_owned, CaseRow.ppk_institution == actor.institution)
    if actor.role is Role.BKN:
        return open_and_owned
    return false()


def worklist(
    uow: UnitOfWork, officer_id: str, now: datetime, limit: int = 50, offset: int = 0
) -> Worklist:
    """The cases waiting on me and my institution, by due date (mine first on a tie)."""
    with uow:
        actor, _ = acting(uow, officer_id)
        where = _waiting_on(actor)
        # the page's ids from the index alone (ix_cases_work_*), then just their snapshots
        rows = uow.session.execute(
            select(CaseRow.id, CaseRow.assignee)
            .where(where)
            .order_by(
                CaseRow.deadline_at.asc().nulls_last(),
                (CaseRow.assignee != actor.user_id),
                CaseRow.id,
            )
            .limit(limit)
            .offset(offset)
        ).all()
        chosen = [case_id for case_id, _ in rows]
        cases = {c.case_id: c for c in uow.cases.snapshots(chosen, lambda q: q.where(where))}
        counts = uow.session.execute(
            select(CaseRow.state, func.count()).where(where).group_by(CaseRow.state)
        ).all()
    items = []
    for case_id, _assignee in rows:
        if case_id not in cases:
            continue  # changed by another officer between the two reads
        case = visible(actor, cases[case_id])
        due = _due_at(case)
        overdue = due is not None and due <= now
        items.append(
            WorkItem(
                case=case,
                mine=case.assignee == actor.user_id,
                overdue=overdue,
                due_soon=due is not None and not overdue and due <= now + DUE_SOON,
            )
        )
    per_state: dict[str, Any] = {state: int(n) for state, n in counts}
    return Worklist(items, sum(per_state.values()), per_state)


def _due_at(case: Case) -> datetime | None:
    if case.deadline is None:
        return None
    return datetime.fromisoformat(case.deadline.due_at.replace("Z", "+00:00"))
