"""Letter numbers (formats, gap-free concurrent allocation) and Indonesian formatting."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine

from db.engine import make_engine
from db.letter_register import LetterRegister
from db.migrate import upgrade
from db.unit_of_work import UnitOfWork
from letters import formatting as fmt
from letters.numbering import format_letter_number
from letters.render import templates
from rules.errors import InvalidInput
from tests.conftest import drop_postgres_schema, postgres_schema_url, require_postgres


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            "{serial:03d}/{classification}/K.JI-30/{month:02d}/{year}",
            "007/PP.01.02/K.JI-30/11/2024",
        ),
        ("B-{serial}/{classification}/{month:02d}/{year}", "B-7/PP.01.02/11/2024"),
        ("{classification}/{serial}/BKPSDM/{year}", "PP.01.02/7/BKPSDM/2024"),
        ("{serial}/{classification}/{month_roman}/{year}", "7/PP.01.02/XI/2024"),
    ],
)
def test_number_formats_are_configurable_per_institution(template: str, expected: str) -> None:
    assert format_letter_number(template, 7, "PP.01.02", date(2024, 11, 18)) == expected


@pytest.mark.parametrize(
    "template", ["{classification}/{year}", "{serial}/{nama}", "{serial.__class__}", "{serial"]
)
def test_a_bad_number_format_is_refused(template: str) -> None:
    with pytest.raises(InvalidInput):
        format_letter_number(template, 1, "KP.10", date(2024, 1, 1))


def test_indonesian_formatting() -> None:
    assert fmt.tanggal("2024-11-18") == "18 November 2024"
    assert fmt.hari("2024-11-18") == "Senin"
    assert fmt.tanggal_waktu("2024-11-18T17:30:00Z", "Asia/Jakarta") == "19 November 2024"
    assert fmt.jam("2024-11-18T03:00:00Z", "Asia/Jakarta") == "10.00 WIB"
    assert fmt.jam("2024-11-18T03:00:00Z", "Asia/Makassar") == "11.00 WITA"
    assert fmt.angka_terbilang(12) == "12 (dua belas)"
    assert fmt.terbilang(25) == "dua puluh lima"
    assert [fmt.romawi(m) for m in (1, 4, 9, 12)] == ["I", "IV", "IX", "XII"]
    assert fmt.nip("198503122010011003") == "19850312 201001 1 003"
    assert fmt.nip(None) == "-"


def test_a_missing_variable_fails_loudly() -> None:
    from jinja2 import UndefinedError

    with pytest.raises(UndefinedError):
        templates().render("surat_panggilan.html.j2", {"letter": {"id": "x"}})


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    require_postgres()
    url, schema = postgres_schema_url()
    engine = make_engine(url)
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        drop_postgres_schema(schema)


@pytest.mark.postgres
@pytest.mark.parametrize("per_command", [1, 3], ids=["one letter", "three reserved at once"])
def test_numbering_is_gap_free_under_concurrency_on_postgres(
    pg_engine: Engine, per_command: int
) -> None:
    threads_count = 12
    start = threading.Barrier(threads_count)
    committed: list[int] = []
    rolled_back: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def issue(index: int) -> None:
        try:
            uow = UnitOfWork(pg_engine)
            start.wait()
            with uow:
                register = LetterRegister(uow.session)
                if per_command > 1:
                    register.reserve([("BKN", 2024, "KP.10")] * per_command)
                serials = [register.next_serial("BKN", 2024, "KP.10") for _ in range(per_command)]
                if index % 4 == 3:
                    with lock:
                        rolled_back.extend(serials)
                    return  # leaving without commit rolls back: the serials are given back
                uow.commit()
            with lock:
                committed.extend(serials)
                assert serials == list(range(serials[0], serials[0] + per_command))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    workers = [threading.Thread(target=issue, args=(i,)) for i in range(threads_count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors
    assert sorted(committed) == list(range(1, len(committed) + 1))
    assert len(committed) == 9 * per_command and len(rolled_back) == 3 * per_command
    with UnitOfWork(pg_engine) as uow:
        assert LetterRegister(uow.session).last_serial("BKN", 2024, "KP.10") == 9 * per_command
        assert LetterRegister(uow.session).next_serial("BKN", 2025, "KP.10") == 1


def test_registers_are_separate_per_institution_year_and_classification(uow: UnitOfWork) -> None:
    with uow:
        register = LetterRegister(uow.session)
        first = [register.next_serial("BKN", 2024, "KP.10") for _ in range(3)]
        other = register.next_serial("BKN", 2024, "PP.01.02")
        next_year = register.next_serial("BKN", 2025, "KP.10")
        uow.commit()
    assert first == [1, 2, 3] and other == 1 and next_year == 1


def test_a_title_continued_in_a_sentence_keeps_its_acronyms() -> None:
    from letters.formatting import awal_kecil

    assert awal_kecil("Melakukan pendekatan tanpa CLTN") == "melakukan pendekatan tanpa CLTN"
    assert awal_kecil("ASN memasang spanduk") == "ASN memasang spanduk"
    assert awal_kecil("") == ""


def test_reserved_serials_are_consecutive_per_register_and_handed_out_in_order(
    uow: UnitOfWork,
) -> None:
    """A step's letters reserve their serials at once (one upsert per register, adding the
    number of its letters); `next_serial` hands them out, then falls back to one upsert."""
    kp, pp = ("BKN", 2024, "KP.10"), ("BKN", 2024, "PP.01.02")
    with uow:
        LetterRegister(uow.session).next_serial(*kp)  # an earlier letter: KP.10 is at 1
        uow.commit()
    with uow:
        register = LetterRegister(uow.session)
        register.reserve([pp, kp, kp])
        assert register.last_serial(*kp) == 3 and register.last_serial(*pp) == 1
        taken = [register.next_serial(*kp), register.next_serial(*pp), register.next_serial(*kp)]
        assert taken == [2, 1, 3]
        assert register.next_serial(*kp) == 4  # nothing reserved is left: one more upsert
        uow.commit()
    with uow:
        register = LetterRegister(uow.session)
        register.reserve([kp, kp])
        assert register.last_serial(*kp) == 6
        # leaving without commit rolls back: both reserved serials are given back
    with uow:
        assert LetterRegister(uow.session).last_serial(*kp) == 4
