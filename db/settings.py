"""Configuration from `NETRA_*` environment variables (pydantic-settings)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

from db.environment import DEFAULT_DATABASE_URL


class Settings(BaseSettings):
    """Every setting Netra reads; docker-compose.yml sets these names."""

    model_config = SettingsConfigDict(env_prefix="NETRA_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    user: str | None = None  # acting officer id for the CLI (overridden by --as)
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    sweep_cron: str = "*/15 * * * *"
    digest_cron: str = "0 7 * * 1-5"
    verify_cron: str = "30 1 * * *"
    timezone: str = "Asia/Jakarta"
    # audit (helper `audit`): secrets kept outside the database
    signing_key_file: str | None = None  # Ed25519 private key (PEM, mode 0600)
    reporter_hash_secret: str | None = None  # HMAC key for reporter fields in auditor bundles
    # --- deadlines helper: one-machine mode, notices, least privilege ----------------------
    data_dir: str = ".netra"  # the local Prefect server's home and database (one-machine mode)
    prefect_port: int = 4200  # the local Prefect server, bound to 127.0.0.1 only
    sweep_interval_seconds: int | None = None  # an interval instead of NETRA_SWEEP_CRON
    deliver_cron: str = "*/5 * * * *"  # notice delivery (e-mail, apprise)
    web_base_url: str = "http://127.0.0.1:8000"  # case links in notices: {base}/cases/{id}
    smtp_host: str | None = None  # no host: notices stay in the outbox
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    mail_from: str = "Netra <netra@localhost>"
    apprise_urls: str = ""  # space-separated apprise URLs told of every notice (no reporter data)
    delivery_max_attempts: int = 6
    delivery_backoff_seconds: int = 60  # doubled after each failed attempt
    migration_database_url: str | None = None  # owner role for migrations (else database_url)
    database_app_role: str = "netra_app"  # PostgreSQL role granted least privilege


def get_settings() -> Settings:
    return Settings()
