"""`netra import`: files as officers make them, each with its expected outcome and nothing
half-written."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cases.intake.importing import OnDuplicate, import_report, write_result_csv
from cases.intake.reading import read_report_file
from cases.intake.template import write_import_template
from cases.queries import get_case, timeline
from db.unit_of_work import UnitOfWork
from rules.errors import InvalidInput, PermissionDenied
from rules.ruleset import load_rule_set
from tests.cases.helpers import database_dump
from tests.conftest import wib
from tests.intake.report_files import excel_csv, row

NOW = wib("2024-11-20T10:00")
KEDIRI = "bawaslu.kediri"


def test_an_excel_csv_with_semicolons_and_bom_opens_every_case(
    demo_uow: UnitOfWork, tmp_path: Path
) -> None:
    path = excel_csv(
        tmp_path / "laporan.csv",
        row(),
        row(
            nip="198701012010011001", name="Sri Wahyuni", channel="temuan", reporter="", address=""
        ),
    )
    report = read_report_file(path)
    assert (report.kind, report.delimiter, report.encoding) == ("csv", ";", "utf-8")
    result = import_report(demo_uow, KEDIRI, report, NOW)
    assert result.written and not result.errors and len(result.opened) == 2
    first = get_case(demo_uow, KEDIRI, result.opened[0])
    assert first.reporter is not None and first.reporter["address"] == "Jalan Dhoho 1; Kediri"
    assert first.incident_at == "2024-11-14T12:00:00Z"  # 19:00 WIB
    assert first.after_determination  # derived: Pilkada 2024 candidates determined 22 Sep
    out = io.StringIO()
    write_result_csv(result, out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Baris;Hasil;Nomor Perkara;Keterangan"
    assert lines[1] == f"2;dibuka;{result.opened[0]};"


def test_an_xlsx_made_from_the_template_imports(demo_uow: UnitOfWork, tmp_path: Path) -> None:
    template = tmp_path / "templat.xlsx"
    write_import_template(template, load_rule_set("2024.1"))
    book = load_workbook(template)
    sheet = book["Laporan"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["Nomor Perkara", "Jalur", "Jenis Pemilihan"]
    validations = {
        str(v.sqref).split(":")[0][:-1]: v.formula1 for v in sheet.data_validations.dataValidation
    }
    assert any("Daftar" in f for f in validations.values()) and len(validations) == 5
    listed = [c.value for c in book["Daftar"]["B"]][1:]
    assert any(str(v).startswith("NET-05 — ") for v in listed)
    example = [c.value for c in book["Contoh"][2]]
    assert "NET-05" in example
    values = {
        "Jalur": "temuan",
        "Jenis Pemilihan": "pilkada",
        "Kode Wilayah": "35.71 — Kota Kediri",
        "Waktu Diterima": wib("2024-11-18T09:00").replace(tzinfo=None),
        "Waktu Diketahui": wib("2024-11-15T08:00").replace(tzinfo=None),
        "Waktu Kejadian": wib("2024-11-14T19:00").replace(tzinfo=None),
        "Tempat Kejadian": "Balai Kota",
        "Uraian Kejadian": "Hadir di deklarasi",
        "Kode Pelanggaran": "NET-09 — Menghadiri deklarasi",
        "NIP Terlapor": "199001012015031002",
        "Nama Terlapor": "Agus",
    }
    for position, header in enumerate(headers, start=1):
        if header in values:
            sheet.cell(row=2, column=position, value=values[header])
    book.save(template)
    result = import_report(demo_uow, KEDIRI, read_report_file(template), NOW)
    assert not result.errors, result.errors
    case = get_case(demo_uow, KEDIRI, result.opened[0])
    assert case.violation_codes == ["NET-09"] and case.terlapor["nip"] == "199001012015031002"


def test_a_nip_typed_as_a_number_in_xlsx_is_an_error(demo_uow: UnitOfWork, tmp_path: Path) -> None:
    template = tmp_path / "templat.xlsx"
    write_import_template(template, load_rule_set("2024.1"))
    book = load_workbook(template)
    sheet = book["Laporan"]
    for position, value in enumerate(
        [
            "",
            "temuan",
            "pilkada",
            "35.71",
            "2024-11-18 09:00",
            "2024-11-15 08:00",
            "2024-11-14 19:00",
            "Balai",
            "Hadir",
            "NET-09",
            199001012015031002,
            "Agus",
        ],
        start=1,
    ):
        sheet.cell(row=2, column=position, value=value or None)
    book.save(template)
    result = import_report(demo_uow, KEDIRI, read_report_file(template), NOW)
    assert "15 digit" in result.errors[0].message and not result.written


def test_a_latin1_file_is_refused_naming_the_encoding_or_read_with_encoding(
    demo_uow: UnitOfWork, tmp_path: Path
) -> None:
    path = excel_csv(
        tmp_path / "lama.csv", row(name="Désiré Ñoman", region="35.71"), encoding="latin-1"
    )
    with pytest.raises(InvalidInput, match=r"tidak berpengodean UTF-8 \(terdeteksi: ") as caught:
        read_report_file(path)
    assert "--encoding" in caught.value.message
    result = import_report(demo_uow, KEDIRI, read_report_file(path, "latin-1"), NOW)
    assert get_case(demo_uow, KEDIRI, result.opened[0]).terlapor["name"] == "Désiré Ñoman"


def test_a_missing_column_is_named_in_indonesian_and_nothing_is_read(tmp_path: Path) -> None:
    path = tmp_path / "kurang.csv"
    path.write_text("Jalur;Jenis Pemilihan;Kode Wilayah\nlaporan;pilkada;35.71\n")
    with pytest.raises(InvalidInput, match="Kolom wajib tidak ada: Waktu Diterima"):
        read_report_file(path)
    path.write_text("Jalur;Kolom Aneh\n")
    with pytest.raises(InvalidInput, match="Kolom tidak dikenal: Kolom Aneh"):
        read_report_file(path)


def test_a_row_with_an_extra_field_is_an_error_and_nothing_is_written(
    demo_uow: UnitOfWork, tmp_path: Path
) -> None:
    before = database_dump(demo_uow.engine)
    path = excel_csv(
        tmp_path / "lebih.csv",
        row(),
        row(nip="198701012010011001", address="Jalan Dhoho 1; Kediri"),  # unquoted ';'
    )
    result = import_report(demo_uow, KEDIRI, read_report_file(path), NOW)
    assert {e.row for e in result.errors} == {3}
    assert str(result.errors[0]).startswith("baris 3: 18 isian padahal judul 17 kolom")
    assert not result.written and result.opened == []
    assert database_dump(demo_uow.engine) == before


def test_every_fault_is_named_by_row_and_indonesian_column(
    demo_uow: UnitOfWork, tmp_path: Path
) -> None:
    path = excel_csv(
        tmp_path / "salah.csv",
        row(nip="12345", incident="kemarin sore", codes="NET-99"),
        row(channel="laporan", reporter=""),
    )
    result = import_report(demo_uow, KEDIRI, read_report_file(path), NOW)
    found = {(e.row, e.column) for e in result.errors}
    assert {
        (2, "NIP Terlapor"),
        (2, "Waktu Kejadian"),
        (2, "Kode Pelanggaran"),
        (3, "Nama Pelapor"),
    } <= found
    assert "baris 2, kolom 'NIP Terlapor'" in next(str(e) for e in result.errors) or any(
        str(e).startswith("baris 2, kolom 'NIP Terlapor'") for e in result.errors
    )


def test_per_row_mode_writes_the_good_rows(demo_uow: UnitOfWork, tmp_path: Path) -> None:
    path = excel_csv(tmp_path / "campur.csv", row(nip="12345"), row())
    result = import_report(demo_uow, KEDIRI, read_report_file(path), NOW, per_row=True)
    assert result.written and len(result.opened) == 1 and [e.row for e in result.errors] == [2]


def test_the_same_file_twice_opens_nothing_the_second_time(
    demo_uow: UnitOfWork, tmp_path: Path
) -> None:
    path = excel_csv(tmp_path / "laporan.csv", row(), row(nip="198701012010011001"))
    first = import_report(demo_uow, KEDIRI, read_report_file(path), NOW)
    before = database_dump(demo_uow.engine)
    again = import_report(demo_uow, KEDIRI, read_report_file(path), NOW)
    assert again.opened == [] and not again.errors and not again.written
    assert [(o.outcome, o.case_id) for o in again.outcomes] == [
        ("imported_before", case_id) for case_id in first.opened
    ]
    assert database_dump(demo_uow.engine) == before


def test_a_likely_duplicate_needs_the_officers_choice(demo_uow: UnitOfWork, tmp_path: Path) -> None:
    # DEMO-KDR-1: NIP 198503122010021003, Kota Kediri, incident 2 October 2024.
    dup = row(nip="198503122010021003", incident="03/10/2024 10:00", codes="NET-09")
    path = excel_csv(tmp_path / "ganda.csv", dup, row(), row(incident="14/11/2024 21:00"))
    before = database_dump(demo_uow.engine)
    asked = import_report(demo_uow, KEDIRI, read_report_file(path), NOW)
    assert [(e.row, e.column) for e in asked.errors] == [(2, "NIP Terlapor"), (4, "NIP Terlapor")]
    assert "DEMO-KDR-1" in asked.errors[0].message and "--on-duplicate" in asked.errors[0].message
    assert database_dump(demo_uow.engine) == before

    skipped = import_report(demo_uow, KEDIRI, read_report_file(path), NOW, OnDuplicate.SKIP)
    assert [o.outcome for o in skipped.outcomes] == ["skipped", "opened", "skipped"]


@pytest.mark.parametrize(("choice", "links"), [(OnDuplicate.FLAG, 1), (OnDuplicate.OPEN, 0)])
def test_flag_opens_a_duplicate_linked_to_the_case_it_may_duplicate(
    demo_uow: UnitOfWork, tmp_path: Path, choice: OnDuplicate, links: int
) -> None:
    dup = row(nip="198503122010021003", incident="03/10/2024 10:00", codes="NET-09")
    path = excel_csv(tmp_path / "ganda.csv", dup)
    result = import_report(demo_uow, KEDIRI, read_report_file(path), NOW, choice)
    linked = [
        e.payload["duplicate_of"]
        for e in timeline(demo_uow, KEDIRI, result.opened[0])
        if e.event_type == "duplicate_linked"
    ]
    assert linked == ["DEMO-KDR-1"] * links


def test_a_statement_against_the_schedule_needs_a_reason_and_is_recorded(
    demo_uow: UnitOfWork, tmp_path: Path
) -> None:
    path = excel_csv(tmp_path / "koreksi.csv", row(after="tidak"))
    refused = import_report(demo_uow, KEDIRI, read_report_file(path), NOW)
    assert refused.errors[0].column == "Sesudah Penetapan Calon"
    assert "2024-09-22" in refused.errors[0].message
    reason = "Perbuatan terkait bakal calon perseorangan yang belum ditetapkan"
    path = excel_csv(tmp_path / "koreksi2.csv", row(after="tidak", reason=reason))
    result = import_report(demo_uow, KEDIRI, read_report_file(path), NOW)
    case = get_case(demo_uow, KEDIRI, result.opened[0])
    assert case.after_determination is False
    override = [
        e
        for e in timeline(demo_uow, KEDIRI, case.case_id)
        if e.event_type == "determination_overridden"
    ]
    assert override[0].payload["reason"] == reason and override[0].payload["previous"] is True


def test_only_bawaslu_imports(demo_uow: UnitOfWork, tmp_path: Path) -> None:
    path = excel_csv(tmp_path / "laporan.csv", row())
    with pytest.raises(PermissionDenied):
        import_report(demo_uow, "bkn.analis", read_report_file(path), NOW)
