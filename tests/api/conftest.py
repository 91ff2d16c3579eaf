"""An API client over the demo data (SQLite and PostgreSQL) with a token per demo officer."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient

from cases.bootstrap import unit_of_work
from cases.demo import load_demo_with_logins
from cases.identity.tokens import create_token
from web.app import create_web_app


@dataclass
class Api:
    url: str
    client: TestClient
    tokens: dict[str, str] = field(default_factory=dict)

    def auth(self, officer_id: str) -> dict[str, str]:
        if officer_id not in self.tokens:
            _, self.tokens[officer_id] = create_token(unit_of_work(self.url), officer_id, "t", 1)
        return {"Authorization": f"Bearer {self.tokens[officer_id]}"}


@pytest.fixture
def api(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Api:
    monkeypatch.setenv("NETRA_REPORTER_HASH_SECRET", "api-test-secret")
    load_demo_with_logins(unit_of_work(db_url))
    client = TestClient(create_web_app(db_url, secure_cookies=False), base_url="http://127.0.0.1")
    return Api(db_url, client)
