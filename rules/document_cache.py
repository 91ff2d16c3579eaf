"""A per-user cache of parsed rule documents, so a short command does not parse YAML.

Parsing the rule files (PyYAML builds every node in Python) is a large part of a command's
start-up. The parsed documents of one exact set of files are kept as JSON in the user's cache
directory (`$XDG_CACHE_HOME/netra`, else `~/.cache/netra`), under the SHA-256 of the files'
names and bytes: a changed file changes the name, so a stale entry is never read.

Safety: the entry is JSON, never code (no pickle), and it is only data for the same
validation and cross-checks the YAML goes through. It is read only from a directory that is
the user's own and writable by no one else (as ssh treats ~/.ssh); documents whose JSON form
would differ from the YAML's (dates, non-text keys) are not cached. Any problem reading or
writing the cache means parsing the files, as without it.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import orjson

FORMAT = b"netra-rule-documents-1"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "netra"


def entry_name(files: Mapping[str, bytes]) -> str:
    """The cache file for exactly these files (names and bytes)."""
    digest = hashlib.sha256(FORMAT)
    for name in sorted(files):
        raw = files[name]
        digest.update(b"\0" + name.encode() + b"\0" + str(len(raw)).encode() + b"\0" + raw)
    return f"rules-{digest.hexdigest()}.json"


def _private(folder: Path) -> bool:
    """The folder is a real directory of this user that no one else may write to."""
    try:
        info = folder.lstat()
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.getuid()
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


def _read(path: Path, names: set[str]) -> dict[str, Any] | None:
    try:
        documents = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if isinstance(documents, dict) and set(documents) == names:
        return documents
    return None


def _write(folder: Path, path: Path, documents: dict[str, Any]) -> None:
    try:
        blob = orjson.dumps(documents)
        if orjson.loads(blob) != documents:
            return  # JSON would change them (e.g. dates): parse the YAML every time
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".rules-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(blob)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, TypeError):
        return


def cached_documents(
    files: Mapping[str, bytes], parse: Callable[[Mapping[str, bytes]], dict[str, Any]]
) -> dict[str, Any]:
    """The parsed documents of `files` (name -> document): from the cache when it holds them
    for exactly these bytes, else `parse(files)`, stored for the next process."""
    try:
        folder = cache_dir()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except (OSError, RuntimeError):  # no home directory, or not writable
        return parse(files)
    if not _private(folder):
        return parse(files)
    path = folder / entry_name(files)
    documents = _read(path, set(files))
    if documents is None:
        documents = parse(files)
        _write(folder, path, documents)
    return documents
