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
from cli.labels import (
    NOTICE_KINDS,
    institution_name,
    institution_names,
    label,
    latest_labels,
    word,
)
from cli.render import print_case
from cli.safe_text import SafeTable as Table
from cli.safe_text import shown
from db.settings import get_settings
from rules.indonesian_dates import day as day_text
from rules.indonesian_dates import instant as instant_text

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
        f"Penyisiran {instant_text(at)}: {len(result['reminded'])} pengingat, "
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
    uow = open_uow()
    print_case(
        deadlines.extend_deadline(uow, acting_user(), case_id, new_due, reason, clock()), uow
    )


@app.command("stop")
@handles_errors
def stop(
    case_id: str,
    reason: Annotated[str, typer.Option("--reason", help="Alasan penghentian sementara")],
) -> None:
    """Hentikan sementara tenggat (hanya bila aturan mengizinkan)."""
    uow = open_uow()
    print_case(deadlines.stop_clock(uow, acting_user(), case_id, reason, clock()), uow)


@app.command("resume")
@handles_errors
def resume(case_id: str) -> None:
    """Lanjutkan tenggat yang dihentikan sementara."""
    uow = open_uow()
    print_case(deadlines.resume_clock(uow, acting_user(), case_id, clock()), uow)


@app.command("recompute")
@handles_errors
def recompute(
    case_id: str,
    reason: Annotated[str, typer.Option("--reason", help="Alasan perhitungan ulang")],
) -> None:
    """Hitung ulang tenggat berjalan pada kalender terkini (tercatat sebagai peristiwa)."""
    uow = open_uow()
    print_case(deadlines.recompute_deadline(uow, acting_user(), case_id, reason, clock()), uow)


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
    rules = latest_labels()
    name = institution_name(uow, result.institution)
    table = Table(title=f"Tenggat {name} (sampai {day_text(result.horizon_on)})")
    table.add_column("Perkara", no_wrap=True)
    for column in ("Status", "Tindakan", "Tenggat", "Keterangan"):
        table.add_column(column, overflow="fold")
    for remark, items in (("TERLAMBAT", result.late), ("jatuh tempo", result.due)):
        for item in items:
            table.add_row(
                item.case_id,
                label(rules.state_label, item.state),
                item.action,
                day_text(item.due_on),
                remark,
            )
    console.print(table)


@app.command("outbox")
@handles_errors
def outbox(case_id: Annotated[str | None, typer.Option("--case")] = None) -> None:
    """Notifikasi yang dicatat penyisiran (kotak keluar)."""
    uow = open_uow()
    items = notices.notifications(uow, acting_user(), case_id)
    if OPTIONS.json:
        emit_json([item.__dict__ for item in items])
        return
    names = institution_names(uow) if items else {}
    rules = latest_labels()
    for item in items:
        to = item.recipient_institution
        recipient = names.get(to, to) if to else label(rules.role_label, item.recipient_role)
        kind = "Ringkasan tenggat" if item.kind.startswith("ringkasan:") else item.kind
        console.print(
            f"[bold]{shown(item.case_id)}[/] (peristiwa {item.case_seq}) "
            f"{shown(word(NOTICE_KINDS, kind))} → {shown(recipient)}: {shown(item.message)}"
        )
