"""Applies Alembic migrations on start: the app brings its database to the current schema.

Alembic is imported only when the database is not already at the heads the migration files
declare (read with `ast`, no import), so a command on an up-to-date database starts
without it; tests/db/test_migrate_heads.py keeps the declared heads equal to Alembic's.
"""

from __future__ import annotations

import ast
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("db").joinpath("migrations")))
    return config


def head_revisions() -> set[str]:
    """Every head of the migration graph (independent branches are allowed)."""
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


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


def stored_revisions(engine: Engine) -> set[str]:
    """The revisions the database says it is at (empty when it was never migrated)."""
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version"))
            return {str(row[0]) for row in rows}
    except DBAPIError:
        return set()


def current_revisions(engine: Engine) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def upgrade(engine: Engine) -> bool:
    """Upgrade every branch to its head if needed; returns True when a migration ran."""
    if stored_revisions(engine) == stored_heads():
        return False
    if current_revisions(engine) == head_revisions():
        return False
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")
    return True
