"""`netra init`, `netra demo`, and the registry of institutions and officers."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from cases.demo import load_demo
from cases.projection import rebuild_projection as rebuild
from cases.registry import add_institution, add_officer, list_institutions, list_officers
from cli.common import (
    OPTIONS,
    acting_user,
    console,
    database_url,
    emit_json,
    handles_errors,
    open_uow,
)
from db.registry import Institution, Officer
from rules.models import Role

officers_app = typer.Typer(help="Petugas pengguna Netra.", no_args_is_help=True)
institutions_app = typer.Typer(help="Instansi: Bawaslu, BKN, PPK.", no_args_is_help=True)


@handles_errors
def init() -> None:
    """Siapkan basis data (menjalankan migrasi)."""
    open_uow()
    console.print(f"Basis data siap: {database_url()}")


@handles_errors
def demo() -> None:
    """Muat data contoh: lima perkara dari lima daerah dalam berbagai tahap."""
    loaded = load_demo(open_uow())
    if loaded:
        console.print(f"Data demo dimuat: {', '.join(loaded)}")
    else:
        console.print("Data demo sudah ada; tidak ada yang diubah.")


@officers_app.command("add")
@handles_errors
def officer_add(
    officer_id: str,
    name: Annotated[str, typer.Option()],
    role: Annotated[Role, typer.Option()],
    institution: Annotated[str, typer.Option()],
    title: Annotated[str, typer.Option()],
    nip: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Daftarkan petugas (oleh admin, atau petugas pertama saat penyiapan)."""
    add_officer(open_uow(), Officer(officer_id, name, role, institution, title, nip), OPTIONS.user)
    console.print(f"Petugas {officer_id} terdaftar")


@officers_app.command("list")
@handles_errors
def officer_list() -> None:
    officers = list_officers(open_uow())
    if OPTIONS.json:
        emit_json([{**o.__dict__, "role": o.role.value} for o in officers])
        return
    table = Table("Id", "Nama", "Peran", "Instansi", "Jabatan")
    for o in officers:
        table.add_row(o.id, o.name, o.role.value, o.institution_code, o.title)
    console.print(table)


@institutions_app.command("add")
@handles_errors
def institution_add(
    code: str,
    kind: Annotated[str, typer.Option(help="bawaslu | bkn | ppk")],
    name: Annotated[str, typer.Option()],
    city: Annotated[str, typer.Option()],
    address: Annotated[str, typer.Option()],
    head_title: Annotated[str, typer.Option()],
    head_name: Annotated[str, typer.Option()],
    letter_number_format: Annotated[
        str, typer.Option(help="mis. {serial:03d}/{classification}/{year}")
    ],
    region: Annotated[str | None, typer.Option()] = None,
    parent_name: Annotated[str | None, typer.Option()] = None,
    head_nip: Annotated[str | None, typer.Option()] = None,
    phone: Annotated[str | None, typer.Option()] = None,
    email: Annotated[str | None, typer.Option()] = None,
    website: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Daftarkan instansi beserta kop surat dan format nomor suratnya."""
    add_institution(
        open_uow(),
        Institution(
            code,
            kind,
            name,
            parent_name,
            region,
            city,
            address,
            phone,
            email,
            website,
            head_title,
            head_name,
            head_nip,
            letter_number_format,
        ),
        OPTIONS.user,
    )
    console.print(f"Instansi {code} terdaftar")


@institutions_app.command("list")
@handles_errors
def institution_list() -> None:
    items = list_institutions(open_uow())
    if OPTIONS.json:
        emit_json([i.__dict__ for i in items])
        return
    table = Table("Kode", "Jenis", "Nama", "Kota")
    for i in items:
        table.add_row(i.code, i.kind, i.name, i.city)
    console.print(table)


@handles_errors
def rebuild_projection() -> None:
    """Bangun ulang proyeksi perkara dari peristiwa (admin)."""
    report = rebuild(open_uow(), acting_user())
    if OPTIONS.json:
        emit_json({"cases": report.cases, "changed": report.changed})
        return
    console.print(f"{report.cases} perkara dibangun ulang; berubah: {len(report.changed)}")
    for case_id in report.changed:
        console.print(f"  {case_id}")
