"""A signed-out browser-less client on the whole web app over the demo data (SQLite and
PostgreSQL), and a way to sign in as any demo officer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cases.bootstrap import unit_of_work
from cases.demo import load_demo_with_logins
from web.app import create_web_app


@dataclass
class Site:
    url: str
    logins: dict[str, str]

    def client(self) -> TestClient:
        app = create_web_app(self.url, secure_cookies=False)
        return TestClient(app, base_url="http://127.0.0.1", follow_redirects=True)

    def signed_in(self, officer_id: str) -> tuple[TestClient, str]:
        """A client with a live session for `officer_id`, and the session's CSRF token."""
        client = self.client()
        page = client.post(
            "/masuk", data={"user_id": officer_id, "password": self.logins[officer_id]}
        )
        assert page.status_code == 200, page.text
        return client, csrf_of(page.text)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def version_of(html: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found, "no version on the form"
    return found.group(1)


@pytest.fixture
def site(db_url: str) -> Site:
    loaded = load_demo_with_logins(unit_of_work(db_url))
    return Site(db_url, loaded.logins)


def png_bytes(colour: str = "red", size: int = 8) -> bytes:
    """A small real PNG made with Pillow."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(out, "PNG")
    return out.getvalue()


FORGED_HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SCRIPTED_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)


@pytest.fixture
def evidence_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Evidence files go to a fresh directory; uploads above 200 KB are refused."""
    store = tmp_path / "bukti"
    monkeypatch.setenv("NETRA_EVIDENCE_DIR", str(store))
    monkeypatch.setenv("NETRA_EVIDENCE_MAX_BYTES", str(200_000))
    return store
