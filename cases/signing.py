"""The Ed25519 key that signs published checkpoint roots and audit bundles, kept outside
the database (a file named by `NETRA_SIGNING_KEY_FILE`).

The private key is a PEM (PKCS#8) file written with mode 0600 and never overwritten without
`force`; the public key is a PEM file anyone may hold. A key is named by its fingerprint,
`sha256:` + the hex SHA-256 of its 32 raw public bytes. No database here: an auditor's
machine verifies signatures with this module alone.

The reporter hash secret (HMAC key for the reporter fields in an auditor's bundle) is
`NETRA_REPORTER_HASH_SECRET`, or, when unset, derived from the private signing key
(HMAC-SHA256 of a fixed label), so one secret kept outside the database serves both.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from rules.errors import InvalidInput

ALGORITHM = "Ed25519"
_REPORTER_LABEL = b"netra reporter hash secret/1"


def fingerprint(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def public_pem(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def public_raw_b64(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def public_from_raw_b64(text: str) -> Ed25519PublicKey:
    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except ValueError as error:
        raise InvalidInput(f"Kunci publik tidak valid: {error}") from None


@dataclass(frozen=True)
class Signer:
    """The private key in memory, and what it is known by."""

    private: Ed25519PrivateKey

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)

    def sign(self, data: bytes) -> str:
        """The signature, base64."""
        return base64.b64encode(self.private.sign(data)).decode()

    def reporter_secret(self) -> bytes:
        raw = self.private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return hmac.new(raw, _REPORTER_LABEL, hashlib.sha256).digest()


def verify_signature(public: Ed25519PublicKey, data: bytes, signature_b64: str) -> bool:
    try:
        public.verify(base64.b64decode(signature_b64, validate=True), data)
    except (InvalidSignature, ValueError):
        return False
    return True


def generate_key(private_path: Path, public_path: Path, force: bool = False) -> Signer:
    """Create a new key pair: the private PEM with mode 0600 (refusing to overwrite or to
    write through a symlink unless `force`, and never through a symlink), the public PEM 0644."""
    for path in (private_path, public_path):
        if path.is_symlink():
            raise InvalidInput(f"{path} adalah tautan simbolik; kunci tidak ditulis")
        if path.exists() and not force:
            raise InvalidInput(
                f"{path} sudah ada; kunci tidak ditimpa (gunakan --force bila memang diganti)"
            )
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _write_new(private_path, pem, 0o600)
    _write_new(public_path, public_pem(private.public_key()), 0o644)
    return Signer(private)


def _write_new(path: Path, data: bytes, mode: int) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(temporary, flags, mode)
    try:
        os.fchmod(descriptor, mode)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def load_signer(path: Path | str) -> Signer:
    """The private key at `path`; refused if others may read it (group/world bits set)."""
    key_path = Path(path)
    try:
        info = key_path.stat()
        data = key_path.read_bytes()
    except OSError as error:
        raise InvalidInput(
            f"Kunci penanda tangan {key_path} tidak dapat dibaca ({error.strerror}); "
            "buat dengan `netra audit keygen`"
        ) from None
    if stat.S_IMODE(info.st_mode) & 0o077:
        raise InvalidInput(
            f"Kunci penanda tangan {key_path} dapat dibaca pengguna lain "
            f"(mode {stat.S_IMODE(info.st_mode):o}); jalankan chmod 600"
        )
    try:
        private = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as error:
        raise InvalidInput(f"Kunci penanda tangan {key_path} tidak valid: {error}") from None
    if not isinstance(private, Ed25519PrivateKey):
        raise InvalidInput(f"Kunci {key_path} bukan kunci Ed25519")
    return Signer(private)


def load_public_key(path: Path | str) -> Ed25519PublicKey:
    """A public key from a PEM file (or the private key's file: its public half)."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InvalidInput(f"Kunci publik {path} tidak dapat dibaca ({error.strerror})") from None
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        try:
            private = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError) as error:
            raise InvalidInput(f"Kunci publik {path} tidak valid: {error}") from None
        key = private.public_key()
    if not isinstance(key, Ed25519PublicKey):
        raise InvalidInput(f"Kunci {path} bukan kunci Ed25519")
    return key


def reporter_hash(secret: bytes, reporter: dict[str, object]) -> str:
    """HMAC-SHA256 over the reporter fields (canonical: sorted keys, JSON-like lines)."""
    text = "\n".join(f"{key}={reporter.get(key) or ''}" for key in sorted(reporter))
    return "hmac-sha256:" + hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()
