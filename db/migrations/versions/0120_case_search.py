"""Search data in a table of its own, so a case's step no longer feeds the search indexes.

Every lifecycle step updates its `cases` row, and the row's state and deadline are indexed,
so each update is a new row version that every index of `cases` must enter: with the three
GIN indexes of migration 0116 (trigrams of the lower-cased terlapor name and of the summary,
which the server had to unpack from the snapshot first, and the violation codes) and the
NIP index, that was the largest part of the server's work per step, although what they
index hardly changes.

`case_search` holds those four values once per case, with those indexes, and is kept by
triggers on `cases`: a row when the case is inserted, and a rewrite only when the update
changes the terlapor's name or NIP or the violation codes (the comparison in the trigger's
WHEN calls no function; a step that changes none of them writes nothing here). The summary
is the report's, set when the case is opened and never changed by a step
(`states/case.py`); it is taken again whenever the row is rewritten. Both dialects get the
table, the NIP index and the triggers, so the queries are the same; only PostgreSQL gets
the GIN indexes (with pg_trgm when the server offers it, as in 0116).

Revision ID: 0120
Revises: 0119
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from db.migration_helpers import trigram_schema

revision = "0120"
down_revision = "0119"
branch_labels = None
depends_on = None

OLD_TRIGRAM = {
    "ix_cases_name_trgm": "lower(terlapor_name)",
    "ix_cases_summary_trgm": "lower(snapshot ->> 'summary')",
}
NEW_TRIGRAM = {
    "ix_case_search_name_trgm": "lower(terlapor_name)",
    "ix_case_search_summary_trgm": "lower(summary)",
}

PG_FUNCTION = """
CREATE FUNCTION netra_case_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO case_search (case_id, terlapor_nip, terlapor_name, summary, violation_codes)
        VALUES (NEW.id, NEW.terlapor_nip, NEW.terlapor_name,
                coalesce(NEW.snapshot ->> 'summary', ''), NEW.violation_codes);
    ELSE
        UPDATE case_search SET terlapor_nip = NEW.terlapor_nip,
            terlapor_name = NEW.terlapor_name,
            summary = coalesce(NEW.snapshot ->> 'summary', ''),
            violation_codes = NEW.violation_codes
        WHERE case_id = NEW.id;
    END IF;
    RETURN NULL;
END $$
"""
PG_TRIGGERS = (
    "CREATE TRIGGER cases_search_insert AFTER INSERT ON cases"
    " FOR EACH ROW EXECUTE FUNCTION netra_case_search()",
    "CREATE TRIGGER cases_search_update"
    " AFTER UPDATE OF terlapor_nip, terlapor_name, violation_codes ON cases"
    " FOR EACH ROW WHEN (OLD.terlapor_nip IS DISTINCT FROM NEW.terlapor_nip"
    " OR OLD.terlapor_name IS DISTINCT FROM NEW.terlapor_name"
    " OR OLD.violation_codes IS DISTINCT FROM NEW.violation_codes)"
    " EXECUTE FUNCTION netra_case_search()",
)
SQLITE_TRIGGERS = (
    "CREATE TRIGGER cases_search_insert AFTER INSERT ON cases BEGIN"
    " INSERT INTO case_search (case_id, terlapor_nip, terlapor_name, summary, violation_codes)"
    " VALUES (NEW.id, NEW.terlapor_nip, NEW.terlapor_name,"
    " coalesce(json_extract(NEW.snapshot, '$.summary'), ''), NEW.violation_codes); END",
    "CREATE TRIGGER cases_search_update"
    " AFTER UPDATE OF terlapor_nip, terlapor_name, violation_codes ON cases"
    " WHEN OLD.terlapor_nip IS NOT NEW.terlapor_nip"
    " OR OLD.terlapor_name IS NOT NEW.terlapor_name"
    " OR OLD.violation_codes IS NOT NEW.violation_codes BEGIN"
    " UPDATE case_search SET terlapor_nip = NEW.terlapor_nip, terlapor_name = NEW.terlapor_name,"
    " summary = coalesce(json_extract(NEW.snapshot, '$.summary'), ''),"
    " violation_codes = NEW.violation_codes WHERE case_id = NEW.id; END",
)


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "case_search",
        sa.Column(
            "case_id",
            sa.String(32),
            sa.ForeignKey("cases.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("terlapor_nip", sa.String(18), nullable=False),
        sa.Column("terlapor_name", sa.String(200), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("violation_codes", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
    )
    # the triggers first: creating them locks `cases` against writers until this migration
    # commits, so the copy below misses no case a command adds meanwhile
    if postgresql:
        op.execute(PG_FUNCTION)
    for statement in PG_TRIGGERS if postgresql else SQLITE_TRIGGERS:
        op.execute(statement)
    summary = "snapshot ->> 'summary'" if postgresql else "json_extract(snapshot, '$.summary')"
    op.execute(
        "INSERT INTO case_search (case_id, terlapor_nip, terlapor_name, summary, violation_codes)"
        f" SELECT id, terlapor_nip, terlapor_name, coalesce({summary}, ''), violation_codes"
        " FROM cases"
    )
    op.create_index("ix_case_search_terlapor_nip", "case_search", ["terlapor_nip"])
    op.drop_index("ix_cases_terlapor_nip", table_name="cases")
    if not postgresql:
        return
    for name in ["ix_cases_violation_codes", *OLD_TRIGRAM]:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    op.execute(
        "CREATE INDEX ix_case_search_violation_codes ON case_search"
        " USING gin (violation_codes jsonb_path_ops)"
    )
    trigram = trigram_schema()
    if trigram is not None:
        for name, expression in NEW_TRIGRAM.items():
            op.execute(
                f"CREATE INDEX {name} ON case_search USING gin (({expression}) {trigram}.gin_trgm_ops)"
            )


def downgrade() -> None:
    op.create_index("ix_cases_terlapor_nip", "cases", ["terlapor_nip"])
    if op.get_bind().dialect.name != "postgresql":
        for trigger in ("cases_search_insert", "cases_search_update"):
            op.execute(f"DROP TRIGGER {trigger}")
        op.drop_table("case_search")
        return
    for trigger in ("cases_search_insert", "cases_search_update"):
        op.execute(f"DROP TRIGGER {trigger} ON cases")
    op.execute("DROP FUNCTION netra_case_search()")
    op.drop_table("case_search")  # its indexes with it
    op.execute(
        "CREATE INDEX ix_cases_violation_codes ON cases USING gin (violation_codes jsonb_path_ops)"
    )
    trigram = trigram_schema()
    if trigram is not None:
        for name, expression in OLD_TRIGRAM.items():
            op.execute(f"CREATE INDEX {name} ON cases USING gin (({expression}) {trigram}.gin_trgm_ops)")
