"""How the scheduled flows are doing, read from the Prefect server (`netra flows status`).

For each of Netra's deployments: its last finished run and result, its last successful run,
the next scheduled run and the schedule's interval. The sweep gets a warning when its last
success is older than twice its interval (or it never succeeded): deadlines are then not
firing on their own. The admin page of the web app can show the same `DeploymentStatus`es.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from prefect.client.orchestration import PrefectClient, get_client
from prefect.client.schemas.filters import (
    DeploymentFilter,
    DeploymentFilterId,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.client.schemas.schedules import CronSchedule, IntervalSchedule
from prefect.client.schemas.sorting import FlowRunSort
from prefect.exceptions import ObjectNotFound
from prefect.server.schemas.schedules import CronSchedule as ServerCronSchedule
from prefect.settings import PREFECT_API_URL, temporary_settings

from workflows.deployments import DELIVER, DIGEST, SWEEP, VERIFY
from workflows.prefect_server import PrefectServerUnavailable, is_healthy

FLOWS = {
    SWEEP: "deadline-sweep",
    DELIVER: "deliver-notices",
    DIGEST: "daily-digest",
    VERIFY: "verify-chains",
}
FINISHED = [StateType.COMPLETED, StateType.FAILED, StateType.CRASHED, StateType.CANCELLED]


@dataclass(frozen=True)
class DeploymentStatus:
    """One deployment as an operator needs to see it."""

    name: str
    registered: bool
    last_run_at: datetime | None = None
    last_result: str | None = None
    last_success_at: datetime | None = None
    next_run_at: datetime | None = None
    interval: timedelta | None = None
    warning: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "registered": self.registered,
            "last_run_at": self.last_run_at.isoformat() if self.last_run_at else None,
            "last_result": self.last_result,
            "last_success_at": self.last_success_at.isoformat() if self.last_success_at else None,
            "next_run_at": self.next_run_at.isoformat() if self.next_run_at else None,
            "interval_s": self.interval.total_seconds() if self.interval else None,
            "warning": self.warning,
        }


async def _interval(schedule: object) -> timedelta | None:
    if isinstance(schedule, IntervalSchedule):
        interval: timedelta = schedule.interval
        return interval
    if isinstance(schedule, CronSchedule):
        server = ServerCronSchedule(cron=schedule.cron, timezone=schedule.timezone)
        first, second = await server.get_dates(n=2)
        step: timedelta = second - first
        return step
    return None


def _finished_at(run: FlowRun) -> datetime | None:
    return run.end_time or run.start_time or run.expected_start_time


def _sweep_warning(status: DeploymentStatus, now: datetime) -> str | None:
    if status.name != SWEEP:
        return None
    if not status.registered:
        return "Penyisiran tenggat belum terdaftar: jalankan `netra serve`."
    if status.last_success_at is None:
        return "Penyisiran tenggat belum pernah berhasil: tenggat tidak berjalan sendiri."
    if status.interval and now - status.last_success_at > 2 * status.interval:
        late = now - status.last_success_at
        return (
            f"Penyisiran terakhir yang berhasil {int(late.total_seconds() // 60)} menit lalu, "
            f"lebih dari dua kali intervalnya ({int(status.interval.total_seconds() // 60)} "
            "menit): periksa runner dan server Prefect."
        )
    return None


async def _runs(
    client: PrefectClient, deployment_id: UUID, types: list[StateType], sort: FlowRunSort
) -> list[FlowRun]:
    return await client.read_flow_runs(
        deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
        flow_run_filter=FlowRunFilter(
            state=FlowRunFilterState(type=FlowRunFilterStateType(any_=types))
        ),
        sort=sort,
        limit=1,
    )


async def _status(client: PrefectClient, name: str, now: datetime) -> DeploymentStatus:
    try:
        deployment = await client.read_deployment_by_name(f"{FLOWS[name]}/{name}")
    except ObjectNotFound:
        status = DeploymentStatus(name, registered=False)
        return DeploymentStatus(**{**status.__dict__, "warning": _sweep_warning(status, now)})
    last = await _runs(client, deployment.id, FINISHED, FlowRunSort.END_TIME_DESC)
    success = await _runs(client, deployment.id, [StateType.COMPLETED], FlowRunSort.END_TIME_DESC)
    upcoming = await _runs(
        client, deployment.id, [StateType.SCHEDULED], FlowRunSort.NEXT_SCHEDULED_START_TIME_ASC
    )
    schedules = [s.schedule for s in deployment.schedules if s.active]
    status = DeploymentStatus(
        name,
        registered=True,
        last_run_at=_finished_at(last[0]) if last else None,
        last_result=last[0].state.type.value if last and last[0].state else None,
        last_success_at=_finished_at(success[0]) if success else None,
        next_run_at=upcoming[0].next_scheduled_start_time or upcoming[0].expected_start_time
        if upcoming
        else None,
        interval=await _interval(schedules[0]) if schedules else None,
    )
    return DeploymentStatus(**{**status.__dict__, "warning": _sweep_warning(status, now)})


async def deployment_statuses(now: datetime | None = None) -> list[DeploymentStatus]:
    """The status of every Netra deployment on the current Prefect API."""
    instant = now or datetime.now(UTC)
    async with get_client() as client:
        return [await _status(client, name, instant) for name in FLOWS]


def flows_status(api_url: str, now: datetime | None = None) -> list[DeploymentStatus]:
    """`deployment_statuses` on the Prefect server at `api_url` (it must be up)."""
    if not is_healthy(api_url, timeout=5.0):
        raise PrefectServerUnavailable(
            f"Server Prefect di {api_url} tidak menjawab: apakah `netra serve` berjalan?"
        )
    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        return asyncio.run(deployment_statuses(now))
