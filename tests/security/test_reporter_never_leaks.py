"""The reporter's identity appears in no output of any command for BKN, PPK/BKPSDM, the
auditor and the service account — looked for in every variant the trust review found
(as written, upper case, HTML-escaped, phone digits)."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cases.bootstrap import unit_of_work
from cases.demo import load_demo_with_logins
from cli.main import app
from tests.conftest import sign_in_cli

runner = CliRunner()
# DEMO-PBL-1 (Kabupaten Probolinggo) is a laporan that went all the way to the PPK.
REPORTER = ("Siti Maemunah", "Desa Sumberlele, Kraksaan", "081298765432")
READERS = ("bkn.analis", "bkpsdm.probolinggo", "auditor", "system")


def _variants() -> list[str]:
    found: list[str] = []
    for value in REPORTER:
        found += [value.casefold(), html.escape(value).casefold()]
    found.append("0812-9876-5432")
    return found


def _commands(tmp: Path) -> list[list[str]]:
    return [
        ["case", "show", "DEMO-PBL-1"],
        ["--json", "case", "show", "DEMO-PBL-1"],
        ["case", "list"],
        ["--json", "case", "list"],
        ["--json", "case", "timeline", "DEMO-PBL-1"],
        ["case", "timeline", "DEMO-PBL-1"],
        ["--json", "case", "steps", "DEMO-PBL-1"],
        ["letter", "list", "DEMO-PBL-1"],
        ["export", "cases", "--format", "csv"],
        ["--json", "audit", "replay", "DEMO-PBL-1", "--at", "2024-12-01T00:00"],
    ]


@pytest.mark.parametrize("reader", READERS)
def test_no_command_shows_the_reporter_to_a_non_bawaslu_role(
    db_url: str, tmp_path: Path, reader: str
) -> None:
    load_demo_with_logins(unit_of_work(db_url))
    sign_in_cli(unit_of_work(db_url), db_url, "admin")
    outputs = []
    for command in _commands(tmp_path):
        result = runner.invoke(app, ["--db", db_url, "--as", reader, *command])
        outputs.append((command, result.exit_code, result.output.casefold()))
    assert any(code == 0 for _, code, _ in outputs)
    for command, _code, output in outputs:
        for variant in _variants():
            assert variant not in output, (reader, command)


def test_bawaslu_still_sees_its_reporter(db_url: str) -> None:
    load_demo_with_logins(unit_of_work(db_url))
    sign_in_cli(unit_of_work(db_url), db_url, "admin")
    result = runner.invoke(
        app, ["--db", db_url, "--as", "bawaslu.probolinggo", "case", "show", "DEMO-PBL-1"]
    )
    assert result.exit_code == 0 and "Siti Maemunah" in result.output
