"""The optimised read paths (issue 12) answer exactly what the plain semantics answer.

Each reference below is the unoptimised meaning, written in Python over every case replayed
from its events and filtered by the policy itself (`allowed(subject, READ, case)`): the
dashboard (the follow-up figures from the events alone), the filtered and paged case list
with its count, and Tugas saya. The services must return the same, for readers of every
role, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime

import pytest

from bench.common import LIFECYCLE, walk
from cases.access import acting, subject_of
from cases.commands import add_note
from cases.dashboards import (
    PPK_ESCALATED,
    RECOMMENDED_TO_PPK,
    SANCTION_IMPOSED,
    SANCTIONS,
    WAITING_ON_PPK,
    Compliance,
    Dashboard,
    FollowUp,
    dashboard,
)
from cases.policy import Action, allowed
from cases.queries import count_cases, list_cases
from cases.sweep import sweep_case
from cases.worklist import worklist
from db.case_repository import CaseFilter, ReadScope
from db.unit_of_work import UnitOfWork
from rules.models import Role
from states.case import Case
from states.events import Actor, RecordedEvent
from tests.conftest import wib

READERS = [
    "admin",
    "auditor",
    "bkn.analis",
    "bawaslu.probolinggo",
    "bawaslu.kediri",
    "bawaslu.bekasi",
    "bkpsdm.probolinggo",
    "bkpsdm.kediri",
    "bkpsdm.sukabumi",
]
NOW = wib("2024-12-01T08:00")


@pytest.fixture
def world(demo_uow: UnitOfWork) -> UnitOfWork:
    """The demo cases, DEMO-KDR-1 warned then blocked (escalations), and Probolinggo cases
    walked to several stages (sanctions, a median over more than one case)."""
    sweep_case(demo_uow, "DEMO-KDR-1", wib("2024-11-20T08:00"))
    sweep_case(demo_uow, "DEMO-KDR-1", wib("2024-11-29T08:00"))
    for n, steps in enumerate((len(LIFECYCLE), len(LIFECYCLE), 6, 3, 0)):
        walk(demo_uow, f"RP-{n}", LIFECYCLE[:steps])
    add_note(
        demo_uow,
        "bawaslu.probolinggo",
        "RP-4",
        "Catatan 100% _bukan_ pola",
        wib("2024-09-01T08:00"),
    )
    return demo_uow


def _replayed(
    uow: UnitOfWork, officer: str
) -> tuple[Actor, list[tuple[Case, list[RecordedEvent]]]]:
    """The reader and every case it may read (by the policy), replayed from its events."""
    with uow:
        actor, _ = acting(uow, officer)
        subject = subject_of(uow, actor)
        found = []
        for case_id in uow.cases.ids():
            events = uow.events.load(case_id)
            case = Case.replay(case_id, events)
            if allowed(subject, Action.READ, case):
                found.append((case, events))
    return actor, found


def _due(case: Case) -> datetime | None:
    return datetime.fromisoformat(case.deadline.due_at) if case.deadline else None


def _reference_dashboard(uow: UnitOfWork, officer: str, now: datetime) -> Dashboard:
    _, readable = _replayed(uow, officer)
    states: Counter[str] = Counter(c.state for c, _ in readable)
    regions: Counter[str] = Counter(c.region_code for c, _ in readable)
    codes: Counter[str] = Counter(code for c, _ in readable for code in c.violation_codes)
    compliance: dict[str, list[int]] = {}
    follow: dict[str, FollowUp] = {}
    gaps: dict[str, list[float]] = {}
    for case, events in readable:
        due = _due(case)
        late = due is not None and due <= now
        if case.is_open and case.deadline is not None:
            owner = {"ppk": case.ppk_institution, "bkn": "BKN"}.get(
                case.deadline.owner, case.bawaslu_office
            )
            row = compliance.setdefault(str(owner), [0, 0, 0])
            row[0] += 1
            row[1] += int(late)
            row[2] += int(case.deadline.missed)
        if case.ppk_institution is None:
            continue
        item = follow.setdefault(case.ppk_institution, FollowUp(case.ppk_institution))
        item.recommended += 1
        item.waiting_past_deadline += int(case.state in WAITING_ON_PPK and late)
        first: dict[str, datetime] = {}  # the earliest instant of each kind of event
        for event in events:
            kind = SANCTION_IMPOSED if event.event_type in SANCTIONS else event.event_type
            first[kind] = min(first.get(kind, event.occurred_at), event.occurred_at)
        item.escalated += int(PPK_ESCALATED in first)
        item.sanctioned += int(SANCTION_IMPOSED in first)
        if SANCTION_IMPOSED in first and RECOMMENDED_TO_PPK in first:
            gap = first[SANCTION_IMPOSED] - first[RECOMMENDED_TO_PPK]
            gaps.setdefault(case.ppk_institution, []).append(gap.total_seconds() / 86400)
    for ppk, values in gaps.items():
        follow[ppk].median_days = round(statistics.median(values), 1)
    return Dashboard(
        by_state=dict(states),
        by_region=dict(sorted(regions.items())),
        by_violation=dict(sorted(codes.items())),
        compliance=sorted(
            (Compliance(k, *v) for k, v in compliance.items()),
            key=lambda c: (-c.overdue, c.institution),
        ),
        follow_up=sorted(follow.values(), key=lambda f: (-f.waiting_past_deadline, f.ppk)),
        total=len(readable),
    )


@pytest.mark.parametrize("officer", READERS)
def test_dashboard_equals_the_fold_of_the_events_within_the_readers_permission(
    world: UnitOfWork, officer: str
) -> None:
    found = dashboard(world, officer, NOW)
    assert found == _reference_dashboard(world, officer, NOW)


def test_the_follow_up_figures_are_not_trivial(world: UnitOfWork) -> None:
    """The fixture exercises what the dashboard computes: escalations, sanctions, medians."""
    follow = {f.ppk: f for f in dashboard(world, "bkn.analis", NOW).follow_up}
    assert follow["PEMDA-3571"].escalated == 1
    assert follow["PEMDA-3513"].sanctioned >= 3 and follow["PEMDA-3513"].median_days is not None
    assert follow["PEMDA-3513"].recommended >= 4
    assert dashboard(world, "bawaslu.bekasi", NOW).follow_up == []


def _matches(case: Case, flt: CaseFilter) -> bool:
    text = (flt.search or "").strip()
    due = _due(case)
    checks = [
        flt.state is None or case.state == flt.state,
        flt.region_code is None or case.region_code == flt.region_code,
        flt.violation_code is None or flt.violation_code in case.violation_codes,
        flt.election_type is None or case.election_type == flt.election_type,
        flt.overdue_at is None or (case.is_open and due is not None and due <= flt.overdue_at),
        not text
        or case.case_id == text
        or case.terlapor.get("nip") == text.replace(" ", "")
        or text.lower() in case.terlapor.get("name", "").lower()
        or text.lower() in case.summary.lower(),
    ]
    return all(checks)


FILTERS = [
    CaseFilter(),
    CaseFilter(state="closed"),
    CaseFilter(state="recommended_to_bkn", region_code="35.13"),
    CaseFilter(violation_code="NET-01"),
    CaseFilter(violation_code="NET-0"),
    CaseFilter(search="slamet", violation_code="NET-01"),
    CaseFilter(search="RP-2"),
    CaseFilter(search="1985 0312 2010 031003"),
    CaseFilter(search="baliho"),
    CaseFilter(search="%"),
    CaseFilter(search="_"),
    CaseFilter(search="nobody at all"),
    CaseFilter(overdue_at=NOW),
    CaseFilter(state="clarification", overdue_at=NOW),
    CaseFilter(election_type="pilkada", overdue_at=wib("2024-09-10T00:00")),
]


@pytest.mark.parametrize("officer", READERS)
def test_list_and_count_equal_the_policy_applied_case_by_case(
    world: UnitOfWork, officer: str
) -> None:
    _, readable = _replayed(world, officer)
    for flt in FILTERS:
        expected = sorted(
            (c for c, _ in readable if _matches(c, flt)), key=lambda c: (c.opened_at, c.case_id)
        )
        ids = [c.case_id for c in expected]
        assert count_cases(world, officer, flt) == len(ids), flt
        for cap in (1, 2, len(ids) + 1):  # a capped count stops at the cap, never above
            assert count_cases(world, officer, flt, cap) == min(len(ids), cap), (flt, cap)
        assert [c.case_id for c in list_cases(world, officer, flt, limit=None)] == ids, flt
        for limit, offset in ((2, 0), (2, 1), (3, 4), (5, len(ids))):
            page = list_cases(world, officer, flt, limit=limit, offset=offset)
            assert [c.case_id for c in page] == ids[offset : offset + limit], (flt, offset)


@pytest.mark.parametrize("officer", READERS)
def test_tugas_saya_equals_the_open_cases_waiting_on_the_reader(
    world: UnitOfWork, officer: str
) -> None:
    actor, readable = _replayed(world, officer)
    waiting = [
        c
        for c, _ in readable
        if c.is_open
        and c.deadline is not None
        and c.deadline.owner == actor.role.value
        and (
            actor.role is Role.BKN
            or (actor.role is Role.BAWASLU and c.bawaslu_office == actor.institution)
            or (actor.role is Role.PPK and c.ppk_institution == actor.institution)
        )
    ]
    waiting.sort(key=lambda c: (_due(c), c.assignee != actor.user_id, c.case_id))
    found = worklist(world, officer, NOW, limit=100)
    assert [i.case.case_id for i in found.items] == [c.case_id for c in waiting]
    assert found.per_state == dict(Counter(c.state for c in waiting))
    assert [i.mine for i in found.items] == [c.assignee == actor.user_id for c in waiting]
    pages = [worklist(world, officer, NOW, limit=2, offset=k) for k in range(0, len(waiting), 2)]
    assert [i.case.case_id for p in pages for i in p.items] == [c.case_id for c in waiting]


def test_a_page_rereads_its_snapshots_within_the_same_filter(world: UnitOfWork) -> None:
    """Ids first, snapshots second: a case that left the reader's filter in between (another
    transaction re-addressed it) is dropped from the page, not shown."""
    addressed = ReadScope(ppk_institution="PEMDA-3571")
    flt = CaseFilter(scope=addressed)
    with world:
        ids = ["DEMO-PBL-1", "DEMO-KDR-1", "NOT-A-CASE"]
        kept = world.cases.snapshots(ids, lambda query: world.cases.filtered(query, flt))
        assert [c.case_id for c in kept] == ["DEMO-KDR-1"]
        assert [c.case_id for c in world.cases.snapshots(ids)] == ids[:2]
