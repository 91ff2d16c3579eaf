"""Integrity checks for auditors: every hash chain, chain heads vs. the projection, the
checkpoints (and every head they sealed), and the letters register vs. its events.

Every finding names where it is: the case and seq, the checkpoint id, the letter id.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cases.access import acting, require_role
from cases.chain_scan import scan_chains, verify_rows
from cases.checkpoints import CheckpointBreak, verify_checkpoints, verify_published
from cases.evidence.integrity import evidence_problems
from cases.publication import Publication
from cases.sealing import sha256_text
from db.audit_store import AuditStore
from db.event_copy import EventRow
from db.unit_of_work import UnitOfWork
from letters.catalog import ISSUED_EVENT, RECORD_FIELDS
from rules.errors import NetraError, PermissionDenied
from rules.models import Role
from states.case import Case
from states.integrity import ChainBreak, ChainReport, compare_heads

AUDIT_ROLES = (Role.AUDITOR, Role.ADMIN, Role.BKN, Role.SYSTEM)


@dataclass(frozen=True)
class Finding:
    """One break, named: what kind, which case/seq, which letter or checkpoint."""

    kind: str  # chain | time | checkpoint | published | letter | evidence
    problem: str
    case_id: str | None = None
    seq: int | None = None
    letter_id: str | None = None
    checkpoint_id: int | None = None

    def __str__(self) -> str:
        parts = [self.kind]
        if self.case_id:
            parts.append(self.case_id + (f" seq {self.seq}" if self.seq is not None else ""))
        if self.letter_id:
            parts.append(f"surat {self.letter_id}")
        if self.checkpoint_id is not None:
            parts.append(f"checkpoint #{self.checkpoint_id}")
        return " | ".join(parts) + f": {self.problem}"

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class IntegrityReport:
    """Everything `netra audit verify` checked, and every break found."""

    cases: int = 0
    events: int = 0
    checkpoints: int = 0
    letters: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "cases": self.cases,
            "events": self.events,
            "checkpoints": self.checkpoints,
            "letters": self.letters,
            "findings": [f.to_dict() for f in self.findings],
        }


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def watch_times(rows: Iterable[EventRow], findings: list[Finding]) -> Iterator[EventRow]:
    """Pass rows through, noting recorded times that run backwards within a case chain and
    effective times (`occurred_at`) later than the moment they were recorded.

    Only the two timestamp columns are read, so events carrying extra markers (e.g. a fixed
    test clock's) pass unchanged; the marker does not excuse a backwards time.
    """
    current: str | None = None
    last_recorded: datetime | None = None
    for row in rows:
        case_id, seq, occurred, recorded = row[0], row[1], row[6], row[7]
        fixed = f" (dicatat dengan jam tetap '{row[13]}')" if len(row) > 13 and row[13] else ""
        if case_id != current:
            current, last_recorded = case_id, None
        try:
            occurred_at, recorded_at = _utc(occurred), _utc(recorded)
        except (AttributeError, TypeError, ValueError):
            findings.append(Finding("time", "waktu peristiwa tidak terbaca", case_id, seq))
            yield row
            continue
        if last_recorded is not None and recorded_at < last_recorded:
            findings.append(
                Finding(
                    "time",
                    f"waktu pencatatan mundur: {recorded_at.isoformat()} sebelum "
                    f"{last_recorded.isoformat()} pada peristiwa sebelumnya{fixed}",
                    case_id,
                    seq,
                )
            )
        if occurred_at > recorded_at:
            findings.append(
                Finding(
                    "time",
                    f"waktu berlaku {occurred_at.isoformat()} di masa depan terhadap waktu "
                    f"pencatatan {recorded_at.isoformat()}{fixed}",
                    case_id,
                    seq,
                )
            )
        last_recorded = recorded_at if last_recorded is None else max(last_recorded, recorded_at)
        yield row


def verify_chains(
    uow: UnitOfWork, officer_id: str, case_ids: Sequence[str] | None = None
) -> ChainReport:
    """Recompute every hash; report each break by case and seq (nothing is written)."""
    with uow:
        store = AuditStore(uow.session)
        store.read_one_snapshot()
        actor, _ = acting(uow, officer_id)
        require_role(actor, *AUDIT_ROLES)
        return _chains(store, case_ids)


def _chains(
    store: AuditStore,
    case_ids: Sequence[str] | None,
    time_findings: list[Finding] | None = None,
) -> ChainReport:
    if time_findings is None:
        report = scan_chains(store, case_ids)
        # Heads that all match compare in any order (no sort); a mismatch is named in id
        # order, as the ordered walk names it, from the heads read again by id.
        breaks = compare_heads(report, store.case_heads(case_ids, False))
        if breaks:
            breaks = compare_heads(report, store.case_heads(case_ids))
        report.breaks.extend(breaks)
        return report
    rows = watch_times(store.event_rows(case_ids), time_findings)
    report = verify_rows(rows, deep=True)
    report.breaks.extend(compare_heads(report, store.case_heads(case_ids)))
    return report


def verify_records(
    uow: UnitOfWork,
    officer_id: str,
    case_ids: Sequence[str] | None = None,
    rerender: bool = True,
    published: Publication | None = None,
) -> IntegrityReport:
    """Chains, recorded times, projection heads, checkpoints (and, given a publication, that
    the database extends it) and letters; nothing is written."""
    with uow:
        store = AuditStore(uow.session)
        store.read_one_snapshot()
        actor, _ = acting(uow, officer_id)
        require_role(actor, *AUDIT_ROLES)
        times: list[Finding] = []
        chains = _chains(store, case_ids, times)
        report = IntegrityReport(cases=chains.cases, events=chains.events)
        report.findings += [Finding("chain", b.problem, b.case_id, b.seq) for b in chains.breaks]
        report.findings += times
        report.checkpoints = len(store.checkpoints())
        report.findings += [_checkpoint_finding(b) for b in verify_checkpoints(store, case_ids)]
        if published is not None:
            report.findings += [
                Finding(
                    "published", b.problem, b.case_id, b.seq, checkpoint_id=b.checkpoint_id or None
                )
                for b in verify_published(store, published)
            ]
        letter_findings, report.letters = _letters(store, case_ids)
        report.findings += letter_findings
        report.findings += [
            Finding("evidence", p.problem, p.case_id, p.seq)
            for p in evidence_problems(uow.session, case_ids)
        ]
    if rerender:
        report.findings += _rerendered(uow, officer_id, store_letter_ids(uow, case_ids))
    return report


def _checkpoint_finding(item: CheckpointBreak) -> Finding:
    return Finding(
        "checkpoint", item.problem, item.case_id, item.seq, checkpoint_id=item.checkpoint_id
    )


def _letters(store: AuditStore, case_ids: Sequence[str] | None) -> tuple[list[Finding], int]:
    """Each letter's stored HTML must hash to its content_hash, which must equal the hash its
    `letter_issued` event recorded; no letter may be missing from either side."""
    findings: list[Finding] = []
    issued = {
        p.get("letter_id"): (case_id, seq, p) for case_id, seq, p in store.letter_events(case_ids)
    }
    seen: set[str] = set()
    count = 0
    for letter in store.letters(case_ids):
        count += 1
        seen.add(letter.id)
        if sha256_text(letter.html) != letter.content_hash:
            findings.append(
                Finding(
                    "letter",
                    "isi surat (HTML) tidak cocok dengan hash isi surat: surat diubah",
                    letter.case_id,
                    letter.case_seq,
                    letter.id,
                )
            )
        event = issued.get(letter.id)
        if event is None:
            findings.append(
                Finding(
                    "letter",
                    f"surat tanpa {ISSUED_EVENT}",
                    letter.case_id,
                    letter.case_seq,
                    letter.id,
                )
            )
            continue
        case_id, seq, payload = event
        for key in ("content_hash", "template_hash", "context_hash", "number"):
            recorded = payload.get(key)
            if recorded is not None and recorded != getattr(letter, key):
                findings.append(
                    Finding(
                        "letter",
                        f"{RECORD_FIELDS[key]} berbeda dari {ISSUED_EVENT}",
                        case_id,
                        seq,
                        letter.id,
                    )
                )
    for letter_id, (case_id, seq, _) in sorted(issued.items(), key=lambda i: (i[1][0], i[1][1])):
        if letter_id not in seen:
            findings.append(
                Finding(
                    "letter",
                    "surat tercatat dalam peristiwa tetapi hilang dari register",
                    case_id,
                    seq,
                    str(letter_id),
                )
            )
    return findings, count


def store_letter_ids(uow: UnitOfWork, case_ids: Sequence[str] | None) -> list[tuple[str, str]]:
    with uow:
        return [(x.case_id, x.id) for x in AuditStore(uow.session).letters(case_ids)]


def _letter_verifier() -> Callable[..., Any] | None:
    """`cases.letters.verify_letter` (re-renders a letter), when the letters service exists."""
    try:
        module = importlib.import_module("cases.letters")
    except ImportError:
        return None
    verifier = getattr(module, "verify_letter", None)
    return verifier if callable(verifier) else None


def _rerendered(uow: UnitOfWork, officer_id: str, letters: list[tuple[str, str]]) -> list[Finding]:
    """Regenerate each letter from the recorded state: the bytes must be identical.

    A broken chain is already named by the chain check, so it is not repeated per letter.
    """
    verifier = _letter_verifier()
    if verifier is None:
        return []
    findings: list[Finding] = []
    for case_id, letter_id in letters:
        try:
            outcome = verifier(uow, officer_id, letter_id)
        except PermissionDenied:
            continue
        except NetraError as error:
            findings.append(
                Finding(
                    "letter",
                    f"pembuatan ulang gagal: {error.message}",
                    case_id,
                    letter_id=letter_id,
                )
            )
            continue
        problems = [
            str(p) for p in getattr(outcome, "problems", []) if not str(p).startswith("rantai hash")
        ]
        if problems:
            findings.append(
                Finding(
                    "letter",
                    "pembuatan ulang: " + "; ".join(problems),
                    case_id,
                    letter_id=letter_id,
                )
            )
    return findings


def projection_matches_replay(uow: UnitOfWork, case_id: str) -> list[ChainBreak]:
    """The stored projection must equal the fold of the case's events."""
    with uow:
        stored = uow.cases.get(case_id)
        rebuilt = Case.replay(case_id, uow.events.load(case_id))
    if stored.to_dict() != rebuilt.to_dict():
        return [ChainBreak(case_id, stored.version, "proyeksi berbeda dari hasil replay")]
    return []
