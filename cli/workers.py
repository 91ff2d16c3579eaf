"""`netra serve`, `netra worker`, `netra api`: run the scheduled flows and the HTTP API.

Embedded default (one command, SQLite): `netra serve --api` serves the flows with Prefect's
runner and the API in the same process. Without PREFECT_API_URL, Prefect starts a temporary
local server on its own SQLite database; with it (docker-compose), the deployments register
on that Prefect server and any number of `netra worker` processes can serve them.
"""

from __future__ import annotations

import os
import threading
from typing import Annotated

import typer
import uvicorn

from cli.common import console, database_url
from db.settings import get_settings

HostOption = Annotated[str | None, typer.Option(help="Alamat API (NETRA_API_HOST)")]
PortOption = Annotated[int | None, typer.Option(help="Port API (NETRA_API_PORT)")]
LimitOption = Annotated[
    int | None, typer.Option(help="Jumlah maksimum flow run bersamaan pada proses ini")
]


def _api_server(host: str | None, port: int | None) -> uvicorn.Server:
    """The API server; the app is named by import string (cli and api are sibling layers)."""
    os.environ["NETRA_DATABASE_URL"] = database_url()
    settings = get_settings()
    config = uvicorn.Config(
        "api.app:create_app",
        factory=True,
        host=host or settings.api_host,
        port=port or settings.api_port,
        log_level="info",
    )
    return uvicorn.Server(config)


def serve(
    api: Annotated[bool, typer.Option("--api/--no-api", help="Jalankan juga API HTTP")] = False,
    host: HostOption = None,
    port: PortOption = None,
    limit: LimitOption = None,
) -> None:
    """Layani flow terjadwal (penyisiran tenggat, ringkasan harian, verifikasi rantai)."""
    from cases.bootstrap import engine_for
    from workflows.deployments import serve as serve_deployments

    engine_for(database_url())  # migrate before the first scheduled run
    if api:
        server = _api_server(host, port)
        threading.Thread(target=server.run, name="netra-api", daemon=True).start()
    console.print("Melayani flow Netra (Ctrl+C untuk berhenti)")
    serve_deployments(limit=limit)


def worker(limit: LimitOption = None) -> None:
    """Layani deployment Netra pada server Prefect (PREFECT_API_URL); bisa banyak mesin."""
    serve(api=False, host=None, port=None, limit=limit)


def api(host: HostOption = None, port: PortOption = None) -> None:
    """Jalankan API HTTP (uvicorn)."""
    from cases.bootstrap import engine_for

    engine_for(database_url())
    _api_server(host, port).run()
