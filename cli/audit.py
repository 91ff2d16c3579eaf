"""`netra audit ...`: verify every hash chain (and, with later tools, replay and export)."""

from __future__ import annotations

from typing import Annotated

import typer

from cases.integrity import verify_chains
from cli.common import OPTIONS, acting_user, console, emit_json, err_console, handles_errors, open_uow

app = typer.Typer(help="Audit: verifikasi rantai hash dan riwayat perkara.", no_args_is_help=True)


@app.command("verify")
@handles_errors
def verify(
    case: Annotated[list[str] | None, typer.Option(help="Hanya perkara ini (dapat diulang)")] = None,
) -> None:
    """Periksa setiap rantai hash; keluar dengan kode bukan nol bila ada yang rusak."""
    report = verify_chains(open_uow(), acting_user(), case or None)
    if OPTIONS.json:
        emit_json({"ok": report.ok, "cases": report.cases, "events": report.events,
                   "breaks": [b.__dict__ for b in report.breaks]})
    elif report.ok:
        console.print(f"[green]Utuh:[/] {report.cases} perkara, {report.events} peristiwa")
    else:
        for item in report.breaks:
            err_console.print(f"[red]RUSAK[/] {item}")
    if not report.ok:
        raise typer.Exit(7)
