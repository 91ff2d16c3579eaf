"""One Prefect test harness (temporary Prefect server on SQLite) for every workflow test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from prefect.testing.utilities import prefect_test_harness


@pytest.fixture(autouse=True, scope="session")
def prefect_harness() -> Iterator[None]:
    """Starting the harness takes seconds, so it is started once per test session (worker)."""
    with prefect_test_harness(server_startup_timeout=60):
        yield
