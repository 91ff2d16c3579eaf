"""Evidence commands and queries: attach a file to a case, list, download, withdraw.

Every command is one transaction (the `evidence_added` / `evidence_withdrawn` event, the
projection and the index row together). An upload is received and checked (size, sniffed
type) outside any transaction and stored under its SHA-256 before the transaction commits;
a refused upload leaves nothing behind. Files never change: a correction is a new file plus
the withdrawal of the old one, with a reason.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from cases.access import acting, require_act, require_read, subject_of
from cases.commands import record_and_fold
from cases.evidence.media import safe_file_name, sniff, thumbnail
from cases.evidence.policy import require_gathering, sees_internal
from cases.evidence.spool import Spooled, spool
from cases.input_limits import check_text
from cases.policy import Subject
from db.evidence_settings import get_evidence_settings
from db.evidence_store import EvidenceIndex
from db.file_store import FileStore, file_store
from db.schema import EvidenceRow
from db.unit_of_work import UnitOfWork
from rules.errors import (
    IntegrityViolation,
    InvalidInput,
    NotFound,
    PermissionDenied,
    TransitionNotAllowed,
)
from rules.models import Role
from states import events as ev
from states.case import Case
from states.events import Actor, PendingEvent


@dataclass(frozen=True)
class EvidenceItem:
    """One evidence file as an officer sees it in a case's list."""

    case_id: str
    number: int
    sha256: str
    size: int
    media_type: str
    file_name: str
    description: str
    internal: bool
    stage: str
    added_by: str
    added_institution: str
    added_at: datetime
    added_seq: int
    thumbnail_sha256: str | None
    withdrawn_at: datetime | None
    withdrawn_reason: str | None

    @property
    def label(self) -> str:
        return f"B{self.number}"

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "evidence": self.label,
            "sha256": self.sha256,
            "size": self.size,
            "media_type": self.media_type,
            "file_name": self.file_name,
            "description": self.description,
            "internal": self.internal,
            "stage": self.stage,
            "added_by": self.added_by,
            "added_institution": self.added_institution,
            "added_at": self.added_at.astimezone(UTC).isoformat(),
            "seq": self.added_seq,
            "thumbnail": self.thumbnail_sha256 is not None,
            "withdrawn_at": self.withdrawn_at.astimezone(UTC).isoformat()
            if self.withdrawn_at
            else None,
            "withdrawn_reason": self.withdrawn_reason,
        }

    @classmethod
    def from_row(cls, row: EvidenceRow) -> EvidenceItem:
        return cls(
            case_id=row.case_id,
            number=row.number,
            sha256=row.sha256,
            size=row.size,
            media_type=row.media_type,
            file_name=row.file_name,
            description=row.description,
            internal=row.internal,
            stage=row.stage,
            added_by=row.added_by,
            added_institution=row.added_institution,
            added_at=row.added_at,
            added_seq=row.added_seq,
            thumbnail_sha256=row.thumbnail_sha256,
            withdrawn_at=row.withdrawn_at,
            withdrawn_reason=row.withdrawn_reason,
        )


def parse_label(label: str | int) -> int:
    """`B3`, `b3` or `3` -> 3."""
    text = str(label).strip().upper().removeprefix("B")
    if not text.isdigit() or int(text) < 1:
        raise InvalidInput(f"'{label}' bukan nomor bukti (mis. B1)")
    return int(text)


def _text(value: str, name: str) -> str:
    text = value.strip()
    if not text:
        raise InvalidInput(f"{name} wajib diisi")
    return check_text(text, name, limit="long")


def _check_adding(uow: UnitOfWork, officer_id: str, case_id: str, internal: bool) -> Actor:
    actor, _ = acting(uow, officer_id)
    _require_adding(actor, uow.cases.get(case_id), internal)
    return actor


def _require_adding(actor: Actor, case: Case, internal: bool) -> None:
    require_act(actor, case)
    require_gathering(actor, case)
    if internal and actor.role not in (Role.BAWASLU, Role.ADMIN):
        raise PermissionDenied("Hanya Bawaslu yang dapat menandai bukti sebagai internal")


_REFUSED_ADDING = (PermissionDenied, TransitionNotAllowed, NotFound)


