"""The heads read from the migration files without Alembic are Alembic's heads."""

from __future__ import annotations

import ast
from pathlib import Path

from db.engine import make_engine
from db.migrate import head_revisions, stored_revisions, upgrade
from db.migration_heads import _header, declared_heads, stored_heads


def test_declared_heads_are_alembics() -> None:
    assert set(declared_heads()) == head_revisions()


def test_a_migrated_database_stores_the_heads_the_quick_check_expects(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'netra.db'}")
    assert stored_revisions(engine) == set()
    assert upgrade(engine) is True
    assert stored_revisions(engine) == set(stored_heads())
    assert upgrade(engine) is False
    engine.dispose()


def test_the_header_of_each_migration_file_holds_what_the_whole_file_declares() -> None:
    folder = Path(__file__).parents[2] / "db" / "migrations" / "versions"
    for path in sorted(folder.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        whole = [ast.dump(node) for node in ast.parse(source).body if isinstance(node, ast.Assign)]
        header = [ast.dump(node) for node in _header(source) if isinstance(node, ast.Assign)]
        assert header == whole[: len(header)], path.name
        assigned = [node for node in _header(source) if isinstance(node, ast.Assign)]
        names = {t.id for node in assigned for t in node.targets if isinstance(t, ast.Name)}
        assert {"revision", "down_revision", "depends_on"} <= names, path.name


def test_a_revision_assigned_after_a_function_is_still_read() -> None:
    source = 'def upgrade() -> None:\n    pass\n\nrevision = "9"\ndown_revision = "8"\n'
    assigned = [node for node in _header(source) if isinstance(node, ast.Assign)]
    assert [ast.unparse(node) for node in assigned] == ["revision = '9'", "down_revision = '8'"]
    partial = 'revision = "9"\n\ndef upgrade() -> None:\n    pass\n\ndown_revision = "8"\n'
    assert len([node for node in _header(partial) if isinstance(node, ast.Assign)]) == 2
    in_docstring = '"""Notes\ndef looks like code\n"""\nrevision = "9"\ndown_revision = "8"\n'
    assert len([node for node in _header(in_docstring) if isinstance(node, ast.Assign)]) == 2
