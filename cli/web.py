"""`netra web`: serve the officers' web application and the REST API (uvicorn) on the
configured database; `--demo` first loads the demo data into an empty database and prints
one sign-in per role. The app is named by import string (cli and web are sibling layers)."""

from __future__ import annotations

import os
from typing import Annotated

import typer
import uvicorn

from cli.common import console, database_url, handles_errors

LOOPBACK = ("127.0.0.1", "localhost", "::1")
DEMO_LOGINS = {
    "admin": "Administrator",
    "bawaslu.pasuruan": "Bawaslu (Kota Pasuruan)",
    "bkn.analis": "BKN",
    "bkpsdm.kediri": "PPK / BKPSDM (Kota Kediri)",
    "auditor": "Auditor",
}


@handles_errors
def web(
    host: Annotated[str, typer.Option(help="Alamat yang didengarkan")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    demo: Annotated[
        bool, typer.Option("--demo", help="Muat data demo ke basis data kosong lebih dulu")
    ] = False,
) -> None:
    """Jalankan aplikasi web petugas dan REST API (/api/v1)."""
    from cases.bootstrap import unit_of_work
    from cases.demo import load_demo_with_logins

    url = database_url()
    os.environ["NETRA_DATABASE_URL"] = url
    console.print("Menyiapkan basis data (migrasi skema)...")
    uow = unit_of_work(url)
    if demo:
        console.print("Memuat data demo (lima perkara, akun per peran)...")
        loaded = load_demo_with_logins(uow)
        if loaded.logins:
            console.print("Akun demo (kata sandi hanya ditampilkan sekali):")
            for officer_id, role in DEMO_LOGINS.items():
                console.print(f"  {role:<28} {officer_id:<18} {loaded.logins[officer_id]}")
        else:
            console.print("Data demo sudah ada; kata sandi ditampilkan saat pertama dimuat.")
        _demo_signing_key()
    if host in LOOPBACK:
        os.environ.setdefault("NETRA_WEB_INSECURE_COOKIES", "1")  # http:// on this machine only
    shown = f"[{host}]" if ":" in host else host
    console.print(f"Netra web: http://{shown}:{port}/  (API: http://{shown}:{port}/api/v1/docs)")
    console.print("Ctrl+C untuk berhenti.")
    config = uvicorn.Config(
        "web.app:app_from_environment", factory=True, host=host, port=port, log_level="warning"
    )
    uvicorn.Server(config).run()


def _demo_signing_key() -> None:
    """The demo signs audit bundles with a key of its own under the data directory (made once,
    mode 0600), unless NETRA_SIGNING_KEY_FILE names one; production sets that variable."""
    from pathlib import Path

    from cases.signing import generate_key
    from db.settings import get_settings

    if os.environ.get("NETRA_SIGNING_KEY_FILE"):
        return
    folder = Path(get_settings().data_dir)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    private = folder / "demo-signing-ed25519.pem"
    if not private.exists():
        generate_key(private, private.with_suffix(".pub"))
    os.environ["NETRA_SIGNING_KEY_FILE"] = str(private)
