"""Schemathesis against the OpenAPI document of /api/v1 (in-process ASGI, demo data on
SQLite): whatever the generated request, no answer is a 5xx, and a refused request writes
no event (no partial writes)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from sqlalchemy import func, select

from cases.bootstrap import unit_of_work
from cases.demo import load_demo_with_logins
from cases.identity.tokens import create_token
from db.schema import CaseEventRow
from web.app import create_web_app

# The app is made at import (schemathesis reads its OpenAPI document, which needs no
# database); the demo data goes into its database once per module, before the first call.
DB_URL = f"sqlite:///{Path(tempfile.mkdtemp(prefix='netra-fuzz-')) / 'netra.db'}"
APP = create_web_app(DB_URL, secure_cookies=False)
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)


@pytest.fixture(scope="module")
def demo_app() -> Iterator[tuple[Any, str, str]]:
    load_demo_with_logins(unit_of_work(DB_URL))
    _, token = create_token(unit_of_work(DB_URL), "admin", "fuzz", 1)
    with pytest.MonkeyPatch.context() as patch:  # generated evidence goes to a scratch store
        patch.setenv("NETRA_EVIDENCE_DIR", tempfile.mkdtemp(prefix="netra-fuzz-bukti-"))
        yield APP, DB_URL, token


def _events(url: str) -> int:
    work = unit_of_work(url)
    with work:
        return int(
            work.session.execute(select(func.count()).select_from(CaseEventRow)).scalar_one()
        )


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_no_partial_write(case: Any, demo_app: tuple[Any, str, str]) -> None:
    _, url, token = demo_app
    before = _events(url)
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert _events(url) == before, "a refused request wrote events"
