"""Idempotency keys: a retried request with the same key and body has exactly one effect.

`reserve` claims the key in its own transaction before the command runs (the primary key
makes two concurrent retries race for one row); `complete` stores the answer a retry gets;
`release` frees the key when the command failed and wrote nothing, so the client may retry.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from db.schema import IdempotencyRow
from db.unit_of_work import UnitOfWork
from rules.errors import ConcurrencyConflict, InvalidInput

MAX_KEY_LENGTH = 100


@dataclass(frozen=True)
class StoredAnswer:
    """What the first request with this key answered."""

    status_code: int
    body: Any


def request_hash(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def _check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput(f"Idempotency-Key harus 1-{MAX_KEY_LENGTH} karakter yang dapat dicetak")
    return key


def reserve(
    uow: UnitOfWork, officer_id: str, key: str, digest: str, now: datetime
) -> StoredAnswer | None:
    """Claim `key` for this request; the stored answer if it was already answered.

    The same key with another request, or one still running, is a conflict.
    """
    key = _check_key(key)
    with uow:
        found = uow.session.execute(
            select(
                IdempotencyRow.request_hash, IdempotencyRow.status_code, IdempotencyRow.response
            ).where(IdempotencyRow.officer_id == officer_id, IdempotencyRow.key == key)
        ).one_or_none()
        if found is None:
            uow.session.add(
                IdempotencyRow(officer_id=officer_id, key=key, request_hash=digest, created_at=now)
            )
            try:
                uow.commit()
            except (IntegrityError, ConcurrencyConflict):
                raise ConcurrencyConflict(
                    "Permintaan dengan Idempotency-Key ini sedang diproses; ulangi sebentar lagi"
                ) from None
            return None
    if found.request_hash != digest:
        raise InvalidInput("Idempotency-Key ini sudah dipakai untuk permintaan yang berbeda")
    if found.status_code is None:
        raise ConcurrencyConflict(
            "Permintaan dengan Idempotency-Key ini sedang diproses; ulangi sebentar lagi"
        )
    return StoredAnswer(found.status_code, found.response)


def complete(uow: UnitOfWork, officer_id: str, key: str, status_code: int, body: Any) -> None:
    with uow:
        uow.session.execute(
            update(IdempotencyRow)
            .where(IdempotencyRow.officer_id == officer_id, IdempotencyRow.key == key.strip())
            .values(status_code=status_code, response=body)
        )
        uow.commit()


def release(uow: UnitOfWork, officer_id: str, key: str) -> None:
    with uow:
        uow.session.execute(
            delete(IdempotencyRow).where(
                IdempotencyRow.officer_id == officer_id,
                IdempotencyRow.key == key.strip(),
                IdempotencyRow.status_code.is_(None),
            )
        )
        uow.commit()
