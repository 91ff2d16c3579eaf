#!/bin/sh
# Runs once, when the PostgreSQL volume is first initialised (docker-entrypoint-initdb.d), as
# the owner role POSTGRES_USER, which owns Netra's database and runs its migrations.
#   netra_app  the application's login role: granted least privilege by the migrations
#              (SELECT/INSERT on the append-only tables, never UPDATE/DELETE/ALTER/DROP)
#   prefect    owns Prefect's own database, and nothing of Netra's
set -eu
: "${NETRA_DB_PASSWORD:?}" "${NETRA_PREFECT_DB_PASSWORD:?}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v app_password="$NETRA_DB_PASSWORD" -v prefect_password="$NETRA_PREFECT_DB_PASSWORD" <<'SQL'
CREATE ROLE netra_app LOGIN PASSWORD :'app_password';
REVOKE ALL ON DATABASE netra FROM PUBLIC;
GRANT CONNECT ON DATABASE netra TO netra_app;
CREATE ROLE prefect LOGIN PASSWORD :'prefect_password';
CREATE DATABASE prefect OWNER prefect;
SQL
