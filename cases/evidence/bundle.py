"""Evidence in an audit bundle: `evidence/index.json` (each file's case, number, seq, hash,
size, type and name) and, unless exported `--without-files`, the files themselves as
`evidence/files/<sha256>`. Internal Bawaslu evidence goes only into a Bawaslu export.

Checking them offline is `cases.evidence.bundle_check` (standard library only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from cases.evidence.bundle_check import FILES, INDEX
from cases.evidence.policy import sees_internal
from db.evidence_store import EvidenceIndex
from db.file_store import FileStore, file_store
from states.canonical import canonical_json
from states.events import Actor


@dataclass
class BundleEvidence:
    """What an export lists about evidence, gathered inside the export's transaction."""

    entries: list[dict[str, Any]] = field(default_factory=list)


def gather_evidence(session: Session, actor: Actor, case_ids: Sequence[str]) -> BundleEvidence:
    index = EvidenceIndex(session)
    gathered = BundleEvidence()
    for case_id in case_ids:
        for row in index.for_case(case_id):
            if row.internal and not sees_internal(actor):
                continue
            gathered.entries.append(
                {
                    "case_id": case_id,
                    "evidence": f"B{row.number}",
                    "seq": row.added_seq,
                    "sha256": row.sha256,
                    "size": row.size,
                    "media_type": row.media_type,
                    "file_name": row.file_name,
                    "internal": row.internal,
                    "withdrawn_seq": row.withdrawn_seq,
                }
            )
    return gathered


def evidence_members(
    evidence: BundleEvidence, with_files: bool = True, store: FileStore | None = None
) -> dict[str, bytes]:
    """The bundle members for the evidence: its index and (unless `--without-files`) the
    files themselves; they go under the manifest and its signature like every member."""
    if not evidence.entries:
        return {}
    members = {INDEX: canonical_json({"with_files": with_files, "entries": evidence.entries})}
    if with_files:
        store = store or file_store()
        for digest in sorted({e["sha256"] for e in evidence.entries}):
            members[FILES + digest] = b"".join(store.chunks(digest))
    return members
