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


def entry_name(files: Mapping[str, bytes], kind: str = "rules", format_tag: bytes = FORMAT) -> str:
    """The cache file of `kind` for exactly these files (names and bytes)."""
    digest = hashlib.sha256(format_tag)
    for name in sorted(files):
        raw = files[name]
        digest.update(b"\0" + name.encode() + b"\0" + str(len(raw)).encode() + b"\0" + raw)
    return f"{kind}-{digest.hexdigest()}.json"


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


def private_folder() -> Path | None:
    """The cache folder, made if missing; None when it cannot be made or is not private."""
    try:
        folder = cache_dir()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except (OSError, RuntimeError):  # no home directory, or not writable
        return None
    return folder if _private(folder) else None


def read_entry(path: Path) -> Any:
    """The JSON stored at `path`, or None when it is missing or not JSON."""
    try:
        return orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None


def write_entry(folder: Path, path: Path, data: Any) -> None:
    """Store `data` at `path` as JSON (atomically), unless JSON would change it."""
    try:
        blob = orjson.dumps(data)
        if orjson.loads(blob) != data:
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
    folder = private_folder()
    if folder is None:
        return parse(files)
    path = folder / entry_name(files)
    found = read_entry(path)
    if isinstance(found, dict) and set(found) == set(files):
        return found
    documents = parse(files)
    write_entry(folder, path, documents)
    return documents
