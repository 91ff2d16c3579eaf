"""`netra import template`: an XLSX an officer fills in — the Indonesian headers, drop-down
lists (regions, violation rows with their titles, election type, channel, ya/tidak), the NIP
column formatted as text, and one example row on its own sheet ("Contoh")."""

from __future__ import annotations

from pathlib import Path

from cases.intake.columns import COLUMNS
from cases.intake.reading import SHEET_NAME
from rules.models import Channel, ElectionType
from rules.ruleset import RuleSet

TEMPLATE_ROWS = 2000
LISTS_SHEET = "Daftar"
EXAMPLE_SHEET = "Contoh"  # the example row lives apart, so it is never imported by mistake
EXAMPLE_NIP = "199001012015031002"


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


def write_import_template(path: Path | str, rule_set: RuleSet) -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_NAME
    sample = book.create_sheet(EXAMPLE_SHEET)
    lists = book.create_sheet(LISTS_SHEET)
    regions = [f"{code} — {name}" for code, name in sorted(rule_set.regions.regencies.items())]
    violations = [f"{v.code} — {v.title}"[:250] for v in rule_set.violations.values()]
    choices = {
        "region_code": regions,
        "violation_codes": violations,
        "election_type": [e.value for e in ElectionType],
        "channel": [c.value for c in Channel],
        "after_determination": ["ya", "tidak"],
    }
    ranges: dict[str, str] = {}
    for position, (key, values) in enumerate(choices.items(), start=1):
        letter = _letter(position)
        lists.cell(row=1, column=position, value=key)
        for offset, value in enumerate(values, start=2):
            lists.cell(row=offset, column=position, value=value)
        ranges[key] = f"{LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}"
    required = PatternFill("solid", fgColor="FFF2CC")
    example = {c.key: c.example for c in COLUMNS} | {"terlapor_nip": EXAMPLE_NIP}
    for position, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=position, value=column.header)
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = required
        hint = ("Wajib. " if column.required else "") + column.hint
        if hint.strip():
            cell.comment = Comment(hint.strip(), "Netra")
        letter = _letter(position)
        sheet.column_dimensions[letter].width = max(14, min(40, len(column.header) + 4))
        if column.key == "terlapor_nip":
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=position).number_format = "@"
        sample.cell(row=1, column=position, value=column.header).font = Font(bold=True)
        sample.cell(row=2, column=position, value=example[column.key] or None)
        sample.column_dimensions[letter].width = sheet.column_dimensions[letter].width
        if column.key in ranges:
            validation = DataValidation(
                type="list",
                formula1=f"={ranges[column.key]}",
                allow_blank=not column.required,
                showErrorMessage=column.key != "violation_codes",  # several codes may be typed
                errorTitle=column.header,
                error=f"Pilih {column.header} dari daftar",
            )
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    book.save(str(path))
