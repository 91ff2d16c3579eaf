"""The letter template store (append-only): the sources every letter was rendered with.

A letter records its template hash (SHA-256 over the name and source of its template and of
every template it extends, includes or imports); `letter_templates` keeps those sources,
{file name: source}, under that hash, written with the letter. Verification re-renders a
letter with them, so a later template release no longer makes every older letter fail.

Backfill: for each template hash letters already carry, the installed templates (the
packaged folder, and `NETRA_LETTER_TEMPLATES` when it names another) are stored when they
hash to it. Older releases' folders are imported with `netra letter templates import DIR`.
Like `case_events`, the table refuses UPDATE and DELETE (a trigger on both databases; on
PostgreSQL TRUNCATE too, and the application role keeps only SELECT and INSERT on it).
A downgrade drops the table (see `downgrade`).

Revision ID: 0122
Revises: 0121
Create Date: 2026-12-05
"""

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

from db.migration_helpers import app_role, refuse_update_and_delete

revision = "0122"
down_revision = "0121"
branch_labels = None
depends_on = None

TABLE = "letter_templates"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("template_hash", sa.String(64), primary_key=True),
        sa.Column("template_name", sa.String(120), nullable=False),
        sa.Column("sources", sa.JSON, nullable=False),
    )
    refuse_update_and_delete(TABLE)
    if op.get_bind().dialect.name == "postgresql":
        # the application role (created by revision 0115b) may only read and insert
        op.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {TABLE} FROM {app_role()}")
    _backfill()


def _installed_folders() -> list[Path]:
    # letters/ is not imported by db/ (layers); a migration may read the installed release
    from letters.render import PACKAGE_TEMPLATES, default_templates_dir

    return list(dict.fromkeys([PACKAGE_TEMPLATES, default_templates_dir()]))


def _backfill() -> None:
    """Store the installed templates' sources for the letters whose template hash they match."""
    bind = op.get_bind()
    issued = bind.execute(
        sa.text("SELECT DISTINCT template_name, template_hash FROM letters")
    ).all()
    if not issued:
        return
    from letters.render import templates

    rows: dict[str, dict[str, Any]] = {}
    for folder in _installed_folders():
        if not folder.is_dir():
            continue
        template_set = templates(folder, fresh=True)
        for name, template_hash in issued:
            if template_hash not in rows and template_set.matches(name, template_hash):
                rows[template_hash] = {
                    "template_hash": template_hash,
                    "template_name": name,
                    "sources": dict(template_set.template_sources(name)),
                }
    if rows:
        table = sa.table(
            TABLE,
            sa.column("template_hash", sa.String),
            sa.column("template_name", sa.String),
            sa.column("sources", sa.JSON),
        )
        bind.execute(table.insert(), [rows[key] for key in sorted(rows)])


def downgrade() -> None:
    # Not history: each row proves itself against the template hash its letters' chained
    # events recorded, and can be stored again from the release's folder (`netra letter
    # templates import`); the installed templates are stored again by the upgrade.
    op.drop_table(TABLE)
