"""Offline verification of an audit bundle (`netra audit verify-bundle`), from its bytes alone.

No database code: the archive is read defensively (`cases.bundle_archive`), then the manifest
hashes, the signature (against the key the auditor trusts), every event chain (a redacted
`case_opened` is vouched for by the signature), the letters' hashes against their events, the
rule-set files, the checkpoint inclusion proofs, and finally every letter re-rendered from the
bundle's own events (`cases.bundle_letters`). Every problem names its file, case/seq or letter.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from cases.bundle import (
    AUDITOR_EDITION,
    BUNDLE_FORMAT,
    FULL_EDITION,
    MANIFEST,
    SIGNATURE,
    rules_content_hash,
)
from cases.bundle_archive import DEFAULT_LIMITS, BundleRefused, Limits, read_members, write_zip
from cases.evidence.bundle_check import verify_evidence_members
from cases.sealing import Checkpoint, Head, chain_problems, root_from_proof, sha256_text
from cases.signing import ALGORITHM, fingerprint, public_from_raw_b64, verify_signature
from letters.catalog import ISSUED_EVENT, RECORD_FIELDS
from states.canonical import canonical_json
from states.events import CASE_OPENED, LETTER_ISSUED, RecordedEvent
from states.integrity import ChainLink, verify_links


@dataclass
class BundleReport:
    """What verify-bundle checked, and every problem, named by file, case/seq or letter."""

    manifest_sha256: str = ""
    edition: str = ""
    cases: int = 0
    events: int = 0
    redacted_events: int = 0
    letters: int = 0
    letters_withheld: int = 0
    letters_rerendered: int = 0
    checkpoints: int = 0
    proofs: int = 0
    signed_by: str | None = None
    signature_checked: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "ok": self.ok}


def verify_bundle(
    data: bytes,
    public_key: Ed25519PublicKey | None = None,
    rerender: bool = True,
    limits: Limits = DEFAULT_LIMITS,
) -> BundleReport:
    """Verify a bundle from its bytes alone.

    `public_key`: the signing key the auditor trusts; the bundle must then carry a valid
    signature by it. `rerender`: re-render every letter from the bundle's events.
    """
    report = BundleReport()
    try:
        members = read_members(data, limits)
    except BundleRefused as error:
        report.problems.append(f"bundel ditolak: {error}")
        return report
    if write_zip(members) != data:
        report.problems.append(
            "arsip ZIP tidak kanonis: ada bita yang diubah di luar isi berkas "
            "(header atau direktori)"
        )
    manifest = _manifest(members, report)
    if manifest is None:
        return report
    _signature(members, public_key, report)
    events = _events(members, manifest, report)
    index = _letters(members, events, report)
    _rules(members, manifest, events, report)
    _checkpoints(members, events, report)
    report.problems += verify_evidence_members(members, events)
    if rerender and index is not None:
        from cases.bundle_letters import rerender_letters  # letters only when asked

        rerender_letters(members, events, index, report)
    return report


def _manifest(members: dict[str, bytes], report: BundleReport) -> dict[str, Any] | None:
    raw = members.get(MANIFEST)
    if raw is None:
        report.problems.append("manifest.json tidak ada")
        return None
    report.manifest_sha256 = hashlib.sha256(raw).hexdigest()
    try:
        manifest: dict[str, Any] = json.loads(raw)
        listed: dict[str, str] = dict(manifest["files"])
        report.edition = str(manifest.get("edition", ""))
        redactions = manifest.get("redactions", [])
        manifest["redacted_at"] = {(str(r["case_id"]), int(r["seq"])) for r in redactions}
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        report.problems.append(f"manifest.json tidak valid: {error}")
        return None
    if manifest.get("format") != BUNDLE_FORMAT:
        report.problems.append(f"format bundel tidak dikenal: {manifest.get('format')}")
    if report.edition not in (AUDITOR_EDITION, FULL_EDITION):
        report.problems.append(f"edisi bundel tidak dikenal: {report.edition!r}")
    for name in sorted(set(listed) | set(members) - {MANIFEST, SIGNATURE}):
        if name not in members:
            report.problems.append(f"{name}: tercantum di manifest tetapi tidak ada")
        elif name not in listed:
            report.problems.append(f"{name}: tidak tercantum di manifest")
        elif hashlib.sha256(members[name]).hexdigest() != listed[name]:
            report.problems.append(f"{name}: sha256 tidak cocok dengan manifest")
    return manifest


def _signature(
    members: dict[str, bytes], public_key: Ed25519PublicKey | None, report: BundleReport
) -> None:
    raw = members.get(SIGNATURE)
    if raw is None:
        if public_key is not None:
            report.problems.append("bundel tidak ditandatangani (signature.json tidak ada)")
        return
    try:
        signature = json.loads(raw)
        embedded = public_from_raw_b64(str(signature["public_key"]))
        value = str(signature["signature"])
    except Exception as error:
        report.problems.append(f"signature.json tidak valid: {error}")
        return
    report.signed_by = fingerprint(embedded)
    if signature.get("key_fingerprint") != report.signed_by:
        report.problems.append("signature.json: key_fingerprint tidak cocok dengan public_key")
    if signature.get("algorithm") != ALGORITHM or signature.get("signed") != MANIFEST:
        report.problems.append("signature.json: algoritme atau berkas yang ditandatangani salah")
    key = public_key or embedded
    if not verify_signature(key, members[MANIFEST], value):
        report.problems.append(
            "tanda tangan bundel tidak sah: manifest.json diubah atau kunci lain"
        )
    if public_key is not None:
        report.signature_checked = True
        if fingerprint(public_key) != report.signed_by:
            report.problems.append(
                f"bundel ditandatangani kunci {report.signed_by}, bukan kunci yang dipercaya "
                f"{fingerprint(public_key)}"
            )


def _redacted_ok(event: RecordedEvent) -> bool:
    reporter = event.payload.get("reporter")
    return (
        event.event_type == CASE_OPENED
        and isinstance(reporter, dict)
        and set(reporter) == {"redacted", "hmac"}
        and reporter["redacted"] is True
        and str(reporter["hmac"]).startswith("hmac-sha256:")
    )


def _events(
    members: dict[str, bytes], manifest: dict[str, Any], report: BundleReport
) -> dict[str, list[RecordedEvent]]:
    redacted_at: set[tuple[str, int]] = manifest["redacted_at"]
    events: dict[str, list[RecordedEvent]] = {}
    for name in sorted(n for n in members if n.startswith("events/") and n.endswith(".jsonl")):
        case_id = name[len("events/") : -len(".jsonl")]
        items: list[RecordedEvent] = []
        links: list[ChainLink] = []
        for number, line in enumerate(members[name].splitlines(), start=1):
            try:
                data = json.loads(line)
                event = RecordedEvent.from_dict(data)
                if canonical_json(data) != line:
                    report.problems.append(f"{name} baris {number}: bukan JSON kanonis")
                recomputed = event.expected_hash()
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                report.problems.append(f"{name} baris {number}: peristiwa tidak terbaca ({error})")
                continue
            if event.case_id != case_id:
                report.problems.append(f"{name} baris {number}: milik perkara {event.case_id}")
            if (event.case_id, event.seq) in redacted_at:
                if _redacted_ok(event):
                    recomputed = event.hash  # vouched for by the signature, not by its hash
                    report.redacted_events += 1
                else:
                    report.problems.append(
                        f"{event.case_id} seq {event.seq}: disamarkan di manifest, tetapi bukan "
                        "peristiwa case_opened dengan pelapor tersamar"
                    )
            items.append(event)
            links.append(
                ChainLink(event.case_id, event.seq, event.prev_hash, event.hash, recomputed)
            )
        chain = verify_links(links)
        report.problems += [f"rantai {b}" for b in chain.breaks]
        report.cases += 1
        report.events += len(items)
        events[case_id] = items
    for case_id, seq in sorted(redacted_at):
        if not any(e.seq == seq for e in events.get(case_id, [])):
            report.problems.append(f"{case_id} seq {seq}: disamarkan di manifest tetapi tidak ada")
    return events


def _letters(
    members: dict[str, bytes], events: dict[str, list[RecordedEvent]], report: BundleReport
) -> list[dict[str, Any]] | None:
    try:
        index: list[dict[str, Any]] = json.loads(members.get("letters/index.json", b"[]"))
        if not isinstance(index, list) or not all(isinstance(e, dict) for e in index):
            raise ValueError("bukan daftar")
    except ValueError as error:
        report.problems.append(f"letters/index.json tidak valid: {error}")
        return None
    issued = {
        e.payload.get("letter_id"): e
        for items in events.values()
        for e in items
        if e.event_type == LETTER_ISSUED
    }
    for entry in index:
        report.letters += 1
        letter_id = entry.get("id")
        event = issued.get(letter_id)
        if event is None:
            report.problems.append(f"surat {letter_id}: tidak ada {ISSUED_EVENT}")
            continue
        for key in ("content_hash", "template_hash", "context_hash", "number"):
            recorded = event.payload.get(key)
            if recorded is not None and recorded != entry.get(key):
                report.problems.append(
                    f"surat {letter_id}: {RECORD_FIELDS[key]} berbeda dari peristiwa "
                    f"{event.case_id} seq {event.seq}"
                )
        if entry.get("withheld") is not None:
            report.letters_withheld += 1
            if report.edition != AUDITOR_EDITION:
                report.problems.append(f"surat {letter_id}: ditahan dalam edisi {report.edition}")
            continue
        html = members.get(f"letters/{letter_id}.html")
        if html is None:
            report.problems.append(f"surat {letter_id}: berkas HTML tidak ada")
            continue
        try:
            actual = sha256_text(html.decode("utf-8"))
        except UnicodeDecodeError:
            actual = "invalid-utf8"
        if actual != entry.get("content_hash"):
            report.problems.append(f"surat {letter_id}: HTML tidak cocok dengan content_hash")
    exported = {entry.get("id") for entry in index}
    for letter_id, event in sorted(issued.items(), key=lambda i: (i[1].case_id, i[1].seq)):
        if letter_id not in exported:
            report.problems.append(
                f"surat {letter_id} ({event.case_id} seq {event.seq}) tidak ada dalam bundel"
            )
    return index


def _rules(
    members: dict[str, bytes],
    manifest: dict[str, Any],
    events: dict[str, list[RecordedEvent]],
    report: BundleReport,
) -> None:
    recorded: dict[str, str] = manifest.get("rule_sets", {})
    for version in sorted({e.rule_set for items in events.values() for e in items}):
        prefix = f"rules/{version}/"
        files = {n[len(prefix) :]: d for n, d in members.items() if n.startswith(prefix)}
        if not files:
            report.problems.append(f"aturan {version} dipakai peristiwa tetapi tidak ada")
        elif rules_content_hash(files) != recorded.get(version):
            report.problems.append(f"aturan {version}: hash isi berbeda dari manifest")


def _checkpoints(
    members: dict[str, bytes], events: dict[str, list[RecordedEvent]], report: BundleReport
) -> None:
    try:
        sealed = json.loads(members.get("checkpoints.json", b'{"checkpoints":[],"heads":[]}'))
        checkpoints = [Checkpoint.from_dict(c) for c in sealed["checkpoints"]]
        heads: Sequence[dict[str, Any]] = sealed["heads"]
    except (ValueError, KeyError, TypeError) as error:
        report.problems.append(f"checkpoints.json tidak valid: {error}")
        return
    report.checkpoints = len(checkpoints)
    report.problems += [f"checkpoint #{cid}: {p}" for cid, p in chain_problems(checkpoints)]
    by_id = {c.id: c for c in checkpoints}
    for item in heads:
        report.proofs += 1
        try:
            head = Head(str(item["case_id"]), int(item["seq"]), str(item["hash"]))
            where = f"{head.case_id} seq {head.seq}, checkpoint #{item['checkpoint_id']}"
            checkpoint = by_id.get(item["checkpoint_id"])
            reached = root_from_proof(head, item["path"])
        except (KeyError, TypeError, ValueError) as error:
            report.problems.append(f"checkpoints.json: bukti inklusi tidak terbaca ({error})")
            continue
        if checkpoint is None:
            report.problems.append(f"{where}: checkpoint tidak ada")
            continue
        if reached != checkpoint.root_hash:
            report.problems.append(f"{where}: bukti inklusi tidak sampai ke akar checkpoint")
        stored = {e.seq: e.hash for e in events.get(head.case_id, [])}
        if stored.get(head.seq) != head.hash:
            report.problems.append(f"{where}: peristiwa tidak sama dengan yang disegel")
