"""Bulk intake from Bawaslu's CSV forms (all-or-nothing or per row) and case-list exports."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from cases.bulk import export_rows, write_csv, write_xlsx
from cases.intake.importing import OnDuplicate, import_report
from cases.intake.reading import read_report_file
from db.case_repository import CaseFilter
from db.unit_of_work import UnitOfWork
from tests.cases.helpers import database_dump
from tests.conftest import sign_in_cli, wib

NOW = wib("2024-11-20T10:00")
HEADER = (
    "case_id,channel,election_type,region_code,received_at,known_at,incident_at,"
    "incident_place,summary,violation_codes,after_determination,terlapor_nip,"
    "terlapor_name,terlapor_position,terlapor_unit,terlapor_agency,reporter_name,"
    "reporter_address"
)
GOOD = (
    "{id},laporan,pilkada,35.71,2024-11-18T09:00,2024-11-15T08:00,2024-11-14T19:00,"
    'Kelurahan Bandar,"Unggahan dukungan, di grup pemenangan",NET-05,ya,199001012015031002,'
    'Budi Santoso,Staf,Kecamatan Kota,Pemerintah Kota Kediri,Warga,"Jalan Dhoho 1, Kediri"'
)
TEMUAN = (
    "{id},temuan,pilkada,35.71,2024-11-19T09:00,2024-11-19T08:00,2024-11-18T19:00,"
    "Balai Kota,Hadir di deklarasi,NET-09;NET-05,tidak,199001012015031002,Agus,Lurah,"
    "Kelurahan,Pemerintah Kota Kediri,,"
)


def _file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "laporan.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_the_earlier_english_headers_still_import_and_bad_rows_write_nothing(
    demo_uow: UnitOfWork, tmp_path: Path
) -> None:
    before = database_dump(demo_uow.engine)
    bad = _file(
        tmp_path,
        GOOD.format(id="B-1"),
        GOOD.format(id="B-2").replace("NET-05", "NET-99"),  # line 3: unknown violation code
        TEMUAN.format(id="B-3"),  # line 4: says "before penetapan" against the schedule
        GOOD.format(id="B-4").replace("199001012015031002", "12345"),  # line 5: bad NIP
        GOOD.format(id="B-1"),  # line 6: duplicate id
        GOOD.format(id="B-7").replace(",Warga,", ",,"),  # line 7: laporan without reporter
    )
    ticks: list[int] = []
    report = import_report(
        demo_uow,
        "bawaslu.kediri",
        read_report_file(bad),
        NOW,
        OnDuplicate.OPEN,
        progress=ticks.append,
    )
    assert sorted({e.row for e in report.errors}) == [3, 4, 5, 6, 7]
    assert not report.written and report.opened == [] and report.rows == 6
    assert sum(ticks) == 6
    assert database_dump(demo_uow.engine) == before


def test_a_clean_file_opens_every_case_in_one_transaction(
    demo_uow: UnitOfWork, tmp_path: Path
) -> None:
    path = _file(tmp_path, *(GOOD.format(id=f"C-{i}") for i in range(20)))
    report = import_report(
        demo_uow, "bawaslu.kediri", read_report_file(path), NOW, OnDuplicate.OPEN
    )
    assert report.errors == [] and len(report.opened) == 20
    with demo_uow:
        case = demo_uow.cases.get("C-7")
        assert case.state == "received" and case.deadline is not None
        assert case.bawaslu_office == "BAWASLU-3571"


def test_export_filters_and_shows_the_reporter_only_to_bawaslu(
    demo_uow: UnitOfWork, tmp_path: Path
) -> None:
    header, rows = export_rows(demo_uow, "auditor", CaseFilter(is_open=True))
    out = io.StringIO()
    assert write_csv(out, header, rows) == 3
    lines = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert {line["case_id"] for line in lines} == {"DEMO-PSR-1", "DEMO-KDR-1", "DEMO-SKB-1"}
    assert "reporter_name" not in lines[0]
    header, rows = export_rows(demo_uow, "bawaslu.pasuruan", CaseFilter(state="clarification"))
    path = tmp_path / "perkara.xlsx"
    assert write_xlsx(str(path), header, rows) == 1
    sheet = load_workbook(path, read_only=True)["Perkara"]
    values = list(sheet.values)
    record = dict(zip(values[0], values[1], strict=True))
    assert record["case_id"] == "DEMO-PSR-1" and record["reporter_name"] == "Yono Saputra"
    header, rows = export_rows(demo_uow, "auditor", CaseFilter(overdue_at=wib("2025-06-01T00:00")))
    assert {r[0] for r in rows} == {"DEMO-PSR-1", "DEMO-KDR-1", "DEMO-SKB-1"}


def test_cli_import_reports_line_numbers_and_exit_code(
    demo_uow: UnitOfWork, db_url: str, tmp_path: Path
) -> None:
    from cli.main import app

    path = tmp_path / "laporan.csv"
    path.write_text(
        "\n".join(
            [HEADER, GOOD.format(id="K-1"), GOOD.format(id="K-2").replace("NET-05", "NET-99")]
        )
        + "\n"
    )
    runner = CliRunner()
    sign_in_cli(demo_uow, db_url)
    base = ["--db", db_url, "--as", "bawaslu.kediri", "--now", "2024-11-20T10:00"]
    result = runner.invoke(app, [*base, "import", str(path), "--on-duplicate", "open"])
    assert result.exit_code == 2 and "baris 3, kolom 'Kode Pelanggaran'" in result.output
    result = runner.invoke(app, [*base, "import", str(path), "--per-row", "--on-duplicate", "open"])
    assert result.exit_code == 2 and "1 perkara dibuka" in result.output
    assert "baris 2: K-1" in result.output
    lines = (tmp_path / "laporan.csv.hasil.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[1:] == [
        "2;dibuka;K-1;",
        "3;salah;;baris 3, kolom 'Kode Pelanggaran': kode 'NET-99' tidak ada dalam katalog SKB 2022",
    ]
    result = runner.invoke(app, [*base, "export", "cases", "--format", "csv", "--region", "35.71"])
    assert result.exit_code == 0 and "K-1" in result.output and "DEMO-KDR-1" in result.output
