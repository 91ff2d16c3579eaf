"""Checkpoints: a periodic (daily) seal over every case's chain head, itself hash-chained.

Each checkpoint stores the heads that changed since the previous one (`checkpoint_heads`, a
delta); the root covers the full set of heads at that instant (previous heads folded with
the delta), as an RFC 6962 Merkle root (see `cases.sealing`). An institution publishes or
signs `Checkpoint.printable()`; later, verification proves that for every sealed head
(case, seq, hash) the stored event at that seq still has that hash, so a history rewritten
with recomputed hashes is caught even though its chain is internally consistent.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from cases.access import acting, require_role
from cases.publication import Publication, publication, statement
from cases.sealing import (
    Checkpoint,
    Head,
    LogTree,
    chain_problems,
    checkpoint_body,
    checkpoint_hash,
    log_leaf,
    verify_consistency,
)
from cases.sealing import merkle_root as compute_root
from cases.signing import Signer
from db.audit_store import AuditStore, CheckpointRecord
from db.unit_of_work import UnitOfWork
from rules.errors import IntegrityViolation
from rules.models import Role
from states.canonical import GENESIS_HASH, utc_iso

SEAL_ROLES = (Role.AUDITOR, Role.ADMIN, Role.BKN, Role.SYSTEM)


@dataclass(frozen=True)
class CheckpointBreak:
    """A checkpoint that does not hold, or a sealed head the stored events no longer match."""

    checkpoint_id: int
    problem: str
    case_id: str | None = None
    seq: int | None = None

    def __str__(self) -> str:
        where = f"{self.case_id} seq {self.seq}: " if self.case_id else ""
        return f"{where}checkpoint #{self.checkpoint_id}: {self.problem}"


def to_checkpoint(record: CheckpointRecord) -> Checkpoint:
    return Checkpoint(
        record.id,
        record.created_at,
        record.case_count,
        record.event_count,
        record.root_hash,
        record.prev_hash,
        record.hash,
    )


def sealed_heads(store: AuditStore) -> dict[str, tuple[int, str]]:
    """The latest sealed (seq, hash) of every case, folding every checkpoint's delta."""
    heads: dict[str, tuple[int, str]] = {}
    for _, case_id, seq, hash_ in store.checkpoint_heads():
        heads[case_id] = (seq, hash_)
    return heads


def create_checkpoint(uow: UnitOfWork, officer_id: str, now: datetime) -> Checkpoint:
    """Seal every case's current head into a new checkpoint (one transaction).

    Refuses (IntegrityViolation) when a projection disagrees with its chain's last event or a
    sealed case has disappeared: a seal must never cover a damaged record.
    """
    now = now.astimezone(UTC).replace(microsecond=0)
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, *SEAL_ROLES)
        store = AuditStore(uow.session)
        last = store.last_checkpoint()
        sealed = sealed_heads(store)
        projection = store.projection_heads()
        chains = store.chain_heads()
        problems = [
            f"{case_id}: proyeksi (versi {head[0]}) tidak sama dengan ujung rantai "
            f"{chains.get(case_id)}"
            for case_id, head in sorted(projection.items())
            if chains.get(case_id) != head
        ]
        problems += [
            f"{case_id}: peristiwa tanpa perkara"
            for case_id in sorted(set(chains) - set(projection))
        ]
        problems += [
            f"{case_id}: perkara yang pernah disegel hilang"
            for case_id in sorted(set(sealed) - set(projection))
        ]
        if problems:
            raise IntegrityViolation(
                "Checkpoint tidak dibuat, catatan tidak utuh: " + "; ".join(problems[:10])
            )
        heads = [Head(case_id, seq, hash_) for case_id, (seq, hash_) in sorted(projection.items())]
        delta = [
            (h.case_id, h.seq, h.hash) for h in heads if sealed.get(h.case_id) != (h.seq, h.hash)
        ]
        body = checkpoint_body(
            (last.id + 1) if last else 1,
            now,
            len(heads),
            sum(h.seq for h in heads),
            compute_root(heads),
        )
        prev = last.hash if last else GENESIS_HASH
        record = CheckpointRecord(
            id=body["id"],
            created_at=now,
            case_count=body["case_count"],
            event_count=body["event_count"],
            root_hash=body["root_hash"],
            prev_hash=prev,
            hash=checkpoint_hash(prev, body),
        )
        store.add_checkpoint(record, delta)
        uow.commit()
    return to_checkpoint(record)


def list_checkpoints(uow: UnitOfWork, officer_id: str) -> list[Checkpoint]:
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, *SEAL_ROLES)
        return [to_checkpoint(r) for r in AuditStore(uow.session).checkpoints()]


def verify_checkpoints(
    store: AuditStore, case_ids: Sequence[str] | None = None
) -> list[CheckpointBreak]:
    """The checkpoint chain, each root recomputed from the heads, and every sealed head
    against the event now stored at its seq."""
    checkpoints = [to_checkpoint(r) for r in store.checkpoints()]
    breaks = [CheckpointBreak(cid, problem) for cid, problem in chain_problems(checkpoints)]
    breaks += list(_root_problems(store, checkpoints))
    for cid, case_id, seq, _sealed, current in store.heads_not_matching_events(case_ids):
        problem = (
            "peristiwa yang disegel hilang (dihapus)"
            if current is None
            else "hash peristiwa berbeda dari yang disegel: riwayat diubah atau ditulis ulang"
        )
        breaks.append(CheckpointBreak(cid, problem, case_id, seq))
    return breaks


