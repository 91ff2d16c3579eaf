"""Letter numbers: an institution's `letter_number_format` filled with a register serial.

Placeholders: `serial`, `classification`, `month`, `month_roman`, `year`, with ordinary
format specs (`{serial:03d}`, `{month:02d}`). Examples: `{serial:03d}/{classification}/K.JI-30/
{month:02d}/{year}` (Bawaslu), `B-{serial}/{classification}/{month:02d}/{year}` (BKN),
`{classification}/{serial}/BKPSDM/{year}` (a BKPSDM). The serial itself comes from the
gap-free register in `db/letter_register.py`.
"""

from __future__ import annotations

from datetime import date
from string import Formatter

from letters.formatting import romawi
from rules.errors import InvalidInput

PLACEHOLDERS = frozenset({"serial", "classification", "month", "month_roman", "year"})


def check_number_format(template: str) -> None:
    """Refuse a format without `{serial}` or with an unknown placeholder or attribute access."""
    try:
        fields = [name for _, name, _, _ in Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise InvalidInput(f"Format nomor surat '{template}' tidak valid: {exc}") from None
    unknown = [name for name in fields if name not in PLACEHOLDERS]
    if unknown:
        allowed = ", ".join(sorted(PLACEHOLDERS))
        raise InvalidInput(
            f"Format nomor surat '{template}' memakai {unknown}; yang dikenal: {allowed}"
        )
    if "serial" not in fields:
        raise InvalidInput(f"Format nomor surat '{template}' harus memuat {{serial}}")


def format_letter_number(template: str, serial: int, classification: str, issued_on: date) -> str:
    """`{serial:03d}/{classification}/{year}` + 7, `PP.01.02`, 2024-11-18 → `007/PP.01.02/2024`."""
    check_number_format(template)
    try:
        return template.format(
            serial=serial,
            classification=classification,
            month=issued_on.month,
            month_roman=romawi(issued_on.month),
            year=issued_on.year,
        )
    except (ValueError, TypeError) as exc:
        raise InvalidInput(f"Format nomor surat '{template}' tidak dapat diisi: {exc}") from None
