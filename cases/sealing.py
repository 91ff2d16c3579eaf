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

from states.canonical import GENESIS_HASH, canonical_json, chain_hash, utc_iso

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


# --- the append-only head log and RFC 6962 consistency proofs ---------------------------------
#
# The tree above (one leaf per case, sorted by id) changes shape as cases move, so it cannot
# prove that one state of the database extends another. The head log can: every checkpoint
# appends the heads it sealed (its delta, sorted by case id) as leaves
# `checkpoint_id TAB case_id TAB seq TAB head_hash`, so the log at checkpoint k is a prefix of
# the log at every later checkpoint, and RFC 6962 consistency proofs (section 2.1.2; checked
# as in RFC 9162 section 2.1.4.2) show that a published log root is a prefix of the current one.


def log_leaf(checkpoint_id: int, case_id: str, seq: int, hash_: str) -> bytes:
    return hashlib.sha256(f"\x00{checkpoint_id}\t{case_id}\t{seq}\t{hash_}".encode()).digest()


def tree_root(leaves: Sequence[bytes]) -> bytes:
    """MTH over leaf hashes (RFC 6962 section 2.1); the empty tree is sha256("")."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    stack: list[tuple[int, bytes]] = []
    for leaf in leaves:
        size, digest = 1, leaf
        while stack and stack[-1][0] == size:
            left_size, left = stack.pop()
            size, digest = left_size + size, node_hash(left, digest)
        stack.append((size, digest))
    _, digest = stack.pop()
    while stack:
        _, left = stack.pop()
        digest = node_hash(left, digest)
    return digest


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


class LogTree:
    """Subtree hashes of a fixed list of leaves, memoised for complete aligned subtrees of at
    least 64 leaves, so many roots and consistency proofs cost O(n) once, then O(log^2 n)."""

    MEMO_FROM = 64

    def __init__(self, leaves: Sequence[bytes]) -> None:
        self.leaves = leaves
        self.memo: dict[tuple[int, int], bytes] = {}

    def hash(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) (RFC 6962 section 2.1)."""
        n = end - start
        if n == 0:
            return hashlib.sha256(b"").digest()
        if n == 1:
            return self.leaves[start]
        complete = n & (n - 1) == 0 and start % n == 0 and n >= self.MEMO_FROM
        if complete and (start, end) in self.memo:
            return self.memo[(start, end)]
        k = _split(n)
        digest = node_hash(self.hash(start, start + k), self.hash(start + k, end))
        if complete:
            self.memo[(start, end)] = digest
        return digest

    def root(self, size: int | None = None) -> str:
        return self.hash(0, len(self.leaves) if size is None else size).hex()

    def consistency(self, first: int, second: int | None = None) -> list[str]:
        """PROOF(first, D[second]) of RFC 6962 section 2.1.2, hex nodes."""
        second = len(self.leaves) if second is None else second
        if not 0 < first <= second <= len(self.leaves):
            return []
        return [node.hex() for node in self._subproof(first, 0, second, True)]

    def _subproof(self, m: int, start: int, end: int, whole: bool) -> list[bytes]:
        n = end - start
        if m == n:
            return [] if whole else [self.hash(start, end)]
        k = _split(n)
        if m <= k:
            return [*self._subproof(m, start, start + k, whole), self.hash(start + k, end)]
        return [*self._subproof(m - k, start + k, end, False), self.hash(start, start + k)]


def consistency_proof(leaves: Sequence[bytes], first: int) -> list[str]:
    """PROOF(first, D[n]) of RFC 6962 section 2.1.2, hex nodes."""
    return LogTree(leaves).consistency(first)


def verify_consistency(
    first: int, second: int, first_root: str, second_root: str, proof: Sequence[str]
) -> bool:
    """True when the tree of size `first` with `first_root` is a prefix of the tree of size
    `second` with `second_root` (RFC 9162 section 2.1.4.2)."""
    try:
        path = [bytes.fromhex(node) for node in proof]
        old, new = bytes.fromhex(first_root), bytes.fromhex(second_root)
    except ValueError:
        return False
    if first < 0 or second < first:
        return False
    if first == 0:
        return not path
    if first == second:
        return not path and old == new
    if first & (first - 1) == 0:
        path = [old, *path]
    if not path:
        return False
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for node in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(node, fr), node_hash(node, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, node)
        fn, sn = fn >> 1, sn >> 1
    return fr == old and sr == new and sn == 0


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


def row_canonical(
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
) -> bytes:
    """The canonical bytes a stored row's columns give (what `case_events.body` must hold)."""
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
    return canonical_json(body, check_floats=not floats_checked)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
