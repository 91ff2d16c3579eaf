"""`netra rules violations|sanctions|states|deadlines|elections`: the catalog of the law in
force (or `--version`), with Indonesian titles, annex rows and citations."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from cases.intake import catalog
from cli.common import OPTIONS, console, emit_json, handles_errors
from cli.safe_text import SafeTable as Table

app = typer.Typer(
    help="Katalog aturan: pelanggaran, sanksi, status, tenggat, jadwal pemilihan.",
    no_args_is_help=True,
)

Version = Annotated[str | None, typer.Option("--version", help="Versi aturan (default: terbaru)")]


def _show(title: str, rows: list[dict[str, Any]], columns: dict[str, str]) -> None:
    if OPTIONS.json:
        emit_json(rows)
        return
    table = Table(title=title, show_lines=True)
    for header in columns.values():
        table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(*(_text(row.get(key)) for key in columns))
    console.print(table)


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, dict):
        return "; ".join(f"{v}" for v in value.values()) if value else "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


@app.command("violations")
@handles_errors
def violations(version: Version = None) -> None:
    """Jenis pelanggaran (Lampiran SKB 2022) dan penggolongannya sebelum/sesudah penetapan."""
    rows = catalog.violation_rows(version)
    _show(
        "Jenis pelanggaran netralitas",
        rows,
        {
            "code": "Kode",
            "title": "Judul",
            "annex_rows": "Butir Lampiran",
            "before_determination": "Sebelum penetapan calon",
            "after_determination": "Sesudah penetapan calon",
        },
    )


@app.command("sanctions")
@handles_errors
def sanctions(version: Version = None) -> None:
    """Jenis sanksi dan dasar hukumnya."""
    _show(
        "Sanksi",
        catalog.sanction_rows(version),
        {
            "code": "Kode",
            "name": "Sanksi",
            "category_name": "Tingkat",
            "duration_months": "Bulan",
            "objection": "Upaya",
            "citation": "Dasar hukum",
        },
    )


@app.command("states")
@handles_errors
def states(version: Version = None) -> None:
    """Status perkara dan langkah yang dapat diambil dari tiap status."""
    _show(
        "Status perkara",
        catalog.state_rows(version),
        {"name": "Status", "label": "Keterangan", "stage": "Tahap", "steps": "Langkah"},
    )


@app.command("deadlines")
@handles_errors
def deadlines(version: Version = None) -> None:
    """Tenggat tiap status: siapa, berapa hari, dasar hukum."""
    _show(
        "Tenggat",
        catalog.deadline_rows(version),
        {
            "state": "Status",
            "election_type": "Pemilihan",
            "owner": "Pihak",
            "days": "Hari",
            "day_type": "Jenis hari",
            "action": "Tindakan",
            "citation": "Dasar hukum",
        },
    )


@app.command("elections")
@handles_errors
def elections(version: Version = None) -> None:
    """Jadwal penetapan calon per pemilihan (menentukan sebelum/sesudah penetapan)."""
    _show(
        "Jadwal pemilihan",
        catalog.election_rows(version),
        {
            "code": "Pemilihan",
            "title": "Nama",
            "candidate_determination": "Penetapan calon",
            "period": "Periode",
            "overrides": "Daerah berbeda",
            "citation": "Dasar",
        },
    )
