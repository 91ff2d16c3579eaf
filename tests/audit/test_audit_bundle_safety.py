"""The audit bundle handed to an auditor: no reporter identity, signed, logged, written safely;
a forged bundle whose events contradict its letters fails; zip bombs are refused."""

from __future__ import annotations

import hashlib
import html
import io
import json
import os
import stat
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.testing import CliRunner

from cases.bundle import MANIFEST, SIGNATURE, _zip
from cases.bundle_archive import BundleRefused, Limits, read_members
from cases.bundle_export import export_bundle, export_log
from cases.bundle_verify import verify_bundle
from cases.signing import Signer
from cli.main import app
from cli.output_files import write_file
from db.unit_of_work import UnitOfWork
from rules.errors import InvalidInput, PermissionDenied
from states.canonical import canonical_json, chain_hash
from states.events import RecordedEvent
from tests.cases.helpers import open_kediri
from tests.conftest import wib


def token(uow: UnitOfWork, officer_id: str) -> str:
    from cases.identity.tokens import create_token

    return create_token(uow, officer_id, "tests", 1)[1]


NOW = wib("2024-12-02T10:00")
SIGNER = Signer(Ed25519PrivateKey.generate())
SECRET = b"server secret for reporter hashes"
APOSTROPHE_NAME = "Siti Ma'rufah"
runner = CliRunner()


def _variants(value: str) -> set[str]:
    escaped = {html.escape(value), value.replace("'", "&#39;"), value.replace("'", "&#x27;")}
    return {value, value.upper(), value.lower(), *escaped, *(v.upper() for v in escaped)}


def _texts(bundle: bytes) -> str:
    archive = zipfile.ZipFile(io.BytesIO(bundle))
    return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())


@pytest.fixture
def with_apostrophe(demo_uow: UnitOfWork) -> UnitOfWork:
    from cases.commands import Reporter

    open_kediri(
        demo_uow,
        wib("2024-11-18T10:00"),
        case_id="T-APOS",
        reporter=Reporter(
            APOSTROPHE_NAME, "Jalan Dhoho 17, Kediri", "0812555111", "siti@example.org"
        ),
    )
    return demo_uow


def test_auditor_bundle_carries_a_keyed_hash_instead_of_the_reporter(
    with_apostrophe: UnitOfWork,
) -> None:
    data = export_bundle(
        with_apostrophe, "auditor", NOW, with_pdf=False, signer=SIGNER, reporter_secret=SECRET
    )
    text = _texts(data)
    raw = data.decode("latin-1")
    for value in (APOSTROPHE_NAME, "Yono Saputra", "Siti Maemunah", "Fajar Nugroho"):
        for variant in _variants(value):
            assert variant not in text and variant not in raw, variant
    for value in ("081234567890", "yono@example.org", "Jalan Dhoho 17", "0812555111"):
        assert value not in text
    report = verify_bundle(data, SIGNER.public)
    assert report.ok, report.problems
    assert (
        report.edition == "auditor" and report.redacted_events == 4
    )  # three demo laporan and T-APOS
    assert report.letters_withheld > 0 and report.letters_rerendered > 0
    hashed = [
        json.loads(line)["payload"]["reporter"]
        for name in zipfile.ZipFile(io.BytesIO(data)).namelist()
        if name.startswith("events/")
        for line in zipfile.ZipFile(io.BytesIO(data)).read(name).splitlines()[:1]
        if json.loads(line)["payload"].get("reporter")
    ]
    assert all(
        set(r) == {"redacted", "hmac"} and r["hmac"].startswith("hmac-sha256:") for r in hashed
    )
    again = export_bundle(
        with_apostrophe,
        "auditor",
        NOW,
        ["T-APOS"],
        with_pdf=False,
        signer=SIGNER,
        reporter_secret=SECRET,
    )
    assert report.ok and SECRET  # same secret, same reporter: same hash (linkable, not readable)
    assert any(r["hmac"] in _texts(again) for r in hashed)


