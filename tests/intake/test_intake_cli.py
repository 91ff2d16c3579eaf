"""The CLI: `netra evidence`, `netra import template`, `netra rules`, `netra intake`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from db.unit_of_work import UnitOfWork
from tests.conftest import sign_in_cli
from tests.evidence.files import jpeg_with_exif

runner = CliRunner()


def _base(db_url: str, who: str) -> list[str]:
    return ["--db", db_url, "--as", who, "--now", "2024-11-20T10:00"]


def test_evidence_add_list_get_withdraw(
    demo_uow: UnitOfWork,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sign_in_cli(demo_uow, db_url)
    monkeypatch.setenv("NETRA_EVIDENCE_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("NETRA_SIGNING_KEY_FILE", str(tmp_path / "kunci.pem"))
    assert runner.invoke(app, ["audit", "keygen"]).exit_code == 0
    photo = tmp_path / "spanduk [bold]x.jpg"
    photo.write_bytes(jpeg_with_exif())
    bawaslu = _base(db_url, "bawaslu.pasuruan")
    added = runner.invoke(
        app, [*bawaslu, "evidence", "add", "DEMO-PSR-1", str(photo), "-d", "Foto spanduk"]
    )
    assert added.exit_code == 0, added.output
    assert "B1" in added.output and "(foto, " in added.output  # the kind in words
    assert "image/jpeg" not in added.output
    assert "spanduk [bold]x.jpg" in added.output  # printed literally, not as markup
    listed = runner.invoke(
        app, [*_base(db_url, "auditor"), "--json", "evidence", "list", "DEMO-PSR-1"]
    )
    assert listed.exit_code == 0 and '"file_name": "spanduk [bold]x.jpg"' in listed.output
    out = tmp_path / "unduh.jpg"
    got = runner.invoke(
        app, [*_base(db_url, "auditor"), "evidence", "get", "DEMO-PSR-1", "B1", "-o", str(out)]
    )
    assert got.exit_code == 0 and out.read_bytes() == photo.read_bytes()
    text = tmp_path / "catatan.txt"
    text.write_text("bukan bukti")
    refused = runner.invoke(app, [*bawaslu, "evidence", "add", "DEMO-PSR-1", str(text), "-d", "x"])
    assert refused.exit_code == 2 and "tidak diizinkan" in refused.output
    withdrawn = runner.invoke(
        app, [*bawaslu, "evidence", "withdraw", "DEMO-PSR-1", "B1", "--reason", "Salah unggah"]
    )
    assert withdrawn.exit_code == 0, withdrawn.output
    hidden = runner.invoke(
        app, [*_base(db_url, "bkn.analis"), "evidence", "get", "DEMO-PSR-1", "B9", "-o", str(out)]
    )
    assert hidden.exit_code == 6


def test_import_template_and_the_rules_catalog(db_url: str, tmp_path: Path) -> None:
    target = tmp_path / "templat.xlsx"
    made = runner.invoke(app, ["--db", db_url, "import", "template", "--out", str(target)])
    assert made.exit_code == 0 and target.read_bytes()[:2] == b"PK"
    for topic, expected in (
        ("violations", "NET-05"),
        ("sanctions", "Pernyataan secara tertutup"),
        ("states", "clarification"),
        ("deadlines", "UU 7/2017"),
        ("elections", "2024-09-22"),
    ):
        shown = runner.invoke(app, ["--json", "rules", topic])
        assert shown.exit_code == 0 and expected in shown.output, topic
    annex = runner.invoke(app, ["--json", "rules", "violations"])
    assert '"annex_rows": "A.1, B.1"' in annex.output


def test_intake_duplicates_and_determination(demo_uow: UnitOfWork, db_url: str) -> None:
    sign_in_cli(demo_uow, db_url)
    kediri = _base(db_url, "bawaslu.kediri")
    found = runner.invoke(
        app,
        [
            *kediri,
            "--json",
            "intake",
            "duplicates",
            "198503122010021003",
            "--region",
            "35.71",
            "--incident",
            "2024-10-03",
        ],
    )
    assert found.exit_code == 0 and "DEMO-KDR-1" in found.output
    late = runner.invoke(
        app, [*kediri, "intake", "determination", "DEMO-KDR-1", "--before", "--reason", "x"]
    )
    assert late.exit_code == 3


def test_audit_verify_exits_7_naming_an_altered_evidence_file(
    demo_uow: UnitOfWork, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib

    sign_in_cli(demo_uow, db_url)
    monkeypatch.setenv("NETRA_EVIDENCE_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("NETRA_SIGNING_KEY_FILE", str(tmp_path / "kunci.pem"))
    assert runner.invoke(app, ["audit", "keygen"]).exit_code == 0
    photo = tmp_path / "spanduk.jpg"
    photo.write_bytes(jpeg_with_exif())
    bawaslu = _base(db_url, "bawaslu.pasuruan")
    runner.invoke(app, [*bawaslu, "evidence", "add", "DEMO-PSR-1", str(photo), "-d", "Foto"])
    auditor = _base(db_url, "auditor")
    bundle = tmp_path / "bundel.zip"
    exported = runner.invoke(
        app,
        [
            *auditor,
            "audit",
            "export",
            "--out",
            str(bundle),
            "--no-pdf",
            "--without-files",
            "DEMO-PSR-1",
        ],
    )
    assert exported.exit_code == 0, exported.output
    assert "evidence/index.json" in bundle.read_bytes().decode("latin-1")
    digest = hashlib.sha256(photo.read_bytes()).hexdigest()
    stored = tmp_path / "store" / "sha256" / digest[:2] / digest
    stored.chmod(0o644)
    stored.write_bytes(photo.read_bytes()[:-1])
    verified = runner.invoke(app, [*auditor, "audit", "verify"])
    assert verified.exit_code == 7
    assert "DEMO-PSR-1" in verified.output and "spanduk.jpg" in verified.output
