"""Steps several migrations share: retyping a column while keeping its TOAST compression,
finding the schema of pg_trgm, making a table append-only. Called from inside a migration
(Alembic's `op`)."""

from __future__ import annotations

import re

from alembic import op


def retype_keeping_compression(table: str, column: str, target: str) -> None:
    """`ALTER COLUMN ... TYPE target` (PostgreSQL), keeping the column's compression method
    when one was set explicitly (lz4 by migration 0118): a retype would reset it."""
    found = op.get_bind().exec_driver_sql(
        "SELECT NULLIF(attcompression, '') FROM pg_attribute"
        f" WHERE attrelid = '{table}'::regclass AND attname = '{column}'"
    )
    value = found.scalar()
    kept = {"l": "lz4", "p": "pglz"}.get(str(value)) if value else None
    op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE {target} USING {column}::{target}")
    if kept is not None:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION {kept}")


def trigram_schema() -> str | None:
    """The quoted schema of the pg_trgm extension, or None when the server has not got it
    installed (migration 0116 creates it where it may)."""
    found = op.get_bind().exec_driver_sql(
        "SELECT quote_ident(n.nspname) FROM pg_extension e "
        "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
    )
    value = found.scalar()
    return str(value) if value is not None else None


def refuse_update_and_delete(table: str) -> None:
    """Make `table` append-only as `case_events` is: a trigger refuses UPDATE and DELETE (and,
    on PostgreSQL, TRUNCATE; `netra_refuse_change()` comes from revision 0001)."""
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION netra_refuse_change()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION netra_refuse_change()"
        )
    elif dialect == "sqlite":
        for operation in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'netra: {operation} on {table} is refused: "
                f"the table is append-only'); END"
            )


def app_role() -> str:
    """The application's role (NETRA_DATABASE_APP_ROLE), refused unless a plain role name
    (it is written into GRANT and REVOKE statements)."""
    from db.settings import get_settings

    role = get_settings().database_app_role
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
        raise ValueError(f"NETRA_DATABASE_APP_ROLE '{role}' is not a plain role name")
    return role
