"""Report files as officers make them: Excel's `;` CSV with BOM, XLSX from the template,
Latin-1 from an old spreadsheet."""

from __future__ import annotations

from pathlib import Path

HEADERS = (
    "Jalur;Jenis Pemilihan;Kode Wilayah;Waktu Diterima;Waktu Diketahui;Waktu Kejadian;"
    "Tempat Kejadian;Uraian Kejadian;Kode Pelanggaran;NIP Terlapor;Nama Terlapor;"
    "Jabatan Terlapor;Instansi Terlapor;Nama Pelapor;Alamat Pelapor;Sesudah Penetapan Calon;"
    "Alasan Koreksi Penetapan"
)


def row(
    nip: str = "199001012015031002",
    incident: str = "14/11/2024 19:00",
    name: str = "Budi Santoso",
    address: str = '"Jalan Dhoho 1; Kediri"',
    after: str = "",
    reason: str = "",
    codes: str = "NET-05",
    channel: str = "laporan",
    reporter: str = "Warga Pelapor",
    region: str = "35.71 — Kota Kediri",
) -> str:
    return (
        f"{channel};pilkada;{region};18/11/2024 09:00;15/11/2024 08:00;{incident};"
        f"Kelurahan Bandar;Unggahan dukungan pasangan calon;{codes};{nip};{name};Staf;"
        f"Pemerintah Kota Kediri;{reporter};{address};{after};{reason}"
    )


def excel_csv(path: Path, *rows: str, encoding: str = "utf-8-sig") -> Path:
    """What Excel in an Indonesian locale saves as 'CSV UTF-8': `;`, BOM, CRLF."""
    path.write_bytes(("\r\n".join([HEADERS, *rows]) + "\r\n").encode(encoding))
    return path


def nip(n: int) -> str:
    """A valid NIP, distinct per n (birth 1990-01-01 .. , appointed 2015-03)."""
    return f"19900101201503{1 + n % 2}{n:03d}"[:18]
