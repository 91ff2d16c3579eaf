"""Configuration from `NETRA_*` environment variables (pydantic-settings)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///netra.db"


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


def get_settings() -> Settings:
    return Settings()
