"""Letters (issue 14): letterheads and logos, letters issued outside Netra, letter status.

Revision ID: 0114_letters
Revises: 0001
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0114_letters"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "letter_logos",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("media_type", sa.String(32), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "institution_letterheads",
        sa.Column(
            "institution_code",
            sa.String(64),
            sa.ForeignKey("institutions.code"),
            primary_key=True,
        ),
        sa.Column("kop_lines", JSON, nullable=False),
        sa.Column("head_kop", sa.String(200)),
        sa.Column("logo_sha256", sa.String(64), sa.ForeignKey("letter_logos.sha256")),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
    )
    op.create_table(
        "external_letters",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("case_seq", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(48), nullable=False),
        sa.Column("institution_code", sa.String(64), nullable=False),
        sa.Column("number", sa.String(120), nullable=False),
        sa.Column("issued_on", sa.Date, nullable=False),
        sa.Column("scan_sha256", sa.String(64)),
        sa.Column("scan", sa.LargeBinary),
        sa.Column("recorded_at", TS, nullable=False),
    )
    op.create_index("ix_external_letters_case", "external_letters", ["case_id", "case_seq"])
    op.create_table(
        "letter_status",
        sa.Column("letter_id", sa.String(40), sa.ForeignKey("letters.id"), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("by_letter_id", sa.String(40)),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("case_seq", sa.Integer, nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("letter_status")
    op.drop_index("ix_external_letters_case", table_name="external_letters")
    op.drop_table("external_letters")
    op.drop_table("institution_letterheads")
    op.drop_table("letter_logos")
