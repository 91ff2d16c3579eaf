"""`netra letter ...`: list a case's letters, render one to PDF/HTML, verify it, make samples."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cases import letters as services
from cli.common import (
    OPTIONS,
    acting_user,
    console,
    emit_json,
    err_console,
    handles_errors,
    open_uow,
)
from cli.safe_text import SafeTable as Table

app = typer.Typer(
    help="Surat dinas: daftar, cetak (HTML/PDF), verifikasi keaslian, contoh.",
    no_args_is_help=True,
)


@app.command("list")
@handles_errors
def list_(case: Annotated[str, typer.Argument(help="Id perkara")]) -> None:
    """Surat yang telah diterbitkan pada perkara, berurutan."""
    items = services.list_letters(open_uow(), acting_user(), case)
    if OPTIONS.json:
        emit_json([item.to_dict() for item in items])
        return
    table = Table(title=f"Surat perkara {case}")
    table.add_column("Id surat", no_wrap=True)
    table.add_column("Seq", justify="right")
    table.add_column("Jenis")
    table.add_column("Nomor", no_wrap=True)
    table.add_column("Kepada")
    for item in items:
        table.add_row(item.id, str(item.case_seq), item.kind, item.number, item.recipient)
    console.print(table)


@app.command("render")
@handles_errors
def render(
    letter: Annotated[str, typer.Argument(help="Id surat (lihat `netra letter list`)")],
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Tulis PDF A4 ke berkas ini")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Tulis HTML ke berkas ini")] = None,
) -> None:
    """Cetak surat tersimpan: PDF dan/atau HTML; tanpa opsi, HTML ke stdout."""
    uow = open_uow()
    user = acting_user()
    stored = services.get_letter(uow, user, letter)
    if html is not None:
        html.write_text(stored.html, encoding="utf-8")
    if pdf is not None:
        pdf.write_bytes(services.render_pdf(uow, user, letter))
    if pdf is None and html is None:
        sys.stdout.write(stored.html)
        return
    if OPTIONS.json:
        emit_json(
            {
                "letter_id": letter,
                "pdf": str(pdf) if pdf else None,
                "html": str(html) if html else None,
                "content_hash": stored.content_hash,
            }
        )
    else:
        for path in (p for p in (pdf, html) if p is not None):
            console.print(f"[green]Ditulis:[/] {path}")


@app.command("verify")
@handles_errors
def verify(
    letter: Annotated[str, typer.Argument(help="Id surat")],
    templates: Annotated[
        Path | None, typer.Option(help="Folder templat (bawaan: templat terpasang)")
    ] = None,
) -> None:
    """Buat ulang surat dari riwayat perkara dan bandingkan hash; kode keluar 7 bila berbeda."""
    report = services.verify_letter(open_uow(), acting_user(), letter, templates)
    if OPTIONS.json:
        emit_json(report.to_dict())
    elif report.ok:
        console.print(
            f"[green]Asli:[/] surat {report.letter_id} sama persis dengan hasil pembuatan ulang "
            f"dari perkara {report.case_id} pada seq {report.case_seq}"
        )
    else:
        err_console.print(f"[bold red]TIDAK COCOK:[/] surat {report.letter_id}")
        for problem in report.problems:
            err_console.print(f"  - {problem}", highlight=False)
    if not report.ok:
        raise typer.Exit(7)


@app.command("samples")
@handles_errors
def samples(
    out: Annotated[Path, typer.Option(help="Folder keluaran")] = Path("out/letters"),
    all_: Annotated[bool, typer.Option("--all", help="Semua surat, bukan satu per jenis")] = False,
) -> None:
    """Contoh PDF setiap jenis surat dari data demo (basis data sementara, --db diabaikan)."""
    from cases.letter_samples import write_samples

    written = write_samples(out, every_letter=all_)
    if OPTIONS.json:
        emit_json([str(path) for path in written])
    else:
        console.print(f"[green]{len(written) // 2} surat[/] ditulis ke {out} (PDF dan HTML)")
