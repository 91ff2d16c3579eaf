"""Due dates on the real Indonesian calendar, checked against dates computed by hand."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from cases.calendar import add_override
from cases.deadlines import recompute_deadline
from db.schema import CaseEventRow
from db.unit_of_work import UnitOfWork
from rules.errors import InvalidInput, PermissionDenied
from tests.cases.helpers import database_dump
from tests.conftest import wib
from tests.deadlines.builders import case_at_ppk, open_in


def test_ppk_follow_up_skips_idul_fitri_2024_and_its_cuti_bersama(demo_uow: UnitOfWork) -> None:
    case = case_at_ppk(demo_uow, "T-APR", wib("2024-04-01T10:00"))
    # BKN recommends on Mon 1 Apr 2024; the PPK has 14 working days (hari kerja):
    #   2, 3, 4, 5 Apr                      -> 4
    #   8, 9 (cuti bersama), 10, 11 (Idul Fitri 1445 H), 12, 15 (cuti bersama): not counted
    #   16, 17, 18, 19 Apr                  -> 8
    #   22, 23, 24, 25, 26 Apr              -> 13
    #   29 Apr                              -> 14
    # (without the holidays it would have been Fri 19 Apr.)
    assert case.deadline is not None
    assert case.deadline.due_on == "2024-04-29"
    assert case.deadline.due_at == "2024-04-29T17:00:00Z"  # midnight after 29 Apr, WIB
    # Reminder 2 working days before: 26 Apr (1), 25 Apr (2) -> from the start of Thu 25 Apr.
    assert case.deadline.remind_at == "2024-04-24T17:00:00Z"


def test_ppk_follow_up_skips_the_27_november_2024_pilkada_holiday(demo_uow: UnitOfWork) -> None:
    case = case_at_ppk(demo_uow, "T-NOV", wib("2024-11-20T10:00"), "35.75")
    # Wed 20 Nov + 14 working days: 21, 22, 25, 26 (4); Wed 27 Nov is the Pilkada serentak
    # holiday; 28, 29 (6); 2-6 Dec (11); 9, 10, 11 Dec (14).
    assert case.deadline is not None
    assert case.deadline.due_on == "2024-12-11"
    assert case.deadline.remind_at == "2024-12-08T17:00:00Z"  # start of Mon 9 Dec, WIB


def test_kajian_awal_counts_calendar_days_even_over_cuti_bersama(demo_uow: UnitOfWork) -> None:
    case = open_in(demo_uow, "T-KAJ", wib("2024-04-09T09:00"))
    # Received Tue 9 Apr 2024 (cuti bersama); the kajian awal has 2 calendar days: 11 Apr,
    # although 9-11 Apr are all holidays.
    assert case.deadline is not None
    assert (case.deadline.state, case.deadline.due_on) == ("received", "2024-04-11")


def _holiday_on_2_december(uow: UnitOfWork, name: str, region: str) -> None:
    """An administrator's regional holiday on Mon 2 Dec 2024, added on 21 Nov."""
    add_override(uow, "admin", date(2024, 12, 2), name, wib("2024-11-21T08:00"), region_code=region)


def test_a_later_regional_holiday_moves_a_running_deadline_only_when_recomputed(
    demo_uow: UnitOfWork,
) -> None:
    case_at_ppk(demo_uow, "T-PSR", wib("2024-11-20T10:00"), "35.75")
    case_at_ppk(demo_uow, "T-KDR", wib("2024-11-20T10:00"), "35.71")
    _holiday_on_2_december(demo_uow, "Hari Jadi Kota Pasuruan", "35.75")
    with demo_uow:
        stored = demo_uow.cases.get("T-PSR")
    assert stored.deadline is not None and stored.deadline.due_on == "2024-12-11"  # unchanged

    case = recompute_deadline(
        demo_uow, "admin", "T-PSR", "SK Wali Kota: 2 Des libur daerah", wib("2024-11-21T09:00")
    )
    # 2 Dec is no longer a working day in Pasuruan, so the 14th day becomes Thu 12 Dec.
    assert case.deadline is not None and case.deadline.due_on == "2024-12-12"
    with demo_uow:
        types = (
            demo_uow.session.execute(
                select(CaseEventRow.event_type)
                .where(CaseEventRow.case_id == "T-PSR")
                .order_by(CaseEventRow.seq)
            )
            .scalars()
            .all()
        )
    assert types[-1] == "deadline_recomputed"

    # The Kediri case is not affected by Pasuruan's holiday: recompute records nothing.
    before = database_dump(demo_uow.engine)
    kediri = recompute_deadline(demo_uow, "admin", "T-KDR", "Cek kalender", wib("2024-11-21T09:00"))
    assert kediri.deadline is not None and kediri.deadline.due_on == "2024-12-11"
    assert database_dump(demo_uow.engine) == before


def test_recompute_is_refused_to_an_officer_of_another_role(demo_uow: UnitOfWork) -> None:
    case_at_ppk(demo_uow, "T-PSR", wib("2024-11-20T10:00"), "35.75")
    with pytest.raises(PermissionDenied):
        recompute_deadline(demo_uow, "bawaslu.pasuruan", "T-PSR", "x", wib("2024-11-21T09:00"))


def test_a_provincial_holiday_reaches_every_regency_of_its_province_and_no_other(
    demo_uow: UnitOfWork,
) -> None:
    for case_id, region in (("T-PSR", "35.75"), ("T-KDR", "35.71"), ("T-SKB", "32.72")):
        case_at_ppk(demo_uow, case_id, wib("2024-11-20T10:00"), region)
    with pytest.raises(InvalidInput, match="Kode provinsi '99' tidak dikenal"):
        _holiday_on_2_december(demo_uow, "X", "99")
    _holiday_on_2_december(demo_uow, "Hari Jadi Provinsi Jawa Timur", "35")
    due = {
        case_id: recompute_deadline(
            demo_uow, "admin", case_id, "SK Gubernur: 2 Des libur", wib("2024-11-21T09:00")
        ).deadline
        for case_id in ("T-PSR", "T-KDR", "T-SKB")
    }
    # the 14th working day from 20 Nov moves to Thu 12 Dec in Jawa Timur only
    assert {case_id: d.due_on if d else None for case_id, d in due.items()} == {
        "T-PSR": "2024-12-12",
        "T-KDR": "2024-12-12",
        "T-SKB": "2024-12-11",
    }
