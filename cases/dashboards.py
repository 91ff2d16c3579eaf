"""Dashboard figures, computed in SQL inside the reader's permission (the policy's `read_scope`):
cases by stage, by region and by violation; deadline compliance per institution; follow-up
accountability per PPK (recommendations past their deadline, escalations, median days from
BKN's first recommendation to the first sanction — the last two from the events alone,
aggregated in SQL; tests/cases/test_read_paths.py checks every figure against a replay of
every case's events filtered by the policy)."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Float, and_, case, cast, func, literal, select

from cases.access import acting, read_scope, subject_of
from db.case_repository import ReadScope, apply_scope
from db.schema import CaseEventRow, CaseRow
from db.unit_of_work import UnitOfWork

RECOMMENDED_TO_PPK = "recommended_to_ppk"  # the event of BKN's recommendation to the PPK
SANCTION_IMPOSED = "sanction_imposed"
ETHICS_DECIDED = "ethics_decided"  # the PPK's moral sanction on the Majelis Kode Etik's advice
SANCTIONS = (SANCTION_IMPOSED, ETHICS_DECIDED)
PPK_ESCALATED = "ppk_escalated"
WAITING_ON_PPK = ("recommended_to_ppk", "ppk_noncompliant")
FOLLOW_UP_EVENTS = (RECOMMENDED_TO_PPK, *SANCTIONS, PPK_ESCALATED)


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
    median_days: float | None = None  # from BKN's recommendation to the sanction


@dataclass(frozen=True)
class Dashboard:
    by_state: dict[str, int]
    by_region: dict[str, int]
    by_violation: dict[str, int]
    compliance: list[Compliance]
    follow_up: list[FollowUp]
    total: int


def dashboard(uow: UnitOfWork, officer_id: str, now: datetime) -> Dashboard:
    """Every figure is an aggregate in SQL: one pass over the readable cases grouped by the
    columns the tables need, one over the follow-up events; Python merges the groups."""
    with uow:
        actor, _ = acting(uow, officer_id)
        scope = read_scope(subject_of(uow, actor))
        dialect = uow.session.get_bind().dialect.name
        overdue = and_(CaseRow.deadline_at.is_not(None), CaseRow.deadline_at <= now)
        columns = (
            CaseRow.state,
            CaseRow.region_code,
            CaseRow.violation_codes,
            CaseRow.ppk_institution,
            CaseRow.bawaslu_office,
            CaseRow.deadline_owner,
            CaseRow.is_open,
            CaseRow.deadline_missed,
            case((overdue, 1), else_=0),
        )
        groups = uow.session.execute(
            apply_scope(select(*columns, func.count()), scope).group_by(*columns)
        ).all()
        follow_rows = uow.session.execute(_follow_up_query(scope, dialect)).all()
        gaps = _gaps_by_ppk(uow, scope) if dialect != "postgresql" else {}
    tally = _Tally()
    for row in groups:
        tally.add(*row)
    follow = tally.follow
    for ppk, escalated, sanctioned, median in follow_rows:
        item = follow.setdefault(ppk, FollowUp(ppk))
        item.escalated, item.sanctioned = int(escalated or 0), int(sanctioned or 0)
        if ppk in gaps:
            median = statistics.median(gaps[ppk])
        item.median_days = round(float(median), 1) if median is not None else None
    return Dashboard(
        by_state=dict(tally.by_state),
        by_region=dict(sorted(tally.by_region.items())),
        by_violation=dict(sorted(tally.by_violation.items())),
        compliance=sorted(
            (Compliance(str(i), n, o, m) for i, (n, o, m) in tally.compliance.items()),
            key=lambda c: (-c.overdue, c.institution),
        ),
        follow_up=sorted(follow.values(), key=lambda f: (-f.waiting_past_deadline, f.ppk)),
        total=sum(tally.by_state.values()),
    )


@dataclass
class _Tally:
    """The dashboard's counters, filled from grouped rows of the cases."""

    by_state: Counter[str] = field(default_factory=Counter)
    by_region: Counter[str] = field(default_factory=Counter)
    by_violation: Counter[str] = field(default_factory=Counter)
    compliance: dict[str | None, tuple[int, int, int]] = field(default_factory=dict)
    follow: dict[str, FollowUp] = field(default_factory=dict)

    def add(
        self,
        state: str | None,
        region: str | None,
        codes: list[str] | None,
        ppk: str | None,
        office: str,
        owner_role: str | None,
        is_open: bool,
        missed: bool,
        overdue: int,
        n: int,
    ) -> None:
        if state is not None:
            self.by_state[state] += n
        if region is not None:
            self.by_region[region] += n
        for code in codes or []:
            self.by_violation[code] += n
        if is_open and owner_role is not None:
            owner = {"ppk": ppk, "bkn": "BKN"}.get(owner_role, office)
            total, late, lapsed = self.compliance.get(owner, (0, 0, 0))
            self.compliance[owner] = (total + n, late + n * overdue, lapsed + n * int(missed))
        if ppk is not None:
            item = self.follow.setdefault(ppk, FollowUp(ppk))
            item.recommended += n
            if state in WAITING_ON_PPK and overdue:
                item.waiting_past_deadline += n