def may_add_evidence(uow: UnitOfWork, officer_id: str, case_id: str) -> bool:
    """Whether this officer may attach evidence to the case now (role, access, stage): the
    case page shows the upload form only then; `add_evidence` checks again."""
    try:
        with uow:
            actor, _ = acting(uow, officer_id)
            return may_add_to(actor, uow.cases.get(case_id))
    except _REFUSED_ADDING:  # an inactive or unknown officer, an unknown case
        return False


def may_add_to(actor: Actor, case: Case) -> bool:
    """`may_add_evidence` for an officer and a case already read."""
    try:
        _require_adding(actor, case, internal=False)
    except _REFUSED_ADDING:
        return False
    return True


def add_evidence(
    uow: UnitOfWork,
    officer_id: str,
    case_id: str,
    stream: BinaryIO,
    file_name: str,
    description: str,
    now: datetime,
    internal: bool = False,
    store: FileStore | None = None,
    max_bytes: int | None = None,
) -> EvidenceItem:
    """Attach the file read from `stream` to a case (the web form and the CLI call this).

    The media type is sniffed from the content; `file_name` is only kept (sanitised) as the
    name the officer gave. Refused (nothing written): a role or stage that does not gather
    evidence, an empty, over-size or disallowed file, the same file already attached.
    """
    description = _text(description, "Keterangan bukti")
    with uow:
        _check_adding(uow, officer_id, case_id, internal)
    limit = max_bytes if max_bytes is not None else get_evidence_settings().max_bytes
    received = spool(stream, limit)
    try:
        media_type = sniff(received.head)
        name = safe_file_name(file_name, media_type)
        with uow:
            _refuse_attached(EvidenceIndex(uow.session), case_id, received.sha256)
        store = store or file_store()
        thumb = _store_thumbnail(store, received, media_type)
        store.put(received.sha256, received.path)
        return _record_addition(
            uow,
            officer_id,
            case_id,
            received,
            media_type,
            name,
            description,
            internal,
            thumb,
            now,
        )
    finally:
        received.discard()


def _refuse_attached(index: EvidenceIndex, case_id: str, sha256: str) -> None:
    same = index.active_with_hash(case_id, sha256)
    if same is not None:
        raise InvalidInput(
            f"Berkas yang sama sudah dilampirkan pada perkara {case_id} sebagai B{same.number}"
        )


def _store_thumbnail(store: FileStore, received: Spooled, media_type: str) -> str | None:
    data = thumbnail(str(received.path), media_type)
    if data is None:
        return None
    digest = hashlib.sha256(data).hexdigest()
    with tempfile.NamedTemporaryFile(prefix="netra-thumb-") as handle:
        handle.write(data)
        handle.flush()
        store.put(digest, Path(handle.name))
    return digest


def _record_addition(
    uow: UnitOfWork,
    officer_id: str,
    case_id: str,
    received: Spooled,
    media_type: str,
    name: str,
    description: str,
    internal: bool,
    thumb: str | None,
    now: datetime,
) -> EvidenceItem:
    with uow:
        actor = _check_adding(uow, officer_id, case_id, internal)
        case = uow.cases.get(case_id)
        index = EvidenceIndex(uow.session)
        _refuse_attached(index, case_id, received.sha256)
        number = index.next_number(case_id)
        payload = {
            "evidence": f"B{number}",
            "number": number,
            "sha256": received.sha256,
            "size": received.size,
            "media_type": media_type,
            "file_name": name,
            "description": description,
            "internal": internal,
            "stage": case.state,
        }
        seq = _append(uow, case, actor, ev.EVIDENCE_ADDED, payload, now)
        values = {
            "case_id": case_id,
            "number": number,
            "sha256": received.sha256,
            "size": received.size,
            "media_type": media_type,
            "file_name": name,
            "description": description,
            "internal": internal,
            "stage": case.state,
            "added_by": actor.user_id,
            "added_role": actor.role.value,
            "added_institution": actor.institution,
            "added_at": now.astimezone(UTC),
            "added_seq": seq,
            "thumbnail_sha256": thumb,
        }
        index.add(values)
        uow.commit()
        return EvidenceItem.from_row(
            EvidenceRow(**values, withdrawn_at=None, withdrawn_reason=None)
        )


def _append(
    uow: UnitOfWork,
    case: Case,
    actor: Actor,
    event_type: str,
    payload: dict[str, Any],
    now: datetime,
) -> int:
    updated, recorded = record_and_fold(
        uow, case, [PendingEvent(event_type, actor, now, payload)], now, case.rule_set
    )
    uow.cases.save(updated, case.version)
    return recorded[-1].seq


