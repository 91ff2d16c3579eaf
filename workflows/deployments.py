"""Netra's Prefect deployments (schedules from NETRA_* settings) and the runner that serves them.

`serve()` registers the deployments on the Prefect server at PREFECT_API_URL and runs their
scheduled flow runs in this process's runner until SIGTERM or Ctrl+C (the first signal stops
the runner gracefully, cancelling runs in flight; a second one exits at once).
`workflows.prefect_server.prefect_api` provides that server in the one-machine mode.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from datetime import timedelta
from pathlib import Path
from types import FrameType

from prefect.deployments.runner import RunnerDeployment
from prefect.runner import Runner
from prefect.schedules import Cron, Interval, Schedule
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.types.entrypoint import EntrypointType

from db.settings import Settings, get_settings
from workflows.flows import daily_digest, deadline_sweep, deliver_notices, verify_chains

SWEEP = "netra-deadline-sweep"
DIGEST = "netra-daily-digest"
VERIFY = "netra-verify-chains"
DELIVER = "netra-deliver-notices"
STOP_GRACE_S = 4.0


def sweep_schedule(settings: Settings) -> Schedule:
    """Every NETRA_SWEEP_INTERVAL_SECONDS if set, else on NETRA_SWEEP_CRON."""
    if settings.sweep_interval_seconds:
        return Interval(timedelta(seconds=settings.sweep_interval_seconds))
    return Cron(settings.sweep_cron, timezone=settings.timezone)


def build_deployments(settings: Settings | None = None) -> list[RunnerDeployment]:
    """The scheduled deployments; each runs one at a time (concurrency limit 1)."""
    s = settings or get_settings()
    built = [
        deadline_sweep.to_deployment(  # type: ignore[call-arg]  # `_sync`: Prefect's async_dispatch
            name=SWEEP,
            entrypoint_type=EntrypointType.MODULE_PATH,
            _sync=True,  # plain objects even when a caller's thread looks async to Prefect
            schedule=sweep_schedule(s),
            concurrency_limit=1,
            tags=["netra", "tenggat"],
            description="Pengingat, keterlambatan dan eskalasi tenggat perkara",
        ),
        deliver_notices.to_deployment(  # type: ignore[call-arg]  # `_sync`: Prefect's async_dispatch
            name=DELIVER,
            entrypoint_type=EntrypointType.MODULE_PATH,
            _sync=True,  # plain objects even when a caller's thread looks async to Prefect
            schedule=Cron(s.deliver_cron, timezone=s.timezone),
            concurrency_limit=1,
            tags=["netra", "notifikasi"],
            description="Pengiriman notifikasi (surel, apprise) dengan percobaan ulang",
        ),
        daily_digest.to_deployment(  # type: ignore[call-arg]  # `_sync`: Prefect's async_dispatch
            name=DIGEST,
            entrypoint_type=EntrypointType.MODULE_PATH,
            _sync=True,  # plain objects even when a caller's thread looks async to Prefect
            schedule=Cron(s.digest_cron, timezone=s.timezone),
            concurrency_limit=1,
            tags=["netra", "tenggat"],
            description="Ringkasan harian per instansi: jatuh tempo dan terlambat",
        ),
        verify_chains.to_deployment(  # type: ignore[call-arg]  # `_sync`: Prefect's async_dispatch
            name=VERIFY,
            entrypoint_type=EntrypointType.MODULE_PATH,
            _sync=True,  # plain objects even when a caller's thread looks async to Prefect
            schedule=Cron(s.verify_cron, timezone=s.timezone),
            concurrency_limit=1,
            tags=["netra", "audit"],
            description="Verifikasi rantai hash setiap perkara (malam hari)",
        ),
    ]
    # Called from synchronous code, `to_deployment` returns the deployment, not a coroutine.
    return [item for item in built if isinstance(item, RunnerDeployment)]


def _flow_run_processes() -> list[int]:
    """This process's children in its own process group: the flow runs it started.

    (The local Prefect server runs in a process group of its own and is stopped separately.)
    """
    me, group = os.getpid(), os.getpgid(0)
    found: list[int] = []
    proc = Path("/proc")
    if not proc.is_dir():
        return found
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == me and int(fields[2]) == group:
            found.append(int(entry.name))
    return found


def _kill_flow_runs() -> None:
    """The runner lets a cancelled run finish for up to 30 s: stopping must not wait that long.
    A killed sweep rolls back its transaction and is taken up again by the next one."""
    for pid in _flow_run_processes():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _stop_on_signals(runner: Runner) -> None:
    """SIGTERM and SIGINT stop the runner gracefully; runs still going after STOP_GRACE_S are
    killed; a second signal exits at once."""

    def stop(signum: int, _frame: FrameType | None) -> None:
        if runner.stopping or not runner.started or runner._loop is None:
            raise SystemExit(128 + signum)
        runner.stopping = True
        runner.execute_in_background(runner.astop)
        watchdog = threading.Timer(STOP_GRACE_S, _kill_flow_runs)
        watchdog.daemon = True
        watchdog.start()

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, stop)


async def _serve(runner: Runner, deployments: list[RunnerDeployment]) -> None:
    for deployment in deployments:
        await runner.aadd_deployment(deployment)  # registers it on the Prefect server
    # Runner.start installs its own SIGTERM handler (the same graceful stop): ours replace it.
    start = asyncio.ensure_future(runner.start())
    while not runner.started and not start.done():
        await asyncio.sleep(0.05)
    _stop_on_signals(runner)
    await start


def serve(
    api_url: str,
    settings: Settings | None = None,
    limit: int | None = None,
    webserver: bool = False,
) -> None:
    """Register and serve the deployments on `api_url` until a signal stops the runner.

    `webserver` starts the runner's health endpoint (PREFECT_RUNNER_SERVER_HOST/PORT, path
    /health), which docker-compose's health check of the runner asks.
    """
    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        runner = Runner(
            name="netra-runner",
            pause_on_shutdown=False,  # other runners keep serving the same schedules
            limit=limit,
            webserver=webserver,
        )
        _stop_on_signals(runner)
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_serve(runner, build_deployments(settings)))
