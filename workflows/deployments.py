"""Netra's Prefect deployments (schedules from NETRA_* settings) and the runner that serves them.

`serve()` runs the deployments in this process with Prefect's runner. With PREFECT_API_URL
set it registers them on that Prefect server (docker-compose); without it, Prefect starts a
temporary local server on its own SQLite database (the embedded default).
"""

from __future__ import annotations

from prefect import serve as prefect_serve
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron
from prefect.types.entrypoint import EntrypointType

from db.settings import Settings, get_settings
from workflows.flows import daily_digest, deadline_sweep, verify_chains

SWEEP = "netra-deadline-sweep"
DIGEST = "netra-daily-digest"
VERIFY = "netra-verify-chains"


def build_deployments(settings: Settings | None = None) -> list[RunnerDeployment]:
    """The three scheduled deployments; one sweep at a time (concurrency limit 1)."""
    s = settings or get_settings()
    built = [
        deadline_sweep.to_deployment(
            name=SWEEP,
            entrypoint_type=EntrypointType.MODULE_PATH,
            schedule=Cron(s.sweep_cron, timezone=s.timezone),
            concurrency_limit=1,
            tags=["netra", "tenggat"],
            description="Pengingat, keterlambatan dan eskalasi tenggat perkara",
        ),
        daily_digest.to_deployment(
            name=DIGEST,
            entrypoint_type=EntrypointType.MODULE_PATH,
            schedule=Cron(s.digest_cron, timezone=s.timezone),
            concurrency_limit=1,
            tags=["netra", "tenggat"],
            description="Ringkasan harian per instansi: jatuh tempo dan terlambat",
        ),
        verify_chains.to_deployment(
            name=VERIFY,
            entrypoint_type=EntrypointType.MODULE_PATH,
            schedule=Cron(s.verify_cron, timezone=s.timezone),
            concurrency_limit=1,
            tags=["netra", "audit"],
            description="Verifikasi rantai hash setiap perkara (malam hari)",
        ),
    ]
    # Called from synchronous code, `to_deployment` returns the deployment, not a coroutine.
    return [item for item in built if isinstance(item, RunnerDeployment)]


def serve(settings: Settings | None = None, limit: int | None = None) -> None:
    """Serve the deployments until interrupted (blocks)."""
    prefect_serve(*build_deployments(settings), limit=limit)
