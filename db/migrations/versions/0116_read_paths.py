"""Read-path indexes (issue 12): Tugas saya, the filtered case list and the dashboard.

- Tugas saya: open cases by deadline owner (and office or PPK), in deadline order, carrying
  the assignee and state so the page and its counts per state read the index alone; open
  cases by state and deadline, with the columns of every reader's scope, so "overdue"
  counts are index-only for every role.
- The case list pages in (opened_at, id) order, alone or after a state, region, office or
  PPK filter; the (opened_at), (state) and (region_code, state) indexes become prefixes of
  the new ones and are dropped. The state index carries is_open and deadline_at so that
  "state + overdue" is an index-only scan the planner prefers to walking (opened_at, id)
  and filtering.
- Search (PostgreSQL): trigram GIN indexes on the lower-cased terlapor name and summary, so a
  substring search reads the index instead of every snapshot, and a GIN index on the
  violation codes for containment. pg_trgm is created if the server offers it and the
  migrating role may (it is a trusted extension); without it search stays correct, only
  slower.
- The dashboard's follow-up figures read only the recommendation, sanction (imposed or
  decided on ethics) and escalation events, in (case_id, event_type, seq) order, through a partial index that carries their
  instant.

Revision ID: 0116_read_paths
Revises: 0115b
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

from db.migration_helpers import trigram_schema

revision = "0116_read_paths"
down_revision = "0115b"
branch_labels = None
depends_on = None

OPEN = sa.text("is_open")
FOLLOW_UP = sa.text(
    "event_type IN ('recommended_to_ppk', 'sanction_imposed', 'ethics_decided', 'ppk_escalated')"
)
NEW = {
    "ix_cases_work_owner": (["deadline_owner", "deadline_at", "id", "assignee", "state"], OPEN),
    "ix_cases_work_office": (
        ["deadline_owner", "bawaslu_office", "deadline_at", "id", "assignee", "state"],
        OPEN,
    ),
    "ix_cases_work_ppk": (
        ["deadline_owner", "ppk_institution", "deadline_at", "id", "assignee", "state"],
        OPEN,
    ),
    "ix_cases_state_due": (
        ["state", "deadline_at", "bawaslu_office", "region_code", "ppk_institution"],
        OPEN,
    ),
    "ix_cases_opened": (["opened_at", "id"], None),
    "ix_cases_state_opened": (["state", "opened_at", "id", "is_open", "deadline_at"], None),
    "ix_cases_region_state_opened": (["region_code", "state", "opened_at", "id"], None),
    "ix_cases_office_opened": (["bawaslu_office", "opened_at", "id"], None),
    "ix_cases_ppk_opened": (["ppk_institution", "opened_at", "id"], None),
}
OLD = {
    "ix_cases_opened_at": ["opened_at"],
    "ix_cases_state": ["state"],
    "ix_cases_region_state": ["region_code", "state"],
}


def upgrade() -> None:
    for name, (columns, where) in NEW.items():
        op.create_index(name, "cases", columns, postgresql_where=where, sqlite_where=where)
    for name in OLD:
        op.drop_index(name, table_name="cases")
    op.create_index(
        "ix_case_events_follow_up",
        "case_events",
        ["case_id", "event_type", "seq", "occurred_at"],
        postgresql_where=FOLLOW_UP,
        sqlite_where=FOLLOW_UP,
    )

    if op.get_bind().dialect.name == "postgresql":
        _search_indexes()


TRIGRAM = {
    "ix_cases_name_trgm": "lower(terlapor_name)",
    "ix_cases_summary_trgm": "lower(snapshot ->> 'summary')",
}


def _search_indexes() -> None:
    op.execute(
        """
        DO $$ BEGIN
            IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm')
               AND NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
                CREATE EXTENSION pg_trgm SCHEMA public;
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE INDEX ix_cases_violation_codes ON cases USING gin (violation_codes jsonb_path_ops)"
    )
    found = trigram_schema()
    if found is None:
        return
    for name, expression in TRIGRAM.items():
        op.execute(f"CREATE INDEX {name} ON cases USING gin (({expression}) {found}.gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in ["ix_cases_violation_codes", *TRIGRAM]:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    op.drop_index("ix_case_events_follow_up", table_name="case_events")
    for name, columns in OLD.items():
        op.create_index(name, "cases", columns)
    for name in NEW:
        op.drop_index(name, table_name="cases")
