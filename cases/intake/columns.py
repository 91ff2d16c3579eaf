"""The columns of a report file, by their Indonesian headers (as in the XLSX template); the
English field names of earlier CSV forms are accepted as aliases."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column: the field it fills, its header, whether it is required, and a hint."""

    key: str
    header: str
    required: bool
    hint: str
    example: str


COLUMNS: tuple[Column, ...] = (
    Column("case_id", "Nomor Perkara", False, "kosongkan: dibuat otomatis", ""),
    Column("channel", "Jalur", True, "laporan atau temuan", "laporan"),
    Column("election_type", "Jenis Pemilihan", True, "pemilu atau pilkada", "pilkada"),
    Column("region_code", "Kode Wilayah", True, "kode Kemendagri NN.NN", "35.71 — Kota Kediri"),
    Column(
        "received_at",
        "Waktu Diterima",
        True,
        "tanggal dan jam setempat, mis. 18/11/2024 09:00",
        "18/11/2024 09:00",
    ),
    Column("known_at", "Waktu Diketahui", True, "tanggal dan jam setempat", "15/11/2024 08:00"),
    Column("incident_at", "Waktu Kejadian", True, "tanggal dan jam setempat", "14/11/2024 19:00"),
    Column("incident_place", "Tempat Kejadian", True, "", "Kelurahan Bandar"),
    Column(
        "summary",
        "Uraian Kejadian",
        True,
        "",
        "Terlapor membagikan unggahan pasangan calon di grup pemenangan",
    ),
    Column(
        "violation_codes",
        "Kode Pelanggaran",
        True,
        "NET-NN; beberapa kode dipisah titik koma",
        "NET-05",
    ),
    Column("terlapor_nip", "NIP Terlapor", True, "18 digit, diketik sebagai teks", ""),
    Column("terlapor_name", "Nama Terlapor", True, "", "Budi Santoso"),
    Column("terlapor_position", "Jabatan Terlapor", False, "", "Staf"),
    Column("terlapor_unit", "Unit Kerja Terlapor", False, "", "Kecamatan Kota"),
    Column("terlapor_agency", "Instansi Terlapor", False, "", "Pemerintah Kota Kediri"),
    Column("terlapor_rank", "Pangkat/Golongan Terlapor", False, "", "Penata Muda (III/a)"),
    Column("reporter_name", "Nama Pelapor", False, "wajib untuk laporan", "Warga Pelapor"),
    Column("reporter_address", "Alamat Pelapor", False, "", "Jalan Dhoho 1, Kediri"),
    Column("reporter_phone", "Telepon Pelapor", False, "", "0811000000"),
    Column("reporter_email", "Email Pelapor", False, "", ""),
    Column(
        "after_determination",
        "Sesudah Penetapan Calon",
        False,
        "kosongkan: dihitung dari jadwal pemilihan; isi ya/tidak hanya untuk koreksi",
        "",
    ),
    Column(
        "determination_reason",
        "Alasan Koreksi Penetapan",
        False,
        "wajib bila koreksi berbeda dari jadwal",
        "",
    ),
)
BY_KEY = {column.key: column for column in COLUMNS}


def _normal(text: str) -> str:
    return re.sub(r"[\s_]+", " ", text.replace("\ufeff", "")).strip().casefold()


_BY_HEADER = {_normal(c.header): c for c in COLUMNS} | {_normal(c.key): c for c in COLUMNS}


def column_for(header: str) -> Column | None:
    """The column a header names (Indonesian header or English field name, any case)."""
    return _BY_HEADER.get(_normal(header))


def header_of(key: str) -> str:
    return BY_KEY[key].header if key in BY_KEY else key
