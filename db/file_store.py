"""Content-addressed file stores for evidence: a local directory or an S3-compatible bucket.

A file is stored under its SHA-256 and never changes: `put` of a hash already present does
nothing. Reading streams in chunks; nothing here reads a whole file into memory.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from db.evidence_settings import EvidenceSettings, get_evidence_settings
from rules.errors import InvalidInput, NotFound

CHUNK = 1024 * 1024
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


def _checked(digest: str) -> str:
    if not SHA256_HEX.match(digest):
        raise InvalidInput(f"'{digest}' bukan SHA-256 (64 heksadesimal huruf kecil)")
    return digest


class FileStore(Protocol):
    """Where evidence bytes live, addressed by SHA-256."""

    def put(self, digest: str, source: Path) -> None:
        """Store the file at `source` (whose SHA-256 the caller computed) under `digest`."""

    def exists(self, digest: str) -> bool: ...

    def chunks(self, digest: str) -> Iterator[bytes]:
        """The stored bytes, in chunks; NotFound when the file is missing."""

    def describe(self) -> str: ...


def stored_digest(store: FileStore, digest: str) -> str:
    """The SHA-256 of what the store actually holds under `digest` (streamed)."""
    hasher = hashlib.sha256()
    for chunk in store.chunks(digest):
        hasher.update(chunk)
    return hasher.hexdigest()


class LocalFileStore:
    """`<root>/sha256/ab/abcdef...`: written to a temporary file, fsynced, then renamed."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def path(self, digest: str) -> Path:
        digest = _checked(digest)
        return self.root / "sha256" / digest[:2] / digest

    def put(self, digest: str, source: Path) -> None:
        target = self.path(digest)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as out, source.open("rb") as src:
                shutil.copyfileobj(src, out, CHUNK)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o444)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        directory = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def exists(self, digest: str) -> bool:
        return self.path(digest).is_file()

    def chunks(self, digest: str) -> Iterator[bytes]:
        path = self.path(digest)
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            raise NotFound(f"Berkas {digest} tidak ada di penyimpanan {self.root}") from None
        with handle:
            while chunk := handle.read(CHUNK):
                yield chunk

    def describe(self) -> str:
        return f"direktori {self.root}"


class S3FileStore:
    """An S3-compatible bucket (MinIO in production): key `<prefix>sha256/ab/abcdef...`."""

    def __init__(self, client: Any, bucket: str, prefix: str = "netra/") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    def key(self, digest: str) -> str:
        digest = _checked(digest)
        return f"{self.prefix}sha256/{digest[:2]}/{digest}"

    def put(self, digest: str, source: Path) -> None:
        if self.exists(digest):
            return
        with source.open("rb") as handle:
            self.client.upload_fileobj(handle, self.bucket, self.key(digest))

    def exists(self, digest: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(digest))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def chunks(self, digest: str) -> Iterator[bytes]:
        from botocore.exceptions import ClientError

        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self.key(digest))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                raise NotFound(f"Berkas {digest} tidak ada di bucket {self.bucket}") from None
            raise
        body: BinaryIO = response["Body"]
        try:
            while chunk := body.read(CHUNK):
                yield chunk
        finally:
            body.close()

    def describe(self) -> str:
        return f"bucket {self.bucket}"


def file_store(settings: EvidenceSettings | None = None) -> FileStore:
    """The configured store: S3 when `NETRA_EVIDENCE_S3_BUCKET` is set, else the directory."""
    settings = settings or get_evidence_settings()
    if settings.s3_bucket:
        import boto3

        client = boto3.client(
            "s3", endpoint_url=settings.s3_endpoint, region_name=settings.s3_region
        )
        return S3FileStore(client, settings.s3_bucket, settings.s3_prefix)
    return LocalFileStore(settings.dir)
