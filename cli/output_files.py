"""Safe output files for `--out`: never follow a symlink, never overwrite without `--force`,
private (0600) by default, and never leave a half-written file behind.

The bytes go to a fresh temporary file in the target's directory (created with
O_CREAT|O_EXCL|O_NOFOLLOW, so nothing an attacker planted there is opened), and only when
the write completed is it put in place: without `force` by `os.link` (atomic, fails when the
name exists, even as a dangling symlink), with `force` by `os.replace` (which replaces a
name, never writes through it). A symlink at the target is refused in both cases.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from rules.errors import InvalidInput

PRIVATE = 0o600
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def check_target(path: Path, force: bool) -> None:
    """Refuse a symlink, a directory or anything but a regular file; an existing file
    unless `force`."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise InvalidInput(f"{path} adalah tautan simbolik; tidak ditulis (pilih nama lain)")
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(f"{path} bukan berkas biasa; tidak ditulis")
    if not force:
        raise InvalidInput(f"{path} sudah ada; gunakan --force untuk menimpanya")


@contextlib.contextmanager
def open_for_writing(
    path: Path | str, force: bool = False, mode: int = PRIVATE
) -> Iterator[BinaryIO]:
    """A binary file to write; it appears at `path` (with `mode`) only if the block succeeds."""
    target = Path(path)
    check_target(target, force)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InvalidInput(f"Folder {directory} tidak ada")
    temporary = directory / f".{target.name}.{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(temporary, flags, mode)
    except OSError as error:
        raise InvalidInput(f"{target} tidak dapat ditulis: {error.strerror}") from None
    try:
        os.fchmod(descriptor, mode)
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _put_in_place(temporary, target, force)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _put_in_place(temporary: Path, target: Path, force: bool) -> None:
    check_target(target, force)  # again: the name may have changed while we wrote
    if force:
        os.replace(temporary, target)
        return
    try:
        os.link(temporary, target, follow_symlinks=False)
    except FileExistsError:
        raise InvalidInput(f"{target} sudah ada; gunakan --force untuk menimpanya") from None
    except OSError as error:
        raise InvalidInput(f"{target} tidak dapat ditulis: {error.strerror}") from None


def write_file(path: Path | str, data: bytes, force: bool = False, mode: int = PRIVATE) -> None:
    """Write `data` to `path` safely (see the module docstring)."""
    with open_for_writing(path, force, mode) as handle:
        handle.write(data)
