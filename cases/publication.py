"""Published checkpoint roots, pure: the signed statement per checkpoint, the publication
file (`netra audit publish`), and its check before it is compared with a database.

The file is JSON (UTF-8, sorted keys, one-space indent; stable for the same checkpoints and
key) and describes itself:

    format            "netra-published-roots/1"
    algorithm         "Ed25519"
    public_key        the 32 raw public-key bytes, base64
    key_fingerprint   "sha256:" + hex sha256 of those bytes
    log               how the head log and its leaves are hashed (RFC 6962)
    checkpoints       one statement per checkpoint, in id order, each with
                      `signature` (Ed25519 over the canonical JSON of the statement without
                      `signature` and `consistency`) and `consistency` (the RFC 6962
                      consistency proof from the previous checkpoint's log to this one)

A statement holds the checkpoint as stored (id, created_at, case_count, event_count, root_hash,
prev_hash, hash) and the head log it closes (`log_size`, `log_root`). No database here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from cases.sealing import verify_consistency
from cases.signing import (
    ALGORITHM,
    Signer,
    fingerprint,
    public_from_raw_b64,
    public_raw_b64,
    verify_signature,
)
from rules.errors import InvalidInput
from states.canonical import canonical_json

PUBLICATION_FORMAT = "netra-published-roots/1"
STATEMENT_TYPE = "netra-checkpoint-statement/1"
MAX_PUBLICATION_BYTES = 64 * 1024 * 1024
LOG_DESCRIPTION = (
    "RFC 6962 Merkle tree (sha256) over the checkpoint head log: one leaf per sealed head, "
    "in checkpoint order and by case id within a checkpoint; leaf = sha256(0x00 || "
    "'checkpoint_id TAB case_id TAB seq TAB head_hash'), node = sha256(0x01 || left || right)"
)
STATEMENT_FIELDS = (
    "id",
    "created_at",
    "case_count",
    "event_count",
    "root_hash",
    "prev_hash",
    "hash",
    "log_size",
    "log_root",
)


def statement(checkpoint: dict[str, Any], log_size: int, log_root: str) -> dict[str, Any]:
    """What is signed for one checkpoint (`checkpoint` is `Checkpoint.to_dict()`)."""
    return {
        "type": STATEMENT_TYPE,
        **{name: checkpoint[name] for name in STATEMENT_FIELDS[:7]},
        "log_size": log_size,
        "log_root": log_root,
    }


def signed_bytes(entry: dict[str, Any]) -> bytes:
    return canonical_json({k: v for k, v in entry.items() if k not in ("signature", "consistency")})


def publication(
    statements: list[dict[str, Any]],
    proofs: list[list[str]],
    signer: Signer,
    published_at: str,
) -> bytes:
    """The publication file's bytes."""
    entries = []
    for item, proof in zip(statements, proofs, strict=True):
        entries.append({**item, "signature": signer.sign(signed_bytes(item)), "consistency": proof})
    document = {
        "format": PUBLICATION_FORMAT,
        "algorithm": ALGORITHM,
        "public_key": public_raw_b64(signer.public),
        "key_fingerprint": signer.fingerprint,
        "published_at": published_at,
        "log": LOG_DESCRIPTION,
        "checkpoints": entries,
    }
    return (json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


@dataclass
class Publication:
    """A parsed publication: its key, its statements, and what is wrong with it on its own."""

    key_fingerprint: str
    entries: list[dict[str, Any]]
    problems: list[str] = field(default_factory=list)


def read_publication(data: bytes, pinned: Ed25519PublicKey | None = None) -> Publication:
    """Parse and check signatures and the chain of consistency proofs between statements.

    `pinned`: the public key the caller trusts (e.g. from the institution's site); without it
    the key in the file is used and its fingerprint must be compared by the reader.
    """
    if len(data) > MAX_PUBLICATION_BYTES:
        raise InvalidInput(f"Berkas publikasi terlalu besar (> {MAX_PUBLICATION_BYTES} bita)")
    try:
        document = json.loads(data)
        if document.get("format") != PUBLICATION_FORMAT:
            raise InvalidInput(f"Format publikasi tidak dikenal: {document.get('format')!r}")
        public = public_from_raw_b64(str(document["public_key"]))
        entries = list(document["checkpoints"])
        for entry in entries:
            missing = [
                n for n in ("type", *STATEMENT_FIELDS, "signature", "consistency") if n not in entry
            ]
            if missing:
                raise KeyError(", ".join(missing))
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise InvalidInput(f"Berkas publikasi tidak valid: {error}") from None
    result = Publication(fingerprint(public), entries)
    if document.get("key_fingerprint") != result.key_fingerprint:
        result.problems.append("key_fingerprint tidak cocok dengan public_key dalam berkas")
    if pinned is not None and fingerprint(pinned) != result.key_fingerprint:
        result.problems.append(
            f"berkas ditandatangani kunci {result.key_fingerprint}, bukan kunci yang dipercaya "
            f"{fingerprint(pinned)}"
        )
        public = pinned
    previous: dict[str, Any] | None = None
    for entry in entries:
        where = f"publikasi checkpoint #{entry['id']}"
        if entry["type"] != STATEMENT_TYPE:
            result.problems.append(f"{where}: jenis pernyataan tidak dikenal")
        if not verify_signature(public, signed_bytes(entry), str(entry["signature"])):
            result.problems.append(f"{where}: tanda tangan tidak sah")
        if previous is not None and not verify_consistency(
            int(previous["log_size"]),
            int(entry["log_size"]),
            str(previous["log_root"]),
            str(entry["log_root"]),
            [str(x) for x in entry["consistency"]],
        ):
            result.problems.append(
                f"{where}: log kepala tidak memperpanjang checkpoint #{previous['id']} "
                "(bukti konsistensi gagal)"
            )
        previous = entry
    return result
