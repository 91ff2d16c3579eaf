"""`netra import reports.csv` and `netra export cases --format csv|xlsx`: bulk intake and
filtered case lists."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cases.bulk import export_rows, import_reports, read_reports_csv, write_csv, write_xlsx
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
from db.case_repository import CaseFilter

export_app = typer.Typer(help="Ekspor daftar perkara.", no_args_is_help=True)


@handles_errors
def import_reports_command(
    path: Annotated[Path, typer.Argument(help="Berkas CSV dari formulir penerimaan Bawaslu")],
    per_row: Annotated[
        bool,
        typer.Option(
            "--per-row", help="Tulis baris yang benar saja (bukan semua-atau-tidak-sama-sekali)"
        ),
    ] = False,
) -> None:
    """Impor laporan/temuan dari CSV; setiap baris divalidasi, kesalahan disebut per baris."""
    if not path.exists():
        fail(f"Berkas {path} tidak ada", 2)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(read_reports_csv(handle))
    total = len(rows) * 2
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=OPTIONS.json or not sys.stderr.isatty(),
    ) as progress:
        task = progress.add_task("Validasi dan impor", total=total)
        report = import_reports(
            open_uow(),
            acting_user(),
            rows,
            clock(),
            per_row=per_row,
            progress=lambda n: progress.advance(task, n),
        )
    if OPTIONS.json:
        emit_json(report.to_dict())
    else:
        for error in report.errors:
            err_console.print(f"[red]Baris {error.line}:[/] {error.message}", highlight=False)
        if report.written:
            console.print(f"[green]{len(report.opened)} perkara dibuka[/] dari {report.rows} baris")
        else:
            err_console.print(
                f"Tidak ada yang ditulis: {len(report.errors)} baris bermasalah dari {report.rows}"
            )
    if report.errors:
        raise typer.Exit(2)


class Format(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


@export_app.command("cases")
@handles_errors
def export_cases(
    format_: Annotated[Format, typer.Option("--format", help="csv atau xlsx")] = Format.csv,
    out: Annotated[
        Path | None, typer.Option("--out", help="Berkas keluaran (csv: default stdout)")
    ] = None,
    state: Annotated[str | None, typer.Option(help="Filter status")] = None,
    region: Annotated[str | None, typer.Option(help="Filter kode wilayah")] = None,
    open_: Annotated[
        bool | None, typer.Option("--open/--closed", help="Hanya yang berjalan/selesai")
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Hanya yang melewati tenggat")] = False,
) -> None:
    """Ekspor daftar perkara yang boleh Anda baca (identitas pelapor hanya untuk Bawaslu)."""
    flt = CaseFilter(
        state=state, region_code=region, is_open=open_, overdue_at=clock() if overdue else None
    )
    header, rows = export_rows(open_uow(), acting_user(), flt)
    if format_ is Format.xlsx:
        if out is None:
            fail("--out wajib untuk xlsx", 2)
        count = write_xlsx(str(out), header, rows)
    elif out is None:
        count = write_csv(sys.stdout, header, rows)
        return
    else:
        with out.open("w", encoding="utf-8", newline="") as handle:
            count = write_csv(handle, header, rows)
    console.print(f"{count} perkara ditulis ke {out}")
