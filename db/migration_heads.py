"""The heads the migration files declare, read with `ast` (neither Alembic nor SQLAlchemy
imported), so a command can tell that its database is up to date cheaply;
tests/db/test_migrate_heads.py keeps them equal to Alembic's."""

from __future__ import annotations

import ast
from functools import cache
from importlib import resources


def _names(node: ast.expr | None) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Tuple | ast.List):
        return {str(e.value) for e in node.elts if isinstance(e, ast.Constant)}
    return set()


@cache
def declared_heads() -> frozenset[str]:
    """The heads as the migration files declare them (`revision`, `down_revision`)."""
    return _declared()[0]


@cache
def stored_heads() -> frozenset[str]:
    """What `alembic_version` holds once every head is applied: the heads that are not a
    `depends_on` of another revision (Alembic records those as applied through it)."""
    heads, dependencies = _declared()
    return heads - dependencies


def _header(source: str) -> list[ast.stmt]:
    """The top-level statements of a migration file, parsed only up to its first top-level
    `def` when `revision`, `down_revision` and `depends_on` are all assigned before it (as
    Alembic writes them); otherwise the whole file."""
    cut = source.find("\ndef ")
    if cut >= 0:
        try:
            head = ast.parse(source[: cut + 1]).body
        except SyntaxError:  # the cut fell inside a string: read the whole file
            return ast.parse(source).body
        assigned = {
            target.id
            for node in head
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        if {"revision", "down_revision", "depends_on"} <= assigned:
            return head
    return ast.parse(source).body


def _declared() -> tuple[frozenset[str], frozenset[str]]:
    revisions: set[str] = set()
    parents: set[str] = set()
    dependencies: set[str] = set()
    folder = resources.files("db").joinpath("migrations", "versions")
    for item in folder.iterdir():
        if not item.name.endswith(".py"):
            continue
        for node in _header(item.read_text(encoding="utf-8")):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name) and target.id == "revision":
                    revisions |= _names(node.value)
                elif isinstance(target, ast.Name) and target.id == "down_revision":
                    parents |= _names(node.value)
                elif isinstance(target, ast.Name) and target.id == "depends_on":
                    dependencies |= _names(node.value)
    return frozenset(revisions - parents), frozenset(dependencies)
