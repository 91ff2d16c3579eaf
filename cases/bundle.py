"""The audit bundle's format, written deterministically (verified by `cases.bundle_verify`).

Imports no database code (`states`, `cases.sealing`, `cases.signing`, `cases.bundle_archive`),
so an auditor can run `netra audit verify-bundle bundle.zip --key netra-signing.pub` on their
own machine.

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
    templates/<hash>/<file>    the template sources each letter was rendered with, once per
                               template hash (the letter's `template_hash`); absent for a
                               letter issued before the template store (and never imported)
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
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cases.bundle_archive import write_zip
from cases.sealing import Checkpoint
from cases.signing import (
    ALGORITHM,
    Signer,
    public_raw_b64,
)
from states.canonical import canonical_json, utc_iso
from states.events import RecordedEvent

BUNDLE_FORMAT = "netra-audit-bundle/2"
MANIFEST = "manifest.json"
SIGNATURE = "signature.json"
AUDITOR_EDITION = "auditor"
FULL_EDITION = "full"
TEMPLATES = "templates/"  # templates/<template_hash>/<file name>
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
    template_files: dict[str, dict[str, bytes]] = field(default_factory=dict)  # by hash
    checkpoints: list[Checkpoint] = field(default_factory=list)
    proofs: list[dict[str, Any]] = field(default_factory=list)
    edition: str = FULL_EDITION
    redactions: list[dict[str, Any]] = field(default_factory=list)
    # further member kinds (e.g. evidence/): name -> bytes, with their count in the manifest
    extra_members: dict[str, bytes] = field(default_factory=dict)
    extra_counts: dict[str, int] = field(default_factory=dict)


def rules_content_hash(files: Mapping[str, bytes]) -> str:
    """Same as `RuleSet.content_hash`: proves which rules applied."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name] + b"\0")
    return digest.hexdigest()


def carried_templates(members: Mapping[str, bytes], template_hash: str) -> dict[str, bytes]:
    """The template files a bundle carries for one template hash (empty when none)."""
    prefix = f"{TEMPLATES}{template_hash}/"
    return {n[len(prefix) :]: d for n, d in members.items() if n.startswith(prefix)}


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
    for template_hash, template_files in sorted(content.template_files.items()):
        for name, data in sorted(template_files.items()):
            files[f"{TEMPLATES}{template_hash}/{name}"] = data
    files["checkpoints.json"] = canonical_json(
        {
            "checkpoints": [c.to_dict() for c in content.checkpoints],
            "heads": sorted(content.proofs, key=lambda p: (p["case_id"], p["checkpoint_id"])),
        }
    )
    return files


def write_bundle(content: BundleContent, signer: Signer | None = None) -> bytes:
    files = {**bundle_members(content), **content.extra_members}
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
            **content.extra_counts,
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
