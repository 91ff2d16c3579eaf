"""Passwords: argon2id hashes (argon2-cffi), generated passwords and the strength rule."""

from __future__ import annotations

import hashlib
import os
import secrets
import string
from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from rules.errors import InvalidInput

MIN_LENGTH = 12
MAX_LENGTH = 256
# argon2id with the library's recommended parameters (RFC 9106 low-memory profile). The test
# suite sets NETRA_PASSWORD_HASH_PROFILE=test for the cheapest parameters; verification
# always reads the parameters from the stored hash.
_HASHER = (
    PasswordHasher.from_parameters(profiles.CHEAPEST)
    if os.environ.get("NETRA_PASSWORD_HASH_PROFILE") == "test"
    else PasswordHasher()
)
_ALPHABET = string.ascii_letters + string.digits


@cache
def _dummy_hash() -> str:
    """Verified against for unknown accounts, so both answers cost the same time."""
    return _HASHER.hash(secrets.token_urlsafe(16))


def generate_password() -> str:
    """A random 20-character password (about 119 bits), shown once to the officer."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(20))


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"Kata sandi minimal {MIN_LENGTH} karakter")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"Kata sandi maksimal {MAX_LENGTH} karakter")
    if len(set(password)) < 5:
        raise InvalidInput("Kata sandi terlalu sederhana")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; an absent hash is checked against a dummy (same cost)."""
    try:
        return _HASHER.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def credential_digest(password_hash: str) -> str:
    """What the registry history records of a credential: its SHA-256, never the hash."""
    return hashlib.sha256(password_hash.encode("utf-8")).hexdigest()
