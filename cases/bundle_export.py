"""Gathers an audit bundle from the database and hands it out: events, letters (with the
context each was rendered from, and the stored template sources each was rendered with), the
rule-set files the events name, and the checkpoints with
an inclusion proof per exported case; signed with the key outside the database; logged.

Two editions. `auditor` (anyone who may export: auditors, administrators, the Bawaslu office
that owns the cases) carries no reporter identity: the reporter on each `case_opened` event is
replaced by an HMAC of its fields under a server secret (equal reporters give equal hashes, so
an auditor can still see that two reports came from one person without learning who), letters
naming the reporter are withheld, and every member is scanned, after Unicode NFKC, HTML
unescaping and case folding, for the reporter's name, address, phone and e-mail: a hit refuses
the export rather than leak. `full` holds the records exactly as recorded, reporter included,
and only Bawaslu (for its own cases) or an administrator may make it. Every export is logged
(`audit_exports`: who, which edition, which cases, when, the manifest hash).
Writing and verifying the file is `cases.bundle` (no database).
"""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

from cases.access import SEES_REPORTER, acting, require_read, require_role, subject_of
from cases.bundle import (
    AUDITOR_EDITION,
    FULL_EDITION,
    BundleContent,
    BundleLetter,
    bundle_members,
    write_bundle,
)
from cases.checkpoints import to_checkpoint
from cases.evidence.bundle import evidence_members, gather_evidence
from cases.sealing import Head, MerkleTree
from cases.signing import Signer, reporter_hash
from db.audit_store import AuditStore, ExportRecord
from db.case_repository import CaseFilter
from db.unit_of_work import UnitOfWork
from letters.privacy import MIN_LENGTH, digits, normalised, phone_numbers
from rules.errors import InvalidInput, NotFound, PermissionDenied
from rules.models import Role
from rules.ruleset import load_rule_set
from states.events import CASE_OPENED, RecordedEvent

REPORTER_FIELDS = ("name", "address", "phone", "email")
PELAPOR = "pelapor"
EDITIONS = (AUDITOR_EDITION, FULL_EDITION)


def tool_version() -> str:
    try:
        return f"netra {metadata.version('netra')}"
    except metadata.PackageNotFoundError:
        return "netra (unpackaged)"


def _pdf_renderer() -> Callable[[str], bytes] | None:
    """The letters package's HTML-to-PDF function, when it ships one."""
    for module_name, function in (
        ("letters.render", "html_to_pdf"),
        ("letters.pdf", "html_to_pdf"),
    ):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        candidate = getattr(module, function, None)
        if callable(candidate):
            return candidate  # type: ignore[no-any-return]
    return None