def _root_problems(
    store: AuditStore, checkpoints: Sequence[Checkpoint]
) -> Iterator[CheckpointBreak]:
    by_id = {item.id: item for item in checkpoints}
    heads: dict[str, tuple[int, str]] = {}
    rows = store.checkpoint_heads()
    pending = next(rows, None)
    for item in checkpoints:
        while pending is not None and pending[0] <= item.id:
            if pending[0] not in by_id:
                yield CheckpointBreak(pending[0], "kepala tanpa checkpoint", pending[1], pending[2])
            heads[pending[1]] = (pending[2], pending[3])
            pending = next(rows, None)
        ordered = [Head(c, s, h) for c, (s, h) in sorted(heads.items())]
        if compute_root(ordered) != item.root_hash:
            yield CheckpointBreak(
                item.id,
                "akar Merkle tidak cocok dengan kepala rantai yang "
                "disimpan (checkpoint_heads diubah)",
            )
        if len(ordered) != item.case_count or sum(h.seq for h in ordered) != item.event_count:
            yield CheckpointBreak(item.id, "jumlah perkara/peristiwa tidak cocok")
    while pending is not None:
        yield CheckpointBreak(pending[0], "kepala tanpa checkpoint", pending[1], pending[2])
        pending = next(rows, None)


# --- anchoring outside the database: the head log, publication, verification --------------


def head_log(store: AuditStore) -> tuple[list[bytes], dict[int, int]]:
    """The head log's leaf hashes and its size after each checkpoint id.

    Rows are sorted in Python (by checkpoint, then case id) so the order never depends on the
    database's collation. Memory: 32 bytes per sealed head (plus a list slot).
    """
    leaves: list[bytes] = []
    sizes: dict[int, int] = {}
    group: list[tuple[str, int, str]] = []
    current: int | None = None

    def flush() -> None:
        if current is not None:
            leaves.extend(log_leaf(current, c, s, h) for c, s, h in sorted(group))
            sizes[current] = len(leaves)

    for cid, case_id, seq, hash_ in store.checkpoint_heads():
        if cid != current:
            flush()
            current, group = cid, []
        group.append((case_id, seq, hash_))
    flush()
    for record in store.checkpoints():  # a checkpoint that changed no head adds no leaf
        sizes.setdefault(record.id, max((v for k, v in sizes.items() if k < record.id), default=0))
    return leaves, sizes


def publish_roots(uow: UnitOfWork, officer_id: str, signer: Signer, now: datetime) -> bytes:
    """Every checkpoint as a statement signed with the key outside the database, each with
    the consistency proof from the previous one (`cases.publication` describes the file)."""
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, Role.AUDITOR, Role.ADMIN)
        store = AuditStore(uow.session)
        checkpoints = [to_checkpoint(r) for r in store.checkpoints()]
        leaves, sizes = head_log(store)
    tree = LogTree(leaves)
    statements, proofs = [], []
    previous = 0
    for item in checkpoints:
        size = sizes[item.id]
        statements.append(statement(item.to_dict(), size, tree.root(size)))
        proofs.append(tree.consistency(previous, size) if previous else [])
        previous = size
    return publication(statements, proofs, signer, utc_iso(now.astimezone(UTC)))


def verify_published(store: AuditStore, published: Publication) -> list[CheckpointBreak]:
    """The database must extend what was published: every published checkpoint still stored
    unchanged; the current head log's prefix at every published size has the published root;
    and the RFC 6962 consistency proof from the latest published log to the current one holds
    (earlier ones are tied to it by the publication's own chain of proofs)."""
    breaks = [CheckpointBreak(0, f"publikasi: {problem}") for problem in published.problems]
    stored = {c.id: c.to_dict() for c in (to_checkpoint(r) for r in store.checkpoints())}
    leaves, _ = head_log(store)
    tree = LogTree(leaves)
    for entry in published.entries:
        cid = int(entry["id"])
        mine = stored.get(cid)
        if mine is None:
            breaks.append(
                CheckpointBreak(cid, "checkpoint yang diumumkan tidak ada di basis data (dihapus)")
            )
        else:
            changed = sorted(k for k in mine if str(mine[k]) != str(entry.get(k)))
            if changed:
                breaks.append(
                    CheckpointBreak(
                        cid,
                        "checkpoint berbeda dari yang diumumkan ("
                        + ", ".join(changed)
                        + "): checkpoint ditulis ulang",
                    )
                )
        size = int(entry["log_size"])
        if size > len(leaves):
            breaks.append(
                CheckpointBreak(
                    cid,
                    f"log kepala di basis data ({len(leaves)} daun) lebih pendek dari yang "
                    f"diumumkan ({size}): riwayat dipotong",
                )
            )
        elif tree.root(size) != entry["log_root"]:
            breaks.append(
                CheckpointBreak(
                    cid,
                    f"log kepala sampai checkpoint #{cid} ({size} daun) berakar lain dari yang "
                    "diumumkan: kepala yang disegel ditulis ulang",
                )
            )
    if published.entries:
        latest = published.entries[-1]
        size, root = int(latest["log_size"]), str(latest["log_root"])
        if size <= len(leaves) and not verify_consistency(
            size, len(leaves), root, tree.root(), tree.consistency(size)
        ):
            breaks.append(
                CheckpointBreak(
                    int(latest["id"]),
                    f"riwayat basis data tidak memperpanjang yang diumumkan: bukti konsistensi "
                    f"RFC 6962 dari ukuran {size} ke {len(leaves)} gagal",
                )
            )
    return breaks
