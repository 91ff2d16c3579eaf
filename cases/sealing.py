"""Checkpoint seals, pure: the Merkle root over case-chain heads, inclusion proofs, the
checkpoint chain, and the fast event hash used by verification.

No database here (only `states` and the standard library), so an auditor's machine can run it
when it verifies an exported bundle.

The root is an RFC 6962 Merkle tree (Certificate Transparency): leaves are the canonical head
lines `case_id TAB seq TAB head_hash`, sorted by case id (Python string order);
`leaf = sha256(0x00 || line)`, `node = sha256(0x01 || left || right)`, and an odd last node is
promoted unchanged to the next level. The empty tree's root is `sha256("")`. A per-case
inclusion proof lets a bundle holding a few cases show that their heads are under a root
published for all of them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from states.canonical import GENESIS_HASH, chain_hash, utc_iso

EMPTY_ROOT = hashlib.sha256(b"").hexdigest()


@dataclass(frozen=True, order=True)
class Head:
    """A case's chain head as a checkpoint saw it."""

    case_id: str
    seq: int
    hash: str

    def line(self) -> bytes:
        return f"{self.case_id}\t{self.seq}\t{self.hash}".encode()


def leaf_hash(head: Head) -> bytes:
    return hashlib.sha256(b"\x00" + head.line()).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def merkle_root(heads: Iterable[Head]) -> str:
    """Root over heads already sorted by case id; streams (memory is O(log n))."""
    stack: list[tuple[int, bytes]] = []
    for head in heads:
        size, digest = 1, leaf_hash(head)
        while stack and stack[-1][0] == size:
            left_size, left = stack.pop()
            size, digest = left_size + size, node_hash(left, digest)
        stack.append((size, digest))
    if not stack:
        return EMPTY_ROOT
    _, digest = stack.pop()
    while stack:
        _, left = stack.pop()
        digest = node_hash(left, digest)
    return digest.hex()


class MerkleTree:
    """All levels of the tree, for inclusion proofs (roots alone: use `merkle_root`)."""

    def __init__(self, heads: Sequence[Head]) -> None:
        self.index = {head.case_id: i for i, head in enumerate(heads)}
        level = [leaf_hash(head) for head in heads]
        self.levels = [level]
        while len(level) > 1:
            nxt = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
            if len(level) % 2:
                nxt.append(level[-1])
            self.levels.append(nxt)
            level = nxt

    @property
    def root(self) -> str:
        return self.levels[-1][0].hex() if self.levels[0] else EMPTY_ROOT

    def proof(self, case_id: str) -> list[list[str]]:
        """Siblings from the leaf up, each `["L"|"R", hex]` (the side the sibling is on)."""
        position = self.index[case_id]
        path: list[list[str]] = []
        for level in self.levels[:-1]:
            sibling = position ^ 1
            if sibling < len(level):
                path.append(["L" if sibling < position else "R", level[sibling].hex()])
            position //= 2
        return path


def root_from_proof(head: Head, path: Sequence[Sequence[str]]) -> str:
    digest = leaf_hash(head)
    for side, sibling in path:
        other = bytes.fromhex(sibling)
        digest = node_hash(other, digest) if side == "L" else node_hash(digest, other)
    return digest.hex()


# --- the checkpoint chain -------------------------------------------------------------------


def checkpoint_body(
    checkpoint_id: int, created_at: datetime, case_count: int, event_count: int, root_hash: str
) -> dict[str, Any]:
    return {
        "id": checkpoint_id,
        "created_at": utc_iso(created_at),
        "case_count": case_count,
        "event_count": event_count,
        "root_hash": root_hash,
    }


def checkpoint_hash(prev_hash: str, body: dict[str, Any]) -> str:
    """`sha256(prev_hash || canonical_json(body))`, as for events."""
    return chain_hash(prev_hash, body)


@dataclass(frozen=True)
class Checkpoint:
    """One published seal: how many cases and events, their root, chained to the previous."""

    id: int
    created_at: datetime
    case_count: int
    event_count: int
    root_hash: str
    prev_hash: str
    hash: str

    def body(self) -> dict[str, Any]:
        return checkpoint_body(
            self.id, self.created_at, self.case_count, self.event_count, self.root_hash
        )

    def expected_hash(self) -> str:
        return checkpoint_hash(self.prev_hash, self.body())

    def to_dict(self) -> dict[str, Any]:
        return {**self.body(), "prev_hash": self.prev_hash, "hash": self.hash}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Checkpoint:
        return cls(
            id=int(data["id"]),
            created_at=datetime.fromisoformat(data["created_at"].replace("Z", "+00:00")),
            case_count=int(data["case_count"]),
            event_count=int(data["event_count"]),
            root_hash=data["root_hash"],
            prev_hash=data["prev_hash"],
            hash=data["hash"],
        )

    def printable(self) -> str:
        """The text an institution publishes or signs (one checkpoint, all it commits to)."""
        return (
            f"NETRA CHECKPOINT {self.id}\n"
            f"created_at: {utc_iso(self.created_at)}\n"
            f"cases: {self.case_count}\n"
            f"events: {self.event_count}\n"
            f"root (RFC 6962 Merkle, sha256): {self.root_hash}\n"
            f"prev: {self.prev_hash}\n"
            f"hash: {self.hash}\n"
        )


def chain_problems(checkpoints: Sequence[Checkpoint]) -> list[tuple[int, str]]:
    """Each checkpoint must hash correctly and link to the one before (ids in order)."""
    problems: list[tuple[int, str]] = []
    prev = GENESIS_HASH
    for item in checkpoints:
        if item.prev_hash != prev:
            problems.append((item.id, "prev_hash tidak sama dengan hash checkpoint sebelumnya"))
        if item.expected_hash() != item.hash:
            problems.append((item.id, "hash checkpoint tidak cocok dengan isinya"))
        prev = item.hash
    return problems


# --- fast event hashing (same bytes as states.canonical.canonical_json) ---------------------


def _iso(value: datetime) -> str:
    if value.tzinfo is None:  # SQLite keeps UTC without an offset
        value = value.replace(tzinfo=UTC)
    return utc_iso(value)


def row_hash(
    prev_hash: str,
    case_id: str,
    seq: int,
    event_type: str,
    actor_id: str,
    actor_role: str,
    actor_institution: str,
    occurred_at: datetime,
    recorded_at: datetime,
    payload: Any,
    rule_set: str,
    floats_checked: bool = False,
    operator: str | None = None,
    clock: str | None = None,
) -> str:
    """The chain hash of a stored row, without building a RecordedEvent.

    Equal to `RecordedEvent.expected_hash()` for every event the store can write (those have
    no floats); a float smuggled into a payload raises TypeError, reported as a break
    (`floats_checked`: the caller parsed the payload refusing floats already).
    """
    actor = {"institution": actor_institution, "role": actor_role, "user_id": actor_id}
    if operator:
        actor["operator"] = operator
    body = {
        "actor": actor,
        "case_id": case_id,
        "event_type": event_type,
        "occurred_at": _iso(occurred_at),
        "payload": payload,
        "recorded_at": _iso(recorded_at),
        "rule_set": rule_set,
        "seq": seq,
    }
    if clock:
        body["clock"] = clock
    return chain_hash(prev_hash, body, check_floats=not floats_checked)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
