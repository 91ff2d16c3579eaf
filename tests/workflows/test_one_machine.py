"""The one-machine mode for real: `netra serve --api` with its own Prefect server child.

The scheduler of that server (not the test) creates the sweep's flow runs on a 5-second
interval; the runner in `netra serve` runs them; SIGTERM stops the server, the runner, the
API and every flow-run process within seconds.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from cases.bootstrap import unit_of_work
from cases.demo import load_demo
from db.schema import CaseEventRow
from states.canonical import parse_utc
from tests.deadlines.builders import open_in
from workflows.deployments import SWEEP

NETRA = str(Path(sys.executable).parent / "netra")
STARTUP_BOUND_S = 240.0
STOP_BOUND_S = 15.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def session_processes(sid: int) -> list[int]:
    """Every live process of the session `sid` (orphans keep their session id)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getsid(int(entry.name)) == sid:
                    status = (entry / "stat").read_text().split(") ", 1)[1]
                    if not status.startswith("Z"):
                        found.append(int(entry.name))
            except (ProcessLookupError, PermissionError, FileNotFoundError):
                continue
    return found


def wait_for(
    what: str,
    check: Callable[[], Any],
    bound: float,
    serve: subprocess.Popen[bytes],
    every: float = 0.5,
) -> Any:
    """Poll `check` every `every` seconds until it returns something truthy (bounded)."""
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        assert serve.poll() is None, f"netra serve exited early ({serve.returncode})"
        result = check()
        if result:
            return result
        time.sleep(every)
    pytest.fail(f"not within {bound:.0f} s: {what}")


@pytest.fixture
def reminder_due(tmp_path: Path) -> tuple[str, list[str]]:
    """A SQLite database with the demo and laporan whose reminder (not deadline) is due now."""
    url = f"sqlite:///{tmp_path / 'netra.db'}"
    uow = unit_of_work(url)
    load_demo(uow)
    now = datetime.now(UTC)
    due = []
    for hours in (1, 25, 49):
        case = open_in(uow, f"T-NOW-{hours}", now - timedelta(hours=hours))
        deadline = case.deadline
        assert deadline is not None
        if deadline.remind_at and parse_utc(deadline.remind_at) <= now < parse_utc(deadline.due_at):
            due.append(case.case_id)
    assert due, "no laporan has its reminder due now"
    return url, due


