"""`netra import reports.csv|.xlsx`, `netra import template` and
`netra export cases --format csv|xlsx`: bulk intake and filtered case lists."""

from __future__ import annotations

import io
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cases.bulk import export_rows, write_csv, write_xlsx
from cases.intake.importing import OnDuplicate, import_report, write_result_csv
from cases.intake.reading import read_report_file
from cases.intake.template import write_import_template
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
from cli.output_files import check_target, open_for_writing
from cli.safe_text import shown
from db.case_repository import CaseFilter
from rules.ruleset import load_rule_set, version_in_force

export_app = typer.Typer(help="Ekspor daftar perkara.", no_args_is_help=True)


@handles_errors
def import_reports_command(
    source: Annotated[str, typer.Argument(help="Berkas laporan (CSV atau XLSX), atau 'template'")],
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", help="Pengodean CSV bila bukan UTF-8 (mis. cp1252)"),
    ] = None,
    on_duplicate: Annotated[
        OnDuplicate | None,
        typer.Option(
            "--on-duplicate",
            help="Kemungkinan ganda: skip (lewati), flag (buka dan tautkan), open (buka saja)",
        ),
    ] = None,
    per_row: Annotated[
        bool,
        typer.Option(
            "--per-row", help="Tulis baris yang benar saja (bukan semua-atau-tidak-sama-sekali)"
        ),
    ] = False,
    result_file: Annotated[
        Path | None,
        typer.Option("--result", help="Berkas hasil per baris (default: <berkas>.hasil.csv)"),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Untuk 'template': berkas XLSX yang ditulis")
    ] = None,
) -> None:
    """Impor laporan/temuan dari CSV atau XLSX (judul kolom berbahasa Indonesia), atau tulis
    templatnya: `netra import template --out templat.xlsx`."""
    if source == "template":
        target = out or Path("templat-impor-netra.xlsx")
        write_import_template(target, load_rule_set(version_in_force(clock().date())))
        console.print(f"Templat ditulis ke {shown(str(target))}", highlight=False)
        return
    path = Path(source)
    if not path.is_file():
        fail(f"Berkas {shown(source)} tidak ada", 2)
    report = read_report_file(path, encoding)
    total = len(report.rows) * 2
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=OPTIONS.json or not sys.stderr.isatty(),
    ) as progress:
        task = progress.add_task("Validasi dan impor", total=total)
        result = import_report(
            open_uow(),
            acting_user(),
            report,
            clock(),
            on_duplicate=on_duplicate,
            per_row=per_row,
            progress=lambda n: progress.advance(task, n),
        )
    target = result_file or path.with_name(path.name + ".hasil.csv")
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        write_result_csv(result, handle)
    if OPTIONS.json:
        emit_json({**result.to_dict(), "result_file": str(target)})
    else:
        for error in result.errors:
            err_console.print(f"[red]{shown(str(error))}[/]", highlight=False)
        for outcome in result.outcomes:
            if outcome.outcome == "opened" and result.written:
                console.print(f"baris {outcome.row}: {shown(outcome.case_id)}", highlight=False)
        summary = (
            f"{len(result.opened)} perkara dibuka, {result.count('skipped')} dilewati, "
            f"{result.count('imported_before')} sudah diimpor sebelumnya, dari {result.rows} baris"
        )
        if result.written or not result.errors:
            console.print(f"[green]{summary}[/]", highlight=False)
        else:
            err_console.print(
                f"Tidak ada yang ditulis: {result.count('error')} baris bermasalah dari "
                f"{result.rows}"
            )
        console.print(f"Hasil per baris: {shown(str(target))}", highlight=False)
    if result.errors:
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
    force: Annotated[bool, typer.Option("--force", help="Timpa berkas yang sudah ada")] = False,
) -> None:
    """Ekspor daftar perkara yang boleh Anda baca (identitas pelapor hanya untuk Bawaslu).

    `--out` tidak pernah mengikuti tautan simbolik dan tidak menimpa tanpa `--force`."""
    flt = CaseFilter(
        state=state, region_code=region, is_open=open_, overdue_at=clock() if overdue else None
    )
    if format_ is Format.xlsx and out is None:
        fail("--out wajib untuk xlsx", 2)
    if out is not None:
        check_target(out, force)  # before the query: refuse early, write nothing
    header, rows = export_rows(open_uow(), acting_user(), flt)
    if out is None:
        write_csv(sys.stdout, header, rows)
        return
    with open_for_writing(out, force) as handle:
        if format_ is Format.xlsx:
            count = write_xlsx(handle, header, rows)
        else:
            text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
            count = write_csv(text, header, rows)
            text.flush()
            text.detach()
    console.print(f"{count} perkara ditulis ke {shown(out)}")
