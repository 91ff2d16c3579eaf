"""Least privilege on PostgreSQL: the application role may not rewrite history.

Migrations run as the owner role (NETRA_MIGRATION_DATABASE_URL); the application connects as
NETRA_DATABASE_APP_ROLE (default `netra_app`, created NOLOGIN here if missing; docker-compose
creates it as a login role). It may read and write the working tables, but on the append-only
tables (events, checkpoints) only SELECT and INSERT: no UPDATE, DELETE or TRUNCATE, and, not
owning any table, no ALTER, DROP or trigger change. Tables created later by the owner get the
same read/write grants (default privileges). A no-op on SQLite.

Revision ID: 0115b
Revises: 0115a
Create Date: 2026-11-29
"""

import re

from alembic import op

from db.settings import get_settings

revision = "0115b"
down_revision = "0115a"
branch_labels = None
depends_on = None

APPEND_ONLY = ("case_events", "checkpoints", "checkpoint_heads")
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _role() -> str:
    role = get_settings().database_app_role
    if not ROLE_NAME.fullmatch(role):
        raise ValueError(f"NETRA_DATABASE_APP_ROLE '{role}' is not a plain role name")
    return role


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    role = _role()
    op.execute(
        f"""
        DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN
                CREATE ROLE {role} NOLOGIN;
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END $$
        """
    )
    op.execute(
        f"""
        DO $$
        DECLARE target text := quote_ident(current_schema());
        BEGIN
            EXECUTE format('GRANT USAGE ON SCHEMA %s TO {role}', target);
            EXECUTE format(
                'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %s TO {role}',
                target);
            EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %s TO {role}', target);
            EXECUTE format(
                'ALTER DEFAULT PRIVILEGES IN SCHEMA %s '
                'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}', target);
            EXECUTE format(
                'ALTER DEFAULT PRIVILEGES IN SCHEMA %s GRANT USAGE, SELECT ON SEQUENCES TO {role}',
                target);
        END $$
        """
    )
    op.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {', '.join(APPEND_ONLY)} FROM {role}")
    op.execute(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {role}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    role = _role()
    op.execute(
        f"""
        DO $$
        DECLARE target text := quote_ident(current_schema());
        BEGIN
            EXECUTE format(
                'ALTER DEFAULT PRIVILEGES IN SCHEMA %s REVOKE ALL ON TABLES FROM {role}', target);
            EXECUTE format(
                'ALTER DEFAULT PRIVILEGES IN SCHEMA %s REVOKE ALL ON SEQUENCES FROM {role}',
                target);
            EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %s FROM {role}', target);
            EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %s FROM {role}', target);
            EXECUTE format('REVOKE USAGE ON SCHEMA %s FROM {role}', target);
        END $$
        """
    )
