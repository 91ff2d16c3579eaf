"""The key a stored CLI token is filed under: SQLAlchemy's rendering of the database URL
with its password hidden. For a plain URL (no user, query or escapes) that rendering is the
URL itself, which the CLI then uses without importing SQLAlchemy, so `netra case show` of a
signed-in officer starts as fast as with `NETRA_TOKEN`."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy.engine import make_url

from cli import credentials

PLAIN = [
    "sqlite:///netra.db",
    "sqlite:///./netra.db",
    "sqlite:////var/lib/netra/netra.db",
    "sqlite:///../data/netra-2024_v1.db",
    "sqlite://",
    "postgresql://db/netra",
    "postgresql+psycopg://127.0.0.1:5432/test",
    "postgresql+psycopg://db.example.go.id:6432/netra_prod",
]
OTHER = [
    "postgresql+psycopg://netra:rahasia@db:5432/netra",
    "postgresql+psycopg://netra@db/netra?sslmode=require",
    "postgresql+psycopg://netra:p%40ss@db/netra",
    "sqlite:///netra.db?mode=ro",
]


@pytest.mark.parametrize("url", PLAIN + OTHER)
def test_the_key_is_sqlalchemys_rendering_without_the_password(url: str) -> None:
    assert credentials._key(url) == make_url(url).render_as_string(hide_password=True)
    assert "rahasia" not in credentials._key(url) and "p%40ss" not in credentials._key(url)


def test_a_plain_url_is_filed_without_importing_sqlalchemy() -> None:
    program = (
        "import sys; from cli import credentials; "
        f"keys = [credentials._key(u) for u in {PLAIN!r}]; "
        "print('sqlalchemy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
