"""A version check that fails the statement, so a command's write and COMMIT can be pipelined.

`netra_expect_one_row(matched)` raises SQLSTATE NT409 unless `matched` is 1. A PostgreSQL
command's one write (`db.command_path`: events INSERT and projection UPDATE ... WHERE id AND
version) selects it over the rows the UPDATE matched, so a stale version makes the
statement fail: the transaction is aborted and the COMMIT sent behind it in the same
pipeline commits nothing (`db.command_writes` raises ConcurrencyConflict). The function
reads and writes nothing; the application role may execute it (PUBLIC, the default).
SQLite is unchanged: it checks the UPDATE's row count.

Revision ID: 0118
Revises: 0117
Create Date: 2026-12-04
"""

from alembic import op

revision = "0118"
down_revision = "0117"
branch_labels = None
depends_on = None


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


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION netra_expect_one_row(bigint)")
