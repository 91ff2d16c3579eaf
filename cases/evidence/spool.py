"""Receive an upload stream into a temporary file while hashing and counting it, so a file
of any size passes through in constant memory and an over-size file is cut off early."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from rules.errors import InvalidInput

CHUNK = 1024 * 1024
HEAD_BYTES = 8192


@dataclass
class Spooled:
    """A received upload: where it is, its SHA-256, its size and its first bytes."""

    path: Path
    sha256: str
    size: int
    head: bytes

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def spool(stream: BinaryIO, max_bytes: int) -> Spooled:
    """Copy `stream` to a temporary file; refuse (and delete it) past `max_bytes`."""
    hasher = hashlib.sha256()
    size = 0
    head = b""
    handle, name = tempfile.mkstemp(prefix="netra-upload-")
    path = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise InvalidInput(
                        f"Berkas melebihi batas ukuran {max_bytes:,} bita".replace(",", ".")
                    )
                if len(head) < HEAD_BYTES:
                    head += chunk[: HEAD_BYTES - len(head)]
                hasher.update(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if size == 0:
        path.unlink(missing_ok=True)
        raise InvalidInput("Berkas kosong")
    return Spooled(path, hasher.hexdigest(), size, head)
