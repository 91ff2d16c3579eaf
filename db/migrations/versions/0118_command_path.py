"""The command path's write on PostgreSQL: a version check that fails the statement, and
lz4 compression for the large values a command writes.

1. `netra_expect_one_row(matched)` raises SQLSTATE NT409 unless `matched` is 1. A
   PostgreSQL command's one write (`db.command_path`: events INSERT and projection UPDATE
   ... WHERE id AND version, with the letter rows as CTEs) selects it over the rows the
   UPDATE matched, so a stale version makes the whole statement fail and write nothing,
   also when it runs as its own transaction (`db.command_writes` raises
   ConcurrencyConflict). The function reads and writes nothing; the application role may
   execute it (PUBLIC, the default).
2. The case snapshot (~3 KB as JSON, rewritten by every command) and each letter's HTML
   (~10 KB) and context are TOAST-compressed with lz4 instead of pglz when the server was
   built with lz4 (PostgreSQL 14+): compressing a letter costs the server several times
   less CPU, reading it back too. Only values written from now on use it; older values
   stay readable as they are.

SQLite is unchanged: it checks the UPDATE's row count and has no TOAST.

Revision ID: 0118
Revises: 0117
Create Date: 2026-12-04
"""

from alembic import op

revision = "0118"
down_revision = "0117"
branch_labels = None
depends_on = None

COMPRESSED = (("cases", "snapshot"), ("letters", "html"), ("letters", "context"))


def _lz4_available() -> bool:
    found = op.get_bind().exec_driver_sql(
        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
    )
    return bool(found.scalar())


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE FUNCTION netra_expect_one_row(matched bigint) RETURNS void "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "IF matched IS DISTINCT FROM 1 THEN "
        "RAISE EXCEPTION 'stale case version: the projection update matched % rows', matched "
        "USING ERRCODE = 'NT409'; "
        "END IF; END $$"
    )
    if _lz4_available():
        for table, column in COMPRESSED:
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION lz4")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, column in COMPRESSED:
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION DEFAULT")
        op.execute("DROP FUNCTION netra_expect_one_row(bigint)")
