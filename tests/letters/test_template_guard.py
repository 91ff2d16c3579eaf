"""No letter without its template sources (migration 0123): a process that remembers sources
as stored in a database restored from an older backup does not issue letters whose sources
are nowhere. The database refuses the letter, the process forgets what it remembered, and
the command is taken again with the sources (a step) or refused with nothing written (a
ralat: the officer repeats it)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select, text

import db.unit_of_work
from cases.commands import advance
from cases.letter_corrections import issue_ralat
from cases.letters import get_letter, verify_letter
from db.engine import make_engine
from db.letter_register import StoredLetter
from db.letter_template_guard import TemplatesNotStored
from db.schema import LetterRow, LetterTemplateRow
from db.template_store import known_stored, mark_stored
from db.unit_of_work import UnitOfWork
from tests.cases.helpers import database_dump, open_kediri
from tests.conftest import wib

NOTIFICATION = "DEMO-KDR-1-L11-PNR"  # Bawaslu Kediri's, corrected by a ralat below
REGISTER = {"registration_number": "001/REG/LP/PL/KOTA/16.02/XI/2024"}


@pytest.fixture
def process(demo_uow: UnitOfWork, db_url: str) -> Iterator[UnitOfWork]:
    """A running process of its own (an Engine that has stored no template yet)."""
    engine = make_engine(db_url)
    try:
        yield UnitOfWork(engine)
    finally:
        engine.dispose()


@pytest.fixture
def forgotten(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The hashes the unit of work told the process to forget, call by call."""
    calls: list[set[str]] = []
    original = db.unit_of_work.forget_stored

    def record(engine: Engine, hashes: Any) -> None:
        calls.append(set(hashes))
        original(engine, hashes)

    monkeypatch.setattr(db.unit_of_work, "forget_stored", record)
    return calls


def _restore_without_templates(engine: Engine) -> None:
    """What restoring an older backup does to the template store: its rows are gone (here by
    someone with the owner's rights lifting the append-only triggers)."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("ALTER TABLE letter_templates DISABLE TRIGGER USER"))
            connection.execute(text("DELETE FROM letter_templates"))
            connection.execute(text("ALTER TABLE letter_templates ENABLE TRIGGER USER"))
        else:
            connection.execute(text("DROP TRIGGER letter_templates_no_delete"))
            connection.execute(text("DELETE FROM letter_templates"))


def _stored(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(connection.execute(select(LetterTemplateRow.template_hash)).scalars())


def _letters_of(engine: Engine, case_id: str) -> list[tuple[str, int, str]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(LetterRow.id, LetterRow.serial, LetterRow.template_hash).where(
                LetterRow.case_id == case_id
            )
        ).all()
    return [(str(i), int(s), str(h)) for i, s, h in rows]


def _register(uow: UnitOfWork, case_id: str, now: datetime) -> None:
    open_kediri(uow, now, case_id=case_id)
    advance(uow, "bawaslu.kediri", case_id, "register", REGISTER, now)


def test_a_step_after_a_restore_stores_the_sources_again_without_a_gap_in_numbers(
    process: UnitOfWork, forgotten: list[set[str]]
) -> None:
    engine = process.engine
    _register(process, "T-1", wib("2024-11-18T10:00"))  # stores the sources, remembers them
    [(_, first_serial, template_hash)] = _letters_of(engine, "T-1")
    assert known_stored(engine, template_hash)
    _restore_without_templates(engine)

    _register(process, "T-2", wib("2024-11-18T11:00"))

    # the first attempt trusted the memory and was refused; the second sent the sources
    assert forgotten == [{template_hash}]
    [(letter_id, serial, same_hash)] = _letters_of(engine, "T-2")
    assert same_hash == template_hash and template_hash in _stored(engine)
    assert serial == first_serial + 1  # the refused attempt gave its number back
    assert known_stored(engine, template_hash)
    assert verify_letter(process, "auditor", letter_id).ok


def test_a_ralat_after_a_restore_is_refused_with_nothing_written_then_issued(
    process: UnitOfWork, forgotten: list[set[str]]
) -> None:
    engine = process.engine
    first = issue_ralat(
        process, "bawaslu.kediri", NOTIFICATION, "Salah tulis", wib("2024-10-20T09:00")
    )
    _restore_without_templates(engine)
    before = database_dump(engine)

    with pytest.raises(TemplatesNotStored, match="ulangi perintah"):
        issue_ralat(process, "bawaslu.kediri", first.id, "Salah lagi", wib("2024-10-20T10:00"))

    assert database_dump(engine) == before
    assert forgotten == [{first.template_hash}]
    second = issue_ralat(process, "bawaslu.kediri", first.id, "Salah lagi", wib("2024-10-20T10:00"))
    assert second.template_hash in _stored(engine)
    assert verify_letter(process, "auditor", second.id).ok


def _copy_of(letter: Any, **changes: Any) -> StoredLetter:
    fields = {name: getattr(letter, name) for name in StoredLetter.__dataclass_fields__}
    return StoredLetter(**{**fields, **changes})


def test_the_database_refuses_a_letter_whose_sources_it_does_not_hold(
    demo_uow: UnitOfWork, engine: Engine
) -> None:
    """Whatever path writes it: here the register itself, with no command around it."""
    issued = get_letter(demo_uow, "auditor", NOTIFICATION)
    forged = _copy_of(
        issued, id=issued.id + "-X", number="X", serial=issued.serial + 1000, template_hash="f" * 64
    )
    before = database_dump(engine)

    with pytest.raises(TemplatesNotStored), demo_uow:
        demo_uow.letter_register().add(forged)

    assert database_dump(engine) == before


def test_a_refused_letter_is_forgotten_at_once_when_its_transaction_goes_on(
    process: UnitOfWork, forgotten: list[set[str]]
) -> None:
    """As the deadline sweep does: a case whose letter is refused is reported and the
    others are committed; the next sweep must send the sources, not trust the memory."""
    engine = process.engine
    issued = get_letter(process, "auditor", NOTIFICATION)
    mark_stored(engine, {issued.template_hash})
    _restore_without_templates(engine)
    letter = _copy_of(issued, id=issued.id + "-X", number="X", serial=issued.serial + 1000)

    with process:
        process.letter_templates().keep(issued.template_name, issued.template_hash, {})
        savepoint = process.session.begin_nested()
        with pytest.raises(TemplatesNotStored):
            process.letter_register().add(letter)
        savepoint.rollback()
        process.commit()

    assert forgotten == [{issued.template_hash}]
    assert not known_stored(engine, issued.template_hash)
