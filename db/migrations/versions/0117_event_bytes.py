"""Stored event bytes, and a version of the reference data that commands cache.

1. `case_events.body` holds `canonical_json(body)` of each event as written (the chain hash
   is `sha256(prev_hash || body)`), so verification hashes the stored bytes instead of
   re-encoding the columns. Events written before this revision have no body (NULL) and
   are verified from their columns as before.
2. `reference_version` (one row) counts every change to the reference data a command reads
   (officers, institutions, calendar overrides, settings, letterheads); triggers bump it, so
   no writer can forget. On PostgreSQL the application role may only read it: the trigger
   function runs as the owner (SECURITY DEFINER, search_path pinned to this schema). A
   command reads it in the same statement as the case snapshot and reuses the process's
   cached reference data while the number is unchanged.

Revision ID: 0117
Revises: 0116_read_paths, 0110_identity, 0114_letters
Create Date: 2026-11-29
"""

import re

import sqlalchemy as sa
from alembic import op

from db.settings import get_settings

revision = "0117"
# also after the revisions that create netra_settings and institution_letterheads (a merge
# point, so Alembic records this revision alone once they are applied)
down_revision = ("0116_read_paths", "0110_identity", "0114_letters")
branch_labels = None
depends_on = None

REFERENCE_TABLES = (
    "officers",
    "institutions",
    "calendar_overrides",
    "netra_settings",
    "institution_letterheads",
)
APP_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
BUMP = "UPDATE reference_version SET version = version + 1 WHERE id = 1"


def upgrade() -> None:
    # a plain ADD COLUMN on both dialects (a batch rebuild on SQLite would drop the
    # append-only triggers)
    op.add_column("case_events", sa.Column("body", sa.LargeBinary, nullable=True))
    op.create_table(
        "reference_version",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("version", sa.BigInteger, nullable=False),
    )
    op.execute("INSERT INTO reference_version (id, version) VALUES (1, 1)")
    if op.get_bind().dialect.name == "postgresql":
        # The application role may read the version but never set it (it could otherwise
        # set it back and keep other processes trusting stale officers): only the triggers
        # write it, through a function that runs as the owner on this schema alone.
        schema = op.get_bind().execute(sa.text("SELECT quote_ident(current_schema())")).scalar()
        op.execute(
            "CREATE FUNCTION netra_bump_reference_version() RETURNS trigger "
            f"LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema} "
            f"AS $$ BEGIN {BUMP}; RETURN NULL; END $$"
        )
        role = get_settings().database_app_role
        if not APP_ROLE_NAME.fullmatch(role):
            raise ValueError(f"NETRA_DATABASE_APP_ROLE '{role}' is not a plain role name")
        op.execute(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON reference_version FROM {role}")
        for table in REFERENCE_TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_reference_version AFTER INSERT OR UPDATE OR DELETE "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT "
                "EXECUTE FUNCTION netra_bump_reference_version()"
            )
        return
    for table in REFERENCE_TABLES:
        for operation in ("INSERT", "UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_reference_{operation.lower()} AFTER {operation} "
                f"ON {table} BEGIN {BUMP}; END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in REFERENCE_TABLES:
            op.execute(f"DROP TRIGGER {table}_reference_version ON {table}")
        op.execute("DROP FUNCTION netra_bump_reference_version()")
    else:
        for table in REFERENCE_TABLES:
            for operation in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER {table}_reference_{operation}")
    op.drop_table("reference_version")
    op.drop_column("case_events", "body")
