"""Intake and evidence: the evidence index and the import register (issue 13).

Revision ID: 0113
Revises: 0001
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0113"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "evidence",
        sa.Column("case_id", sa.String(32), primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("media_type", sa.String(120), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("internal", sa.Boolean, nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("added_by", sa.String(64), nullable=False),
        sa.Column("added_role", sa.String(16), nullable=False),
        sa.Column("added_institution", sa.String(64), nullable=False),
        sa.Column("added_at", TS, nullable=False),
        sa.Column("added_seq", sa.Integer, nullable=False),
        sa.Column("thumbnail_sha256", sa.String(64)),
        sa.Column("withdrawn_at", TS),
        sa.Column("withdrawn_seq", sa.Integer),
        sa.Column("withdrawn_reason", sa.Text),
    )
    op.create_index("ix_evidence_sha256", "evidence", ["sha256"])
    op.create_table(
        "import_rows",
        sa.Column("file_sha256", sa.String(64), primary_key=True),
        sa.Column("row_number", sa.Integer, primary_key=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("case_id", sa.String(32)),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("imported_by", sa.String(64), nullable=False),
        sa.Column("imported_at", TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("import_rows")
    op.drop_index("ix_evidence_sha256", table_name="evidence")
    op.drop_table("evidence")
