"""`netra init`, `netra demo`, and the registry of institutions and officers."""

from __future__ import annotations

from typing import Annotated

import typer

from cases.demo import ADMIN_ID, load_demo_with_logins
from cases.projection import rebuild_projection as rebuild
from cases.registry import add_institution, list_institutions
from cli.common import (
    OPTIONS,
    acting_user,
    console,
    database_url,
    emit_json,
    handles_errors,
    open_uow,
)
from cli.safe_text import SafeTable, shown
from db.registry import Institution
from db.unit_of_work import UnitOfWork
from rules.indonesian_terms import institution_kind_label

institutions_app = typer.Typer(help="Instansi: Bawaslu, BKN, PPK.", no_args_is_help=True)


@handles_errors
def demo() -> None:
    """Muat data contoh: lima perkara, satu akun per peran (kata sandi ditampilkan sekali)."""
    from cases.identity.tokens import create_token
    from cli.credentials import store_token

    uow = open_plain_uow()
    loaded = load_demo_with_logins(uow)
    if not loaded.cases:
        console.print("Data demo sudah ada; tidak ada yang diubah.")
        return
    console.print(f"Data demo dimuat: {', '.join(loaded.cases)}")
    table = SafeTable("Akun demo", "Kata sandi (sekali tampil)", title="Akun demo")
    for officer_id, password in loaded.logins.items():
        table.add_row(officer_id, password)
    console.print(table)
    _, token = create_token(uow, ADMIN_ID, "demo", 30)
    path = store_token(database_url(), token)
    console.print(
        f"CLI masuk sebagai administrator '{ADMIN_ID}' (token di {shown(path)}); "
        "`netra --as <petugas> ...` bertindak atas nama petugas dan tercatat sebagai operator."
    )


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
        acting_user(),
    )
    console.print(f"Instansi {shown(code)} terdaftar")


@institutions_app.command("list")
@handles_errors
def institution_list() -> None:
    acting_user()  # signed-in officers only
    items = list_institutions(open_uow())
    if OPTIONS.json:
        emit_json([i.__dict__ for i in items])
        return
    table = SafeTable("Kode", "Jenis", "Nama", "Kota")
    for i in items:
        table.add_row(i.code, institution_kind_label(i.kind), i.name, i.city)
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


def open_plain_uow() -> UnitOfWork:
    """A unit of work with no signed-in officer (the demo sets up an empty database)."""
    from cases.bootstrap import unit_of_work

    return unit_of_work(database_url())
