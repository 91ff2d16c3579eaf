"""The audit bundle, offline: write it deterministically, and verify it with no database.

Imports only `states`, `cases.sealing` and the standard library, so an auditor can run
`netra audit verify-bundle bundle.zip` on their own machine.

Layout (a ZIP, members stored uncompressed, sorted by name, every timestamp 1980-01-01):

    manifest.json              format, tool version, created_at, scope, sha256 of every file
    events/<case_id>.jsonl     one canonical-JSON event per line (`RecordedEvent.to_dict()`)
    letters/index.json         each letter's number, kind, case, seq and hashes
    letters/<letter_id>.html   the letter as stored (and .pdf when the renderer could make one)
    rules/<version>/<file>     the rule-set files every exported event names
    checkpoints.json           every checkpoint (chained) and, per exported case and
                               checkpoint, its sealed head with an RFC 6962 inclusion proof

A bundle is canonical: verification rebuilds the ZIP from its members and requires the same
bytes, so a change to any byte — data, header or directory — fails, besides the member
CRCs, the manifest hashes, the event chains, the letters' hashes and the checkpoint proofs.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cases.evidence.bundle_check import verify_evidence_members
from cases.sealing import Checkpoint, Head, chain_problems, root_from_proof, sha256_text
from states.canonical import canonical_json, utc_iso
from states.events import LETTER_ISSUED, RecordedEvent
from states.integrity import verify_stream

BUNDLE_FORMAT = "netra-audit-bundle/1"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
MANIFEST = "manifest.json"


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

    def index_entry(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "case_id": self.case_id,
            "case_seq": self.case_seq,
            "kind": self.kind,
            "number": self.number,
            "content_hash": self.content_hash,
            "template_hash": self.template_hash,
            "context_hash": self.context_hash,
            "pdf": self.pdf is not None,
        }


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


def rules_content_hash(files: Mapping[str, bytes]) -> str:
    """Same as `RuleSet.content_hash`: proves which rules applied."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name] + b"\0")
    return digest.hexdigest()