def test_the_full_bundle_is_bawaslus_only_and_every_export_is_logged(demo_uow: UnitOfWork) -> None:
    with pytest.raises(PermissionDenied):
        export_bundle(demo_uow, "auditor", NOW, ["DEMO-KDR-1"], edition="full", signer=SIGNER)
    full = export_bundle(
        demo_uow,
        "bawaslu.kediri",
        NOW,
        ["DEMO-KDR-1"],
        with_pdf=False,
        edition="full",
        signer=SIGNER,
    )
    report = verify_bundle(full, SIGNER.public)
    assert report.ok and report.edition == "full" and report.redacted_events == 0
    auditor = export_bundle(demo_uow, "auditor", NOW, ["DEMO-KDR-1"], with_pdf=False, signer=SIGNER)
    log = export_log(demo_uow, "auditor")
    assert [(x.officer_id, x.edition, x.case_ids) for x in log] == [
        ("bawaslu.kediri", "full", ["DEMO-KDR-1"]),
        ("auditor", "auditor", ["DEMO-KDR-1"]),
    ]
    manifest = zipfile.ZipFile(io.BytesIO(auditor)).read(MANIFEST)
    assert log[1].manifest_sha256 == hashlib.sha256(manifest).hexdigest()
    assert log[0].exported_at == NOW
    with pytest.raises(PermissionDenied):
        export_log(demo_uow, "bawaslu.kediri")


def test_auditor_export_is_refused_when_the_reporter_is_named_in_an_event(
    demo_uow: UnitOfWork,
) -> None:
    from cases.commands import add_note

    note = "Pelapor YONO  SAPUTRA hadir kembali"  # upper case, two spaces
    add_note(demo_uow, "bawaslu.pasuruan", "DEMO-PSR-1", note, wib("2024-12-01T10:00"))
    with pytest.raises(InvalidInput, match=r"events/DEMO-PSR-1\.jsonl"):
        export_bundle(demo_uow, "auditor", NOW, ["DEMO-PSR-1"], with_pdf=False, signer=SIGNER)
    assert export_log(demo_uow, "auditor") == []  # refused: nothing handed out, nothing logged


def test_a_reporters_phone_written_another_way_is_caught_too(demo_uow: UnitOfWork) -> None:
    from cases.commands import add_note

    note = "Nomor yang dapat dihubungi: 0812-3456 7890"  # the demo reporter's 081234567890
    add_note(demo_uow, "bawaslu.pasuruan", "DEMO-PSR-1", note, wib("2024-12-01T10:00"))
    with pytest.raises(InvalidInput, match="identitas pelapor"):
        export_bundle(demo_uow, "auditor", NOW, ["DEMO-PSR-1"], with_pdf=False, signer=SIGNER)


def test_a_forged_bundle_whose_events_contradict_its_letters_fails(demo_uow: UnitOfWork) -> None:
    """No checkpoint, hashes and manifest recomputed, signature dropped: only the letters,
    re-rendered from the bundle's own events, can tell."""
    data = export_bundle(demo_uow, "auditor", NOW, ["DEMO-PBL-1"], with_pdf=False, signer=SIGNER)
    archive = zipfile.ZipFile(io.BytesIO(data))
    members = {n: archive.read(n) for n in archive.namelist()}
    lines = [json.loads(x) for x in members["events/DEMO-PBL-1.jsonl"].splitlines()]
    manifest = json.loads(members[MANIFEST])
    redacted = {(r["case_id"], r["seq"]) for r in manifest["redactions"]}
    prev = "0" * 64
    for line in lines:
        if line["event_type"] == "case_opened":
            line["payload"]["terlapor"]["name"] = "Orang Lain"
        line["prev_hash"] = prev
        if (line["case_id"], line["seq"]) in redacted:
            manifest["redactions"] = []  # the forger must unredact to recompute: say nothing
            line["payload"]["reporter"] = None
        line["hash"] = prev = chain_hash(prev, RecordedEvent.from_dict(line).body())
    members["events/DEMO-PBL-1.jsonl"] = b"".join(canonical_json(x) + b"\n" for x in lines)
    manifest["files"]["events/DEMO-PBL-1.jsonl"] = hashlib.sha256(
        members["events/DEMO-PBL-1.jsonl"]
    ).hexdigest()
    members[MANIFEST] = json.dumps(manifest, indent=1, sort_keys=True).encode()
    del members[SIGNATURE]
    report = verify_bundle(_zip(members))
    assert not [p for p in report.problems if p.startswith("rantai")]
    contradicted = [p for p in report.problems if "dibuat ulang dari peristiwa" in p]
    assert contradicted and all("surat DEMO-PBL-1" in p for p in contradicted)
    assert any("HTML hasil pembuatan ulang berbeda" in p for p in contradicted)
    assert (
        "bundel tidak ditandatangani (signature.json tidak ada)"
        in verify_bundle(_zip(members), SIGNER.public).problems
    )


