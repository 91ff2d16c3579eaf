"""A case's snapshot stored as `json` on PostgreSQL, not `jsonb`.

The snapshot (~3 KB) is rewritten whole by every step and read whole by the next one; no
query looks inside it any more (the summary search reads `case_search`, migration 0120).
As `jsonb` the server parsed it into a binary tree on each UPDATE and printed it back to
text on each read (`snapshot::text` of the command path); `json` only checks the text and
stores it as sent, and reads it back as stored. The value read back is the same. The column
keeps its lz4 compression (migration 0118); SQLite stores JSON as text anyway.

Revision ID: 0121
Revises: 0120
Create Date: 2026-12-04
"""

from alembic import op

from db.migration_helpers import retype_keeping_compression

revision = "0121"
down_revision = "0120"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        retype_keeping_compression("cases", "snapshot", "json")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        retype_keeping_compression("cases", "snapshot", "jsonb")
