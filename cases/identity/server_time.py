"""The server clock that credentials, tokens and sessions follow (never a caller's `--now`)."""

from __future__ import annotations

from datetime import UTC, datetime


def datetime_now() -> datetime:
    """The server clock (credentials and sessions never follow a caller's clock)."""
    return datetime.now(UTC)