@pytest.fixture
def serve_env(tmp_path: Path, reminder_due: tuple[str, list[str]]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NETRA_"))}
    env.update(
        {
            "NETRA_DATABASE_URL": reminder_due[0],
            "NETRA_DATA_DIR": str(tmp_path / "data"),
            "NETRA_PREFECT_PORT": str(free_port()),
            "NETRA_API_PORT": str(free_port()),
            "NETRA_SWEEP_INTERVAL_SECONDS": "5",
            "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2",
            "PREFECT_RUNNER_POLL_FREQUENCY": "2",
            "PREFECT_HOME": str(tmp_path / "client-home"),
        }
    )
    return env


def reminded_by_system(url: str, case_ids: list[str]) -> list[str]:
    uow = unit_of_work(url)
    with uow:
        rows = uow.session.execute(
            select(CaseEventRow.case_id).where(
                CaseEventRow.case_id.in_(case_ids),
                CaseEventRow.event_type == "deadline_reminded",
                CaseEventRow.actor_id == "system",
            )
        )
        return [case_id for (case_id,) in rows]


def sweeps_in_state(api: str, *states: str) -> list[dict[str, Any]]:
    return scheduled_sweeps(api, *states)


def scheduled_sweeps_completed(api: str) -> list[dict[str, Any]]:
    return scheduled_sweeps(api, "COMPLETED")


def scheduled_sweeps(api: str, *states: str) -> list[dict[str, Any]]:
    try:
        deployment = httpx.get(f"{api}/deployments/name/deadline-sweep/{SWEEP}", timeout=5)
        if deployment.status_code != 200:
            return []
        runs = httpx.post(
            f"{api}/flow_runs/filter",
            json={
                "flow_runs": {
                    "deployment_id": {"any_": [deployment.json()["id"]]},
                    "state": {"type": {"any_": list(states)}},
                }
            },
            timeout=5,
        ).json()
    except httpx.HTTPError:
        return []
    return [run for run in runs if run["auto_scheduled"]]


def test_netra_serve_runs_the_scheduled_sweep_and_stops_cleanly_on_sigterm(
    serve_env: dict[str, str], reminder_due: tuple[str, list[str]], tmp_path: Path
) -> None:
    url, due = reminder_due
    api = f"http://127.0.0.1:{serve_env['NETRA_PREFECT_PORT']}/api"
    log = (tmp_path / "serve.log").open("wb")
    serve = subprocess.Popen(
        [NETRA, "serve", "--api"],
        env=serve_env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    sid = serve.pid
    try:
        wait_for("Prefect server healthy", lambda: _healthy(api), STARTUP_BOUND_S, serve)
        # The Prefect server is a child of netra serve, bound to 127.0.0.1, with its own
        # SQLite database under the data directory.
        assert (tmp_path / "data" / "prefect" / "prefect.db").exists()
        runs = wait_for(
            "a completed sweep run created by the scheduler",
            lambda: scheduled_sweeps_completed(api),
            STARTUP_BOUND_S,
            serve,
        )
        assert runs[0]["state"]["type"] == "COMPLETED"
        reminded = wait_for(
            "the due reminder recorded by the system",
            lambda: reminded_by_system(url, due),
            30,
            serve,
        )
        assert sorted(reminded) == sorted(due)
        api_health = httpx.get(f"http://127.0.0.1:{serve_env['NETRA_API_PORT']}/health")
        assert api_health.status_code == 200
        assert len(session_processes(sid)) >= 2  # netra serve and its Prefect server
        # Stop it while a scheduled sweep is in flight (picked up by the runner and starting,
        # or running): that run must not hold the stop up. A sweep with nothing left to do
        # runs for a fraction of a second, so poll often and count a run being started too.
        wait_for(
            "a sweep run in flight",
            lambda: sweeps_in_state(api, "PENDING", "RUNNING"),
            60,
            serve,
            every=0.05,
        )
    finally:
        stopped_at = time.monotonic()
        serve.send_signal(signal.SIGTERM)
        try:
            code = serve.wait(timeout=STOP_BOUND_S)
        except subprocess.TimeoutExpired:
            os.killpg(sid, signal.SIGKILL)
            log.close()
            tail = (tmp_path / "serve.log").read_text(errors="replace")[-4000:]
            pytest.fail(f"netra serve did not stop within 15 s of SIGTERM:\n{tail}")
        log.close()
    took = time.monotonic() - stopped_at
    leftover = session_processes(sid)
    output = (tmp_path / "serve.log").read_text(errors="replace")
    assert leftover == [], f"processes left after SIGTERM: {leftover}\n{output[-3000:]}"
    assert code == 0, output[-3000:]
    assert took < STOP_BOUND_S
    # Each reminder is recorded once, however many scheduled runs there were.
    assert sorted(reminded_by_system(url, due)) == sorted(due)


def _healthy(api: str) -> bool:
    try:
        return httpx.get(f"{api}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_serve_refuses_to_start_when_the_configured_prefect_server_does_not_answer(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NETRA_"))}
    env.update(
        {
            "NETRA_DATABASE_URL": f"sqlite:///{tmp_path / 'netra.db'}",
            "PREFECT_API_URL": f"http://127.0.0.1:{free_port()}/api",
        }
    )
    result = subprocess.run(
        [NETRA, "serve"], env=env, cwd=tmp_path, capture_output=True, timeout=120
    )
    assert result.returncode == 11
    assert b"PREFECT_API_URL" in result.stderr + result.stdout
