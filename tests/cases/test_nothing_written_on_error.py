"""Every bad input class is refused with a named error and leaves the database unchanged."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.engine import Engine

from cases.commands import Terlapor, advance
from db.unit_of_work import UnitOfWork
from rules.errors import (
    ConcurrencyConflict,
    InvalidInput,
    NetraError,
    NotFound,
    TransitionNotAllowed,
)
from tests.cases.helpers import (
    database_dump,
    kediri_laporan,
    open_kediri,
    sqlite_file_digest,
    step,
)
from tests.conftest import wib

BAD_NIP = Terlapor("198502302010011003", "X", "Staf", "Unit", "Pemkot")

CASES: dict[str, tuple[type[NetraError], Callable[[UnitOfWork], object]]] = {
    "bad NIP": (
        InvalidInput,
        lambda uow: open_kediri(uow, wib("2024-11-18T09:00"), "T-2", terlapor=BAD_NIP),
    ),
    "unknown violation code": (
        InvalidInput,
        lambda uow: open_kediri(uow, wib("2024-11-18T09:00"), "T-2", violation_codes=["NET-99"]),
    ),
    "unknown channel": (
        InvalidInput,
        lambda uow: open_kediri(uow, wib("2024-11-18T09:00"), "T-2", channel="surat"),
    ),
    "unknown region": (
        InvalidInput,
        lambda uow: open_kediri(uow, wib("2024-11-18T09:00"), "T-2", region_code="99.99"),
    ),
    "dates out of order": (
        InvalidInput,
        lambda uow: open_kediri(uow, wib("2024-11-18T09:00"), "T-2", known_at="2024-11-19T08:00"),
    ),
    "transition not allowed in state": (
        TransitionNotAllowed,
        lambda uow: step(
            uow,
            "bawaslu.kediri",
            "T-1",
            "impose_sanction",
            wib("2024-11-19T09:00"),
            sanction_code="moral_terbuka",
            decree_number="1",
            decree_date="2024-11-19",
        ),
    ),
    "stale version": (
        ConcurrencyConflict,
        lambda uow: advance(
            uow,
            "bawaslu.kediri",
            "T-1",
            "register",
            {"registration_number": "1"},
            wib("2024-11-19T09:00"),
            expected_version=1,
        ),
    ),
    "missing reason": (
        InvalidInput,
        lambda uow: step(
            uow, "bawaslu.kediri", "T-1", "decline", wib("2024-11-19T09:00"), reason=""
        ),
    ),
    "unknown field": (
        InvalidInput,
        lambda uow: step(
            uow,
            "bawaslu.kediri",
            "T-1",
            "register",
            wib("2024-11-19T09:00"),
            registration_number="1",
            colour="red",
        ),
    ),
    "malformed date": (
        InvalidInput,
        lambda uow: step(
            uow,
            "bawaslu.kediri",
            "T-1",
            "register",
            wib("2024-11-19T09:00"),
            registration_number="1",
            clarification_at="kemarin",
        ),
    ),
    "unknown case": (
        NotFound,
        lambda uow: step(
            uow,
            "bawaslu.kediri",
            "T-404",
            "register",
            wib("2024-11-19T09:00"),
            registration_number="1",
        ),
    ),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_bad_input_is_refused_and_nothing_is_written(
    kind: str, demo_uow: UnitOfWork, engine: Engine
) -> None:
    open_kediri(demo_uow, wib("2024-11-18T09:00"))
    before = database_dump(engine)
    before_file = sqlite_file_digest(engine)
    error, command = CASES[kind]
    with pytest.raises(error):
        command(demo_uow)
    assert database_dump(engine) == before
    assert sqlite_file_digest(engine) == before_file


def test_opening_a_laporan_without_reporter_is_refused(demo_uow: UnitOfWork) -> None:
    with pytest.raises(InvalidInput, match="pelapor"):
        open_kediri(demo_uow, wib("2024-11-18T09:00"), reporter=None)
    assert kediri_laporan().reporter is not None


def test_an_unknown_channel_is_named_in_indonesian_with_its_choices(demo_uow: UnitOfWork) -> None:
    with pytest.raises(InvalidInput) as refused:
        open_kediri(demo_uow, wib("2024-11-18T09:00"), election_type="pilpres")
    assert refused.value.message == (
        "Jenis pemilihan 'pilpres' tidak dikenal (pilihan: pemilu, pilkada)"
    )
