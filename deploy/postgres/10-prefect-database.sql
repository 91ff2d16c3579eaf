-- Runs once, when the PostgreSQL volume is first initialised: Prefect's own database,
-- next to Netra's (POSTGRES_DB). Both belong to the POSTGRES_USER.
CREATE DATABASE prefect;