def _zip(members: Mapping[str, bytes]) -> bytes:
    """Deterministic ZIP: sorted names, fixed timestamps and attributes, no compression."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, members[name])
    return buffer.getvalue()


def write_bundle(content: BundleContent) -> bytes:
    files: dict[str, bytes] = {}
    for case_id, events in sorted(content.events.items()):
        files[f"events/{case_id}.jsonl"] = b"".join(
            canonical_json(event.to_dict()) + b"\n" for event in events
        )
    for letter in content.letters:
        files[f"letters/{letter.id}.html"] = letter.html.encode("utf-8")
        if letter.pdf is not None:
            files[f"letters/{letter.id}.pdf"] = letter.pdf
    files["letters/index.json"] = canonical_json(
        sorted((x.index_entry() for x in content.letters), key=lambda e: e["id"])
    )
    rule_hashes: dict[str, str] = {}
    for version, rule_files in sorted(content.rule_files.items()):
        rule_hashes[version] = rules_content_hash(rule_files)
        for name, data in sorted(rule_files.items()):
            files[f"rules/{version}/{name}"] = data
    files["checkpoints.json"] = canonical_json(
        {
            "checkpoints": [c.to_dict() for c in content.checkpoints],
            "heads": sorted(content.proofs, key=lambda p: (p["case_id"], p["checkpoint_id"])),
        }
    )
    manifest = {
        "format": BUNDLE_FORMAT,
        "tool_version": content.tool_version,
        "created_at": utc_iso(content.created_at),
        "scope": content.scope,
        "counts": {
            "cases": len(content.events),
            "events": sum(len(e) for e in content.events.values()),
            "letters": len(content.letters),
            "checkpoints": len(content.checkpoints),
        },
        "rule_sets": rule_hashes,
        "merkle": "RFC 6962 (leaf 0x00||'case_id TAB seq TAB hash', node 0x01||l||r), sha256",
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
    }
    files[MANIFEST] = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False).encode()
    return _zip(files)


# --- offline verification ---------------------------------------------------------------------


@dataclass
class BundleReport:
    """What verify-bundle checked, and every problem, named by file, case/seq or letter."""

    manifest_sha256: str = ""
    cases: int = 0
    events: int = 0
    letters: int = 0
    checkpoints: int = 0
    proofs: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "ok": self.ok}


def verify_bundle(data: bytes) -> BundleReport:
    """Verify a bundle from its bytes alone."""
    report = BundleReport()
    members = _members(data, report)
    if members is None:
        return report
    manifest = _manifest(members, report)
    if manifest is None:
        return report
    events = _events(members, report)
    _letters(members, events, report)
    _rules(members, manifest, events, report)
    _checkpoints(members, events, report)
    report.problems += verify_evidence_members(members, events)
    return report


def _members(data: bytes, report: BundleReport) -> dict[str, bytes] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = {info.filename: archive.read(info) for info in archive.infolist()}
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        OSError,
        EOFError,
        UnicodeDecodeError,
        NotImplementedError,
    ) as error:
        report.problems.append(f"arsip ZIP rusak: {error}")
        return None
    if _zip(members) != data:
        report.problems.append(
            "arsip ZIP tidak kanonis: ada bita yang diubah di luar isi berkas "
            "(header atau direktori)"
        )
    return members


def _manifest(members: dict[str, bytes], report: BundleReport) -> dict[str, Any] | None:
    raw = members.get(MANIFEST)
    if raw is None:
        report.problems.append("manifest.json tidak ada")
        return None
    report.manifest_sha256 = hashlib.sha256(raw).hexdigest()
    try:
        manifest: dict[str, Any] = json.loads(raw)
        listed: dict[str, str] = manifest["files"]
    except (ValueError, KeyError, TypeError) as error:
        report.problems.append(f"manifest.json tidak valid: {error}")
        return None
    if manifest.get("format") != BUNDLE_FORMAT:
        report.problems.append(f"format bundel tidak dikenal: {manifest.get('format')}")
    for name in sorted(set(listed) | set(members) - {MANIFEST}):
        if name not in members:
            report.problems.append(f"{name}: tercantum di manifest tetapi tidak ada")
        elif name not in listed:
            report.problems.append(f"{name}: tidak tercantum di manifest")
        elif hashlib.sha256(members[name]).hexdigest() != listed[name]:
            report.problems.append(f"{name}: sha256 tidak cocok dengan manifest")
    return manifest


def _events(members: dict[str, bytes], report: BundleReport) -> dict[str, list[RecordedEvent]]:
    events: dict[str, list[RecordedEvent]] = {}
    for name in sorted(n for n in members if n.startswith("events/") and n.endswith(".jsonl")):
        case_id = name[len("events/") : -len(".jsonl")]
        items: list[RecordedEvent] = []
        for number, line in enumerate(members[name].splitlines(), start=1):
            try:
                data = json.loads(line)
                event = RecordedEvent.from_dict(data)
                if canonical_json(data) != line:
                    report.problems.append(f"{name} baris {number}: bukan JSON kanonis")
            except (ValueError, KeyError, TypeError) as error:
                report.problems.append(f"{name} baris {number}: peristiwa tidak terbaca ({error})")
                continue
            if event.case_id != case_id:
                report.problems.append(f"{name} baris {number}: milik perkara {event.case_id}")
            items.append(event)
        chain = verify_stream(items)
        report.problems += [f"rantai {b}" for b in chain.breaks]
        report.cases += 1
        report.events += len(items)
        events[case_id] = items
    return events


def _letters(
    members: dict[str, bytes], events: dict[str, list[RecordedEvent]], report: BundleReport
) -> None:
    try:
        index: list[dict[str, Any]] = json.loads(members.get("letters/index.json", b"[]"))
    except ValueError as error:
        report.problems.append(f"letters/index.json tidak valid: {error}")
        return
    issued = {
        e.payload.get("letter_id"): e
        for items in events.values()
        for e in items
        if e.event_type == LETTER_ISSUED
    }
    for entry in index:
        report.letters += 1
        letter_id = entry.get("id")
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
    exported = {entry.get("id") for entry in index}
    for letter_id, event in sorted(issued.items(), key=lambda i: (i[1].case_id, i[1].seq)):
        if letter_id not in exported:
            report.problems.append(
                f"surat {letter_id} ({event.case_id} seq {event.seq}) tidak ada dalam bundel"
            )


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
        head = Head(item["case_id"], int(item["seq"]), item["hash"])
        where = f"{head.case_id} seq {head.seq}, checkpoint #{item['checkpoint_id']}"
        checkpoint = by_id.get(item["checkpoint_id"])
        if checkpoint is None:
            report.problems.append(f"{where}: checkpoint tidak ada")
            continue
        if root_from_proof(head, item["path"]) != checkpoint.root_hash:
            report.problems.append(f"{where}: bukti inklusi tidak sampai ke akar checkpoint")
        stored = {e.seq: e.hash for e in events.get(head.case_id, [])}
        if stored.get(head.seq) != head.hash:
            report.problems.append(f"{where}: peristiwa tidak sama dengan yang disegel")
