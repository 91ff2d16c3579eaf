"""The Prefect server the flows are served on: a managed local child process, or an external one.

One-machine mode (no PREFECT_API_URL): `prefect server start` runs as a child process of
`netra serve`, bound to 127.0.0.1 on NETRA_PREFECT_PORT, with its own SQLite database under
NETRA_DATA_DIR, analytics off and its services (the scheduler among them) running. It is
stopped, with its process group, when `netra serve` stops. With PREFECT_API_URL set
(docker-compose), that server must answer its health check, or `netra serve` refuses to start.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from db.settings import Settings, get_settings
from rules.errors import NetraError

LOCAL_HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 5.0


class PrefectServerUnavailable(NetraError):
    """The Prefect server cannot be started or reached: the flows would never be scheduled."""

    exit_code = 11
    http_status = 503


def health_url(api_url: str) -> str:
    return api_url.rstrip("/") + "/health"


def is_healthy(api_url: str, timeout: float = 2.0) -> bool:
    """True when the Prefect API at `api_url` answers its health check."""
    try:
        with urllib.request.urlopen(health_url(api_url), timeout=timeout) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((LOCAL_HOST, port))
        except OSError:
            return False
    return True


def local_api_url(settings: Settings | None = None) -> str:
    """Where the one-machine mode's Prefect API listens."""
    s = settings or get_settings()
    return f"http://{LOCAL_HOST}:{s.prefect_port}/api"


def server_environment(settings: Settings, home: Path) -> dict[str, str]:
    """The child's environment: its own home and SQLite database, local only, no analytics."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(
        {
            "PREFECT_HOME": str(home),
            "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{home / 'prefect.db'}",
            "PREFECT_SERVER_API_HOST": LOCAL_HOST,
            "PREFECT_SERVER_API_PORT": str(settings.prefect_port),
            "PREFECT_UI_API_URL": local_api_url(settings),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "true",
        }
    )
    return env


@dataclass
class LocalPrefectServer:
    """`prefect server start` as a child process in its own process group."""

    settings: Settings
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)

    @property
    def home(self) -> Path:
        return Path(self.settings.data_dir).resolve() / "prefect"

    @property
    def api_url(self) -> str:
        return local_api_url(self.settings)

    @property
    def log_path(self) -> Path:
        return self.home / "server.log"

    def start(self, timeout: float = STARTUP_TIMEOUT_S) -> str:
        """Start the server and wait for its health check; its API URL."""
        port = self.settings.prefect_port
        if not _port_is_free(port):
            raise PrefectServerUnavailable(
                f"Port {LOCAL_HOST}:{port} sudah dipakai (server Prefect lain atau "
                "`netra serve` lain?). Hentikan proses itu, pilih NETRA_PREFECT_PORT lain, "
                "atau tetapkan PREFECT_API_URL ke server Prefect yang sudah berjalan."
            )
        self.home.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            "-m",
            "prefect",
            "server",
            "start",
            "--host",
            LOCAL_HOST,
            "--port",
            str(port),
            "--analytics-off",
            "--scheduler",
        ]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                env=server_environment(self.settings, self.home),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                process_group=0,  # Ctrl+C reaches netra only; netra stops the server itself
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise PrefectServerUnavailable(
                    f"Server Prefect berhenti saat dijalankan (kode {self.process.returncode}); "
                    f"lihat {self.log_path}:\n{self._log_tail()}"
                )
            if is_healthy(self.api_url, timeout=1.0):
                return self.api_url
            time.sleep(0.25)
        self.stop()
        raise PrefectServerUnavailable(
            f"Server Prefect tidak siap dalam {timeout:.0f} detik; lihat {self.log_path}"
        )

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> None:
        """SIGTERM to the server's process group, SIGKILL after `timeout`; idempotent."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                return
            try:
                process.wait(timeout=timeout)
                return
            except subprocess.TimeoutExpired:
                continue

    def _log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@contextmanager
def prefect_api(settings: Settings | None = None) -> Iterator[str]:
    """The Prefect API URL to register and serve on, for the time of the block.

    With PREFECT_API_URL set, that server must be healthy. Otherwise a local server is started
    as a child process and stopped when the block ends, whatever ends it.
    """
    s = settings or get_settings()
    external = os.environ.get("PREFECT_API_URL")
    if external:
        if not is_healthy(external, timeout=5.0):
            raise PrefectServerUnavailable(
                f"Server Prefect di PREFECT_API_URL={external} tidak menjawab "
                f"({health_url(external)}). Jalankan server itu, atau kosongkan PREFECT_API_URL "
                "agar Netra menjalankan server Prefect lokalnya sendiri."
            )
        yield external
        return
    server = LocalPrefectServer(s)
    try:
        yield server.start()
    finally:
        server.stop()
