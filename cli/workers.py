"""`netra serve`, `netra worker`, `netra api`: run the scheduled flows and the HTTP apps.

One machine (no PREFECT_API_URL): `netra serve --api` starts a Prefect server as a child
process (127.0.0.1, its own SQLite database under NETRA_DATA_DIR, scheduler on), registers
Netra's deployments on it, serves them, and serves the API (or any ASGI app factory given
with `--app`, e.g. the web app) in the same process. SIGTERM or Ctrl+C stops all of it.
docker-compose: with PREFECT_API_URL set, the deployments register on that server and any
number of `netra serve` / `netra worker` processes serve them.
"""

from __future__ import annotations

import os
import signal
import threading
from types import FrameType
from typing import Annotated

import typer
import uvicorn

from cli.common import console, database_url, fail, handles_errors
from db.settings import get_settings

API_FACTORY = "api.app:create_app"
HostOption = Annotated[str | None, typer.Option(help="Alamat HTTP (NETRA_API_HOST)")]
PortOption = Annotated[int | None, typer.Option(help="Port HTTP (NETRA_API_PORT)")]
LimitOption = Annotated[
    int | None, typer.Option(help="Jumlah maksimum flow run bersamaan pada proses ini")
]
RunnerHealthOption = Annotated[
    bool,
    typer.Option(
        "--runner-health/--no-runner-health",
        help="Endpoint /health runner (PREFECT_RUNNER_SERVER_HOST/PORT) untuk health check",
    ),
]


def _http_server(factory: str, host: str | None, port: int | None) -> uvicorn.Server:
    """An ASGI app named by import string `module:factory` (cli and api are sibling layers)."""
    os.environ["NETRA_DATABASE_URL"] = database_url()
    settings = get_settings()
    config = uvicorn.Config(
        factory,
        factory=True,
        host=host or settings.api_host,
        port=port or settings.api_port,
        log_level="info",
    )
    return uvicorn.Server(config)


def _exit_on_signal(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


@handles_errors
def serve(
    api: Annotated[bool, typer.Option("--api/--no-api", help="Jalankan juga API HTTP")] = False,
    app: Annotated[
        str | None,
        typer.Option(
            "--app",
            help="Jalankan juga aplikasi ASGI dari pabrik 'modul:fungsi' (mis. aplikasi web)",
        ),
    ] = None,
    host: HostOption = None,
    port: PortOption = None,
    limit: LimitOption = None,
    runner_health: RunnerHealthOption = False,
) -> None:
    """Layani flow terjadwal (penyisiran tenggat, notifikasi, ringkasan, verifikasi rantai)."""
    from cases.bootstrap import engine_for
    from workflows.deployments import serve as serve_deployments
    from workflows.prefect_server import prefect_api

    if api and app:
        fail("Pilih salah satu: --api atau --app", 2)
    factory = API_FACTORY if api else app
    url = database_url()
    os.environ["NETRA_DATABASE_URL"] = url  # the flow runs' processes read it
    engine_for(url)  # migrate before the first scheduled run
    settings = get_settings()
    # Until the runner takes over the signals, SIGTERM/SIGINT unwind through the `finally`s
    # below, so the Prefect server child is never left behind.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGINT, _exit_on_signal)
    local = not os.environ.get("PREFECT_API_URL")
    if local:
        console.print(f"Menjalankan server Prefect lokal (data di {settings.data_dir}) ...")
    http: uvicorn.Server | None = None
    thread: threading.Thread | None = None
    try:
        with prefect_api(settings) as api_url:
            console.print(
                f"Server Prefect: {api_url.removesuffix('/api')}"
                + (" (hanya dari mesin ini)" if local else "")
            )
            if factory:
                http = _http_server(factory, host, port)
                thread = threading.Thread(target=http.run, name="netra-http")
                thread.start()
            try:
                console.print("Melayani flow Netra (Ctrl+C untuk berhenti)")
                serve_deployments(api_url, settings, limit=limit, webserver=runner_health)
            finally:
                if http is not None:
                    http.should_exit = True  # stops while the Prefect server stops
    finally:
        if thread is not None:
            thread.join(timeout=5)
    console.print("Netra berhenti.")


def worker(limit: LimitOption = None, runner_health: RunnerHealthOption = False) -> None:
    """Layani deployment Netra pada server Prefect (PREFECT_API_URL); bisa banyak mesin."""
    serve(api=False, app=None, host=None, port=None, limit=limit, runner_health=runner_health)


def api(host: HostOption = None, port: PortOption = None) -> None:
    """Jalankan API HTTP (uvicorn)."""
    from cases.bootstrap import engine_for

    engine_for(database_url())
    _http_server(API_FACTORY, host, port).run()
