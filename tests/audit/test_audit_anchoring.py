"""Tamper evidence anchored outside the database: signed, published checkpoint roots; the
database must extend what was published (RFC 6962 consistency); recorded times checked."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.testing import CliRunner

from cases.checkpoints import create_checkpoint, publish_roots
from cases.commands import add_note
from cases.integrity import Finding, verify_records, watch_times
from cases.publication import read_publication
from cases.sealing import consistency_proof, tree_root, verify_consistency
from cases.signing import Signer, load_signer
from cli.main import app
from db.unit_of_work import UnitOfWork
from rules.errors import InvalidInput, PermissionDenied
from tests.audit.tampering import events_of, reseal, rewrite_event, rewrite_history, superuser
from tests.conftest import wib


def token(uow: UnitOfWork, officer_id: str) -> str:
    from cases.identity.tokens import create_token

    return create_token(uow, officer_id, "tests", 1)[1]


SEAL_DAY = wib("2024-12-01T00:00")
PUBLISH_DAY = wib("2024-12-01T08:00")
SIGNER = Signer(Ed25519PrivateKey.generate())
runner = CliRunner()


@pytest.fixture
def published(demo_uow: UnitOfWork) -> bytes:
    """The demo sealed by a checkpoint whose root was signed and published."""
    create_checkpoint(demo_uow, "system", SEAL_DAY)
    return publish_roots(demo_uow, "auditor", SIGNER, PUBLISH_DAY)


def _published_findings(uow: UnitOfWork, data: bytes) -> list[Finding]:
    report = verify_records(
        uow, "auditor", rerender=False, published=read_publication(data, SIGNER.public)
    )
    return report.findings


def test_publication_is_signed_self_describing_and_stable(
    demo_uow: UnitOfWork, published: bytes
) -> None:
    document = json.loads(published)
    assert document["format"] == "netra-published-roots/1"
    assert document["algorithm"] == "Ed25519"
    assert document["key_fingerprint"] == SIGNER.fingerprint
    assert "RFC 6962" in document["log"]
    [entry] = document["checkpoints"]
    assert entry["id"] == 1 and entry["log_size"] == 5 and entry["signature"]
    assert publish_roots(demo_uow, "auditor", SIGNER, PUBLISH_DAY) == published
    assert read_publication(published, SIGNER.public).problems == []
    assert _published_findings(demo_uow, published) == []


def test_only_auditors_and_admins_publish(demo_uow: UnitOfWork) -> None:
    with pytest.raises(PermissionDenied):
        publish_roots(demo_uow, "bawaslu.kediri", SIGNER, PUBLISH_DAY)


def test_history_that_grew_after_publication_still_extends_it(
    demo_uow: UnitOfWork, published: bytes
) -> None:
    add_note(demo_uow, "bawaslu.kediri", "DEMO-KDR-1", "Catatan baru", wib("2024-12-03T09:00"))
    create_checkpoint(demo_uow, "system", wib("2024-12-04T00:00"))
    assert _published_findings(demo_uow, published) == []
    later = publish_roots(demo_uow, "auditor", SIGNER, wib("2024-12-04T08:00"))
    assert read_publication(later).problems == []  # the proof from #1 to #2 holds
    assert _published_findings(demo_uow, later) == []


def test_rewritten_history_with_rewritten_checkpoints_passes_alone_but_fails_the_publication(
    demo_uow: UnitOfWork, published: bytes
) -> None:
    with superuser(demo_uow.engine) as db:
        rewrite_history(db, "DEMO-PBL-1", 3, {"tampered": True})
        reseal(db)
    create_checkpoint(demo_uow, "system", SEAL_DAY)  # the forger seals the forged history
    alone = verify_records(demo_uow, "auditor", rerender=False)
    assert alone.ok, "without an anchor the rewrite is internally consistent"
    findings = _published_findings(demo_uow, published)
    assert {f.kind for f in findings} == {"published"}
    assert any(f.checkpoint_id == 1 and "ditulis ulang" in f.problem for f in findings)
    assert any("bukti konsistensi RFC 6962" in f.problem for f in findings)


def test_deleted_checkpoints_and_a_forged_publication_are_named(
    demo_uow: UnitOfWork, published: bytes
) -> None:
    with superuser(demo_uow.engine) as db:
        reseal(db)
    findings = _published_findings(demo_uow, published)
    assert any("tidak ada di basis data" in f.problem for f in findings)
    assert any("lebih pendek" in f.problem for f in findings)
    document = json.loads(published)
    document["checkpoints"][0]["root_hash"] = "0" * 64
    forged = json.dumps(document).encode()
    assert any("tanda tangan tidak sah" in p for p in read_publication(forged).problems)
    other = Signer(Ed25519PrivateKey.generate())
    assert any(
        "bukan kunci yang dipercaya" in p
        for p in read_publication(published, other.public).problems
    )
    with pytest.raises(InvalidInput):
        read_publication(b"{not json")


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 7, 8, 9, 16, 17])
def test_consistency_proofs_hold_for_prefixes_and_fail_for_changed_ones(size: int) -> None:
    leaves = [bytes([i]) * 32 for i in range(size + 6)]
    root = tree_root(leaves).hex()
    for first in range(1, len(leaves) + 1):
        proof = consistency_proof(leaves, first)
        assert verify_consistency(first, len(leaves), tree_root(leaves[:first]).hex(), root, proof)
        changed = [b"\xff" * 32, *leaves[1:first]]
        assert not verify_consistency(first, len(leaves), tree_root(changed).hex(), root, proof)


# --- recorded times ------------------------------------------------------------------------


def test_recorded_time_running_backwards_and_future_effective_time_are_named(
    demo_uow: UnitOfWork,
) -> None:
    with superuser(demo_uow.engine) as db:
        events = events_of(db, "DEMO-SKB-1")
        rewrite_event(db, "DEMO-SKB-1", 4, recorded_at=events[1].recorded_at - timedelta(days=1))
        sixth = events[5]
        rewrite_event(db, "DEMO-SKB-1", 6, occurred_at=sixth.recorded_at + timedelta(days=30))
    report = verify_records(demo_uow, "auditor", rerender=False)
    named = {(f.kind, f.case_id, f.seq) for f in report.findings}
    assert ("time", "DEMO-SKB-1", 4) in named
    assert ("time", "DEMO-SKB-1", 6) in named
    assert all(f.kind == "time" for f in report.findings)
    assert any("mundur" in f.problem for f in report.findings)
    assert any("masa depan" in f.problem for f in report.findings)


def test_time_check_reads_only_the_time_columns_whatever_else_an_event_carries() -> None:
    at = datetime(2024, 11, 1, tzinfo=UTC)
    naive = datetime(2024, 11, 2)  # SQLite keeps UTC without an offset
    rows = [
        (
            "C-1",
            1,
            "case_opened",
            "a",
            "bawaslu",
            "X",
            at,
            at,
            '{"clock":"fixed"}',
            "2024.1",
            "",
            "",
        ),
        ("C-1", 2, "note", "a", "bawaslu", "X", naive, naive, "{}", "2024.1", "", ""),
        ("C-1", 3, "note", "a", "bawaslu", "X", at, at, '{"fixed_clock":true}', "2024.1", "", ""),
        ("C-2", 1, "case_opened", "a", "bawaslu", "X", at, at, "{}", "2024.1", "", ""),
    ]
    findings: list[Finding] = []
    assert list(watch_times(rows, findings)) == rows
    assert [(f.case_id, f.seq) for f in findings] == [("C-1", 3)]


# --- the command line: keygen, publish, verify --published -------------------------------------


def test_keygen_writes_a_private_key_0600_and_never_overwrites_without_force(
    tmp_path: Path,
) -> None:
    key = tmp_path / "keys" / "netra.pem"
    env = {"NETRA_SIGNING_KEY_FILE": str(key)}
    first = runner.invoke(app, ["audit", "keygen"], env=env)
    assert first.exit_code == 0, first.output
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    fingerprint = load_signer(key).fingerprint
    assert fingerprint in first.output and (tmp_path / "keys" / "netra.pem.pub").exists()
    again = runner.invoke(app, ["audit", "keygen"], env=env)
    assert again.exit_code == 2 and "--force" in again.output
    assert load_signer(key).fingerprint == fingerprint
    assert runner.invoke(app, ["audit", "keygen", "--force"], env=env).exit_code == 0
    assert load_signer(key).fingerprint != fingerprint
    link = tmp_path / "link.pem"
    os.symlink(tmp_path / "elsewhere.pem", link)
    refused = runner.invoke(app, ["audit", "keygen", "--out", str(link), "--force"])
    assert refused.exit_code == 2 and not (tmp_path / "elsewhere.pem").exists()
    key.chmod(0o644)
    with pytest.raises(InvalidInput, match="chmod 600"):
        load_signer(key)


def test_cli_publish_then_verify_published_catches_a_resealed_rewrite(
    demo_uow: UnitOfWork, db_url: str, tmp_path: Path
) -> None:
    key = tmp_path / "netra.pem"
    env = {"NETRA_SIGNING_KEY_FILE": str(key), "NETRA_TOKEN": token(demo_uow, "auditor")}
    assert runner.invoke(app, ["audit", "keygen"], env=env).exit_code == 0
    create_checkpoint(demo_uow, "system", SEAL_DAY)
    roots = tmp_path / "roots.json"
    base = ["--db", db_url, "audit"]
    done = runner.invoke(app, [*base, "publish", "--out", str(roots)], env=env)
    assert done.exit_code == 0, done.output
    assert runner.invoke(app, [*base, "publish", "--out", str(roots)], env=env).exit_code == 2
    check = [*base, "verify", "--published", str(roots), "--key", f"{key}.pub"]
    assert runner.invoke(app, check, env=env).exit_code == 0
    with superuser(demo_uow.engine) as db:
        rewrite_history(db, "DEMO-KDR-1", 2, {"tampered": True})
        reseal(db)
    create_checkpoint(demo_uow, "system", SEAL_DAY)
    assert runner.invoke(app, [*base, "verify"], env=env).exit_code == 0
    failed = runner.invoke(app, check, env=env)
    assert failed.exit_code == 7
    assert "checkpoint #1" in failed.output and "ditulis ulang" in failed.output
