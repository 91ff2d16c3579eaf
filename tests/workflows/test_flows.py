"""The flows run for real under Prefect, on SQLite and PostgreSQL, with a frozen instant."""

from __future__ import annotations

import pytest
import time_machine
from typer.testing import CliRunner

from cases.bootstrap import unit_of_work
from cases.deadlines import stop_clock
from cases.demo import load_demo
from cli.main import app
from db.settings import Settings
from tests.cases.helpers import database_dump
from tests.conftest import wib
from workflows.deployments import DELIVER, DIGEST, SWEEP, VERIFY, build_deployments
from workflows.flows import daily_digest, deadline_sweep, verify_chains


@pytest.fixture
def demo_url(db_url: str) -> str:
    load_demo(unit_of_work(db_url))
    return db_url


def test_sweep_flow_records_the_escalation_once_however_often_it_runs(demo_url: str) -> None:
    now = wib("2024-11-20T08:00")
    first = deadline_sweep(demo_url, now)
    assert first["missed"] == ["DEMO-KDR-1"]
    assert first["stepped"] == {"DEMO-KDR-1": "warn_ppk"}  # teguran before blocking
    assert first["reminded"] == ["DEMO-PSR-1"]
    uow = unit_of_work(demo_url)
    after = database_dump(uow.engine)
    again = deadline_sweep(demo_url, now)
    assert (again["missed"], again["reminded"], again["examined"]) == ([], [], 0)
    assert database_dump(uow.engine) == after
    with uow:
        assert uow.cases.get("DEMO-KDR-1").state == "ppk_warned"


def test_sweep_flow_uses_the_clock_when_no_instant_is_given(demo_url: str) -> None:
    with time_machine.travel(wib("2024-11-20T08:00"), tick=False):
        result = deadline_sweep(demo_url)
    assert result["missed"] == ["DEMO-KDR-1"]


def test_daily_digest_flow_tells_each_institution_once_a_day(demo_url: str) -> None:
    now = wib("2024-11-20T07:00")
    first = daily_digest(demo_url, now)
    assert first["BAWASLU-3575"] == {"due": 1, "late": 0, "notified": True}
    assert first["PEMDA-3571"] == {"due": 0, "late": 1, "notified": True}
    second = daily_digest(demo_url, now)
    assert second["BAWASLU-3575"]["notified"] is False


def test_verify_chains_flow_reports_intact_chains(demo_url: str) -> None:
    stop_clock(
        unit_of_work(demo_url), "bkpsdm.sukabumi", "DEMO-SKB-1", "x", wib("2024-12-02T09:00")
    )
    result = verify_chains(demo_url)
    assert result["ok"] is True and result["cases"] == 5


def test_the_deployments_build_with_schedules_from_netra_settings() -> None:
    settings = Settings(
        sweep_cron="*/5 * * * *", digest_cron="0 6 * * 1-5", timezone="Asia/Makassar"
    )
    deployments = {d.name: d for d in build_deployments(settings)}
    assert set(deployments) == {SWEEP, DELIVER, DIGEST, VERIFY}
    sweep = deployments[SWEEP]
    schedule = sweep.schedules[0].schedule
    assert (schedule.cron, schedule.timezone) == ("*/5 * * * *", "Asia/Makassar")  # type: ignore[union-attr]
    assert sweep.entrypoint == "workflows.flows.deadline_sweep"
    assert sweep.concurrency_limit == 1
    assert deployments[DIGEST].schedules[0].schedule.cron == "0 6 * * 1-5"  # type: ignore[union-attr]
    assert deployments[DELIVER].entrypoint == "workflows.flows.deliver_notices"


def test_a_sweep_interval_replaces_the_cron_schedule() -> None:
    sweep = {d.name: d for d in build_deployments(Settings(sweep_interval_seconds=30))}[SWEEP]
    assert sweep.schedules[0].schedule.interval.total_seconds() == 30  # type: ignore[union-attr]


def test_serve_and_worker_commands_exist() -> None:
    runner = CliRunner()
    for command in ("serve", "worker", "api"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, result.output
