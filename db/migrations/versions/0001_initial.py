"""Initial schema: events (append-only), case projection, registry, letters, calendar, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from db.migration_helpers import refuse_update_and_delete

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)
APPEND_ONLY = ("case_events", "checkpoints", "checkpoint_heads")


def upgrade() -> None:
    op.create_table(
        "case_events",
        sa.Column("case_id", sa.String(32), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("actor_id", sa.String(64), nullable=False),
        sa.Column("actor_role", sa.String(16), nullable=False),
        sa.Column("actor_institution", sa.String(64), nullable=False),
        sa.Column("occurred_at", TS, nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.Column("payload", JSON, nullable=False),
        sa.Column("rule_set", sa.String(16), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("rule_set", sa.String(16), nullable=False),
        sa.Column("head_hash", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("election_type", sa.String(16), nullable=False),
        sa.Column("region_code", sa.String(8), nullable=False),
        sa.Column("bawaslu_office", sa.String(64), nullable=False),
        sa.Column("ppk_institution", sa.String(64)),
        sa.Column("assignee", sa.String(64), nullable=False),
        sa.Column("terlapor_nip", sa.String(18), nullable=False),
        sa.Column("terlapor_name", sa.String(200), nullable=False),
        sa.Column("violation_codes", JSON, nullable=False),
        sa.Column("recommended_category", sa.String(32)),
        sa.Column("sanction_code", sa.String(48)),
        sa.Column("deadline_owner", sa.String(16)),
        sa.Column("deadline_due_on", sa.Date),
        sa.Column("deadline_at", TS),
        sa.Column("deadline_missed", sa.Boolean, nullable=False),
        sa.Column("alarm_at", TS),
        sa.Column("is_open", sa.Boolean, nullable=False),
        sa.Column("opened_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("closed_at", TS),
        sa.Column("snapshot", JSON, nullable=False),
    )
    op.create_index(
        "ix_cases_alarm_at_open", "cases", ["alarm_at"],
        postgresql_where=sa.text("alarm_at IS NOT NULL"),
        sqlite_where=sa.text("alarm_at IS NOT NULL"),
    )
    op.create_index(
        "ix_cases_deadline_at_open", "cases", ["deadline_at"],
        postgresql_where=sa.text("is_open"), sqlite_where=sa.text("is_open"),
    )
    op.create_index("ix_cases_state", "cases", ["state"])
    op.create_index("ix_cases_region_state", "cases", ["region_code", "state"])
    op.create_index("ix_cases_terlapor_nip", "cases", ["terlapor_nip"])
    op.create_index("ix_cases_opened_at", "cases", ["opened_at"])
    op.create_table(
        "institutions",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("parent_name", sa.String(200)),
        sa.Column("region_code", sa.String(8)),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("phone", sa.String(50)),
        sa.Column("email", sa.String(100)),
        sa.Column("website", sa.String(100)),
        sa.Column("head_title", sa.String(200), nullable=False),
        sa.Column("head_name", sa.String(200), nullable=False),
        sa.Column("head_nip", sa.String(18)),
        sa.Column("letter_number_format", sa.String(200), nullable=False),
    )
    op.create_table(
        "officers",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("institution_code", sa.String(64), sa.ForeignKey("institutions.code"),
                  nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("nip", sa.String(18)),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_table(
        "letters",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("case_seq", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(48), nullable=False),
        sa.Column("institution_code", sa.String(64), sa.ForeignKey("institutions.code"),
                  nullable=False),
        sa.Column("number", sa.String(120), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("classification", sa.String(32), nullable=False),
        sa.Column("serial", sa.Integer, nullable=False),
        sa.Column("template_name", sa.String(120), nullable=False),
        sa.Column("template_hash", sa.String(64), nullable=False),
        sa.Column("context", JSON, nullable=False),
        sa.Column("context_hash", sa.String(64), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("html", sa.Text, nullable=False),
        sa.Column("issued_at", TS, nullable=False),
        sa.UniqueConstraint("institution_code", "year", "classification", "serial",
                            name="uq_letters_register_serial"),
    )
    op.create_index("ix_letters_case", "letters", ["case_id", "case_seq"])
    op.create_table(
        "letter_counters",
        sa.Column("institution_code", sa.String(64), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("classification", sa.String(32), primary_key=True),
        sa.Column("last_serial", sa.Integer, nullable=False),
    )
    op.create_table(
        "calendar_overrides",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("region_code", sa.String(8)),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("day", "region_code", name="uq_calendar_day_region"),
    )
    op.create_table(
        "checkpoints",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("case_count", sa.Integer, nullable=False),
        sa.Column("event_count", sa.BigInteger, nullable=False),
        sa.Column("root_hash", sa.String(64), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "checkpoint_heads",
        sa.Column("checkpoint_id", sa.Integer, sa.ForeignKey("checkpoints.id"),
                  primary_key=True),
        sa.Column("case_id", sa.String(32), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("case_seq", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(48), nullable=False),
        sa.Column("recipient_role", sa.String(16), nullable=False),
        sa.Column("recipient_institution", sa.String(64)),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("sent_at", TS),
        sa.UniqueConstraint("case_id", "case_seq", "kind", name="uq_outbox_event_kind"),
    )
    op.create_index(
        "ix_outbox_unsent", "outbox", ["created_at"],
        postgresql_where=sa.text("sent_at IS NULL"), sqlite_where=sa.text("sent_at IS NULL"),
    )
    _append_only_guards()


def _append_only_guards() -> None:
    """Refuse UPDATE and DELETE on the append-only tables, on both dialects."""
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            """
            CREATE OR REPLACE FUNCTION netra_refuse_change() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'netra: % on % is refused: the table is append-only',
                    TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
            END;
            $$ LANGUAGE plpgsql
            """
        )
    for table in APPEND_ONLY:
        refuse_update_and_delete(table)


def downgrade() -> None:
    raise RuntimeError("Netra never drops its append-only history")
