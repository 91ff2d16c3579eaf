"""Files the pages and the API hand out: tables as CSV or XLSX (formula prefixes neutralised by
cases/spreadsheet_safety.py through cases/bulk.py), and a Content-Disposition that is always
an attachment with a name no browser can misread."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import quote

from fastapi.responses import Response, StreamingResponse

from cases.bulk import write_csv, write_xlsx
from cases.evidence.media import ALLOWED
from cases.evidence.service import EvidenceItem
from rules.errors import NotFound

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
DOWNLOAD_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


def attachment(file_name: str) -> str:
    """`attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266/5987);
    quotes, backslashes, control characters and path separators never pass."""
    clean = "".join(c for c in file_name if unicodedata.category(c)[0] != "C")
    clean = re.sub(r'[\\/"]', "_", clean).strip() or "berkas"
    ascii_name = unicodedata.normalize("NFKD", clean).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._ -]", "_", ascii_name).strip() or "berkas"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(clean, safe='')}"


def file_response(data: bytes, media_type: str, file_name: str) -> Response:
    """Bytes as a download: never rendered inline, never sniffed into HTML."""
    headers = {**DOWNLOAD_HEADERS, "Content-Disposition": attachment(file_name)}
    return Response(data, media_type=media_type, headers=headers)


def table_response(
    fmt: str, name: str, header: list[str], rows: Iterable[list[Any]], sheet: str = "Data"
) -> Response:
    """A table as `name.csv` (UTF-8 with BOM, for Excel) or `name.xlsx`."""
    if fmt == "csv":
        out = io.StringIO()
        write_csv(out, header, rows)
        data = out.getvalue().encode("utf-8-sig")
        return file_response(data, "text/csv; charset=utf-8", f"{name}.csv")
    if fmt == "xlsx":
        book = io.BytesIO()
        write_xlsx(book, header, rows, sheet)
        return file_response(book.getvalue(), XLSX, f"{name}.xlsx")
    raise NotFound(f"Format '{fmt}' tidak tersedia (csv atau xlsx)")


def evidence_response(item: EvidenceItem, chunks: Iterator[bytes]) -> StreamingResponse:
    """An evidence file streamed as an attachment of its sniffed (allow-listed) type; the
    stream checks the recorded SHA-256 as it goes and aborts on a mismatch."""
    media_type = item.media_type if item.media_type in ALLOWED else "application/octet-stream"
    headers = {
        **DOWNLOAD_HEADERS,
        "Content-Disposition": attachment(item.file_name),
        "Content-Length": str(item.size),
    }
    return StreamingResponse(chunks, media_type=media_type, headers=headers)
