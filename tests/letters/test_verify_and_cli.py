"""`letter verify` catches a changed letter row or template; the CLI maps results to exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from cases.letters import get_letter, verify_letter
from cli.main import app
from db.schema import LetterRow
from db.unit_of_work import UnitOfWork
from letters.render import PACKAGE_TEMPLATES, TEMPLATES_ENV, content_hash
from rules.errors import PermissionDenied

DECREE = "DEMO-SKB-1-L32-KPS"  # keputusan_sanksi_disiplin_berat
NOTICE = "DEMO-PSR-1-L5-PST"  # to the reporter
runner = CliRunner()


def _tamper(uow: UnitOfWork, letter_id: str, **values: object) -> None:
    with uow:
        uow.session.execute(update(LetterRow).where(LetterRow.id == letter_id).values(**values))
        uow.commit()


def test_genuine_letters_verify_and_a_changed_template_is_caught(
    demo_uow: UnitOfWork, tmp_path: Path
) -> None:
    assert verify_letter(demo_uow, "auditor", DECREE).ok
    copy = tmp_path / "templates"
    shutil.copytree(PACKAGE_TEMPLATES, copy)
    assert verify_letter(demo_uow, "auditor", DECREE, copy).ok
    decree = copy / "keputusan_sanksi_disiplin_berat.html.j2"
    decree.write_text(
        decree.read_text().replace("hukuman disiplin berat", "hukuman disiplin ringan"),
        encoding="utf-8",
    )
    problems = verify_letter(demo_uow, "auditor", DECREE, copy).problems
    assert any("hash templat berbeda" in p for p in problems)
    assert any("HTML hasil pembuatan ulang berbeda" in p for p in problems)
    # the shared print CSS is part of every letter's template hash
    assert verify_letter(demo_uow, "auditor", NOTICE, copy).ok
    css = copy / "_print.css.j2"
    css.write_text(css.read_text().replace("12pt", "11pt"), encoding="utf-8")
    problems = verify_letter(demo_uow, "auditor", NOTICE, copy).problems
    assert any("hash templat berbeda" in p for p in problems)


def test_tampered_letter_rows_are_caught(demo_uow: UnitOfWork) -> None:
    # 1. the HTML changed
    html = get_letter(demo_uow, "auditor", DECREE).html
    _tamper(demo_uow, DECREE, html=html.replace("Dedi Kurniawan", "Dedi Kurniawati"))
    problems = verify_letter(demo_uow, "auditor", DECREE).problems
    assert any("HTML tersimpan tidak cocok dengan hash isi surat" in p for p in problems)
    assert any("HTML hasil pembuatan ulang berbeda" in p for p in problems)
    # 2. the HTML changed and its hash recomputed: the chained event still tells
    summons = "DEMO-SKB-1-L24-SPG"
    html = get_letter(demo_uow, "auditor", summons).html.replace("PANGGILAN II", "PANGGILAN I")
    _tamper(demo_uow, summons, html=html, content_hash=content_hash(html))
    problems = verify_letter(demo_uow, "auditor", summons).problems
    assert any("hash isi surat tersimpan" in p and "peristiwa" in p for p in problems)
    assert any("HTML hasil pembuatan ulang berbeda" in p for p in problems)
    # 3. the stored context changed (the signatory)
    record = "DEMO-SKB-1-L28-BAP"
    context = dict(get_letter(demo_uow, "auditor", record).context)
    context["signatory"] = {**context["signatory"], "name": "Orang Lain"}
    _tamper(demo_uow, record, context=context)
    problems = verify_letter(demo_uow, "auditor", record).problems
    assert any("hash konteks" in p for p in problems)
    assert any("konteks hasil replay berbeda" in p for p in problems)
    # the others are untouched
    assert verify_letter(demo_uow, "auditor", "DEMO-SKB-1-L20-SPG").ok


def test_letters_to_the_reporter_are_for_bawaslu_only(demo_uow: UnitOfWork) -> None:
    assert "Yono Saputra" in get_letter(demo_uow, "bawaslu.pasuruan", NOTICE).html
    with pytest.raises(PermissionDenied):
        get_letter(demo_uow, "auditor", NOTICE)
    assert verify_letter(demo_uow, "auditor", NOTICE).ok  # proof without disclosure


# --- command line -------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'netra.db'}"
    result = runner.invoke(app, ["--db", url, "demo"])
    assert result.exit_code == 0, result.output
    return url


def netra(db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", db, *args])
    return result.exit_code, result.output


def test_cli_letter_commands_and_exit_codes(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = netra(db, "--as", "auditor", "--json", "letter", "list", "DEMO-SKB-1")
    assert code == 0, out
    assert [x["kind"] for x in json.loads(out)][-1] == "keputusan_sanksi"
    pdf = tmp_path / "sk.pdf"
    code, out = netra(db, "--as", "auditor", "letter", "render", DECREE, "--pdf", str(pdf))
    assert code == 0, out
    assert pdf.read_bytes().startswith(b"%PDF")
    code, out = netra(db, "--as", "auditor", "letter", "verify", DECREE)
    assert code == 0 and "Asli" in out
    code, _ = netra(db, "--as", "auditor", "letter", "verify", "NO-SUCH-LETTER")
    assert code == 6
    code, out = netra(db, "--as", "bkpsdm.pasuruan", "letter", "render", NOTICE)
    assert code == 5, out
    # a template changed after issue: the letter is re-rendered with the stored templates it
    # was issued with (a note says the installed ones changed) ...
    copy = tmp_path / "templates"
    shutil.copytree(PACKAGE_TEMPLATES, copy)
    layout = copy / "_layout.html.j2"
    layout.write_text(layout.read_text().replace("Netra", "Netra 2"), encoding="utf-8")
    monkeypatch.setenv(TEMPLATES_ENV, str(copy))
    code, out = netra(db, "--as", "auditor", "letter", "verify", DECREE)
    assert code == 0 and "Asli" in out, out
    assert "templat terpasang telah berubah" in " ".join(out.split())
    # ... and verified against a named folder, verify exits 7 and says what differs
    code, out = netra(db, "--as", "auditor", "letter", "verify", DECREE, "--templates", str(copy))
    assert code == 7, out
    assert "hash templat berbeda" in " ".join(out.split())


def test_cli_previews_signs_ralats_and_revokes(db: str, tmp_path: Path) -> None:
    code, out = netra(
        db,
        "--as",
        "bkpsdm.kediri",
        "--now",
        "2024-10-21T09:00",
        "--json",
        "letter",
        "preview",
        "DEMO-KDR-1",
        "summon",
        "--set",
        "examination_at=2024-11-04T09:00",
        "--set",
        "examination_place=Ruang rapat BKPSDM",
        "--set",
        "examiner_name=Nur Aini Kediri",
        "--set",
        "examiner_nip=198303142008012003",
        "--set",
        "examination_team=Nur Aini Kediri, Yusuf Hamdani",
        "--out",
        str(tmp_path / "draft"),
    )
    assert code == 0, out
    [draft] = json.loads(out)
    assert Path(draft).read_bytes().startswith(b"%PDF-")
    code, out = netra(db, "--as", "auditor", "--json", "letter", "list", "DEMO-KDR-1")
    assert "surat_panggilan" not in out  # the preview stored nothing
    code, out = netra(
        db,
        "--as",
        "bawaslu.kediri",
        "--now",
        "2024-10-20T09:00",
        "letter",
        "revoke",
        "DEMO-KDR-1-L11-PNR",
        "--reason",
        " ",
    )
    assert code == 2, out
    code, out = netra(
        db,
        "--as",
        "bawaslu.kediri",
        "--now",
        "2024-10-20T09:00",
        "--json",
        "letter",
        "ralat",
        "DEMO-KDR-1-L11-PNR",
        "--reason",
        "Salah tulis",
    )
    assert code == 0, out
    assert json.loads(out)["supersedes"] == "DEMO-KDR-1-L11-PNR"
    code, out = netra(
        db,
        "--as",
        "auditor",
        "letter",
        "render",
        "DEMO-KDR-1-L11-PNR",
        "--pdf",
        str(tmp_path / "x.pdf"),
        "--sign",
    )
    assert code == 2  # no signer configured
