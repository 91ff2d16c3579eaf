"""No letter without its template sources: inserting a letter whose template hash is not in
`letter_templates` fails.

A letter's command stores the sources it was rendered with (migration 0122) unless its
process remembers having stored them already (`db.template_store`: ~15 KB not sent with
every letter). That memory outlives the database it describes when the database is restored
from an older backup under a running process: the process would go on issuing letters whose
sources are nowhere, and verification could no longer re-render them. This trigger turns
that into a failed command (SQLSTATE NT410 on PostgreSQL, an ABORT with the marker
`netra: letter template not stored` on SQLite) that writes nothing; the unit of work then
forgets what it remembered and the command is taken again with the sources
(`db.letter_template_guard`). Letters issued before this revision are not checked (only
an INSERT fires it); older releases' sources are imported with `netra letter templates
import DIR`.

On PostgreSQL the check runs after the statement (AFTER ROW), so a command's one statement
may carry the sources and the letter in either order; on SQLite each row is checked as it
is inserted, and the sources are written first (`cases.letter_issuing`).

Revision ID: 0123
Revises: 0122
Create Date: 2026-12-05
"""

from alembic import op

revision = "0123"
down_revision = "0122"
branch_labels = None
depends_on = None

# db.letter_template_guard.SQLITE_MARKER (written out: a migration does not change later)
SQLITE_MARKER = "netra: letter template not stored"


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION netra_letter_templates_kept() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            "IF NOT EXISTS (SELECT 1 FROM letter_templates "
            "WHERE template_hash = NEW.template_hash) THEN "
            "RAISE EXCEPTION 'letter % names template sources % that are not stored', "
            "NEW.id, NEW.template_hash USING ERRCODE = 'NT410'; "
            "END IF; RETURN NULL; END $$"
        )
        op.execute(
            "CREATE TRIGGER letters_templates_kept AFTER INSERT ON letters "
            "FOR EACH ROW EXECUTE FUNCTION netra_letter_templates_kept()"
        )
    elif dialect == "sqlite":
        op.execute(
            "CREATE TRIGGER letters_templates_kept AFTER INSERT ON letters "
            "WHEN NOT EXISTS (SELECT 1 FROM letter_templates "
            "WHERE template_hash = NEW.template_hash) "
            f"BEGIN SELECT RAISE(ABORT, '{SQLITE_MARKER}'); END"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER letters_templates_kept ON letters")
        op.execute("DROP FUNCTION netra_letter_templates_kept()")
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER letters_templates_kept")
