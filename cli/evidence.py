"""`netra evidence add|list|get|withdraw`: evidence files on a case, streamed both ways."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from cases import queries
from cases.evidence import service
from cases.evidence.media import ALLOWED
from cli.common import (
    OPTIONS,
    acting_user,
    clock,
    console,
    emit_json,
    fail,
    handles_errors,
    open_uow,
)
from cli.labels import label, labels_of
from cli.safe_text import SafeTable as Table
from cli.safe_text import shown
from rules.errors import NetraError
from rules.indonesian_dates import instant

app = typer.Typer(
    help="Bukti: lampirkan, daftar, unduh, tarik berkas bukti suatu perkara.",
    no_args_is_help=True,
)


@app.command("add")
@handles_errors
def add(
    case: Annotated[str, typer.Argument(help="Id perkara")],
    path: Annotated[Path, typer.Argument(help="Berkas bukti (foto, video, suara, PDF, dokumen)")],
    description: Annotated[str, typer.Option("--description", "-d", help="Keterangan bukti")],
    internal: Annotated[
        bool,
        typer.Option("--internal", help="Internal Bawaslu: tidak pernah tampil di luar Bawaslu"),
    ] = False,
    name: Annotated[
        str | None, typer.Option("--name", help="Nama berkas yang dicatat (default: nama berkas)")
    ] = None,
) -> None:
    """Lampirkan berkas bukti; jenisnya dikenali dari isinya, bukan dari ekstensi."""
    if not path.is_file():
        fail(f"Berkas {shown(str(path))} tidak ada", 2)
    try:
        stream = path.open("rb")
    except OSError as error:
        fail(f"Berkas {shown(str(path))} tidak dapat dibaca: {error.strerror}", 2)
    with stream:
        item = service.add_evidence(
            open_uow(),
            acting_user(),
            case,
            stream,
            name or path.name,
            description,
            clock(),
            internal=internal,
        )
    if OPTIONS.json:
        emit_json(item.to_dict())
        return
    console.print(
        f"[green]{item.label}[/] dilampirkan pada {shown(case)}: {shown(item.file_name)} "
        f"({shown(evidence_kind(item.media_type))}, {size_text(item.size)})\n"
        f"sha256 {item.sha256}",
        highlight=False,
    )


@app.command("list")
@handles_errors
def list_(case: Annotated[str, typer.Argument(help="Id perkara")]) -> None:
    """Bukti perkara yang boleh Anda lihat."""
    uow = open_uow()
    items = service.list_evidence(uow, acting_user(), case)
    if OPTIONS.json:
        emit_json([item.to_dict() for item in items])
        return
    found = queries.get_case(uow, acting_user(), case)  # its rule set and region
    rules = labels_of(found.rule_set)
    table = Table(title=f"Bukti perkara {case}")
    table.add_column("No.", no_wrap=True)
    for column in ("Berkas", "Keterangan", "Dilampirkan", "Status"):
        table.add_column(column, overflow="fold")
    for item in items:
        status = f"ditarik: {item.withdrawn_reason or ''}" if item.withdrawn else "aktif"
        table.add_row(
            item.label + (" (internal)" if item.internal else ""),
            f"{item.file_name}\n{evidence_kind(item.media_type)}, {size_text(item.size)}",
            item.description,
            f"{item.added_by}\n{instant(item.added_at, found.region_code)}\n"
            f"tahap: {label(rules.state_label, item.stage)}",
            status,
        )
    console.print(table)


def evidence_kind(media_type: str) -> str:
    """`image/png` as "foto/tangkapan layar" (the evidence allowlist's own words)."""
    kind = ALLOWED.get(media_type)
    return kind.label if kind is not None else media_type


def size_text(size: int) -> str:
    """`123456` as "123.456 bita" (Indonesian thousands separator)."""
    return f"{size:,} bita".replace(",", ".")


@app.command("get")
@handles_errors
def get(
    case: Annotated[str, typer.Argument(help="Id perkara")],
    evidence: Annotated[str, typer.Argument(help="Nomor bukti, mis. B1")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Tulis ke berkas ini")],
    thumbnail: Annotated[bool, typer.Option("--thumbnail", help="Gambar kecil saja")] = False,
) -> None:
    """Unduh berkas bukti; isinya dicek terhadap hash yang tercatat sebelum disimpan."""
    item, chunks = service.evidence_content(
        open_uow(), acting_user(), case, evidence, want_thumbnail=thumbnail
    )
    try:
        handle, temporary = tempfile.mkstemp(dir=out.resolve().parent, prefix=".netra-")
    except OSError as error:
        fail(f"Tidak dapat menulis ke {shown(str(out))}: {error.strerror}", 2)
    try:
        with os.fdopen(handle, "wb") as target:
            for chunk in chunks:
                target.write(chunk)
        os.replace(temporary, out)
    except NetraError:
        Path(temporary).unlink(missing_ok=True)
        raise
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        fail(f"Tidak dapat menulis ke {shown(str(out))}: {error.strerror}", 2)
    if OPTIONS.json:
        emit_json({**item.to_dict(), "out": str(out)})
        return
    console.print(f"{item.label} ditulis ke {shown(str(out))}", highlight=False)


@app.command("withdraw")
@handles_errors
def withdraw(
    case: Annotated[str, typer.Argument(help="Id perkara")],
    evidence: Annotated[str, typer.Argument(help="Nomor bukti, mis. B1")],
    reason: Annotated[str, typer.Option("--reason", help="Alasan penarikan (wajib)")],
) -> None:
    """Tarik bukti dengan alasan; berkasnya tetap tersimpan (berkas tidak pernah diubah)."""
    item = service.withdraw_evidence(open_uow(), acting_user(), case, evidence, reason, clock())
    if OPTIONS.json:
        emit_json(item.to_dict())
        return
    console.print(f"{shown(item.label)} ditarik dari {shown(case)}", highlight=False)
