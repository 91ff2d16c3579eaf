"""`netra audit export|exports|verify-bundle`: write a signed offline audit bundle, list
who exported which bundle, and verify a bundle without the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cases.bundle import AUDITOR_EDITION, FULL_EDITION
from cases.bundle_archive import DEFAULT_LIMITS
from cases.bundle_export import export_bundle, export_log
from cases.bundle_verify import verify_bundle
from cases.signing import load_public_key
from cli.audit_inputs import ForceOption, KeyOption, read_limited
from cli.audit_keys import auditor_signer
from cli.common import (
    OPTIONS,
    acting_user,
    clock,
    console,
    emit_json,
    err_console,
    fail,
    handles_errors,
    open_uow,
)
from cli.labels import BUNDLE_EDITIONS, latest_labels, role_short, word
from cli.output_files import write_file
from cli.safe_text import SafeTable as Table
from cli.safe_text import shown
from db.case_repository import CaseFilter
from db.settings import get_settings
from rules.errors import InvalidInput
from rules.indonesian_dates import instant


@handles_errors
def export(
    out: Annotated[Path, typer.Option("--out", help="Berkas bundel .zip (mode 600)")],
    case_ids: Annotated[
        list[str] | None, typer.Argument(help="Nomor perkara (kosong: pakai filter)")
    ] = None,
    state: Annotated[str | None, typer.Option(help="Filter status")] = None,
    region: Annotated[str | None, typer.Option(help="Filter kode wilayah")] = None,
    open_: Annotated[
        bool | None, typer.Option("--open/--closed", help="Hanya yang berjalan/selesai")
    ] = None,
    no_pdf: Annotated[bool, typer.Option("--no-pdf", help="Tanpa PDF surat")] = False,
    full: Annotated[
        bool,
        typer.Option(
            "--full", help="Bundel lengkap dengan identitas pelapor (Bawaslu/admin; dicatat)"
        ),
    ] = False,
    force: ForceOption = False,
    without_files: Annotated[
        bool, typer.Option("--without-files", help="Berkas bukti hanya dengan hash-nya")
    ] = False,
) -> None:
    """Ekspor bundel audit bertanda tangan (peristiwa, surat, aturan, checkpoint)."""
    flt = CaseFilter(state=state, region_code=region, is_open=open_)
    signer = auditor_signer()
    secret = get_settings().reporter_hash_secret
    data = export_bundle(
        open_uow(),
        acting_user(),
        clock(),
        case_ids or None,
        None if case_ids else flt,
        with_pdf=not no_pdf,
        edition=FULL_EDITION if full else AUDITOR_EDITION,
        signer=signer,
        reporter_secret=secret.encode() if secret else None,
        with_evidence_files=not without_files,
    )
    write_file(out, data, force)
    report = verify_bundle(data, signer.public)
    if OPTIONS.json:
        emit_json({"out": str(out), "bytes": len(data), **report.to_dict()})
        return
    console.print(
        f"Bundel (edisi {word(BUNDLE_EDITIONS, report.edition)}) ditulis: {out} ({len(data)} bita): {report.cases} perkara, "
        f"{report.events} peristiwa, {report.letters} surat, "
        f"{report.checkpoints} checkpoint",
        highlight=False,
    )
    typer.echo(f"sha256 manifest: {report.manifest_sha256}")
    typer.echo(f"ditandatangani: {signer.fingerprint}")
    if full:
        err_console.print("[yellow]Perhatian:[/] bundel memuat identitas pelapor (rahasia).")


@handles_errors
def exports() -> None:
    """Catatan ekspor bundel: siapa, edisi apa, perkara mana, kapan."""
    items = export_log(open_uow(), acting_user())
    if OPTIONS.json:
        emit_json(
            [{**item.__dict__, "exported_at": item.exported_at.isoformat()} for item in items]
        )
        return
    roles = latest_labels()
    table = Table(title="Ekspor bundel audit")
    for column in ("No.", "Waktu", "Petugas", "Edisi", "Perkara", "sha256 manifest"):
        table.add_column(column, overflow="fold")
    for item in items:
        table.add_row(
            str(item.id),
            instant(item.exported_at),
            f"{item.officer_id} ({role_short(roles, item.officer_role)})",
            word(BUNDLE_EDITIONS, item.edition),
            ", ".join(item.case_ids),
            item.manifest_sha256[:16],
        )
    console.print(table)


@handles_errors
def verify_bundle_(
    bundle: Annotated[Path, typer.Argument(help="Berkas bundel .zip")],
    key: KeyOption = None,
) -> None:
    """Verifikasi bundel tanpa basis data (tanda tangan, rantai, surat dibuat ulang); kode 7 bila rusak."""
    public = load_public_key(key) if key is not None else None
    try:
        data = read_limited(bundle, DEFAULT_LIMITS.archive_bytes, "Bundel")
    except InvalidInput as error:
        fail(error.message, 7)
    report = verify_bundle(data, public)
    if OPTIONS.json:
        emit_json(report.to_dict())
    elif report.ok:
        console.print(
            f"[green]Bundel utuh:[/] edisi {word(BUNDLE_EDITIONS, report.edition)}, "
            f"{report.cases} perkara, "
            f"{report.events} peristiwa, {report.letters} surat "
            f"({report.letters_rerendered} dibuat ulang sama persis, "
            f"{report.letters_withheld} ditahan), {report.checkpoints} checkpoint, "
            f"{report.proofs} bukti inklusi",
            highlight=False,
        )
        typer.echo(f"sha256 manifest: {report.manifest_sha256}")
        if report.signature_checked:
            typer.echo(f"tanda tangan sah: {report.signed_by}")
        else:
            typer.echo(
                f"tanda tangan TIDAK diperiksa (beri --key); bundel menyebut kunci "
                f"{report.signed_by or '-'}"
            )
        if report.redacted_events:
            typer.echo(
                f"{report.redacted_events} peristiwa dengan pelapor disamarkan (HMAC): isinya "
                "dijamin tanda tangan, bukan hash peristiwa"
            )
    else:
        for problem in report.problems:
            err_console.print(f"[red]RUSAK[/] {shown(problem)}", highlight=False)
    if not report.ok:
        raise typer.Exit(7)
