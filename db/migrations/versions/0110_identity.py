"""Identity and trust: credentials, API tokens, web sessions, the registry's own hash-chained
history, database settings, and the operator / fixed-clock markers on case events.

Revision ID: 0110_identity
Revises: 0001
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from db.migration_helpers import refuse_update_and_delete

revision = "0110_identity"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("case_events", sa.Column("actor_operator", sa.String(64)))
    op.add_column("case_events", sa.Column("clock", sa.String(8)))
    op.add_column("officers", sa.Column("email", sa.String(200)))
    op.add_column(
        "officers", sa.Column("notify", sa.String(8), nullable=False, server_default="none")
    )
    op.create_table(
        "officer_credentials",
        sa.Column("officer_id", sa.String(64), sa.ForeignKey("officers.id"), primary_key=True),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("totp_secret", sa.String(64)),
        sa.Column("failed_attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", TS),
        sa.Column("changed_at", TS, nullable=False),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("officer_id", sa.String(64), sa.ForeignKey("officers.id"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("revoked_at", TS),
        sa.Column("last_used_at", TS),
    )
    op.create_index("ix_api_tokens_officer", "api_tokens", ["officer_id"])
    op.create_table(
        "web_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("officer_id", sa.String(64), sa.ForeignKey("officers.id"), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("last_seen_at", TS, nullable=False),
        sa.Column("revoked_at", TS),
    )
    op.create_table(
        "registry_events",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("event_type", sa.String(48), nullable=False),
        sa.Column("actor_id", sa.String(64), nullable=False),
        sa.Column("operator_id", sa.String(64)),
        sa.Column("recorded_at", TS, nullable=False),
        sa.Column("payload", JSON, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "netra_settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
    )
    refuse_update_and_delete("registry_events")  # the function exists since 0001


def downgrade() -> None:
    raise RuntimeError("Netra never drops its append-only history")
