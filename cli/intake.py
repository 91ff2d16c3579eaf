"""`netra intake duplicates|link-duplicate|determination`: the likely-duplicate check, the
link to the case a report duplicates, and the override of "before/after penetapan calon"."""

from __future__ import annotations

from typing import Annotated

import typer

from cases.intake.duplicates import likely_duplicates, link_duplicate
from cases.intake.overrides import override_determination
from cli.common import OPTIONS, acting_user, clock, console, emit_json, handles_errors, open_uow
from cli.labels import label, latest_labels
from cli.render import print_case
from cli.safe_text import SafeTable as Table
from rules.indonesian_dates import day, instant

app = typer.Typer(
    help="Penerimaan: cek kemungkinan ganda, tautkan duplikat, koreksi penetapan calon.",
    no_args_is_help=True,
)


@app.command("duplicates")
@handles_errors
def duplicates(
    nip: Annotated[str, typer.Argument(help="NIP terlapor")],
    region: Annotated[str, typer.Option("--region", help="Kode wilayah, mis. 35.71")],
    incident: Annotated[str, typer.Option("--incident", help="Tanggal kejadian (YYYY-MM-DD)")],
) -> None:
    """Perkara yang kemungkinan melaporkan perbuatan yang sama (NIP, wilayah, tanggal)."""
    found = likely_duplicates(open_uow(), acting_user(), nip, region, incident)
    if OPTIONS.json:
        emit_json([item.to_dict() for item in found])
        return
    if not found:
        console.print("Tidak ada perkara yang kemungkinan ganda")
        return
    rules = latest_labels()
    table = Table(title="Kemungkinan ganda")
    table.add_column("Perkara", no_wrap=True)
    for column in ("Status", "Tanggal kejadian", "Dibuka"):
        table.add_column(column, overflow="fold")
    for item in found:
        table.add_row(
            item.case_id,
            label(rules.state_label, item.state),
            day(item.incident_on),
            instant(item.opened_at, item.region_code),
        )
    console.print(table)


@app.command("link-duplicate")
@handles_errors
def link(
    case: Annotated[str, typer.Argument(help="Perkara yang merupakan duplikat")],
    of: Annotated[str, typer.Option("--of", help="Perkara yang diduplikasi")],
    reason: Annotated[str, typer.Option("--reason", help="Alasan")],
) -> None:
    """Catat bahwa suatu perkara menduplikasi perkara lain."""
    uow = open_uow()
    print_case(link_duplicate(uow, acting_user(), case, of, reason, clock()), uow)


@app.command("determination")
@handles_errors
def determination(
    case: Annotated[str, typer.Argument(help="Id perkara")],
    after: Annotated[
        bool,
        typer.Option("--after/--before", help="Sesudah atau sebelum penetapan calon"),
    ],
    reason: Annotated[str, typer.Option("--reason", help="Alasan koreksi (wajib)")],
) -> None:
    """Koreksi penggolongan sebelum/sesudah penetapan calon, berbeda dari jadwal, dengan alasan."""
    uow = open_uow()
    print_case(override_determination(uow, acting_user(), case, after, reason, clock()), uow)
