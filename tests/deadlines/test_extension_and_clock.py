"""Extensions only within the legal maximum; clock stop/resume only where the law allows it."""

from __future__ import annotations

from datetime import date

import pytest

from cases.deadlines import extend_deadline, resume_clock, stop_clock
from db.unit_of_work import UnitOfWork
from rules.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from tests.cases.helpers import database_dump
from tests.conftest import wib
from tests.deadlines.builders import case_at_ppk, open_in

BAWASLU = "bawaslu.kediri"


def _registered_pemilu(uow: UnitOfWork) -> None:
    from cases.commands import advance

    open_in(uow, "T-REG", wib("2024-04-01T09:00"), election_type="pemilu")
    advance(
        uow, BAWASLU, "T-REG", "register", {"registration_number": "1/Reg"}, wib("2024-04-01T14:00")
    )


def test_registered_pemilu_deadline_and_its_legal_maximum(demo_uow: UnitOfWork) -> None:
    _registered_pemilu(demo_uow)
    with demo_uow:
        deadline = demo_uow.cases.get("T-REG").deadline
    # UU 7/2017 Pasal 454: 7 days from registration on Mon 1 Apr -> Mon 8 Apr (calendar days),
    # extendable to at most 14 working days: 2-5 Apr (4), 16-19 (8), 22-26 (13), 29 Apr (14).
    assert deadline is not None
    assert (deadline.due_on, deadline.max_due_on) == ("2024-04-08", "2024-04-29")


def test_extension_beyond_the_legal_maximum_is_refused_and_writes_nothing(
    demo_uow: UnitOfWork,
) -> None:
    _registered_pemilu(demo_uow)
    before = database_dump(demo_uow.engine)
    with pytest.raises(TransitionNotAllowed, match="melampaui batas hukum 2024-04-29"):
        extend_deadline(
            demo_uow,
            BAWASLU,
            "T-REG",
            date(2024, 4, 30),
            "Perlu keterangan ahli",
            wib("2024-04-05T10:00"),
        )
    assert database_dump(demo_uow.engine) == before


def test_extension_within_the_maximum_is_recorded_with_reason_and_officer(
    demo_uow: UnitOfWork,
) -> None:
    _registered_pemilu(demo_uow)
    case = extend_deadline(
        demo_uow,
        BAWASLU,
        "T-REG",
        date(2024, 4, 29),
        "Perlu keterangan tambahan",
        wib("2024-04-05T10:00"),
    )
    assert case.deadline is not None
    assert (case.deadline.due_on, case.deadline.extensions) == ("2024-04-29", 1)
    with demo_uow:
        last = demo_uow.events.load("T-REG")[-1]
    assert last.event_type == "deadline_extended"
    assert last.actor.user_id == BAWASLU
    assert last.payload["reason"] == "Perlu keterangan tambahan"
    assert last.payload["previous_due_on"] == "2024-04-08"


def test_extension_needs_a_reason_the_owner_and_a_rule_that_allows_it(
    demo_uow: UnitOfWork,
) -> None:
    _registered_pemilu(demo_uow)
    at = wib("2024-04-05T10:00")
    with pytest.raises(InvalidInput):
        extend_deadline(demo_uow, BAWASLU, "T-REG", date(2024, 4, 20), "  ", at)
    with pytest.raises(PermissionDenied):
        extend_deadline(demo_uow, "bkpsdm.kediri", "T-REG", date(2024, 4, 20), "x", at)
    with pytest.raises(PermissionDenied):
        extend_deadline(demo_uow, "bawaslu.pasuruan", "T-REG", date(2024, 4, 20), "x", at)
    case_at_ppk(demo_uow, "T-PPK", wib("2024-11-20T10:00"))
    with pytest.raises(TransitionNotAllowed, match="tidak dapat diperpanjang"):
        extend_deadline(
            demo_uow, "bkpsdm.kediri", "T-PPK", date(2024, 12, 20), "x", wib("2024-11-21T10:00")
        )


def test_objection_clock_stops_and_resumes_with_the_working_days_left(
    demo_uow: UnitOfWork,
) -> None:
    ppk = "bkpsdm.sukabumi"
    with demo_uow:
        running = demo_uow.cases.get("DEMO-SKB-1").deadline
    # Objection filed Thu 28 Nov 2024: 21 working days -> 28 Dec... counted by hand:
    # 29 Nov (1), 2-6 Dec (6), 9-13 (11), 16-20 (16), 23, 24 (18), 25 Natal, 26 cuti bersama,
    # 27 (19), 30, 31 Dec (21) -> Tue 31 Dec 2024.
    assert running is not None and running.due_on == "2024-12-31"
    stopped = stop_clock(
        demo_uow, ppk, "DEMO-SKB-1", "Menunggu pertimbangan BPASN", wib("2024-12-02T09:00")
    )
    assert stopped.deadline is not None and stopped.deadline.alarm_at is None
    with pytest.raises(TransitionNotAllowed):
        stop_clock(demo_uow, ppk, "DEMO-SKB-1", "lagi", wib("2024-12-03T09:00"))
    resumed = resume_clock(demo_uow, ppk, "DEMO-SKB-1", wib("2024-12-09T09:00"))
    # Stopped on Mon 2 Dec with 19 working days left (3 Dec .. 31 Dec); resumed Mon 9 Dec:
    # 10-13 Dec (4), 16-20 (9), 23, 24 (11), 27 (12), 30, 31 (14), 2, 3 Jan (16), 6-8 Jan (19).
    assert resumed.deadline is not None
    assert resumed.deadline.due_on == "2025-01-08"
    assert resumed.deadline.stopped_at is None


def test_clock_stop_is_refused_where_the_law_does_not_allow_it(demo_uow: UnitOfWork) -> None:
    before = database_dump(demo_uow.engine)
    with pytest.raises(TransitionNotAllowed, match="tidak diperbolehkan"):
        stop_clock(demo_uow, "bkpsdm.kediri", "DEMO-KDR-1", "alasan", wib("2024-10-20T09:00"))
    assert database_dump(demo_uow.engine) == before
