"""`netra flows status`: last run, result and next run per deployment; a late sweep warns."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from uuid import UUID

from prefect.client.orchestration import get_client
from prefect.settings import PREFECT_API_URL
from prefect.states import Completed, Failed, Running, Scheduled
from typer.testing import CliRunner

from cli.main import app
from db.settings import Settings
from workflows.deployments import DIGEST, SWEEP, build_deployments
from workflows.status import FLOWS, deployment_statuses


def _register() -> dict[str, UUID]:
    """Register the deployments as `netra serve` does (no runner needed to read statuses)."""
    return {d.name: d.apply() for d in build_deployments(Settings())}


async def _finish(deployment_id: UUID, final: object) -> None:
    async with get_client() as client:
        run = await client.create_flow_run_from_deployment(deployment_id)
        await client.set_flow_run_state(run.id, Running(), force=True)
        await client.set_flow_run_state(run.id, final, force=True)  # type: ignore[arg-type]


async def _schedule(deployment_id: UUID, at: datetime) -> None:
    async with get_client() as client:
        await client.create_flow_run_from_deployment(
            deployment_id, state=Scheduled(scheduled_time=at)
        )


def _by_name(now: datetime) -> dict[str, object]:
    return {s.name: s for s in asyncio.run(deployment_statuses(now))}


def test_status_warns_until_the_sweep_has_succeeded_and_when_it_falls_behind() -> None:
    ids = _register()
    now = datetime.now(UTC)
    fresh = _by_name(now)
    sweep = fresh[SWEEP]
    assert sweep.registered and sweep.last_run_at is None  # type: ignore[attr-defined]
    assert "belum pernah berhasil" in (sweep.warning or "")  # type: ignore[attr-defined]
    assert sweep.interval == timedelta(minutes=15)  # type: ignore[attr-defined]

    asyncio.run(_finish(ids[SWEEP], Completed()))
    asyncio.run(_finish(ids[DIGEST], Failed(message="boom")))
    asyncio.run(_schedule(ids[SWEEP], now + timedelta(minutes=10)))
    now = datetime.now(UTC)
    current = _by_name(now)
    sweep = current[SWEEP]
    assert sweep.warning is None  # type: ignore[attr-defined]
    assert sweep.last_result == "COMPLETED"  # type: ignore[attr-defined]
    assert sweep.last_success_at is not None  # type: ignore[attr-defined]
    assert abs(sweep.next_run_at - (now + timedelta(minutes=10))) < timedelta(minutes=1)  # type: ignore[attr-defined]
    digest = current[DIGEST]
    assert digest.last_result == "FAILED" and digest.last_success_at is None  # type: ignore[attr-defined]
    assert digest.warning is None  # type: ignore[attr-defined]

    # Thirty-one minutes without a successful sweep: more than twice its 15-minute interval.
    late = _by_name(now + timedelta(minutes=31))[SWEEP]
    assert "lebih dari dua kali intervalnya" in (late.warning or "")  # type: ignore[attr-defined]
    assert set(current) == set(FLOWS)


def test_flows_status_command_prints_every_deployment_and_exits_10_on_a_warning() -> None:
    _register()
    api = PREFECT_API_URL.value()
    result = CliRunner().invoke(app, ["--json", "flows", "status", "--api-url", api])
    assert result.exit_code in (0, 10), result.output
    statuses = {item["name"]: item for item in json.loads(result.stdout)}
    assert set(statuses) == set(FLOWS)
    assert all(item["registered"] for item in statuses.values())
    assert result.exit_code == (10 if any(i["warning"] for i in statuses.values()) else 0)
    table = CliRunner().invoke(app, ["flows", "status", "--api-url", api])
    assert table.exit_code == result.exit_code and "Flow Netra" in table.output


def test_flows_status_says_when_no_prefect_server_answers() -> None:
    result = CliRunner().invoke(app, ["flows", "status", "--api-url", "http://127.0.0.1:9/api"])
    assert result.exit_code == 11
    assert "tidak menjawab" in result.output and "127.0.0.1:9" in result.output
