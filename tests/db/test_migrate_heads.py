"""The heads read from the migration files without Alembic are Alembic's heads."""

from __future__ import annotations

from pathlib import Path

from db.engine import make_engine
from db.migrate import declared_heads, head_revisions, stored_heads, stored_revisions, upgrade


def test_declared_heads_are_alembics() -> None:
    assert set(declared_heads()) == head_revisions()


def test_a_migrated_database_stores_the_heads_the_quick_check_expects(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'netra.db'}")
    assert stored_revisions(engine) == set()
    assert upgrade(engine) is True
    assert stored_revisions(engine) == set(stored_heads())
    assert upgrade(engine) is False
    engine.dispose()
