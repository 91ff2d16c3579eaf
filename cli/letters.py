"""`netra letter ...`: list a case's letters, render one to PDF/HTML, verify it, make samples;
`netra letter templates import DIR`: store an older release's templates for its letters."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cases import letters as services
from cases import queries
from cli.common import (
    OPTIONS,
    acting_user,
    clock,
    console,
    emit_json,
    err_console,
    handles_errors,
    open_uow,
    parse_pairs,
)
from cli.labels import labels_of
from cli.render import letter_title
from cli.safe_text import SafeTable as Table
from cli.safe_text import shown
from rules.indonesian_terms import recipient_label

app = typer.Typer(
    help="Surat dinas: daftar, cetak (HTML/PDF), verifikasi keaslian, contoh.",
    no_args_is_help=True,
)
templates_app = typer.Typer(
    help="Templat yang dipakai surat terbitan (untuk verifikasi surat lama).",
    no_args_is_help=True,
)
app.add_typer(templates_app, name="templates")


@app.command("list")
@handles_errors
def list_(case: Annotated[str, typer.Argument(help="Id perkara")]) -> None:
    """Surat yang telah diterbitkan pada perkara, berurutan."""
    items = services.list_letters(open_uow(), acting_user(), case)
    if OPTIONS.json:
        emit_json([item.to_dict() for item in items])
        return
    labels = labels_of(queries.get_case(open_uow(), acting_user(), case).rule_set)
    table = Table(title=f"Surat perkara {case}")
    table.add_column("Id surat", no_wrap=True)
    table.add_column("Peristiwa", justify="right")
    table.add_column("Jenis", overflow="fold")
    table.add_column("Nomor", overflow="fold")
    table.add_column("Kepada", overflow="fold")
    for item in items:
        table.add_row(
            item.id,
            str(item.case_seq),
            letter_title(item.kind),
            item.number,
            recipient_label(item.recipient, labels.recommending_head, labels.recommending_body),
        )
    console.print(table)


@app.command("render")
@handles_errors
def render(
    letter: Annotated[str, typer.Argument(help="Id surat (lihat `netra letter list`)")],
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Tulis PDF A4 ke berkas ini")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Tulis HTML ke berkas ini")] = None,
    sign: Annotated[
        bool, typer.Option("--sign", help="Tandatangani PDF dengan NETRA_LETTER_SIGNER")
    ] = False,
) -> None:
    """Cetak surat tersimpan: PDF/A dan/atau HTML; tanpa opsi, HTML ke stdout."""
    uow = open_uow()
    user = acting_user()
    stored = services.get_letter(uow, user, letter)
    if html is not None:
        html.write_text(stored.html, encoding="utf-8")
    if pdf is not None:
        signer = services.configured_signer() if sign else None
        if sign and signer is None:
            err_console.print(
                "NETRA_LETTER_SIGNER belum diatur (local-ca:<folder> | pkcs12:<file>)"
            )
            raise typer.Exit(2)
        pdf.write_bytes(services.render_pdf(uow, user, letter, signer=signer))
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
        Path | None,
        typer.Option(
            help="Buat ulang dengan folder templat ini (bawaan: templat yang tersimpan saat "
            "surat diterbitkan, atau templat terpasang bila tidak ada)"
        ),
    ] = None,
) -> None:
    """Buat ulang surat dari riwayat perkara dan bandingkan hash; kode keluar 7 bila berbeda."""
    report = services.verify_letter(open_uow(), acting_user(), letter, templates)
    if OPTIONS.json:
        emit_json(report.to_dict())
    elif report.ok:
        console.print(
            f"[green]Asli:[/] surat {report.letter_id} sama persis dengan hasil pembuatan ulang "
            f"dari perkara {report.case_id} pada peristiwa ke-{report.case_seq}"
        )
        for note in report.notes:
            console.print(f"  [dim]Catatan: {note}[/]", highlight=False)
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


@app.command("preview")
@handles_errors
def preview(
    case: Annotated[str, typer.Argument(help="Id perkara")],
    trigger: Annotated[str, typer.Argument(help="Langkah, mis. summon")],
    values: Annotated[list[str] | None, typer.Option("--set", help="isian=nilai")] = None,
    out: Annotated[Path, typer.Option(help="Folder keluaran PDF draf")] = Path("out/draft"),
) -> None:
    """Pratinjau surat yang akan diterbitkan suatu langkah (DRAFT, tanpa nomor, tanpa disimpan)."""
    from cases.letter_preview import preview_step_letters

    drafts = preview_step_letters(
        open_uow(), acting_user(), case, trigger, parse_pairs(values or []), clock()
    )
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for draft in drafts:
        if draft.html is None:
            console.print(
                f"{shown(letter_title(draft.kind))}: diterbitkan di luar Netra, "
                f"nomor {shown(draft.external_number)}"
            )
            continue
        path = out / f"DRAFT-{draft.letter_id}.pdf"
        path.write_bytes(draft.pdf())
        written.append(str(path))
    if OPTIONS.json:
        emit_json(written)
    else:
        for path_text in written:
            console.print(f"[green]Draf:[/] {path_text}")


@app.command("ralat")
@handles_errors
def ralat(
    letter: Annotated[str, typer.Argument(help="Id surat yang diralat")],
    reason: Annotated[str, typer.Option("--reason", help="Alasan ralat")],
) -> None:
    """Terbitkan ralat: surat baru yang menggantikan surat lama (surat lama tetap tercatat)."""
    from cases.letter_corrections import issue_ralat

    new = issue_ralat(open_uow(), acting_user(), letter, reason, clock())
    if OPTIONS.json:
        emit_json({"letter_id": new.id, "number": new.number, "supersedes": letter})
    else:
        console.print(f"[green]Ralat terbit:[/] {new.id} nomor {new.number} menggantikan {letter}")


@app.command("revoke")
@handles_errors
def revoke(
    letter: Annotated[str, typer.Argument(help="Id surat yang dicabut")],
    reason: Annotated[str, typer.Option("--reason", help="Alasan pencabutan")],
) -> None:
    """Cabut surat yang telah terbit, dengan alasan (surat tetap tercatat, ditandai dicabut)."""
    from cases.letter_corrections import revoke_letter

    status = revoke_letter(open_uow(), acting_user(), letter, reason, clock())
    if OPTIONS.json:
        emit_json({"letter_id": letter, "status": status.status, "reason": status.reason})
    else:
        console.print(f"[yellow]Dicabut:[/] {letter} ({status.reason})")


@app.command("letterhead")
@handles_errors
def letterhead(
    institution: Annotated[str, typer.Argument(help="Kode instansi, mis. PEMDA-3571")],
    line: Annotated[list[str], typer.Option("--line", help="Baris kop (1-3 kali)")],
    head_kop: Annotated[
        str | None, typer.Option("--head-kop", help="Kop jabatan pimpinan, mis. WALI KOTA KEDIRI")
    ] = None,
    logo: Annotated[Path | None, typer.Option("--logo", help="Logo PNG atau SVG")] = None,
) -> None:
    """Atur kop surat instansi (khusus administrator); logo diperiksa dan dibersihkan."""
    from cases.letterheads import set_letterhead

    stored = set_letterhead(
        open_uow(),
        acting_user(),
        institution,
        line,
        clock(),
        head_kop=head_kop,
        logo=logo.read_bytes() if logo is not None else None,
    )
    if OPTIONS.json:
        emit_json(stored)
    else:
        console.print(f"[green]Kop surat {institution}:[/] {' / '.join(stored['kop_lines'])}")


@templates_app.command("import")
@handles_errors
def import_templates(
    folder: Annotated[Path, typer.Argument(help="Folder templat rilis lama (berkas *.j2)")],
) -> None:
    """Simpan templat rilis lama yang dipakai surat terbitan (khusus administrator)."""
    from cases.letter_templates import import_templates as import_folder

    found = import_folder(open_uow(), acting_user(), folder)
    if OPTIONS.json:
        emit_json([item.to_dict() for item in found])
        return
    if not found:
        console.print(
            "Tidak ada templat di folder ini yang cocok dengan hash templat surat yang telah "
            "terbit; tidak ada yang disimpan."
        )
        return
    table = Table(title=f"Templat dari {folder}")
    table.add_column("Templat")
    table.add_column("Hash templat", no_wrap=True)
    table.add_column("Surat", justify="right")
    table.add_column("Status")
    for item in found:
        table.add_row(
            item.template_name,
            item.template_hash[:16],
            str(item.letters),
            "disimpan" if item.stored_now else "sudah tersimpan",
        )
    console.print(table)
    stored = [item for item in found if item.stored_now]
    console.print(
        f"[green]{len(stored)} set templat disimpan[/], mencakup "
        f"{sum(item.letters for item in stored)} surat."
    )
