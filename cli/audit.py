"""`netra audit ...`: verify chains, checkpoints and letters; replay and diff a case over time;
seal checkpoints; export and verify an offline bundle; what-if and migrate rule-set versions."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from cases.bundle import verify_bundle
from cases.bundle_export import export_bundle
from cases.checkpoints import create_checkpoint, list_checkpoints
from cases.fields import parse_instant
from cases.integrity import verify_records
from cases.queries import replay_at
from cases.replay import diff, summary
from cases.whatif import migrate_rule_set, whatif
from cli.common import (
    OPTIONS,
    acting_user,
    clock,
    console,
    emit_json,
    err_console,
    handles_errors,
    open_uow,
)
from cli.render import print_case
from cli.safe_text import SafeTable as Table
from db.case_repository import CaseFilter

app = typer.Typer(
    help="Audit: verifikasi, replay, checkpoint, ekspor bundel, versi aturan.", no_args_is_help=True
)

WIB = ZoneInfo("Asia/Jakarta")
CaseOption = Annotated[
    list[str] | None, typer.Option("--case", help="Hanya perkara ini (dapat diulang)")
]


def _instant(value: str, name: str) -> datetime:
    """ISO instant; without an offset it is read as WIB."""
    return parse_instant(value, WIB, name)


@app.command("verify")
@handles_errors
def verify(case: CaseOption = None) -> None:
    """Periksa rantai hash, proyeksi, checkpoint dan surat; kode keluar 7 bila ada yang rusak."""
    report = verify_records(open_uow(), acting_user(), case or None)
    if OPTIONS.json:
        emit_json(report.to_dict())
    elif report.ok:
        console.print(
            f"[green]Utuh:[/] {report.cases} perkara, {report.events} peristiwa, "
            f"{report.checkpoints} checkpoint, {report.letters} surat"
        )
    else:
        for item in report.findings:
            err_console.print(f"[red]RUSAK[/] {item}", highlight=False)
    if not report.ok:
        raise typer.Exit(7)


@app.command("replay")
@handles_errors
def replay(
    case_id: str,
    at: Annotated[str, typer.Option("--at", help="Waktu (ISO; tanpa zona = WIB)")],
) -> None:
    """Keadaan perkara pada waktu tertentu, dibangun ulang hanya dari peristiwa."""
    case = replay_at(open_uow(), acting_user(), case_id, _instant(at, "--at"))
    if OPTIONS.json:
        emit_json({"summary": summary(case), "case": case.to_dict()})
        return
    console.print(f"Keadaan pada {at} (versi {case.version}):")
    print_case(case)


@app.command("diff")
@handles_errors
def diff_(
    case_id: str,
    from_: Annotated[str, typer.Option("--from", help="Waktu awal (ISO)")],
    to: Annotated[str, typer.Option("--to", help="Waktu akhir (ISO)")],
) -> None:
    """Apa yang berubah pada perkara di antara dua waktu (per kolom)."""
    result = diff(
        open_uow(), acting_user(), case_id, _instant(from_, "--from"), _instant(to, "--to")
    )
    if OPTIONS.json:
        emit_json(result.to_dict())
        return
    console.print(f"{case_id}: versi {result.before.version} → {result.after.version}")
    table = Table(title="Perubahan")
    for column in ("Kolom", "Sebelum", "Sesudah"):
        table.add_column(column, overflow="fold")
    for change in result.changes:
        table.add_row(change.path, str(change.before), str(change.after))
    console.print(table)
    for event in result.events:
        console.print(
            f"  seq {event.seq} {event.occurred_at:%Y-%m-%d %H:%M} "
            f"{event.event_type} ({event.actor.user_id})",
            highlight=False,
        )


@app.command("checkpoint")
@handles_errors
def checkpoint() -> None:
    """Buat checkpoint: akar Merkle atas ujung rantai semua perkara (harian)."""
    created = create_checkpoint(open_uow(), acting_user(), clock())
    if OPTIONS.json:
        emit_json(created.to_dict())
    else:
        typer.echo(created.printable())


@app.command("checkpoints")
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
    for column in ("#", "Dibuat (UTC)", "Perkara", "Peristiwa", "Akar", "Hash"):
        table.add_column(column, overflow="fold")
    for item in items:
        table.add_row(
            str(item.id),
            item.created_at.strftime("%Y-%m-%d %H:%M"),
            str(item.case_count),
            str(item.event_count),
            item.root_hash[:16],
            item.hash[:16],
        )
    console.print(table)


@app.command("export")
@handles_errors
def export(
    out: Annotated[Path, typer.Option("--out", help="Berkas bundel .zip")],
    case_ids: Annotated[
        list[str] | None, typer.Argument(help="Nomor perkara (kosong: pakai filter)")
    ] = None,
    state: Annotated[str | None, typer.Option(help="Filter status")] = None,
    region: Annotated[str | None, typer.Option(help="Filter kode wilayah")] = None,
    open_: Annotated[
        bool | None, typer.Option("--open/--closed", help="Hanya yang berjalan/selesai")
    ] = None,
    no_pdf: Annotated[bool, typer.Option("--no-pdf", help="Tanpa PDF surat")] = False,
) -> None:
    """Ekspor bundel audit mandiri (peristiwa, surat, aturan, checkpoint)."""
    flt = CaseFilter(state=state, region_code=region, is_open=open_)
    data = export_bundle(
        open_uow(),
        acting_user(),
        clock(),
        case_ids or None,
        None if case_ids else flt,
        with_pdf=not no_pdf,
    )
    out.write_bytes(data)
    report = verify_bundle(data)
    if OPTIONS.json:
        emit_json({"out": str(out), "bytes": len(data), **report.to_dict()})
        return
    console.print(
        f"Bundel ditulis: {out} ({len(data)} bita): {report.cases} perkara, "
        f"{report.events} peristiwa, {report.letters} surat, "
        f"{report.checkpoints} checkpoint"
    )
    typer.echo(f"sha256 manifest: {report.manifest_sha256}")
    err_console.print("[yellow]Perhatian:[/] bundel memuat identitas pelapor (rahasia).")


@app.command("verify-bundle")
def verify_bundle_(bundle: Annotated[Path, typer.Argument(help="Berkas bundel .zip")]) -> None:
    """Verifikasi bundel tanpa basis data; kode keluar 7 bila ada yang rusak."""
    report = verify_bundle(bundle.read_bytes())
    if OPTIONS.json:
        emit_json(report.to_dict())
    elif report.ok:
        console.print(
            f"[green]Bundel utuh:[/] {report.cases} perkara, {report.events} "
            f"peristiwa, {report.letters} surat, {report.checkpoints} checkpoint, "
            f"{report.proofs} bukti inklusi"
        )
        typer.echo(f"sha256 manifest: {report.manifest_sha256}")
    else:
        for problem in report.problems:
            err_console.print(f"[red]RUSAK[/] {problem}", highlight=False)
    if not report.ok:
        raise typer.Exit(7)


@app.command("whatif")
@handles_errors
def whatif_(
    case_id: str,
    rules: Annotated[str, typer.Option("--rules", help="Versi aturan pembanding, mis. 2025.1")],
) -> None:
    """Putar ulang langkah perkara di bawah versi aturan lain; tampilkan perbedaannya."""
    report = whatif(open_uow(), acting_user(), case_id, rules)
    if OPTIONS.json:
        emit_json(report.to_dict())
        return
    table = Table(title=f"{case_id}: aturan {report.recorded_rule_set} vs {report.alternative}")
    for column in (
        "Seq",
        "Langkah",
        "Boleh",
        "Status",
        "Tenggat (tercatat)",
        "Tenggat (alt.)",
        "Keterangan",
    ):
        table.add_column(column, overflow="fold")
    for step in report.steps:
        style = "red" if step.differs else ""
        status = (
            step.recorded_state
            if step.recorded_state == step.alternative_state
            else f"{step.recorded_state} / {step.alternative_state}"
        )
        late = ""
        if bool(step.recorded_late) != bool(step.alternative_late):
            late = f"terlambat: {step.recorded_late} → {step.alternative_late}"
        table.add_row(
            str(step.seq),
            step.action,
            "ya" if step.allowed else "TIDAK",
            status,
            step.recorded_due_on or "-",
            step.alternative_due_on or "-",
            step.reason or late,
            style=style,
        )
    console.print(table)
    console.print(f"{len(report.differences)} langkah berbeda")


@app.command("migrate")
@handles_errors
def migrate(
    case_id: str,
    rules: Annotated[str, typer.Option("--rules", help="Versi aturan tujuan")],
    reason: Annotated[str, typer.Option("--reason", help="Alasan migrasi (dicatat)")],
) -> None:
    """Pindahkan perkara ke versi aturan lain (dicatat sebagai peristiwa; tenggat dihitung ulang)."""
    case = migrate_rule_set(open_uow(), acting_user(), case_id, rules, reason, clock())
    print_case(case)