def test_a_redacted_event_forged_in_place_fails_the_signature(demo_uow: UnitOfWork) -> None:
    data = export_bundle(demo_uow, "auditor", NOW, ["DEMO-KDR-1"], with_pdf=False, signer=SIGNER)
    archive = zipfile.ZipFile(io.BytesIO(data))
    members = {n: archive.read(n) for n in archive.namelist()}
    name = "events/DEMO-KDR-1.jsonl"
    members[name] = members[name].replace(b'"incident_place":"', b'"incident_place":"X', 1)
    manifest = json.loads(members[MANIFEST])
    manifest["files"][name] = hashlib.sha256(members[name]).hexdigest()
    members[MANIFEST] = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False).encode()
    problems = verify_bundle(_zip(members), SIGNER.public, rerender=False).problems
    assert any("tanda tangan bundel tidak sah" in p for p in problems)


# --- zip bombs and hostile archives ----------------------------------------------------------


def _deflated_bomb(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zf.open("events/BOMB.jsonl", "w") as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(size >> 20):
                member.write(chunk)
        zf.writestr("manifest.json", b"{}")
    return buffer.getvalue()


def test_a_high_ratio_zip_is_refused_quickly_with_bounded_memory(tmp_path: Path) -> None:
    bomb = _deflated_bomb(256 << 20)
    assert len(bomb) < 400_000
    tracemalloc.start()
    started = time.perf_counter()
    report = verify_bundle(bomb)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert not report.ok
    assert "terkompresi" in report.problems[0] and "zip bomb" in report.problems[0]
    assert peak < 8 * 1024**2, f"peak {peak} bytes"
    assert elapsed < 5  # generous: a refusal reads headers only (measured: milliseconds)
    path = tmp_path / "bomb.zip"
    path.write_bytes(bomb)
    done = runner.invoke(app, ["audit", "verify-bundle", str(path)])
    assert done.exit_code == 7 and "zip bomb" in done.output


def test_oversize_members_duplicate_and_escaping_names_are_refused() -> None:
    big = _zip({"manifest.json": b"{}", "events/A.jsonl": b"x" * 5000})
    with pytest.raises(BundleRefused, match="melebihi batas anggota"):
        read_members(big, Limits(member_bytes=4096))
    with pytest.raises(BundleRefused, match="arsip terlalu besar"):
        read_members(big, Limits(archive_bytes=1000))
    for name in ("../evil", "/etc/passwd", "events/../x", "a\\b", "a\nb"):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zf:
            zf.writestr(zipfile.ZipInfo(name), b"1")
        with pytest.raises(BundleRefused, match="tidak diizinkan"):
            read_members(buffer.getvalue())
    duplicated = _zip({"manifest.json": b"{}", "manifest.jsoN": b"{}"}).replace(
        b"manifest.jsoN", b"manifest.json"
    )
    with pytest.raises(BundleRefused, match="ganda"):
        read_members(duplicated)
    assert not verify_bundle(b"PK\x03\x04 not a zip").ok


# --- safe output files -------------------------------------------------------------------------


def test_output_never_follows_a_symlink_and_never_overwrites_without_force(tmp_path: Path) -> None:
    target = tmp_path / "secret.txt"
    target.write_bytes(b"precious")
    link = tmp_path / "out.zip"
    os.symlink(target, link)
    for force in (False, True):
        with pytest.raises(InvalidInput, match="tautan simbolik"):
            write_file(link, b"bundle", force)
    assert target.read_bytes() == b"precious"
    dangling = tmp_path / "dangling.zip"
    os.symlink(tmp_path / "nowhere", dangling)
    with pytest.raises(InvalidInput):
        write_file(dangling, b"bundle")
    assert not (tmp_path / "nowhere").exists()
    fresh = tmp_path / "bundle.zip"
    write_file(fresh, b"one")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600 and fresh.read_bytes() == b"one"
    with pytest.raises(InvalidInput, match="--force"):
        write_file(fresh, b"two")
    write_file(fresh, b"two", force=True)
    assert fresh.read_bytes() == b"two"
    with pytest.raises(InvalidInput):
        write_file(tmp_path, b"x", force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "bundle.zip",
        "dangling.zip",
        "out.zip",
        "secret.txt",
    ]


def test_cli_export_is_signed_0600_refuses_symlinks_and_verifies_with_the_key(
    demo_uow: UnitOfWork, db_url: str, tmp_path: Path
) -> None:
    key = tmp_path / "netra.pem"
    env = {
        "NETRA_SIGNING_KEY_FILE": str(key),
        "NETRA_REPORTER_HASH_SECRET": "s3cret",
        "NETRA_TOKEN": token(demo_uow, "auditor"),
    }
    base = ["--db", db_url, "audit"]
    missing = runner.invoke(
        app, [*base, "export", "--out", str(tmp_path / "b.zip"), "DEMO-KDR-1"], env=env
    )
    assert missing.exit_code == 2 and "keygen" in missing.output
    assert runner.invoke(app, ["audit", "keygen"], env=env).exit_code == 0
    out = tmp_path / "b.zip"
    args = [*base, "export", "--no-pdf", "--out", str(out), "DEMO-KDR-1"]
    done = runner.invoke(app, args, env=env)
    assert done.exit_code == 0, done.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert runner.invoke(app, args, env=env).exit_code == 2  # exists: needs --force
    assert runner.invoke(app, [*args, "--force"], env=env).exit_code == 0
    link = tmp_path / "link.zip"
    os.symlink(tmp_path / "victim", link)
    linked = [*base, "export", "--no-pdf", "--force", "--out", str(link), "DEMO-KDR-1"]
    assert runner.invoke(app, linked, env=env).exit_code == 2
    assert not (tmp_path / "victim").exists()
    checked = runner.invoke(app, ["audit", "verify-bundle", str(out), "--key", f"{key}.pub"])
    assert checked.exit_code == 0 and "tanda tangan sah" in checked.output
    other = tmp_path / "other.pem"
    assert runner.invoke(app, ["audit", "keygen", "--out", str(other)]).exit_code == 0
    wrong = runner.invoke(app, ["audit", "verify-bundle", str(out), "--key", f"{other}.pub"])
    assert wrong.exit_code == 7
    full = [*base, "export", "--full", "--no-pdf", "--out", str(tmp_path / "f.zip"), "DEMO-KDR-1"]
    bawaslu = {**env, "NETRA_TOKEN": token(demo_uow, "bawaslu.kediri")}
    assert runner.invoke(app, full, env=bawaslu).exit_code == 0
    assert stat.S_IMODE((tmp_path / "f.zip").stat().st_mode) == 0o600
    auditor_full = [
        *base,
        "export",
        "--full",
        "--no-pdf",
        "--out",
        str(tmp_path / "g.zip"),
        "DEMO-KDR-1",
    ]
    assert runner.invoke(app, auditor_full, env=env).exit_code == 5
    assert not (tmp_path / "g.zip").exists()
