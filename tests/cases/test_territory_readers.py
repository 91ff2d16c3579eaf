"""A Bawaslu office reads the cases of its territory (`cases.policy`: Bawaslu Provinsi its
province's, Bawaslu RI every case), and with a case everything that belongs to it: the case
page, its letters (list, read, verify), the audit bundle and the rule-set what-if. An office
of another province is refused all of them, and nothing is written. A provincial office is
registered with its province's code."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from cases import letters, queries
from cases.bundle_export import export_bundle
from cases.case_page import case_page
from cases.demo_registry import institutions
from cases.registry import add_institution, add_officer
from cases.whatif import whatif
from db.registry import Officer
from db.unit_of_work import UnitOfWork
from rules.errors import InvalidInput, PermissionDenied
from rules.models import Role
from tests.cases.helpers import database_dump
from tests.conftest import wib

CASE = "DEMO-KDR-1"  # Kota Kediri, 35.71: in Jawa Timur (35)
NOW = wib("2024-12-01T09:00")


def _bawaslu_office(uow: UnitOfWork, code: str, region: str | None, officer_id: str) -> None:
    kediri = next(i for i in institutions() if i.code == "BAWASLU-3571")
    office = replace(
        kediri, code=code, name=f"Badan Pengawas Pemilihan Umum {code}", region_code=region
    )
    add_institution(uow, office, "admin")
    add_officer(uow, Officer(officer_id, officer_id, Role.BAWASLU, code, "Analis", None), "admin")


@pytest.fixture
def offices(demo_uow: UnitOfWork) -> UnitOfWork:
    _bawaslu_office(demo_uow, "BAWASLU-35", "35", "bawaslu.jatim")
    _bawaslu_office(demo_uow, "BAWASLU-32", "32", "bawaslu.jabar")
    _bawaslu_office(demo_uow, "BAWASLU-RI", None, "bawaslu.ri")
    return demo_uow


def _everything(uow: UnitOfWork, officer: str, at: datetime) -> dict[str, Any]:
    listed = letters.list_letters(uow, officer, CASE)
    first = listed[0].id
    return {
        "case": queries.get_case(uow, officer, CASE),
        "page": case_page(uow, officer, CASE, at),
        "letters": listed,
        "letter": letters.get_letter(uow, officer, first),
        "verified": letters.verify_letter(uow, officer, first).ok,
        "bundle": export_bundle(uow, officer, at, case_ids=[CASE]),
        "whatif": whatif(uow, officer, CASE, "2024.1"),
    }


@pytest.mark.parametrize("officer", ["bawaslu.jatim", "bawaslu.ri"])
def test_the_provincial_and_the_national_office_read_a_regency_case_and_all_it_holds(
    offices: UnitOfWork, officer: str
) -> None:
    seen = _everything(offices, officer, NOW)

    assert seen["page"].case.case_id == CASE
    assert [x.id for x in seen["page"].letters] == [x.id for x in seen["letters"]]
    assert seen["letters"] and seen["verified"]
    assert seen["bundle"]


@pytest.mark.parametrize("officer", ["bawaslu.jabar", "bawaslu.sukabumi"])
def test_an_office_of_another_province_is_refused_everything_and_nothing_is_written(
    offices: UnitOfWork, engine: Engine, officer: str
) -> None:
    first = letters.list_letters(offices, "bawaslu.kediri", CASE)[0].id
    before = database_dump(engine)
    reads = (
        lambda: queries.get_case(offices, officer, CASE),
        lambda: case_page(offices, officer, CASE, NOW),
        lambda: letters.list_letters(offices, officer, CASE),
        lambda: letters.get_letter(offices, officer, first),
        lambda: letters.verify_letter(offices, officer, first),
        lambda: export_bundle(offices, officer, NOW, case_ids=[CASE]),
        lambda: whatif(offices, officer, CASE, "2024.1"),
    )
    for read in reads:
        with pytest.raises(PermissionDenied):
            read()
    assert database_dump(engine) == before


def test_a_territory_code_must_be_a_known_province_or_regency(demo_uow: UnitOfWork) -> None:
    for code, refusal in (("3", "harus berbentuk NN"), ("99", "Kode provinsi '99' tidak dikenal")):
        with pytest.raises(InvalidInput, match=refusal):
            _bawaslu_office(demo_uow, "BAWASLU-X", code, "bawaslu.x")
    with demo_uow:
        assert not [i for i in demo_uow.registry.institutions() if i.code == "BAWASLU-X"]
