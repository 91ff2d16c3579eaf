"""Audit-bundle export log (append-only): who exported which edition of which cases, when.

Revision ID: 0111
Revises: 0001
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from db.migration_helpers import refuse_update_and_delete

revision = "0111"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
TABLE = "audit_exports"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("officer_id", sa.String(64), nullable=False),
        sa.Column("officer_role", sa.String(16), nullable=False),
        sa.Column("officer_institution", sa.String(64), nullable=False),
        sa.Column("edition", sa.String(16), nullable=False),
        sa.Column("case_ids", JSON, nullable=False),
        sa.Column("manifest_sha256", sa.String(64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
    )
    refuse_update_and_delete(TABLE)  # netra_refuse_change() comes from revision 0001


def downgrade() -> None:
    raise RuntimeError("Netra never drops its append-only history")