def _firsts(scope: ReadScope) -> Any:
    """Per readable case with a PPK: when BKN first recommended it to the PPK, when it was
    first sanctioned (imposed after an examination or decided on the Majelis Kode Etik's
    advice), and whether it was escalated — from the events alone, read in case order from
    the partial index ix_case_events_follow_up without touching the events' heap."""

    def earliest(*types: str) -> Any:
        return func.min(case((CaseEventRow.event_type.in_(types), CaseEventRow.occurred_at)))

    per_case = (
        select(
            CaseEventRow.case_id,
            earliest(RECOMMENDED_TO_PPK).label("recommended_at"),
            earliest(*SANCTIONS).label("sanctioned_at"),
            func.max(case((CaseEventRow.event_type == PPK_ESCALATED, 1), else_=0)).label("esc"),
        )
        .where(CaseEventRow.event_type.in_(FOLLOW_UP_EVENTS))
        .group_by(CaseEventRow.case_id)
        .subquery("events_of_case")
    )
    return apply_scope(
        select(
            CaseRow.ppk_institution.label("ppk"),
            per_case.c.recommended_at,
            per_case.c.sanctioned_at,
            per_case.c.esc,
        )
        .select_from(per_case)
        .join(CaseRow, CaseRow.id == per_case.c.case_id)
        .where(CaseRow.ppk_institution.is_not(None)),
        scope,
    ).subquery("per_case")


def _follow_up_query(scope: ReadScope, dialect: str) -> Any:
    """Per PPK: escalated cases, sanctioned cases and (on PostgreSQL) the median gap in days."""
    per_case = _firsts(scope)
    both = and_(per_case.c.recommended_at.is_not(None), per_case.c.sanctioned_at.is_not(None))
    if dialect == "postgresql":
        seconds = func.extract("epoch", per_case.c.sanctioned_at - per_case.c.recommended_at)
        days = cast(seconds, Float) / 86400
        median: Any = func.percentile_cont(0.5).within_group(case((both, days)))
    else:
        median = literal(None)
    return select(
        per_case.c.ppk,
        func.sum(per_case.c.esc),
        func.count(per_case.c.sanctioned_at),
        median,
    ).group_by(per_case.c.ppk)


def _gaps_by_ppk(uow: UnitOfWork, scope: ReadScope) -> dict[str, list[float]]:
    """SQLite has no percentile: the per-case gaps in days, for the median in Python."""
    per_case = _firsts(scope)
    gaps: dict[str, list[float]] = defaultdict(list)
    query = select(per_case.c.ppk, per_case.c.recommended_at, per_case.c.sanctioned_at).where(
        per_case.c.recommended_at.is_not(None), per_case.c.sanctioned_at.is_not(None)
    )
    for ppk, recommended, sanctioned in uow.session.execute(query):
        gaps[ppk].append((_instant(sanctioned) - _instant(recommended)).total_seconds() / 86400)
    return gaps


def _instant(value: datetime | str) -> datetime:
    """SQLite hands back an aggregate over a datetime column as text."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value