def export_bundle(
    uow: UnitOfWork,
    officer_id: str,
    now: datetime,
    case_ids: Sequence[str] | None = None,
    flt: CaseFilter | None = None,
    with_pdf: bool = True,
    edition: str = AUDITOR_EDITION,
    signer: Signer | None = None,
    reporter_secret: bytes | None = None,
    with_evidence_files: bool = True,
) -> bytes:
    """The bundle's bytes for the given cases (or every case matching `flt`), logged.

    `reporter_secret`: the HMAC key for the auditor edition (default: derived from the
    signer's key); an auditor edition of a case with a reporter needs one of the two.
    """
    if edition not in EDITIONS:
        raise InvalidInput(
            f"Edisi bundel '{edition}' tidak dikenal (pilihan: {', '.join(EDITIONS)})"
        )
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, Role.AUDITOR, Role.BAWASLU)
        if edition == FULL_EDITION and actor.role not in SEES_REPORTER:
            raise PermissionDenied(
                "Bundel lengkap (dengan identitas pelapor) hanya dapat dibuat Bawaslu atau admin"
            )
        if case_ids is None:
            ids = list(uow.cases.ids(flt or CaseFilter()))
            scope: dict[str, Any] = {
                "filter": {k: v for k, v in asdict(flt or CaseFilter()).items() if v is not None}
            }
        else:
            ids = sorted(set(case_ids))
            scope = {"case_ids": ids}
        reader = subject_of(uow, actor)
        for case_id in ids:
            if not uow.cases.exists(case_id):
                raise NotFound(f"Perkara '{case_id}' tidak ditemukan")
            require_read(reader, uow.cases.get(case_id))
        events = {case_id: uow.events.load(case_id) for case_id in ids}
        store = AuditStore(uow.session)
        contexts = store.letter_contexts(ids) if ids else {}
        letters = [
            BundleLetter(
                x.id,
                x.case_id,
                x.case_seq,
                x.kind,
                x.number,
                x.content_hash,
                x.template_hash,
                x.context_hash,
                x.html,
                context=contexts.get(x.id),
            )
            for x in (store.letters(ids) if ids else [])
        ]
        kept = uow.letter_templates()
        sources = {
            digest: found.sources
            for digest in sorted({x.template_hash for x in letters})
            if (found := kept.get(digest)) is not None
        }
        checkpoints = [to_checkpoint(r) for r in store.checkpoints()]
        proofs = _proofs(store, set(ids))
        evidence = gather_evidence(uow.session, actor, ids)
    redactions: list[dict[str, Any]] = []
    if edition == AUDITOR_EDITION:
        reporters = [r for items in events.values() if (r := _reporter(items))]
        if reporters:
            secret = reporter_secret or (signer.reporter_secret() if signer else None)
            if secret is None:
                raise InvalidInput(
                    "Rahasia hash pelapor belum diatur (NETRA_REPORTER_HASH_SECRET atau kunci "
                    "penanda tangan NETRA_SIGNING_KEY_FILE)"
                )
            events, redactions = _redact(events, secret)
        _withhold(letters, reporters)
    render = _pdf_renderer() if with_pdf else None
    if render is not None:
        for letter in letters:
            if letter.withheld is None:
                letter.pdf = render(letter.html)
    versions = {e.rule_set for items in events.values() for e in items}
    content = BundleContent(
        created_at=now.astimezone(UTC),
        tool_version=tool_version(),
        scope=scope,
        events=events,
        letters=letters,
        rule_files={v: dict(load_rule_set(v).files) for v in sorted(versions)},
        template_files=_template_files(letters, sources),
        checkpoints=checkpoints,
        proofs=proofs,
        edition=edition,
        redactions=redactions,
        extra_members=evidence_members(evidence, with_evidence_files),
        extra_counts={"evidence": len(evidence.entries)} if evidence.entries else {},
    )
    if edition == AUDITOR_EDITION:
        _refuse_leaks(content, reporters)
    data = write_bundle(content, signer)
    _log(uow, actor.user_id, actor.role.value, actor.institution, edition, ids, data, now)
    return data


def _template_files(
    letters: list[BundleLetter], sources: dict[str, dict[str, str]]
) -> dict[str, dict[str, bytes]]:
    """The stored template sources of each letter the bundle holds, once per template hash
    (a letter issued before the template store, never imported, has none: verification
    falls back to the installed templates for it)."""
    wanted = {x.template_hash for x in letters if x.withheld is None}
    return {
        digest: {name: text.encode("utf-8") for name, text in files.items()}
        for digest, files in sorted(sources.items())
        if digest in wanted
    }


def _reporter(events: list[RecordedEvent]) -> dict[str, Any] | None:
    for event in events:
        if event.event_type == CASE_OPENED and isinstance(event.payload.get("reporter"), dict):
            return dict(event.payload["reporter"])
    return None


def _redact(
    events: dict[str, list[RecordedEvent]], secret: bytes
) -> tuple[dict[str, list[RecordedEvent]], list[dict[str, Any]]]:
    """Replace the reporter on `case_opened` by its HMAC; the event keeps its recorded hash."""
    redacted: dict[str, list[RecordedEvent]] = {}
    redactions: list[dict[str, Any]] = []
    for case_id, items in events.items():
        out = []
        for event in items:
            reporter = event.payload.get("reporter")
            if event.event_type == CASE_OPENED and isinstance(reporter, dict):
                hidden = {"redacted": True, "hmac": reporter_hash(secret, reporter)}
                event = replace(event, payload={**event.payload, "reporter": hidden})
                redactions.append(
                    {"case_id": case_id, "seq": event.seq, "field": "payload.reporter"}
                )
            out.append(event)
        redacted[case_id] = out
    return redacted, redactions


@dataclass(frozen=True)
class Needles:
    """The reporters' identifying values, normalised as `letters.privacy` does (entities,
    tags, NFKC, apostrophes, case, whitespace); phone numbers also as bare digits."""

    texts: tuple[str, ...]
    phones: tuple[str, ...]


