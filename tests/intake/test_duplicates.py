"""The likely-duplicate check the web form calls before opening a case, and the link."""

from __future__ import annotations

from datetime import date

import pytest

from cases.intake.duplicates import likely_duplicates, link_duplicate
from cases.queries import timeline
from db.unit_of_work import UnitOfWork
from rules.errors import InvalidInput, NotFound
from tests.cases.helpers import open_kediri
from tests.conftest import wib

KDR_NIP = "198503122010021003"  # DEMO-KDR-1, Kota Kediri, incident 2 October 2024 19:00 WIB


def test_same_nip_same_region_and_an_overlapping_date_is_a_likely_duplicate(
    demo_uow: UnitOfWork,
) -> None:
    found = likely_duplicates(demo_uow, "bawaslu.kediri", KDR_NIP, "35.71", date(2024, 10, 3))
    assert [c.case_id for c in found] == ["DEMO-KDR-1"]
    assert found[0].incident_on == date(2024, 10, 2)
    assert likely_duplicates(demo_uow, "bawaslu.kediri", KDR_NIP, "35.71", "2024-10-02T21:00")
    assert not likely_duplicates(demo_uow, "bawaslu.kediri", KDR_NIP, "35.71", date(2024, 10, 5))
    assert not likely_duplicates(demo_uow, "bawaslu.kediri", KDR_NIP, "35.75", date(2024, 10, 2))
    # another Bawaslu office may not learn of a case it cannot read
    assert not likely_duplicates(demo_uow, "bawaslu.pasuruan", KDR_NIP, "35.71", date(2024, 10, 2))
    with pytest.raises(InvalidInput, match="18 digit"):
        likely_duplicates(demo_uow, "bawaslu.kediri", "123", "35.71", date(2024, 10, 2))


def test_a_case_is_linked_to_the_case_it_duplicates(demo_uow: UnitOfWork) -> None:
    now = wib("2024-11-20T10:00")
    open_kediri(demo_uow, now)
    link_duplicate(demo_uow, "bawaslu.kediri", "T-1", "DEMO-KDR-1", "Laporan yang sama", now)
    event = timeline(demo_uow, "auditor", "T-1")[-1]
    assert event.event_type == "duplicate_linked"
    assert event.payload == {
        "duplicate_of": "DEMO-KDR-1",
        "reason": "Laporan yang sama",
        "source": "petugas",
    }
    with pytest.raises(InvalidInput, match="dirinya sendiri"):
        link_duplicate(demo_uow, "bawaslu.kediri", "T-1", "T-1", "x", now)
    with pytest.raises(NotFound):
        link_duplicate(demo_uow, "bawaslu.kediri", "T-1", "NOPE-1", "x", now)
    with pytest.raises(InvalidInput, match="tidak dapat Anda baca"):
        link_duplicate(demo_uow, "bawaslu.kediri", "T-1", "DEMO-PSR-1", "x", now)
