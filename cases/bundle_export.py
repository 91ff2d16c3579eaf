"""Gathers an audit bundle from the database: full event histories, letters, the rule-set
files the events name, and the checkpoints with an inclusion proof per exported case.

The bundle holds the records exactly as recorded (the hashes cover every byte), including
the reporter's identity; so only auditors, administrators and the Bawaslu office that owns
a case may export it. Writing and verifying the file is `cases.bundle` (no database).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

from cases.access import acting, require_read, require_role
from cases.bundle import BundleContent, BundleLetter, write_bundle
from cases.checkpoints import to_checkpoint
from cases.evidence.bundle import gather_evidence, with_evidence
from cases.sealing import Head, MerkleTree
from db.audit_store import AuditStore
from db.case_repository import CaseFilter
from db.unit_of_work import UnitOfWork
from rules.errors import NotFound
from rules.models import Role
from rules.ruleset import load_rule_set


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
    with_evidence_files: bool = True,
) -> bytes:
    """The bundle's bytes for the given cases (or every case matching `flt`)."""
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, Role.AUDITOR, Role.BAWASLU)
        if case_ids is None:
            ids = list(uow.cases.ids(flt or CaseFilter()))
            scope: dict[str, Any] = {
                "filter": {k: v for k, v in asdict(flt or CaseFilter()).items() if v is not None}
            }
        else:
            ids = sorted(set(case_ids))
            scope = {"case_ids": ids}
        for case_id in ids:
            if not uow.cases.exists(case_id):
                raise NotFound(f"Perkara '{case_id}' tidak ditemukan")
            require_read(actor, uow.cases.get(case_id))
        events = {case_id: uow.events.load(case_id) for case_id in ids}
        store = AuditStore(uow.session)
        letters = (
            [
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
                )
                for x in store.letters(ids)
            ]
            if ids
            else []
        )
        checkpoints = [to_checkpoint(r) for r in store.checkpoints()]
        proofs = _proofs(store, set(ids))
        evidence = gather_evidence(uow.session, actor, ids)
    render = _pdf_renderer() if with_pdf else None
    if render is not None:
        for letter in letters:
            letter.pdf = render(letter.html)
    versions = {e.rule_set for items in events.values() for e in items}
    content = BundleContent(
        created_at=now.astimezone(UTC),
        tool_version=tool_version(),
        scope=scope,
        events=events,
        letters=letters,
        rule_files={v: dict(load_rule_set(v).files) for v in sorted(versions)},
        checkpoints=checkpoints,
        proofs=proofs,
    )
    return with_evidence(write_bundle(content), evidence, with_evidence_files)


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
