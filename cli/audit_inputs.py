"""What several `netra audit` commands read the same way: instants given in WIB, files
refused by their size before reading, and the shared --force and --key options."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from cases.fields import parse_instant
from rules.errors import InvalidInput

WIB = ZoneInfo("Asia/Jakarta")

ForceOption = Annotated[bool, typer.Option("--force", help="Timpa berkas yang sudah ada")]
KeyOption = Annotated[
    Path | None, typer.Option("--key", help="Kunci publik penanda tangan yang dipercaya (PEM)")
]


def wib_instant(value: str, name: str) -> datetime:
    """ISO instant; without an offset it is read as WIB."""
    return parse_instant(value, WIB, name)


def read_limited(path: Path, limit: int, what: str) -> bytes:
    """A file's bytes, refusing it by its size before reading."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise InvalidInput(f"{what} {path} terlalu besar: {size} bita (batas {limit})")
        with path.open("rb") as handle:
            return handle.read(limit + 1)
    except OSError as error:
        raise InvalidInput(f"{what} {path} tidak dapat dibaca ({error.strerror})") from None
