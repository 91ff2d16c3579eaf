"""Dashboard figures, computed in SQL inside the reader's permission (the policy's `read_scope`):
cases by stage, by region and by violation; deadline compliance per institution; follow-up
accountability per PPK (recommendations past their deadline, escalations, median days from
BKN's recommendation to the sanction — the last two from the events alone)."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, select

from cases.access import acting, read_scope, subject_of
from db.case_repository import apply_scope
from db.schema import CaseEventRow, CaseRow
from db.unit_of_work import UnitOfWork

RECOMMENDED_TO_PPK = "recommended_to_ppk"  # the event of BKN's recommendation to the PPK
SANCTION_IMPOSED = "sanction_imposed"
PPK_ESCALATED = "ppk_escalated"
WAITING_ON_PPK = ("recommended_to_ppk", "ppk_noncompliant")


@dataclass(frozen=True)
class Compliance:
    """Open cases whose deadline an institution owns: how many, how many past it."""

    institution: str
    open: int
    overdue: int
    missed: int


@dataclass
class FollowUp:
    """One PPK's record on BKN recommendations addressed to it."""

    ppk: str
    recommended: int = 0
    waiting_past_deadline: int = 0
    escalated: int = 0
    sanctioned: int = 0
    days_to_sanction: list[float] = field(default_factory=list)

    @property
    def median_days(self) -> float | None:
        return round(statistics.median(self.days_to_sanction), 1) if self.days_to_sanction else None


@dataclass(frozen=True)
class Dashboard:
    by_state: dict[str, int]
    by_region: dict[str, int]
    by_violation: dict[str, int]
    compliance: list[Compliance]
    follow_up: list[FollowUp]
    total: int


def dashboard(uow: UnitOfWork, officer_id: str, now: datetime) -> Dashboard:
    with uow:
        actor, _ = acting(uow, officer_id)
        scope = read_scope(subject_of(uow, actor))
        run = uow.session.execute

        def grouped(column: Any) -> dict[str, int]:
            query = apply_scope(select(column, func.count()).select_from(CaseRow), scope)
            return {str(k): int(n) for k, n in run(query.group_by(column)).all() if k is not None}

        by_state = grouped(CaseRow.state)
        by_region = grouped(CaseRow.region_code)
        violations: Counter[str] = Counter()
        for (codes,) in run(apply_scope(select(CaseRow.violation_codes), scope)):
            violations.update(codes or [])
        overdue = and_(CaseRow.deadline_at.is_not(None), CaseRow.deadline_at <= now)
        owner = case(
            (CaseRow.deadline_owner == "ppk", CaseRow.ppk_institution),
            (CaseRow.deadline_owner == "bkn", "BKN"),
            else_=CaseRow.bawaslu_office,
        )
        compliance_rows = run(
            apply_scope(
                select(
                    owner,
                    func.count(),
                    func.sum(case((overdue, 1), else_=0)),
                    func.sum(case((CaseRow.deadline_missed, 1), else_=0)),
                ).where(CaseRow.is_open, CaseRow.deadline_owner.is_not(None)),
                scope,
            ).group_by(owner)
        ).all()
        ppk_rows = run(
            apply_scope(
                select(
                    CaseRow.ppk_institution,
                    func.count(),
                    func.sum(case((and_(CaseRow.state.in_(WAITING_ON_PPK), overdue), 1), else_=0)),
                ).where(CaseRow.ppk_institution.is_not(None)),
                scope,
            ).group_by(CaseRow.ppk_institution)
        ).all()
        event_rows = run(
            apply_scope(
                select(
                    CaseRow.ppk_institution,
                    CaseEventRow.case_id,
                    CaseEventRow.event_type,
                    CaseEventRow.occurred_at,
                )
                .select_from(CaseEventRow)
                .join(CaseRow, CaseRow.id == CaseEventRow.case_id)
                .where(
                    CaseEventRow.event_type.in_(
                        (RECOMMENDED_TO_PPK, SANCTION_IMPOSED, PPK_ESCALATED)
                    ),
                    CaseRow.ppk_institution.is_not(None),
                ),
                scope,
            ).order_by(CaseEventRow.case_id, CaseEventRow.seq)
        ).all()
    follow: dict[str, FollowUp] = {}
    for ppk, n, late in ppk_rows:
        follow[ppk] = FollowUp(ppk, recommended=int(n), waiting_past_deadline=int(late or 0))
    firsts: dict[tuple[str, str], dict[str, datetime]] = defaultdict(dict)
    for ppk, case_id, event_type, occurred in event_rows:
        firsts[(ppk, case_id)].setdefault(event_type, occurred)
    for (ppk, _case_id), seen in firsts.items():
        item = follow.setdefault(ppk, FollowUp(ppk))
        if PPK_ESCALATED in seen:
            item.escalated += 1
        if SANCTION_IMPOSED in seen:
            item.sanctioned += 1
            if RECOMMENDED_TO_PPK in seen:
                gap = seen[SANCTION_IMPOSED] - seen[RECOMMENDED_TO_PPK]
                item.days_to_sanction.append(gap.total_seconds() / 86400)
    return Dashboard(
        by_state=by_state,
        by_region=dict(sorted(by_region.items())),
        by_violation=dict(sorted(violations.items())),
        compliance=sorted(
            (
                Compliance(str(i), int(n), int(o or 0), int(m or 0))
                for i, n, o, m in compliance_rows
            ),
            key=lambda c: (-c.overdue, c.institution),
        ),
        follow_up=sorted(follow.values(), key=lambda f: (-f.waiting_past_deadline, f.ppk)),
        total=sum(by_state.values()),
    )
