"""`netra flows status`: the scheduled flows' last run, result and next run, with warnings."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cli.common import OPTIONS, console, emit_json, handles_errors
from db.settings import get_settings

app = typer.Typer(help="Flow terjadwal Prefect: status dan peringatan.", no_args_is_help=True)


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z") if value else "-"


@app.command("status")
@handles_errors
def status(
    api_url: Annotated[
        str | None,
        typer.Option(
            "--api-url",
            help="API Prefect (bawaan: PREFECT_API_URL, atau server lokal `netra serve`)",
        ),
    ] = None,
) -> None:
    """Run terakhir, hasilnya dan run berikutnya tiap deployment; peringatan bila terlambat."""
    from workflows.prefect_server import local_api_url
    from workflows.status import flows_status

    url = api_url or os.environ.get("PREFECT_API_URL") or local_api_url(get_settings())
    statuses = flows_status(url)
    if OPTIONS.json:
        emit_json([s.to_dict() for s in statuses])
    else:
        table = Table(title=f"Flow Netra di {escape(url)}")
        for column in ("Deployment", "Run terakhir", "Hasil", "Berhasil terakhir", "Berikutnya"):
            table.add_column(column)
        for s in statuses:
            table.add_row(
                s.name,
                _when(s.last_run_at) if s.registered else "belum terdaftar",
                s.last_result or "-",
                _when(s.last_success_at),
                _when(s.next_run_at),
            )
        console.print(table)
        for s in statuses:
            if s.warning:
                console.print(f"[bold red]Peringatan[/] {s.name}: {escape(s.warning)}")
    if any(s.warning for s in statuses):
        raise typer.Exit(10)
