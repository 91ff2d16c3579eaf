"""Where the CLI keeps a signed-in officer's token: one file in the OS user's config folder
(`$NETRA_CONFIG_DIR`, else `~/.config/netra`), mode 0600, one token per database."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from cli.output_files import write_file


def config_dir() -> Path:
    explicit = os.environ.get("NETRA_CONFIG_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "netra"


def _file() -> Path:
    return config_dir() / "credentials.json"


# A URL with no user information, query or escapes reads back from SQLAlchemy exactly as it
# was written (tests/cli/test_credentials_key.py): its key is the URL itself, and a short
# command (`netra case show` on SQLite) need not import SQLAlchemy to find its token.
_PLAIN_URL = re.compile(r"[a-z][a-z0-9+]*://[A-Za-z0-9.\-_:/\[\]]*")


def _key(database_url: str) -> str:
    """The database a token belongs to, without any password in its URL."""
    if _PLAIN_URL.fullmatch(database_url):
        return database_url
    from sqlalchemy.engine import make_url

    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL fails later with its own message
        return database_url


def _read() -> dict[str, str]:
    try:
        data = json.loads(_file().read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def stored_token(database_url: str) -> str | None:
    return _read().get(_key(database_url))


def store_token(database_url: str, token: str | None) -> Path:
    """Save (or with None, forget) the token for this database; the file is mode 0600."""
    data = _read()
    if token is None:
        data.pop(_key(database_url), None)
    else:
        data[_key(database_url)] = token
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = _file()
    write_file(target, json.dumps(data, indent=2).encode("utf-8"), force=True, mode=0o600)
    return target
