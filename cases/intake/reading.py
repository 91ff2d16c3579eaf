"""Read a report file as officers make it: CSV saved by Indonesian Excel (`;`) or by anything
else (`,`), UTF-8 with or without BOM, or XLSX (the template). Other encodings are refused
with the encoding found, unless the officer names it (`--encoding`).

Everything the officer must fix is reported by the Indonesian column name and the row
number they see in their spreadsheet; a row with more fields than headers is an error,
never silently cut.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from cases.intake.columns import COLUMNS, Column, column_for
from rules.errors import InvalidInput

XLSX_MAGIC = b"PK\x03\x04"
UTF8_BOM = b"\xef\xbb\xbf"
SHEET_NAME = "Laporan"
MAX_REPORT_BYTES = 50 * 1024 * 1024  # a report file is read whole (it is hashed as the key)


@dataclass
class SourceRow:
    """One data row: its number as the officer sees it, its values by field, and a problem
    found while reading it (too many fields)."""

    number: int
    values: dict[str, str]
    problems: list[str] = field(default_factory=list)


@dataclass
class ReportFile:
    """A report file read and its rows, identified by the SHA-256 of its bytes."""

    name: str
    sha256: str
    kind: str  # csv | xlsx
    encoding: str | None = None
    delimiter: str | None = None
    columns: list[Column] = field(default_factory=list)
    rows: list[SourceRow] = field(default_factory=list)


def read_report_file(path: Path | str, encoding: str | None = None) -> ReportFile:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_REPORT_BYTES:
            raise InvalidInput(
                f"Berkas laporan {size:,} bita melebihi batas {MAX_REPORT_BYTES:,} bita; "
                "bagi menjadi beberapa berkas".replace(",", ".")
            )
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"Berkas {path} tidak dapat dibaca: {error.strerror}") from None
    return read_report_bytes(data, path.name, encoding)


def read_report_bytes(data: bytes, name: str, encoding: str | None = None) -> ReportFile:
    """A report file from its bytes; the kind is judged from the content, not the name."""
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise InvalidInput("Berkas kosong")
    if data.startswith(XLSX_MAGIC):
        return _read_xlsx(data, name, digest)
    text, used = decode(data, encoding)
    return _read_csv(text, name, digest, used)


def decode(data: bytes, encoding: str | None) -> tuple[str, str]:
    """The text and the encoding used: UTF-8 (BOM or not), or the one named explicitly."""
    if encoding:
        try:
            return data.decode(encoding).removeprefix("\ufeff"), encoding
        except LookupError:
            raise InvalidInput(f"Pengodean '{encoding}' tidak dikenal") from None
        except UnicodeDecodeError as error:
            raise InvalidInput(
                f"Berkas tidak dapat dibaca sebagai {encoding} (bita ke-{error.start + 1})"
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        found = "UTF-16"
    else:
        try:
            return data.removeprefix(UTF8_BOM).decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            found = _detected(data)
    raise InvalidInput(
        f"Berkas tidak berpengodean UTF-8 (terdeteksi: {found}). Simpan ulang dari Excel sebagai "
        f"'CSV UTF-8', atau ulangi dengan --encoding {_suggest(found)}"
    )


def _detected(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    return best.encoding if best is not None else "tidak dikenali"


def _suggest(found: str) -> str:
    lowered = found.lower().replace("_", "-")
    if lowered.startswith("utf-16"):
        return "utf-16"
    if lowered in ("tidak dikenali",):
        return "cp1252"
    return lowered


def _header_columns(headers: list[str]) -> list[Column]:
    columns: list[Column] = []
    unknown: list[str] = []
    for header in headers:
        column = column_for(header)
        if column is None:
            if header.strip():
                unknown.append(header.strip())
            else:
                unknown.append("(judul kosong)")
            continue
        if column in columns:
            raise InvalidInput(f"Kolom '{column.header}' muncul dua kali pada baris judul")
        columns.append(column)
    if unknown:
        raise InvalidInput(
            f"Kolom tidak dikenal: {', '.join(unknown)}. Gunakan judul kolom templat "
            "(netra import template)"
        )
    missing = [c.header for c in COLUMNS if c.required and c not in columns]
    if missing:
        raise InvalidInput(f"Kolom wajib tidak ada: {', '.join(missing)}")
    return columns


def _delimiter(text: str) -> str:
    """`;` or `,`: the one whose split of the header line names more known columns."""
    first = text.splitlines()[0] if text else ""

    def known(delimiter: str) -> int:
        cells = next(csv.reader([first], delimiter=delimiter), [])
        return sum(column_for(cell) is not None for cell in cells)

    return ";" if known(";") > known(",") else ","


def _read_csv(text: str, name: str, digest: str, encoding: str) -> ReportFile:
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        raise InvalidInput("Berkas tidak memiliki baris judul") from None
    raw_width = len(headers)
    while headers and not headers[-1].strip():
        headers.pop()  # a sheet with empty columns after the last header writes separators
    report = ReportFile(name, digest, "csv", encoding, delimiter, _header_columns(headers))
    width = len(report.columns)
    line = reader.line_num
    try:
        for cells in reader:
            number, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) <= raw_width and not any(c.strip() for c in cells[width:]):
                cells = cells[:width]
            problems = []
            if len(cells) > width:
                problems.append(
                    f"{len(cells)} isian padahal judul {width} kolom: ada pemisah "
                    f"'{delimiter}' berlebih (bungkus teks yang memuatnya dengan tanda kutip)"
                )
            values = {c.key: (v or "").strip() for c, v in zip(report.columns, cells, strict=False)}
            report.rows.append(SourceRow(number, values, problems))
    except csv.Error as error:
        raise InvalidInput(f"baris {reader.line_num}: CSV rusak ({error})") from None
    return report


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value).strip()


def _read_xlsx(data: bytes, name: str, digest: str) -> ReportFile:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign ZIP
        raise InvalidInput(f"Berkas XLSX tidak dapat dibaca: {error}") from None
    try:
        sheet = book[SHEET_NAME] if SHEET_NAME in book.sheetnames else book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        headers = [_cell_text(v) for v in next(rows, ())]
        while headers and not headers[-1]:
            headers.pop()
        report = ReportFile(name, digest, "xlsx", columns=_header_columns(headers))
        width = len(report.columns)
        for number, raw in enumerate(rows, start=2):
            cells = [_cell_text(v) for v in raw]
            if not any(cells):
                continue
            problems = []
            extra = [c for c in cells[width:] if c]
            if extra:
                problems.append(f"ada isian di luar {width} kolom judul: {', '.join(extra)[:60]}")
            values = dict(zip((c.key for c in report.columns), cells, strict=False))
            position = _index(report.columns, "terlapor_nip")
            nip_cell = raw[position] if len(raw) > position else None
            if isinstance(nip_cell, float | int) and not isinstance(nip_cell, bool):
                problems.append(
                    "NIP Terlapor: diketik sebagai angka (Excel hanya menyimpan 15 digit); "
                    "format kolom sebagai Teks lalu ketik ulang NIP"
                )
            report.rows.append(SourceRow(number, values, problems))
    finally:
        book.close()
    return report


def _index(columns: list[Column], key: str) -> int:
    for position, column in enumerate(columns):
        if column.key == key:
            return position
    return 0


_CODE = re.compile(r"NET-\d{2}", re.IGNORECASE)
_REGION = re.compile(r"^\s*(\d{2}\.\d{2})\b")


def violation_codes_in(text: str) -> list[str]:
    """`NET-05; NET-09`, `NET-05 — judul`, `net-05,NET-09` -> codes (upper case)."""
    return [code.upper() for code in _CODE.findall(text)]


def region_code_in(text: str) -> str:
    """`35.71 — Kota Kediri` or `35.71` -> `35.71` (else the text as given)."""
    found = _REGION.match(text)
    return found.group(1) if found else text.strip()
