"""`netra audit checkpoint|checkpoints`: seal a Merkle checkpoint over every case's chain
head and list the chained checkpoints (as a table or as the text to publish)."""

from __future__ import annotations

from typing import Annotated

import typer

from cases.checkpoints import create_checkpoint, list_checkpoints
from cli.common import OPTIONS, acting_user, clock, console, emit_json, handles_errors, open_uow
from cli.safe_text import SafeTable as Table
from rules.indonesian_dates import instant


@handles_errors
def checkpoint() -> None:
    """Buat checkpoint: akar Merkle atas ujung rantai semua perkara (harian)."""
    created = create_checkpoint(open_uow(), acting_user(), clock())
    if OPTIONS.json:
        emit_json(created.to_dict())
    else:
        typer.echo(created.printable())


@handles_errors
def checkpoints(
    printable: Annotated[
        bool, typer.Option("--print", help="Teks lengkap untuk diumumkan/ditandatangani")
    ] = False,
) -> None:
    """Daftar checkpoint (berantai)."""
    items = list_checkpoints(open_uow(), acting_user())
    if OPTIONS.json:
        emit_json([c.to_dict() for c in items])
        return
    if printable:
        for item in items:
            typer.echo(item.printable())
        return
    table = Table(title="Checkpoint")
    for column in ("No.", "Dibuat", "Perkara", "Peristiwa", "Akar", "Hash"):
        table.add_column(column, overflow="fold")
    for item in items:
        table.add_row(
            str(item.id),
            instant(item.created_at),
            str(item.case_count),
            str(item.event_count),
            item.root_hash[:16],
            item.hash[:16],
        )
    console.print(table)
