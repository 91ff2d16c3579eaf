"""The database URLs read without pydantic-settings are the ones `Settings()` reads."""

from __future__ import annotations

import os

import pytest

from db import environment
from db.settings import Settings

CASES: list[dict[str, str]] = [
    {},
    {"NETRA_DATABASE_URL": "sqlite:///elsewhere.db"},
    {"netra_database_url": "sqlite:///lower.db"},
    {"NETRA_DATABASE_URL": ""},
    {"NETRA_MIGRATION_DATABASE_URL": "postgresql://owner@db/netra"},
    {"Netra_Migration_Database_Url": "postgresql://mixed@db/netra"},
]


@pytest.mark.parametrize("variables", CASES)
def test_urls_equal_the_settings(
    variables: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in list(os.environ):
        if key.lower().startswith("netra_"):
            monkeypatch.delenv(key)
    for key, value in variables.items():
        monkeypatch.setenv(key, value)
    settings = Settings()
    assert environment.database_url() == settings.database_url
    assert environment.migration_database_url() == settings.migration_database_url
