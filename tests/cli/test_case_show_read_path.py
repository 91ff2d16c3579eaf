"""`netra case show` reads through the read-only unit of work (no ORM; on a SQLite file the
sqlite3 driver itself): the same case, the same redaction, the same refusals and exit codes
as the full unit of work, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from cases import queries
from cases.access import acting, subject_of
from cases.demo import load_demo
from cases.identity.tokens import create_token, revoke_token
from cases.policy import Action, allowed
from cli.main import app
from db.engine import make_engine
from db.sqlite_rows import sqlite_reads
from db.unit_of_work import UnitOfWork
from rules.errors import PermissionDenied

CASES = ("DEMO-PSR-1", "DEMO-KDR-1", "DEMO-PBL-1", "DEMO-SKB-1", "DEMO-BKS-1")


@dataclass
class Demo:
    url: str
    uow: UnitOfWork
    tokens: dict[str, str]  # officer id -> token text


@pytest.fixture
def demo(db_url: str) -> Demo:
    engine = make_engine(db_url)
    uow = UnitOfWork(engine)
    load_demo(uow)
    with uow:
        officers = [o.id for o in uow.registry.officers() if o.active]
    tokens = {o: create_token(uow, "admin", "show test", 1, for_officer=o)[1] for o in officers}
    if db_url.startswith("sqlite"):
        assert sqlite_reads(db_url) is not None  # the driver path is the one under test
    return Demo(db_url, uow, tokens)


def show(demo: Demo, token: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        app, ["--db", demo.url, *args], env={"NETRA_TOKEN": token, "COLUMNS": "200"}
    )
    return result.exit_code, result.output


def may_read(uow: UnitOfWork, officer_id: str, case_id: str) -> bool:
    """The policy's answer, asked through the full unit of work."""
    with uow:
        actor, _ = acting(uow, officer_id)
        return allowed(subject_of(uow, actor), Action.READ, uow.cases.get(case_id))


def test_every_officer_sees_every_case_as_the_full_unit_of_work_shows_it(demo: Demo) -> None:
    for officer, token in demo.tokens.items():
        for case_id in CASES:
            code, out = show(demo, token, "--json", "case", "show", case_id)
            if not may_read(demo.uow, officer, case_id):
                with pytest.raises(PermissionDenied) as refused:
                    queries.get_case(demo.uow, officer, case_id)
                assert code == 5, (officer, case_id, out)
                assert refused.value.message in " ".join(out.split())
                assert "[tidak berwenang]" in out
                continue
            expected = queries.get_case(demo.uow, officer, case_id).to_dict()
            assert code == 0, (officer, case_id, out)
            assert json.loads(out) == json.loads(json.dumps(expected, default=str))


def test_the_summary_shows_the_rule_labels_and_hides_the_reporter_outside_bawaslu(
    demo: Demo,
) -> None:
    code, out = show(demo, demo.tokens["bawaslu.probolinggo"], "case", "show", "DEMO-PBL-1")
    assert code == 0, out
    assert "DEMO-PBL-1  Selesai" in out
    assert "Wilayah: Kabupaten Probolinggo (Pilkada, Laporan)" in out
    assert "Pelapor: Siti Maemunah" in out
    assert "Rekomendasi BKN: Sanksi moral → PPK Pemerintah Kabupaten Probolinggo" in out
    assert "Sanksi: Pernyataan secara terbuka" in out
    code, out = show(demo, demo.tokens["bkn.analis"], "case", "show", "DEMO-PBL-1")
    assert code == 0, out
    assert "Pelapor: [dirahasiakan]" in out and "Siti Maemunah" not in out
    code, out = show(demo, demo.tokens["bawaslu.kediri"], "case", "show", "DEMO-KDR-1")
    assert code == 0, out
    assert "Harus bertindak: " in out and "paling lambat" in out


def test_refusals_keep_their_messages_and_exit_codes(demo: Demo) -> None:
    admin = demo.tokens["admin"]
    code, out = show(demo, admin, "case", "show", "NO-SUCH-CASE")
    assert code == 6 and "Perkara 'NO-SUCH-CASE' tidak ditemukan" in out
    code, out = show(demo, "ntr_forged_secret", "case", "show", "DEMO-PBL-1")
    assert code == 5 and "Token tidak sah" in out
    code, out = show(demo, "garbage", "case", "show", "DEMO-PBL-1")
    assert code == 5 and "Token tidak sah" in out
    officer = demo.tokens["bawaslu.probolinggo"]
    code, out = show(demo, officer, "--as", "admin", "case", "show", "DEMO-PBL-1")
    assert code == 5 and "Hanya administrator" in out
    code, out = show(demo, admin, "--as", "bawaslu.kediri", "case", "show", "DEMO-PBL-1")
    assert code == 5 and "[tidak berwenang]" in out
    code, out = show(demo, admin, "--as", "bawaslu.kediri", "case", "show", "DEMO-KDR-1")
    assert code == 0 and "DEMO-KDR-1" in out
    token_id = officer.split("_")[1]
    revoke_token(demo.uow, "admin", token_id)
    code, out = show(demo, officer, "case", "show", "DEMO-PBL-1")
    assert code == 5 and "Token tidak sah" in out


def test_a_token_used_to_read_records_its_last_use(demo: Demo) -> None:
    token = demo.tokens["auditor"]
    token_id = token.split("_")[1]
    code, _ = show(demo, token, "case", "show", "DEMO-SKB-1")
    assert code == 0
    with demo.uow:
        stored = demo.uow.identity.token(token_id)
    assert stored is not None and stored.last_used_at is not None


def test_a_broken_database_is_a_named_failure_without_sql(demo: Demo) -> None:
    token = demo.tokens["admin"]
    with demo.uow.engine.begin() as connection:
        connection.execute(text("ALTER TABLE cases RENAME TO cases_gone"))
    code, out = show(demo, token, "case", "show", "DEMO-PBL-1")
    assert code == 9, out
    assert "[galat basis data: " in out and "SELECT" not in out
    with demo.uow.engine.begin() as connection:
        connection.execute(text("ALTER TABLE cases_gone RENAME TO cases"))
