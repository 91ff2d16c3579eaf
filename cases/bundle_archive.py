"""The bundle's ZIP container: written canonically, read defensively.

Writing: sorted names, fixed timestamps and attributes, members stored uncompressed, so the
same members always give the same bytes.

Reading refuses, before decompressing anything, what a bundle never holds and what would
exhaust the reader: an archive over `Limits.archive_bytes`, more than `Limits.members`
members, a member that is compressed (a bundle stores, so a high-ratio "zip bomb" is refused
by its header alone), larger than `Limits.member_bytes` or whose declared sizes disagree, a
total over `Limits.total_bytes`, duplicate names, and names that are absolute, contain `..`,
backslashes or control characters. Each member is then read with a bounded read, so a header
that lies about its size cannot make the reader allocate more than the limit.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


class BundleRefused(ValueError):
    """The archive is refused before (or while) reading it; the message says why."""


@dataclass(frozen=True)
class Limits:
    archive_bytes: int = 2 * 1024**3
    member_bytes: int = 256 * 1024**2
    total_bytes: int = 2 * 1024**3
    members: int = 200_000


DEFAULT_LIMITS = Limits()


def write_zip(members: Mapping[str, bytes]) -> bytes:
    """Deterministic ZIP: sorted names, fixed timestamps and attributes, no compression."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, members[name])
    return buffer.getvalue()


def _check_name(name: str) -> None:
    parts = name.split("/")
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or any(part in ("", ".", "..") for part in parts)
        or any(ord(ch) < 32 or ord(ch) == 127 for ch in name)
    ):
        raise BundleRefused(f"nama anggota arsip tidak diizinkan: {name!r}")


def read_members(data: bytes, limits: Limits = DEFAULT_LIMITS) -> dict[str, bytes]:
    """Every member's bytes, or BundleRefused (a ZIP error is reported the same way)."""
    if len(data) > limits.archive_bytes:
        raise BundleRefused(f"arsip terlalu besar: {len(data)} bita (batas {limits.archive_bytes})")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        raise BundleRefused(f"arsip ZIP rusak: {error}") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.members:
            raise BundleRefused(
                f"terlalu banyak anggota arsip: {len(infos)} (batas {limits.members})"
            )
        total = 0
        seen: set[str] = set()
        for info in infos:
            _check_name(info.filename)
            if info.filename in seen:
                raise BundleRefused(f"anggota arsip ganda: {info.filename}")
            seen.add(info.filename)
            if info.compress_type != zipfile.ZIP_STORED:
                raise BundleRefused(
                    f"{info.filename}: anggota terkompresi (metode {info.compress_type}); bundel "
                    "Netra tidak pernah dikompresi — ditolak sebelum dibuka (zip bomb?)"
                )
            if info.file_size != info.compress_size:
                raise BundleRefused(f"{info.filename}: ukuran di header tidak konsisten")
            if info.file_size > limits.member_bytes:
                raise BundleRefused(
                    f"{info.filename}: {info.file_size} bita melebihi batas anggota "
                    f"{limits.member_bytes}"
                )
            total += info.file_size
            if total > limits.total_bytes or total > len(data):
                raise BundleRefused("jumlah ukuran anggota melebihi batas atau ukuran arsip")
        members: dict[str, bytes] = {}
        try:
            for info in infos:
                with archive.open(info) as handle:
                    content = handle.read(info.file_size + 1)
                if len(content) != info.file_size:
                    raise BundleRefused(f"{info.filename}: isi tidak sama dengan ukuran di header")
                members[info.filename] = content
        except (
            zipfile.BadZipFile,
            ValueError,
            OSError,
            EOFError,
            UnicodeDecodeError,
            NotImplementedError,
        ) as error:
            raise BundleRefused(f"arsip ZIP rusak: {error}") from None
    return members
