"""Steps the law ties to a missed deadline are taken only once it has passed, by anyone.

`warn_ppk` and `escalate_ppk` (PPK ignored the recommendation, then the teguran) and
`lapse_objection_window` (no upaya administratif filed) used to be possible 19 days early and
the day after delivery. Now every actor is refused until the running deadline has passed; an
administrator may act earlier only with a recorded reason, which the timeline shows.
"""

from __future__ import annotations

import pytest

from cases import queries
from cases.commands import advance
from db.unit_of_work import UnitOfWork
from rules.errors import InvalidInput, TransitionNotAllowed
from tests.cases.helpers import count_events, step
from tests.cases.test_lifecycle import BKN, PPK, _to_examined, _to_ppk
from tests.conftest import wib


def test_ppk_warning_and_blocking_are_refused_before_their_deadlines_for_every_actor(
    demo_uow: UnitOfWork,
) -> None:
    case = _to_ppk(demo_uow)
    assert case.deadline is not None
    due = case.deadline.due_on  # 14 working days after 25 Nov 2024
    before = count_events(demo_uow.engine, "T-1")
    for who, at in (("system", "2024-11-26T08:00"), (BKN, "2024-11-26T08:00")):
        with pytest.raises(TransitionNotAllowed, match=f"setelah tenggat {due}"):
            advance(demo_uow, who, "T-1", "warn_ppk", {}, wib(at))
    # still refused on the due day itself: the deadline passes at midnight after it
    with pytest.raises(TransitionNotAllowed):
        advance(demo_uow, "system", "T-1", "warn_ppk", {}, wib(f"{due}T23:59"))
    assert count_events(demo_uow.engine, "T-1") == before
    case = advance(demo_uow, BKN, "T-1", "warn_ppk", {}, wib("2024-12-17T08:00"))
    assert case.state == "ppk_warned" and case.deadline is not None
    with pytest.raises(TransitionNotAllowed, match="setelah tenggat"):
        advance(demo_uow, "system", "T-1", "escalate_ppk", {}, wib("2024-12-18T08:00"))
    case = advance(demo_uow, "system", "T-1", "escalate_ppk", {}, wib("2025-01-06T08:00"))
    assert case.state == "ppk_noncompliant" and case.siasn_blocked


def test_objection_window_cannot_lapse_the_day_after_delivery(demo_uow: UnitOfWork) -> None:
    _to_examined(demo_uow)
    step(
        demo_uow,
        PPK,
        "T-1",
        "impose_sanction",
        wib("2024-12-18T10:00"),
        sanction_code="berat_pdhtaps",
        decree_number="1",
        decree_date="2024-12-18",
    )
    case = step(
        demo_uow,
        PPK,
        "T-1",
        "deliver_decree",
        wib("2024-12-19T10:00"),
        delivered_at="2024-12-19T09:00",
    )
    assert case.deadline is not None
    for who in ("system", PPK):
        with pytest.raises(TransitionNotAllowed, match="setelah tenggat"):
            advance(demo_uow, who, "T-1", "lapse_objection_window", {}, wib("2024-12-20T10:00"))
    assert (
        advance(
            demo_uow, "system", "T-1", "lapse_objection_window", {}, wib("2025-02-20T10:00")
        ).state
        == "sanction_final"
    )


def test_admin_overrides_only_with_a_reason_that_the_timeline_shows(
    demo_uow: UnitOfWork,
) -> None:
    _to_ppk(demo_uow)
    with pytest.raises(InvalidInput, match="Alasan pengecualian administrator"):
        advance(demo_uow, "admin", "T-1", "warn_ppk", {}, wib("2024-11-26T08:00"))
    with pytest.raises(TransitionNotAllowed):  # a reason does not let anyone else override
        advance(
            demo_uow,
            BKN,
            "T-1",
            "warn_ppk",
            {"override_reason": "Mendesak"},
            wib("2024-11-26T08:00"),
        )
    case = advance(
        demo_uow,
        "admin",
        "T-1",
        "warn_ppk",
        {"override_reason": "PPK menyatakan secara tertulis tidak akan menindaklanjuti"},
        wib("2024-11-26T08:00"),
    )
    assert case.state == "ppk_warned"
    events = queries.timeline(demo_uow, "auditor", "T-1")
    step_event = next(e for e in events if e.payload.get("trigger") == "warn_ppk")
    override = step_event.payload["deadline_override"]
    assert override["reason"].startswith("PPK menyatakan")
    assert override["by"] == "admin" and override["due_on"] > "2024-11-26"


def test_an_override_reason_is_refused_where_no_deadline_step_is_taken(
    demo_uow: UnitOfWork,
) -> None:
    _to_ppk(demo_uow)
    with pytest.raises(InvalidInput, match="tidak berlaku"):
        advance(
            demo_uow,
            PPK,
            "T-1",
            "summon",
            {
                "examination_at": "2024-12-20T09:00",
                "examination_place": "BKPSDM",
                "examiner_name": "Nur Aini",
                "examiner_nip": "198302142008012002",
                "override_reason": "x",
            },
            wib("2024-11-28T09:00"),
        )
