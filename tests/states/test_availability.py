"""Which steps a case can take now: guards that refuse on the case alone hide a step; guards
that need the step's data leave it offered (the step checks everything when taken)."""

from __future__ import annotations

from datetime import timedelta

from cases import queries
from cases.bootstrap import unit_of_work
from cases.demo import load_demo_with_logins
from rules.calendar import WorkingCalendar
from rules.models import Role
from states.availability import open_triggers
from states.canonical import parse_utc
from states.events import Actor

KDR = "DEMO-KDR-1"  # recommended to the PPK, disiplin berat, BKN's follow-up deadline running


def test_disiplin_case_offers_a_summons_never_an_ethics_council(db_url: str) -> None:
    load_demo_with_logins(unit_of_work(db_url))
    case = queries.get_case(unit_of_work(db_url), "admin", KDR)
    ppk = Actor("bkpsdm.kediri", Role.PPK, "PEMDA-3571")
    at = parse_utc(case.deadline.due_at) + timedelta(days=1)  # type: ignore[union-attr]
    found = set(open_triggers(case, ppk, at, WorkingCalendar([], case.region_code)))
    assert "summon" in found and "convene_ethics_council" not in found


def test_a_step_the_law_ties_to_a_missed_deadline_waits_for_it(db_url: str) -> None:
    load_demo_with_logins(unit_of_work(db_url))
    case = queries.get_case(unit_of_work(db_url), "admin", KDR)
    assert case.deadline is not None
    due = parse_utc(case.deadline.due_at)
    calendar = WorkingCalendar([], case.region_code)
    bkn = Actor("bkn.analis", Role.BKN, "BKN")
    admin = Actor("admin", Role.ADMIN, "NETRA")
    assert "warn_ppk" not in set(open_triggers(case, bkn, due - timedelta(days=1), calendar))
    assert "warn_ppk" in set(open_triggers(case, bkn, due + timedelta(minutes=1), calendar))
    # an administrator may go earlier, with a recorded reason the form asks for
    assert "warn_ppk" in set(open_triggers(case, admin, due - timedelta(days=1), calendar))
