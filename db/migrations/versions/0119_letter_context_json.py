"""Letters' rendering context stored as `json` on PostgreSQL, not `jsonb`.

A letter's context (~10 KB) is written once, hashed by the client over its canonical bytes
(`context_hash`), read back whole (verification, bundles, corrections) and never queried
inside. As `jsonb` the server built a binary tree of it, sorting every object's keys, on
each INSERT: the costliest part of the write that holds the register's letter counter row
(locked from the serial's reservation to the COMMIT, for gap-free numbers), so concurrent
officers issuing from the same register waited on it. `json` only checks the text is JSON
and stores it as sent: the same value read back, about half the server CPU per letter.
The column keeps its lz4 compression (migration 0118). SQLite stores JSON as text anyway.

Revision ID: 0119
Revises: 0118
Create Date: 2026-12-04
"""

from alembic import op

from db.migration_helpers import retype_keeping_compression

revision = "0119"
down_revision = "0118"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        retype_keeping_compression("letters", "context", "json")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        retype_keeping_compression("letters", "context", "jsonb")
