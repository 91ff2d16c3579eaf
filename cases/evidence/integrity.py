"""Evidence in `audit verify`: every file the chain records must be in the store with the
recorded hash and size, and the index must agree with the chain. Findings name the case,
the event seq, the evidence number and the file name."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from db.evidence_store import EvidenceIndex
from db.file_store import FileStore, file_store
from rules.errors import NotFound


@dataclass(frozen=True)
class EvidenceProblem:
    case_id: str
    seq: int
    problem: str


def evidence_problems(
    session: Session, case_ids: Sequence[str] | None = None, store: FileStore | None = None
) -> list[EvidenceProblem]:
    """Re-hash every recorded evidence file (each distinct file once, streamed)."""
    index = EvidenceIndex(session)
    additions = list(index.recorded_additions(case_ids))
    if not additions:
        return []
    store = store or file_store()
    actual: dict[str, tuple[str, int] | None] = {}
    problems: list[EvidenceProblem] = []
    for case_id, seq, payload in additions:
        digest = str(payload.get("sha256", ""))
        label = f"{payload.get('evidence')} '{payload.get('file_name')}'"
        if digest not in actual:
            actual[digest] = _hash_of(store, digest)
        found = actual[digest]
        if found is None:
            problems.append(
                EvidenceProblem(
                    case_id, seq, f"berkas bukti {label} hilang dari {store.describe()}"
                )
            )
        elif found[0] != digest or found[1] != payload.get("size"):
            problems.append(
                EvidenceProblem(
                    case_id,
                    seq,
                    f"berkas bukti {label} diubah: sha256 {found[0][:16]}… ({found[1]} bita) "
                    f"bukan {digest[:16]}… ({payload.get('size')} bita) yang tercatat",
                )
            )
        problems += _index_problems(index, case_id, seq, payload, label)
    return problems


def _hash_of(store: FileStore, digest: str) -> tuple[str, int] | None:
    hasher = hashlib.sha256()
    size = 0
    try:
        for chunk in store.chunks(digest):
            hasher.update(chunk)
            size += len(chunk)
    except NotFound:
        return None
    return hasher.hexdigest(), size


def _index_problems(
    index: EvidenceIndex, case_id: str, seq: int, payload: dict[str, object], label: str
) -> list[EvidenceProblem]:
    try:
        row = index.get(case_id, int(str(payload.get("number"))))
    except (NotFound, ValueError):
        return [EvidenceProblem(case_id, seq, f"bukti {label} tidak ada dalam indeks bukti")]
    if (row.sha256, row.size, row.added_seq, row.internal) != (
        payload.get("sha256"),
        payload.get("size"),
        seq,
        payload.get("internal"),
    ):
        return [EvidenceProblem(case_id, seq, f"indeks bukti {label} berbeda dari peristiwanya")]
    return []
