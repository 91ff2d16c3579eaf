"""`netra deadlines ...`: the sweep, extensions, clock stop/resume, recompute and digests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from cases import deadlines
from cases import digest as digesting
from cases import notifications as notices
from cases import sweep as sweeping
from cli.common import (
    OPTIONS,
    acting_user,
    clock,
    console,
    database_url,
    emit_json,
    fail,
    handles_errors,
    open_uow,
)
from cli.render import print_case
from cli.safe_text import SafeTable as Table
from cli.safe_text import shown
from db.settings import get_settings

app = typer.Typer(
    help="Tenggat: penyisiran, perpanjangan, penghentian sementara, ringkasan.",
    no_args_is_help=True,
)

NowOption = Annotated[
    str | None,
    typer.Option("--now", help="Waktu penyisiran (ISO, waktu setempat bila tanpa zona)"),
]


def instant(text: str | None) -> datetime:
    """`--now` of this command, else the global `--now`, else the clock."""
    if text is None:
        return clock()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        fail(f"--now '{text}' bukan waktu ISO", 2)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(get_settings().timezone))
    from cases.identity.clock import require_fixed_clock_allowed

    require_fixed_clock_allowed(open_uow())
    return parsed


def day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{option} '{text}' bukan tanggal YYYY-MM-DD", 2)


@app.command("sweep")
@handles_errors
def sweep(
    now: NowOption = None,
    batch: Annotated[int, typer.Option(help="Perkara per transaksi")] = sweeping.DEFAULT_BATCH,
    flow: Annotated[
        bool,
        typer.Option(
            "--flow/--direct",
            help="Jalankan sebagai flow Prefect (tercatat di server Prefect) atau langsung",
        ),
    ] = False,
) -> None:
    """Catat pengingat, keterlambatan dan eskalasi yang jatuh tempo (idempoten).

    Hanya akun layanan penyisiran (token `system`) atau administrator."""
    from cases.identity.service_account import require_sweeper

    require_sweeper(open_uow(), acting_user())
    at = instant(now)
    if flow:
        from workflows.flows import deadline_sweep

        result = deadline_sweep(database_url(), at, batch)
    else:
        result = sweeping.sweep(open_uow(), at, batch).to_dict()
    if OPTIONS.json:
        emit_json({"now": at.isoformat(), **result})
        return
    console.print(
        f"Penyisiran {at.isoformat()}: {len(result['reminded'])} pengingat, "
        f"{len(result['missed'])} terlambat, {len(result['escalated'])} eskalasi, "
        f"{len(result['stepped'])} langkah otomatis, {len(result['failed'])} gagal"
    )
    for case_id, message in result["failed"].items():
        console.print(f"[red]Gagal[/] {shown(case_id)}: {shown(message)}")


@app.command("extend")
@handles_errors
def extend(
    case_id: str,
    until: Annotated[str, typer.Option("--until", help="Tenggat baru YYYY-MM-DD")],
    reason: Annotated[str, typer.Option("--reason", help="Alasan perpanjangan")],
) -> None:
    """Perpanjang tenggat berjalan (hanya dalam batas yang diizinkan hukum)."""
    new_due = day(until, "--until")
    print_case(
        deadlines.extend_deadline(open_uow(), acting_user(), case_id, new_due, reason, clock())
    )


@app.command("stop")
@handles_errors
def stop(
    case_id: str,
    reason: Annotated[str, typer.Option("--reason", help="Alasan penghentian sementara")],
) -> None:
    """Hentikan sementara tenggat (hanya bila aturan mengizinkan)."""
    print_case(deadlines.stop_clock(open_uow(), acting_user(), case_id, reason, clock()))


@app.command("resume")
@handles_errors
def resume(case_id: str) -> None:
    """Lanjutkan tenggat yang dihentikan sementara."""
    print_case(deadlines.resume_clock(open_uow(), acting_user(), case_id, clock()))


@app.command("recompute")
@handles_errors
def recompute(
    case_id: str,
    reason: Annotated[str, typer.Option("--reason", help="Alasan perhitungan ulang")],
) -> None:
    """Hitung ulang tenggat berjalan pada kalender terkini (tercatat sebagai peristiwa)."""
    print_case(deadlines.recompute_deadline(open_uow(), acting_user(), case_id, reason, clock()))


@app.command("digest")
@handles_errors
def digest(
    institution: str,
    now: NowOption = None,
    notify: Annotated[bool, typer.Option(help="Masukkan ke kotak keluar (sekali sehari)")] = False,
) -> None:
    """Ringkasan tenggat satu instansi: yang jatuh tempo dan yang terlambat."""
    uow = open_uow()
    result = digesting.officer_digest(uow, acting_user(), institution, instant(now))
    notified = digesting.notify_digest(uow, result) if notify else False
    if OPTIONS.json:
        emit_json({**result.to_dict(), "notified": notified})
        return
    table = Table(title=f"Tenggat {result.institution} (sampai {result.horizon_on})")
    for column in ("Perkara", "Status", "Tindakan", "Tenggat", "Keterangan"):
        table.add_column(column)
    for label, items in (("TERLAMBAT", result.late), ("jatuh tempo", result.due)):
        for item in items:
            table.add_row(item.case_id, item.state, item.action, item.due_on, label)
    console.print(table)


@app.command("outbox")
@handles_errors
def outbox(case_id: Annotated[str | None, typer.Option("--case")] = None) -> None:
    """Notifikasi yang dicatat penyisiran (kotak keluar)."""
    items = notices.notifications(open_uow(), acting_user(), case_id)
    if OPTIONS.json:
        emit_json([item.__dict__ for item in items])
        return
    for item in items:
        console.print(
            f"[bold]{item.case_id}[/]#{item.case_seq} {item.kind} → "
            f"{item.recipient_institution or item.recipient_role}: {item.message}"
        )
