"""The heads read from the migration files without Alembic are Alembic's heads."""

from __future__ import annotations

from db.migrate import declared_heads, head_revisions


def test_declared_heads_are_alembics() -> None:
    assert set(declared_heads()) == head_revisions()
