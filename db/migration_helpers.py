"""Steps several migrations share: retyping a column while keeping its TOAST compression,
and finding the schema of pg_trgm. Called from inside a migration (Alembic's `op`)."""

from __future__ import annotations

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
