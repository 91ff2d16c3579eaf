"""`netra flows status`: the scheduled flows' last run, result and next run, with warnings."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cli.common import OPTIONS, console, emit_json, handles_errors
from cli.labels import DELIVERY_CHANNELS, DELIVERY_STATUSES, FLOW_RESULTS, word
from db.settings import get_settings
from rules.indonesian_dates import instant

app = typer.Typer(help="Flow terjadwal Prefect: status dan peringatan.", no_args_is_help=True)


def _when(value: datetime | None) -> str:
    """An instant in WIB, the Indonesian way (the flows are national, not one region's)."""
    return instant(value)


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
                escape(word(FLOW_RESULTS, s.last_result)),
                _when(s.last_success_at),
                _when(s.next_run_at),
            )
        console.print(table)
        for s in statuses:
            if s.warning:
                console.print(f"[bold red]Peringatan[/] {s.name}: {escape(s.warning)}")
    if any(s.warning for s in statuses):
        raise typer.Exit(10)


@app.command("deliver")
@handles_errors
def deliver() -> None:
    """Kirim notifikasi di kotak keluar sekarang (surel, apprise), seperti flow terjadwalnya.

    Hanya akun layanan (token `system`) atau administrator."""
    from cases import notice_delivery as notices
    from cases.identity.service_account import require_sweeper
    from cli.common import acting_user, clock, open_uow
    from workflows.notice_transports import close_all, transports_from_settings

    require_sweeper(open_uow(), acting_user())
    transports = transports_from_settings()
    if not transports:
        console.print("Tidak ada kanal: tetapkan NETRA_SMTP_HOST atau NETRA_APPRISE_URLS.")
        raise typer.Exit(2)
    try:
        report = notices.deliver(open_uow(), transports, clock())
    finally:
        close_all(transports)
    if OPTIONS.json:
        emit_json(report.to_dict())
        return
    console.print(
        f"{report.planned} direncanakan, {len(report.sent)} terkirim, "
        f"{len(report.retrying)} akan diulang, {len(report.failed)} gagal"
    )


@app.command("notices")
@handles_errors
def notices_list(
    failed: Annotated[bool, typer.Option("--failed", help="Hanya yang gagal permanen")] = False,
) -> None:
    """Pengiriman notifikasi: alamat, percobaan, status, galat terakhir (admin, auditor)."""
    from cases import notice_delivery as notices
    from cli.common import acting_user, open_uow

    uow, officer = open_uow(), acting_user()
    items = notices.failed_deliveries(uow, officer) if failed else notices.deliveries(uow, officer)
    if OPTIONS.json:
        emit_json([item.__dict__ for item in items])
        return
    table = Table(title="Pengiriman notifikasi")
    for column in ("Kode pesan", "Kanal", "Alamat", "Status", "Percobaan", "Galat terakhir"):
        table.add_column(column, overflow="fold")
    for item in items:
        table.add_row(
            escape(item.message_id),
            escape(word(DELIVERY_CHANNELS, item.channel)),
            escape(item.address),
            escape(word(DELIVERY_STATUSES, item.status)),
            str(item.attempts),
            escape(item.last_error or "-"),
        )
    console.print(table)
