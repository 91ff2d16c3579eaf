"""Each event keeps the canonical bytes its hash covers, exactly as they were hashed.

`case_events.body` holds `canonical_json(body)` of the event as written (the chain hash is
`sha256(prev_hash || body)`), so verification reads and hashes the stored bytes instead of
re-encoding the columns. Events written before this revision have no body (NULL) and are
verified from their columns as before.

Revision ID: 0117
Revises: 0115b
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0117"
down_revision = "0115b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN on both dialects (a batch rebuild on SQLite would drop the
    # append-only triggers)
    op.add_column("case_events", sa.Column("body", sa.LargeBinary, nullable=True))


def downgrade() -> None:
    op.drop_column("case_events", "body")
