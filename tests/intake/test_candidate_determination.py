"""Before or after penetapan calon comes from the election schedule in rules/data, not from a
default flag; an officer overrides it only with a recorded reason."""

from __future__ import annotations

from datetime import date

import pytest

from cases.intake.overrides import override_determination
from cases.queries import get_case, timeline
from db.unit_of_work import UnitOfWork
from rules.elections import load_elections, parse_elections
from rules.errors import InvalidInput, RuleSetError, TransitionNotAllowed
from rules.ruleset import available_versions
from tests.cases.helpers import open_kediri
from tests.conftest import wib

SCHEDULE = b"""
version: "2024.1"
source: "test"
elections:
  - code: pilkada_2024
    election_type: pilkada
    title: Pilkada 2024
    period_start: "2024-01-26"
    period_end: "2025-02-20"
    candidate_determination: "2024-09-22"
    citation: {text: "PKPU 2/2024", source: "checked: test"}
    overrides:
      - region: "35"
        candidate_determination: "2024-09-25"
        citation: {text: "Keputusan KPU Provinsi", source: "verify: test"}
      - region: "35.71"
        candidate_determination: "2024-10-01"
        citation: {text: "Keputusan KPU Kota", source: "verify: test"}
"""


def test_every_rule_set_ships_a_valid_schedule_for_pemilu_and_pilkada_2024() -> None:
    for version in available_versions():
        schedule = load_elections(version)
        pilkada = schedule.determination("pilkada", "35.71", date(2024, 9, 22))
        assert pilkada is not None and pilkada.after and pilkada.election == "pilkada_2024"
        assert "PKPU 2/2024" in pilkada.citation
        before = schedule.determination("pilkada", "35.71", date(2024, 9, 21))
        assert before is not None and not before.after
        pemilu = schedule.determination("pemilu", "31.71", date(2023, 11, 12))
        assert pemilu is not None and not pemilu.after
        assert schedule.determination("pilkada", "35.71", date(2025, 7, 3)) is None
        for election in schedule.book.elections:
            assert election.citation.source.startswith(("checked:", "verify:"))


def test_a_regency_override_wins_over_its_province_which_wins_over_the_nation() -> None:
    schedule = parse_elections(SCHEDULE, "2024.1")
    day = date(2024, 9, 28)
    assert schedule.determination("pilkada", "32.75", day).after  # type: ignore[union-attr]
    east_java = schedule.determination("pilkada", "35.75", day)
    assert east_java is not None and east_java.after and east_java.region_override == "35"
    kediri = schedule.determination("pilkada", "35.71", day)
    assert kediri is not None and not kediri.after and kediri.region_override == "35.71"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (b'candidate_determination: "2024-09-22"', "di luar"),
        (b'region: "35"', "override ganda"),
        (b'region: "35"\n', "pattern"),
    ],
)
def test_an_invalid_schedule_is_refused_on_load(change: bytes, message: str) -> None:
    broken = {
        "di luar": SCHEDULE.replace(change, b'candidate_determination: "2026-01-01"', 1),
        "override ganda": SCHEDULE.replace(b'region: "35.71"', b'region: "35"'),
        "pattern": SCHEDULE.replace(change, b'region: "Jawa Timur"\n'),
    }[message]
    with pytest.raises(RuleSetError, match=message):
        parse_elections(broken, "2024.1")
    with pytest.raises(RuleSetError, match="versi"):
        parse_elections(SCHEDULE, "2025.1")


def test_a_pilkada_act_after_determination_is_a_discipline_case_without_any_flag(
    demo_uow: UnitOfWork,
) -> None:
    case = open_kediri(demo_uow, wib("2024-11-20T10:00"), after_determination=False)
    assert case.after_determination  # 14 Nov 2024 is after 22 Sep 2024


def test_an_explicit_after_before_the_schedules_date_is_kept_as_stated(
    demo_uow: UnitOfWork,
) -> None:
    case = open_kediri(
        demo_uow,
        wib("2024-09-20T10:00"),
        received_at="2024-09-20T09:00",
        known_at="2024-09-19T08:00",
        incident_at="2024-09-18T19:00",
    )
    assert case.after_determination
    before = open_kediri(
        demo_uow,
        wib("2024-09-20T10:00"),
        "T-2",
        received_at="2024-09-20T09:00",
        known_at="2024-09-19T08:00",
        incident_at="2024-09-18T19:00",
        after_determination=False,
    )
    assert not before.after_determination


def test_outside_any_known_election_the_officers_statement_stands(demo_uow: UnitOfWork) -> None:
    later = open_kediri(
        demo_uow,
        wib("2025-07-07T09:00"),
        "T-2025",
        received_at="2025-07-07T09:00",
        known_at="2025-07-04T08:00",
        incident_at="2025-07-03T19:00",
    )
    assert later.after_determination


def test_an_override_needs_a_reason_and_is_recorded_in_the_chain(demo_uow: UnitOfWork) -> None:
    now = wib("2024-11-20T10:00")
    open_kediri(demo_uow, now, after_determination=False)
    with pytest.raises(InvalidInput, match="alasan"):
        override_determination(demo_uow, "bawaslu.kediri", "T-1", False, " ", now)
    with pytest.raises(InvalidInput, match="tidak ada yang dikoreksi"):
        override_determination(demo_uow, "bawaslu.kediri", "T-1", True, "Sama", now)
    reason = "Yang didukung adalah bakal calon perseorangan yang tidak ditetapkan"
    case = override_determination(demo_uow, "bawaslu.kediri", "T-1", False, reason, now)
    assert case.after_determination is False
    assert get_case(demo_uow, "auditor", "T-1").after_determination is False
    event = timeline(demo_uow, "auditor", "T-1")[-1]
    assert event.event_type == "determination_overridden"
    assert event.payload["reason"] == reason and event.payload["previous"] is True
    assert event.payload["schedule"]["determined_on"] == "2024-09-22"
    with pytest.raises(TransitionNotAllowed):  # DEMO-KDR-1 is already at the PPK
        override_determination(demo_uow, "bawaslu.kediri", "DEMO-KDR-1", False, reason, now)
