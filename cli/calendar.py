"""`netra calendar ...`: the working-day calendar (holidays, cuti bersama, admin overrides)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from babel.dates import format_date

from cases.calendar import add_override, holidays_of, remove_override, working_days_in
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
from cli.labels import HOLIDAY_SOURCES, OVERRIDE_KINDS, latest_labels, word
from cli.safe_text import SafeTable as Table
from cli.safe_text import shown
from rules.calendar import OverrideKind
from rules.indonesian_dates import day as day_text

app = typer.Typer(
    help="Kalender hari kerja: hari libur, cuti bersama, koreksi.", no_args_is_help=True
)

RegionOption = Annotated[
    str | None, typer.Option("--region", help="Kode wilayah Kemendagri, mis. 35.75")
]


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"'{text}' bukan tanggal YYYY-MM-DD", 2)


@app.command("show")
@handles_errors
def show(year: int, region: RegionOption = None) -> None:
    """Hari libur nasional, cuti bersama dan koreksi admin pada satu tahun."""
    uow = open_uow()
    days = holidays_of(uow, year, region)
    working = working_days_in(uow, year, region)
    if OPTIONS.json:
        emit_json(
            {
                "year": year,
                "region": region,
                "working_days": working,
                "holidays": [
                    {"day": d.day.isoformat(), "name": d.name, "source": d.source} for d in days
                ],
            }
        )
        return
    title = f"Hari libur {year}" + (f" ({_region(region)})" if region else "")
    table = Table(title=title, caption=f"{working} hari kerja")
    for column in ("Tanggal", "Hari", "Nama", "Sumber"):
        table.add_column(column, overflow="fold")
    for item in days:
        table.add_row(
            day_text(item.day),
            format_date(item.day, "EEEE", locale="id"),
            item.name,
            word(HOLIDAY_SOURCES, item.source),
        )
    console.print(table)


@app.command("add-holiday")
@handles_errors
def add_holiday(
    day: str,
    name: Annotated[str, typer.Option("--name", help="Nama hari libur / dasar keputusan")],
    region: RegionOption = None,
    working_day: Annotated[
        bool, typer.Option("--working-day", help="Nyatakan tanggal ini hari kerja (koreksi)")
    ] = False,
) -> None:
    """Tambah hari libur (SKB cuti bersama, libur daerah) atau koreksi menjadi hari kerja.

    Tenggat yang sudah berjalan tidak berubah; gunakan `netra deadlines recompute`.
    """
    kind = OverrideKind.WORKING_DAY if working_day else OverrideKind.HOLIDAY
    override = add_override(open_uow(), acting_user(), _day(day), name, clock(), kind, region)
    if OPTIONS.json:
        emit_json({**override.__dict__, "day": override.day.isoformat()})
        return
    console.print(
        f"Dicatat: {day_text(override.day)} {word(OVERRIDE_KINDS, override.kind.value)} "
        f"'{shown(override.name)}'"
        + (f" untuk {_region(override.region_code)}" if override.region_code else "")
        + ". Tenggat berjalan tidak berubah tanpa `netra deadlines recompute`."
    )


@app.command("remove")
@handles_errors
def remove(day: str, region: RegionOption = None) -> None:
    """Hapus koreksi kalender admin pada tanggal itu."""
    removed = _day(day)
    remove_override(open_uow(), acting_user(), removed, region)
    console.print(f"Koreksi kalender {day_text(removed)} dihapus.")


def _region(code: str) -> str:
    """ "wilayah Kota Pasuruan" for a regency code (the code itself when it is not listed)."""
    return f"wilayah {shown(latest_labels().region_name(code))}"
