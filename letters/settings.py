"""Settings of the letters package, from `NETRA_*` environment variables (pydantic-settings).

`NETRA_VERIFICATION_BASE_URL` is the public address of the web app whose
`/verifikasi/<letter id>` page the QR code on every PDF points to. `NETRA_LETTER_SIGNER`
picks the electronic signer for PDFs: `none` (unsigned), `local-ca:<folder>` (the local test
and demo CA, created on first use) or `pkcs12:<file>` (a certificate issued by BSrE, with its
passphrase in `NETRA_LETTER_SIGNER_PASSPHRASE`).
"""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class LetterSettings(BaseSettings):
    """What the letters package reads from the environment."""

    model_config = SettingsConfigDict(env_prefix="NETRA_", extra="ignore")

    verification_base_url: str = "http://127.0.0.1:8000"
    letter_signer: str = "none"
    letter_signer_passphrase: str | None = None


def letter_settings() -> LetterSettings:
    return LetterSettings()
