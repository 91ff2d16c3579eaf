"""The audit bundle verifies offline (no database) and fails after any changed byte."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.testing import CliRunner

from cases.bundle import MANIFEST, SIGNATURE, _zip
from cases.bundle_export import export_bundle
from cases.bundle_verify import verify_bundle
from cases.checkpoints import create_checkpoint
from cases.sealing import Head, MerkleTree, merkle_root, root_from_proof
from cases.signing import Signer
from db.case_repository import CaseFilter
from db.unit_of_work import UnitOfWork
from rules.errors import PermissionDenied
from states.canonical import canonical_json, chain_hash
from states.events import RecordedEvent
from tests.conftest import wib

NOW = wib("2024-12-02T10:00")
SIGNER = Signer(Ed25519PrivateKey.generate())


@pytest.fixture
def bundle(demo_uow: UnitOfWork) -> bytes:
    create_checkpoint(demo_uow, "system", wib("2024-12-01T00:00"))
    return export_bundle(
        demo_uow, "auditor", NOW, ["DEMO-PBL-1", "DEMO-SKB-1"], with_pdf=False, signer=SIGNER
    )


def _flip(data: bytes, position: int) -> bytes:
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


def test_bundle_holds_events_letters_rules_and_checkpoints_and_verifies(bundle: bytes) -> None:
    names = zipfile.ZipFile(io.BytesIO(bundle)).namelist()
    assert names == sorted(names)
    assert {
        "manifest.json",
        "checkpoints.json",
        "letters/index.json",
        "events/DEMO-PBL-1.jsonl",
        "events/DEMO-SKB-1.jsonl",
        "rules/2024.1/deadlines.yaml",
    } <= set(names)
    assert any(n.startswith("letters/DEMO-PBL-1") and n.endswith(".html") for n in names)
    report = verify_bundle(bundle, SIGNER.public)
    assert report.ok, report.problems
    assert report.cases == 2 and report.checkpoints == 1 and report.proofs == 2
    assert report.letters > 0 and report.signature_checked
    assert report.letters_rerendered == report.letters - report.letters_withheld > 0


def test_flipping_any_single_byte_fails_verification(bundle: bytes) -> None:
    event_at = bundle.index(b'"event_type":"sanction_imposed"')
    letter_at = bundle.index(b"<html")
    directory_at = bundle.rindex(b"PK\x01\x02")
    positions = {
        0,
        7,
        12,
        30,
        event_at + 3,
        letter_at + 40,
        bundle.index(b'"root_hash"') + 20,
        directory_at + 10,
        directory_at + 46,
        len(bundle) // 2,
        len(bundle) - 10,
        len(bundle) - 1,
    }
    for position in sorted(positions):
        report = verify_bundle(_flip(bundle, position))
        assert not report.ok, f"byte {position} changed but the bundle still verifies"


def test_a_rebuilt_bundle_with_a_forged_but_consistent_history_fails_the_checkpoint_proof(
    bundle: bytes,
) -> None:
    members = {
        i.filename: zipfile.ZipFile(io.BytesIO(bundle)).read(i)
        for i in zipfile.ZipFile(io.BytesIO(bundle)).infolist()
    }
    lines = [json.loads(x) for x in members["events/DEMO-PBL-1.jsonl"].splitlines()]
    prev = "0" * 64
    for line in lines:
        if line["event_type"] == "ethics_decided":  # the Majelis Kode Etik path
            line["payload"]["data"]["sanction_code"] = "moral_tertutup"
        line["prev_hash"] = prev
        line["hash"] = prev = chain_hash(prev, RecordedEvent.from_dict(line).body())
    members["events/DEMO-PBL-1.jsonl"] = b"".join(canonical_json(x) + b"\n" for x in lines)
    manifest = json.loads(members[MANIFEST])
    import hashlib

    manifest["files"]["events/DEMO-PBL-1.jsonl"] = hashlib.sha256(
        members["events/DEMO-PBL-1.jsonl"]
    ).hexdigest()
    members[MANIFEST] = json.dumps(manifest, indent=1, sort_keys=True).encode()
    forged = _zip(members)
    report = verify_bundle(forged)
    assert [p for p in report.problems if "DEMO-PBL-1" in p and "disegel" in p]
    assert not [p for p in report.problems if p.startswith("rantai")]
    assert "tanda tangan bundel tidak sah" in " ".join(verify_bundle(forged).problems)
    del members[SIGNATURE]
    unsigned = verify_bundle(_zip(members), SIGNER.public)
    assert "bundel tidak ditandatangani (signature.json tidak ada)" in unsigned.problems


def test_bundle_verification_imports_no_database_code(bundle: bytes, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "b.zip"
    path.write_bytes(bundle)
    code = (
        "import sys, cases.bundle_verify as v; r = v.verify_bundle(open(sys.argv[1], 'rb').read()); "
        "assert r.ok and r.letters_rerendered, r.problems; bad = sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('db', 'sqlalchemy', 'psycopg') or m == 'cases.access'); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_export_by_filter_and_the_cli_verify_bundle(demo_uow: UnitOfWork, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from cli.main import app

    data = export_bundle(
        demo_uow, "auditor", NOW, flt=CaseFilter(is_open=False), with_pdf=False, signer=SIGNER
    )
    report = verify_bundle(data)
    assert report.ok and report.cases == 2  # DEMO-PBL-1 closed, DEMO-BKS-1 dismissed
    path = tmp_path / "bundle.zip"
    path.write_bytes(data)
    runner = CliRunner()
    assert runner.invoke(app, ["audit", "verify-bundle", str(path)]).exit_code == 0
    path.write_bytes(_flip(data, len(data) // 3))
    assert runner.invoke(app, ["audit", "verify-bundle", str(path)]).exit_code == 7


def test_only_auditors_and_the_owning_bawaslu_may_export(demo_uow: UnitOfWork) -> None:
    with pytest.raises(PermissionDenied):
        export_bundle(demo_uow, "bkpsdm.kediri", NOW, ["DEMO-KDR-1"], with_pdf=False, signer=SIGNER)
    with pytest.raises(PermissionDenied):
        export_bundle(
            demo_uow, "bawaslu.kediri", NOW, ["DEMO-PBL-1"], with_pdf=False, signer=SIGNER
        )
    assert verify_bundle(
        export_bundle(
            demo_uow, "bawaslu.kediri", NOW, ["DEMO-KDR-1"], with_pdf=False, signer=SIGNER
        )
    ).ok


@pytest.mark.parametrize("size", [0, 1, 2, 3, 5, 7, 8, 13])
def test_merkle_proofs_reach_the_streamed_root(size: int) -> None:
    heads = [Head(f"C-{i:03d}", i + 1, f"{i:064x}") for i in range(size)]
    tree = MerkleTree(heads)
    assert tree.root == merkle_root(heads)
    for head in heads:
        assert root_from_proof(head, tree.proof(head.case_id)) == tree.root
        forged = Head(head.case_id, head.seq + 1, head.hash)
        assert root_from_proof(forged, tree.proof(head.case_id)) != tree.root