def list_evidence(uow: UnitOfWork, officer_id: str, case_id: str) -> list[EvidenceItem]:
    """The case's evidence this officer may see (internal evidence only within Bawaslu)."""
    with uow:
        actor, _ = acting(uow, officer_id)
        subject = subject_of(uow, actor)
        return case_evidence(uow, subject, uow.cases.get(case_id))


def case_evidence(uow: UnitOfWork, subject: Subject, case: Case) -> list[EvidenceItem]:
    """`list_evidence` inside an open unit of work, for an officer and a case already read."""
    require_read(subject, case)
    rows = EvidenceIndex(uow.session).for_case(case.case_id)
    return [
        EvidenceItem.from_row(row)
        for row in rows
        if sees_internal(subject.actor) or not row.internal
    ]


def get_evidence(uow: UnitOfWork, officer_id: str, case_id: str, label: str | int) -> EvidenceItem:
    """One evidence entry; internal evidence does not exist for outsiders (NotFound)."""
    number = parse_label(label)
    with uow:
        actor, _ = acting(uow, officer_id)
        require_read(subject_of(uow, actor), uow.cases.get(case_id))
        row = EvidenceIndex(uow.session).get(case_id, number)
        if row.internal and not sees_internal(actor):
            raise NotFound(f"Bukti B{number} tidak ada pada perkara {case_id}")
        return EvidenceItem.from_row(row)


def evidence_content(
    uow: UnitOfWork,
    officer_id: str,
    case_id: str,
    label: str | int,
    store: FileStore | None = None,
    want_thumbnail: bool = False,
) -> tuple[EvidenceItem, Iterator[bytes]]:
    """The entry and its bytes as a stream of chunks (for a download response or a file).

    The stream checks the SHA-256 as it goes and raises IntegrityViolation at the end if the
    stored bytes are not the recorded ones: a caller writing to disk must discard the result.
    """
    item = get_evidence(uow, officer_id, case_id, label)
    store = store or file_store()
    if want_thumbnail:
        if item.thumbnail_sha256 is None:
            raise NotFound(f"Bukti {item.label} tidak memiliki gambar kecil")
        return item, _verified(store, item.thumbnail_sha256, item)
    return item, _verified(store, item.sha256, item)


def _verified(store: FileStore, digest: str, item: EvidenceItem) -> Iterator[bytes]:
    hasher = hashlib.sha256()
    for chunk in store.chunks(digest):
        hasher.update(chunk)
        yield chunk
    if hasher.hexdigest() != digest:
        raise IntegrityViolation(
            f"Berkas bukti {item.label} '{item.file_name}' pada perkara {item.case_id} diubah: "
            "isi tidak cocok dengan hash yang tercatat"
        )


def withdraw_evidence(
    uow: UnitOfWork,
    officer_id: str,
    case_id: str,
    label: str | int,
    reason: str,
    now: datetime,
) -> EvidenceItem:
    """Withdraw an evidence file with a reason; the file and its record stay (files never
    change). Only the institution that attached it (or an administrator) may withdraw it."""
    number = parse_label(label)
    reason = _text(reason, "Alasan penarikan")
    with uow:
        actor, _ = acting(uow, officer_id)
        case = uow.cases.get(case_id)
        require_act(actor, case)
        index = EvidenceIndex(uow.session)
        row = index.get(case_id, number)
        if row.internal and not sees_internal(actor):
            raise NotFound(f"Bukti B{number} tidak ada pada perkara {case_id}")
        if actor.role is not Role.ADMIN and row.added_institution != actor.institution:
            raise PermissionDenied(
                f"Bukti B{number} dilampirkan oleh {row.added_institution}; hanya instansi itu "
                "yang dapat menariknya"
            )
        if row.withdrawn_seq is not None:
            raise InvalidInput(f"Bukti B{number} sudah ditarik")
        payload = {
            "evidence": f"B{number}",
            "number": number,
            "sha256": row.sha256,
            "reason": reason,
        }
        seq = _append(uow, case, actor, ev.EVIDENCE_WITHDRAWN, payload, now)
        index.mark_withdrawn(case_id, number, now, seq, reason)
        uow.commit()
        row = index.get(case_id, number)
        return EvidenceItem.from_row(row)
