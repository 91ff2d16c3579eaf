"""Commands reuse the process's officers, institutions and settings only while the database's
reference version is unchanged: every change to them reaches the next command."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import text

from cases.commands import add_note
from db.unit_of_work import UnitOfWork
from rules.errors import PermissionDenied
from tests.conftest import wib


def _deactivate_directly(uow: UnitOfWork, officer_id: str) -> None:
    """As an operator's SQL would: no Netra service involved, only the trigger."""
    with uow.engine.begin() as connection:
        connection.execute(
            text("UPDATE officers SET active = :off WHERE id = :id"),
            {"off": False, "id": officer_id},
        )


def test_a_deactivated_officer_is_refused_on_the_next_command(demo_uow: UnitOfWork) -> None:
    add_note(demo_uow, "bawaslu.kediri", "DEMO-KDR-1", "Catatan pertama", wib("2024-12-03T09:00"))
    _deactivate_directly(demo_uow, "bawaslu.kediri")
    with pytest.raises(PermissionDenied, match="dinonaktifkan"):
        add_note(demo_uow, "bawaslu.kediri", "DEMO-KDR-1", "Catatan kedua", wib("2024-12-03T09:05"))


def test_an_officer_changed_through_the_registry_is_seen_by_the_next_command(
    demo_uow: UnitOfWork,
) -> None:
    add_note(demo_uow, "bawaslu.kediri", "DEMO-KDR-1", "Catatan pertama", wib("2024-12-03T09:00"))
    with demo_uow:
        officer = demo_uow.registry.officer("bawaslu.kediri")
        demo_uow.registry.update_officer(replace(officer, active=False))
        demo_uow.commit()
    with pytest.raises(PermissionDenied, match="dinonaktifkan"):
        add_note(demo_uow, "bawaslu.kediri", "DEMO-KDR-1", "Catatan kedua", wib("2024-12-03T09:05"))


def test_a_registry_change_rolled_back_never_reaches_other_commands(demo_uow: UnitOfWork) -> None:
    add_note(demo_uow, "bawaslu.kediri", "DEMO-KDR-1", "Catatan pertama", wib("2024-12-03T09:00"))
    with demo_uow:
        demo_uow.read_for_command("DEMO-KDR-1")  # a command transaction that then writes
        officer = demo_uow.registry.officer("bawaslu.kediri")
        demo_uow.registry.update_officer(replace(officer, active=False))
        assert demo_uow.registry.officer("bawaslu.kediri").active is False
        # no commit: rolled back
    add_note(demo_uow, "bawaslu.kediri", "DEMO-KDR-1", "Catatan kedua", wib("2024-12-03T09:05"))


def test_every_reference_table_change_moves_the_version(demo_uow: UnitOfWork) -> None:
    def version() -> int:
        with demo_uow.engine.connect() as connection:
            return int(connection.execute(text("SELECT version FROM reference_version")).scalar())

    before = version()
    with demo_uow.engine.begin() as connection:
        connection.execute(text("UPDATE institutions SET city = city"))
    after_institutions = version()
    with demo_uow.engine.begin() as connection:
        connection.execute(text("DELETE FROM calendar_overrides WHERE 1 = 0"))
        connection.execute(text("UPDATE netra_settings SET value = value"))
    assert before < after_institutions < version()
