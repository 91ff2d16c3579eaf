"""Migration 0119: a letter's context is `json` on PostgreSQL (stored as sent, not parsed
into `jsonb`), reads back equal with its hash, and the migration goes down and up again
keeping every context and its lz4 compression."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, text

from cases.commands import advance
from db.letter_register import LetterRegister
from db.unit_of_work import UnitOfWork
from letters.context import context_hash
from tests.cases.helpers import open_kediri
from tests.conftest import migrate_to, wib

pytestmark = pytest.mark.postgres

REGISTER = {"registration_number": "001/REG/LP/PL/KOTA/16.02/XI/2024"}


def _column(engine: Engine) -> tuple[str, str]:
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT format_type(atttypid, atttypmod), attcompression::text FROM pg_attribute"
                " WHERE attrelid = 'letters'::regclass AND attname = 'context'"
            )
        ).one()
    return str(row[0]), str(row[1])


def _contexts(engine: Engine) -> dict[str, Any]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, context, context_hash FROM letters")).all()
    assert rows, "the step issued letters"
    for _, context, stored_hash in rows:
        assert context_hash(context) == stored_hash
    return {letter_id: context for letter_id, context, _ in rows}


def test_contexts_are_json_read_back_equal_and_survive_down_and_up(pg_engine: Engine) -> None:
    from cases.demo import load_demo

    uow = UnitOfWork(pg_engine)
    load_demo(uow)
    open_kediri(uow, wib("2024-11-18T09:00"))
    advance(uow, "bawaslu.kediri", "T-1", "register", REGISTER, wib("2024-11-18T10:00"))
    with uow:
        issued = {x.id: x.context for x in LetterRegister(uow.session).for_case("T-1")}
    type_name, compression = _column(pg_engine)
    assert type_name == "json"
    written = _contexts(pg_engine)
    assert {k: written[k] for k in issued} == issued

    migrate_to(pg_engine, "downgrade", "0118")
    assert _column(pg_engine) == ("jsonb", compression)
    assert _contexts(pg_engine) == written

    migrate_to(pg_engine, "upgrade", "heads")
    assert _column(pg_engine) == ("json", compression)
    assert _contexts(pg_engine) == written
