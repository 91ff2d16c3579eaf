"""The `netra` entry point: global options and the sub-command groups, imported lazily.

`netra --help` lists every command from the table below without importing any of them;
a command's module (and with it SQLAlchemy, the services, ...) is imported only when that
command runs. tests/cli/test_cli_startup.py keeps each listed help equal to the command's
own.
"""

from __future__ import annotations

import importlib
from datetime import datetime
from typing import Annotated, Any

import typer
from typer import _click as click
from typer.core import TyperCommand, TyperGroup

# name -> (module, attribute, help shown by `netra --help`), in the order they are listed
LAZY: dict[str, tuple[str, str, str]] = {
    "init": (
        "cli.identity",
        "init",
        "Siapkan basis data (migrasi) dan, dengan --admin, administrator pertama.",
    ),
    "login": (
        "cli.identity",
        "login",
        "Masuk: periksa kata sandi dan simpan token pribadi (berkas mode 0600).",
    ),
    "logout": (
        "cli.identity",
        "logout",
        "Keluar: cabut token tersimpan untuk basis data ini dan hapus dari berkas.",
    ),
    "whoami": ("cli.identity", "whoami", "Siapa yang sedang bertindak (dan operator, jika --as)."),
    "demo": (
        "cli.admin",
        "demo",
        "Muat data contoh: lima perkara, satu akun per peran (kata sandi ditampilkan sekali).",
    ),
    "rebuild-projection": (
        "cli.admin",
        "rebuild_projection",
        "Bangun ulang proyeksi perkara dari peristiwa (admin).",
    ),
    "serve": (
        "cli.workers",
        "serve",
        "Layani flow terjadwal (penyisiran tenggat, notifikasi, ringkasan, verifikasi rantai).",
    ),
    "worker": (
        "cli.workers",
        "worker",
        "Layani deployment Netra pada server Prefect (PREFECT_API_URL); bisa banyak mesin.",
    ),
    "api": ("cli.workers", "api", "Jalankan API HTTP (uvicorn)."),
    "web": ("cli.web", "web", "Jalankan aplikasi web petugas dan REST API (/api/v1)."),
    "import": (
        "cli.bulk",
        "import_reports_command",
        "Impor laporan/temuan dari CSV atau XLSX (judul kolom berbahasa Indonesia), atau tulis"
        " templatnya: `netra import template --out templat.xlsx`.",
    ),
    "user": ("cli.identity", "users_app", "Akun petugas: daftar, kata sandi, nonaktifkan."),
    "token": ("cli.identity", "tokens_app", "Token API: buat, lihat, cabut."),
    "case": ("cli.cases", "app", "Perkara: buka, lihat, daftar, dan langkah penanganan."),
    "letter": (
        "cli.letters",
        "app",
        "Surat dinas: daftar, cetak (HTML/PDF), verifikasi keaslian, contoh.",
    ),
    "audit": (
        "cli.audit",
        "app",
        "Audit: verifikasi, replay, checkpoint, ekspor bundel, versi aturan.",
    ),
    "institution": ("cli.admin", "institutions_app", "Instansi: Bawaslu, BKN, PPK."),
    "deadlines": (
        "cli.deadlines",
        "app",
        "Tenggat: penyisiran, perpanjangan, penghentian sementara, ringkasan.",
    ),
    "calendar": ("cli.calendar", "app", "Kalender hari kerja: hari libur, cuti bersama, koreksi."),
    "export": ("cli.bulk", "export_app", "Ekspor daftar perkara."),
    "flows": ("cli.flows", "app", "Flow terjadwal Prefect: status dan peringatan."),
    "evidence": (
        "cli.evidence",
        "app",
        "Bukti: lampirkan, daftar, unduh, tarik berkas bukti suatu perkara.",
    ),
    "intake": (
        "cli.intake",
        "app",
        "Penerimaan: cek kemungkinan ganda, tautkan duplikat, koreksi penetapan calon.",
    ),
    "rules": (
        "cli.rules",
        "app",
        "Katalog aturan: pelanggaran, sanksi, status, tenggat, jadwal pemilihan.",
    ),
}


class _Listed(TyperCommand):
    """A command as `--help` lists it, before its module is imported."""


def load_command(name: str) -> click.Command:
    """The real click command `name`, importing its module now."""
    module_name, attribute, _ = LAZY[name]
    target: Any = getattr(importlib.import_module(module_name), attribute)
    if isinstance(target, typer.Typer):
        command: click.Command = typer.main.get_group(target)
    else:
        single = typer.Typer(add_completion=False)
        single.command(name)(target)
        command = typer.main.get_command(single)
    command.name = name
    return command


class LazyGroup(TyperGroup):
    """Lists every command from LAZY; imports one only when it is invoked (or asked for
    its own help)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (_, _, help_text) in LAZY.items():
            self.commands.setdefault(name, _Listed(name, help=help_text))

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and isinstance(self.commands.get(args[0]), _Listed):
            self.commands[args[0]] = load_command(args[0])
        return super().resolve_command(ctx, args)


app = typer.Typer(
    name="netra",
    cls=LazyGroup,
    help="Netra: penanganan pelanggaran netralitas ASN (Bawaslu → BKN → PPK/BKPSDM).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    db: Annotated[
        str | None, typer.Option("--db", help="URL basis data (NETRA_DATABASE_URL)")
    ] = None,
    as_: Annotated[
        str | None,
        typer.Option(
            "--as",
            help="Operator (token administrator): bertindak atas nama petugas ini; "
            "tercatat pada setiap peristiwa",
        ),
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Keluaran JSON")] = False,
    now: Annotated[
        str | None,
        typer.Option(help="Jam tetap (ISO), hanya untuk basis data demo/uji; produksi menolak"),
    ] = None,
) -> None:
    from cli.common import OPTIONS, fail

    OPTIONS.database_url = db
    OPTIONS.user = as_
    OPTIONS.identity = None
    OPTIONS.json = json_
    OPTIONS.now = None  # each invocation its own clock (CliRunner reuses the process)
    if now:
        try:
            parsed = datetime.fromisoformat(now)
        except ValueError:
            fail(f"--now '{now}' bukan waktu ISO", 2)
        if parsed.tzinfo is None:
            from zoneinfo import ZoneInfo

            parsed = parsed.replace(tzinfo=ZoneInfo("Asia/Jakarta"))
        OPTIONS.now = parsed