def _needles(reporters: Sequence[dict[str, Any]]) -> Needles:
    texts = {
        normalised(str(reporter.get(key) or ""))
        for reporter in reporters
        for key in REPORTER_FIELDS
    }
    phones = {digits(str(reporter.get("phone") or "")) for reporter in reporters}
    return Needles(
        tuple(sorted(t for t in texts if len(t) >= MIN_LENGTH)),
        tuple(sorted(p for p in phones if len(p) >= 6)),
    )


def _leaks(text: str, needles: Needles) -> bool:
    haystack = normalised(text)
    if any(needle in haystack for needle in needles.texts):
        return True
    if not needles.phones:
        return False
    numbers = phone_numbers(haystack)
    return any(phone in number for phone in needles.phones for number in numbers)


def _withhold(letters: list[BundleLetter], reporters: Sequence[dict[str, Any]]) -> None:
    needles = _needles(reporters)
    for letter in letters:
        recipient = ((letter.context or {}).get("inputs") or {}).get("recipient")
        context_text = json.dumps(letter.context, ensure_ascii=False) if letter.context else ""
        if recipient == PELAPOR or _leaks(letter.html, needles) or _leaks(context_text, needles):
            letter.withheld = "identitas pelapor"


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _member_texts(name: str, data: bytes) -> Iterator[str]:
    """The member as text, and for JSON every string in it (so escapes cannot hide a name)."""
    if name.endswith(".pdf"):
        return
    text = data.decode("utf-8", errors="replace")
    yield text
    lines = (
        text.splitlines() if name.endswith(".jsonl") else [text] if name.endswith(".json") else []
    )
    for line in lines:
        try:
            parsed = json.loads(line)
        except ValueError:
            continue
        yield from _strings(parsed)


def _refuse_leaks(content: BundleContent, reporters: Sequence[dict[str, Any]]) -> None:
    needles = _needles(reporters)
    if not needles.texts and not needles.phones:
        return
    for name, data in bundle_members(content).items():
        if name.startswith(("rules/", "templates/")):  # the law and the letter templates
            continue
        if any(_leaks(text, needles) for text in _member_texts(name, data)):
            raise InvalidInput(
                f"Bundel auditor tidak dibuat: identitas pelapor muncul di {name}; "
                "minta bundel lengkap dari Bawaslu"
            )


def _log(
    uow: UnitOfWork,
    officer_id: str,
    role: str,
    institution: str,
    edition: str,
    ids: list[str],
    data: bytes,
    now: datetime,
) -> None:
    manifest = zipfile.ZipFile(io.BytesIO(data)).read("manifest.json")
    record = ExportRecord(
        0,
        now.astimezone(UTC),
        officer_id,
        role,
        institution,
        edition,
        ids,
        hashlib.sha256(manifest).hexdigest(),
        len(data),
    )
    with uow:
        AuditStore(uow.session).log_export(record)
        uow.commit()


def export_log(uow: UnitOfWork, officer_id: str) -> list[ExportRecord]:
    """Who exported which bundle, when (auditors and administrators)."""
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, Role.AUDITOR)
        return AuditStore(uow.session).exports()


def _proofs(store: AuditStore, wanted: set[str]) -> list[dict[str, Any]]:
    """For each checkpoint, each exported case's sealed head and its inclusion proof."""
    proofs: list[dict[str, Any]] = []
    if not wanted:
        return proofs
    heads: dict[str, tuple[int, str]] = {}
    rows = list(store.checkpoint_heads())
    by_checkpoint: dict[int, list[tuple[str, int, str]]] = {}
    for cid, case_id, seq, hash_ in rows:
        by_checkpoint.setdefault(cid, []).append((case_id, seq, hash_))
    for checkpoint in store.checkpoints():
        for case_id, seq, hash_ in by_checkpoint.get(checkpoint.id, []):
            heads[case_id] = (seq, hash_)
        present = sorted(wanted & set(heads))
        if not present:
            continue
        tree = MerkleTree([Head(c, s, h) for c, (s, h) in sorted(heads.items())])
        for case_id in present:
            seq, hash_ = heads[case_id]
            proofs.append(
                {
                    "checkpoint_id": checkpoint.id,
                    "case_id": case_id,
                    "seq": seq,
                    "hash": hash_,
                    "path": tree.proof(case_id),
                }
            )
    return proofs
