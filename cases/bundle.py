"""The audit bundle, offline: write it deterministically, and verify it with no database.

Imports no database code (`states`, `rules`, `cases.sealing`, `cases.signing`,
`cases.bundle_archive`, and for re-rendering letters `letters`), so an auditor can run
`netra audit verify-bundle bundle.zip --key netra-signing.pub` on their own machine.

Layout (a ZIP, members stored uncompressed, sorted by name, every timestamp 1980-01-01):

    manifest.json              format, edition, tool version, created_at, scope, redactions,
                               sha256 of every other file except signature.json
    signature.json             Ed25519 signature over manifest.json's bytes, with the key
                               and its fingerprint (absent only from unsigned test bundles)
    events/<case_id>.jsonl     one canonical-JSON event per line (`RecordedEvent.to_dict()`)
    letters/index.json         each letter's number, kind, case, seq, hashes; `withheld` when
                               its content names the reporter and the edition hides it
    letters/<id>.html          the letter as stored (and .pdf when the renderer made one)
    letters/<id>.context.json  the context it was rendered from (canonical JSON)
    rules/<version>/<file>     the rule-set files every exported event names
    checkpoints.json           every checkpoint (chained) and, per exported case and
                               checkpoint, its sealed head with an RFC 6962 inclusion proof

Editions: `auditor` (the default) replaces the reporter on each `case_opened` event with a
keyed hash (`{"redacted": true, "hmac": "hmac-sha256:..."}`, HMAC with a server secret) and
withholds every letter that names the reporter; such an event's own hash cannot be
recomputed, so it is listed under `redactions` in the manifest and its content is vouched
for by the signature (its hash still links the chain and is sealed by the checkpoints).
`full` holds the records exactly as recorded, reporter included.

A bundle is canonical: verification rebuilds the ZIP from its members and requires the same
bytes, so a change to any byte fails, besides the manifest hashes, the signature, the event
chains, the letters' hashes, the checkpoint proofs, and the letters re-rendered from the
bundle's own events, which must equal the bundle's letters. New kinds of member (e.g. evidence
files) are added as new folders listed in the manifest; a verifier refuses what it does not
know only through the manifest's hash list.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from cases.bundle_archive import DEFAULT_LIMITS, BundleRefused, Limits, read_members, write_zip
from cases.sealing import Checkpoint, Head, chain_problems, root_from_proof, sha256_text
from cases.signing import (
    ALGORITHM,
    Signer,
    fingerprint,
    public_from_raw_b64,
    public_raw_b64,
    verify_signature,
)
from states.canonical import canonical_json, utc_iso
from states.events import CASE_OPENED, LETTER_ISSUED, RecordedEvent
from states.integrity import ChainLink, verify_links

BUNDLE_FORMAT = "netra-audit-bundle/2"
MANIFEST = "manifest.json"
SIGNATURE = "signature.json"
AUDITOR_EDITION = "auditor"
FULL_EDITION = "full"
_zip = write_zip


@dataclass
class BundleLetter:
    id: str
    case_id: str
    case_seq: int
    kind: str
    number: str
    content_hash: str
    template_hash: str
    context_hash: str
    html: str
    pdf: bytes | None = None
    context: dict[str, Any] | None = None
    withheld: str | None = None  # why its content is not in this edition

    def index_entry(self) -> dict[str, Any]:
        entry = {
            "id": self.id,
            "case_id": self.case_id,
            "case_seq": self.case_seq,
            "kind": self.kind,
            "number": self.number,
            "content_hash": self.content_hash,
            "template_hash": self.template_hash,
            "context_hash": self.context_hash,
            "pdf": self.pdf is not None and self.withheld is None,
        }
        if self.withheld is not None:
            entry["withheld"] = self.withheld
        return entry


@dataclass
class BundleContent:
    """Everything an export holds, gathered by `cases.bundle_export` from the database."""

    created_at: datetime
    tool_version: str
    scope: dict[str, Any]
    events: dict[str, list[RecordedEvent]]
    letters: list[BundleLetter] = field(default_factory=list)
    rule_files: dict[str, dict[str, bytes]] = field(default_factory=dict)
    checkpoints: list[Checkpoint] = field(default_factory=list)
    proofs: list[dict[str, Any]] = field(default_factory=list)
    edition: str = FULL_EDITION
    redactions: list[dict[str, Any]] = field(default_factory=list)


def rules_content_hash(files: Mapping[str, bytes]) -> str:
    """Same as `RuleSet.content_hash`: proves which rules applied."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name] + b"\0")
    return digest.hexdigest()


def bundle_members(content: BundleContent) -> dict[str, bytes]:
    """Every member but the manifest and the signature."""
    files: dict[str, bytes] = {}
    for case_id, events in sorted(content.events.items()):
        files[f"events/{case_id}.jsonl"] = b"".join(
            canonical_json(event.to_dict()) + b"\n" for event in events
        )
    for letter in content.letters:
        if letter.withheld is not None:
            continue
        files[f"letters/{letter.id}.html"] = letter.html.encode("utf-8")
        if letter.context is not None:
            files[f"letters/{letter.id}.context.json"] = canonical_json(letter.context)
        if letter.pdf is not None:
            files[f"letters/{letter.id}.pdf"] = letter.pdf
    files["letters/index.json"] = canonical_json(
        sorted((x.index_entry() for x in content.letters), key=lambda e: e["id"])
    )
    for version, rule_files in sorted(content.rule_files.items()):
        for name, data in sorted(rule_files.items()):
            files[f"rules/{version}/{name}"] = data
    files["checkpoints.json"] = canonical_json(
        {
            "checkpoints": [c.to_dict() for c in content.checkpoints],
            "heads": sorted(content.proofs, key=lambda p: (p["case_id"], p["checkpoint_id"])),
        }
    )
    return files


def write_bundle(content: BundleContent, signer: Signer | None = None) -> bytes:
    files = bundle_members(content)
    manifest = {
        "format": BUNDLE_FORMAT,
        "edition": content.edition,
        "tool_version": content.tool_version,
        "created_at": utc_iso(content.created_at),
        "scope": content.scope,
        "counts": {
            "cases": len(content.events),
            "events": sum(len(e) for e in content.events.values()),
            "letters": len(content.letters),
            "checkpoints": len(content.checkpoints),
        },
        "redactions": sorted(content.redactions, key=lambda r: (r["case_id"], r["seq"])),
        "rule_sets": {v: rules_content_hash(f) for v, f in sorted(content.rule_files.items())},
        "merkle": "RFC 6962 (leaf 0x00||'case_id TAB seq TAB hash', node 0x01||l||r), sha256",
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
    }
    files[MANIFEST] = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False).encode()
    if signer is not None:
        files[SIGNATURE] = canonical_json(
            {
                "algorithm": ALGORITHM,
                "public_key": public_raw_b64(signer.public),
                "key_fingerprint": signer.fingerprint,
                "signed": MANIFEST,
                "signature": signer.sign(files[MANIFEST]),
            }
        )
    return write_zip(files)


# --- offline verification ---------------------------------------------------------------------


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


LetterRerenderer = Callable[
    [dict[str, bytes], dict[str, list[RecordedEvent]], list[dict[str, Any]], BundleReport], None
]


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
            report.problems.append(f"surat {letter_id}: tidak ada peristiwa letter_issued")
            continue
        for key in ("content_hash", "template_hash", "context_hash", "number"):
            recorded = event.payload.get(key)
            if recorded is not None and recorded != entry.get(key):
                report.problems.append(
                    f"surat {letter_id}: {key} berbeda dari peristiwa "
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
