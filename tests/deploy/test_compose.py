"""docker-compose.yml agrees with the code: services, health, dependencies, NETRA_* settings.

No Docker engine runs here; the file is parsed and checked against `db.settings.Settings`,
the CLI's commands and the Prefect deployments it will serve.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url
from typer.main import get_command

from cli.main import app
from db.evidence_settings import EvidenceSettings
from db.settings import Settings
from workflows.deployments import build_deployments

ROOT = Path(__file__).resolve().parents[2]
DEFAULTS = re.compile(r"\$\{([A-Z0-9_]+):-([^}]*)\}")


def _expand(value: str) -> str:
    """What compose substitutes when no .env overrides: `${NAME:-default}` -> default."""
    return DEFAULTS.sub(lambda m: m.group(2), value)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def env(service: dict[str, Any]) -> dict[str, str]:
    raw = service.get("environment", {})
    assert isinstance(raw, dict), "environment as a mapping"
    return {key: _expand(str(value)) for key, value in raw.items()}


def command(service: dict[str, Any]) -> list[str]:
    value = service["command"]
    return value if isinstance(value, list) else str(value).split()


def test_the_expected_services_exist(compose: dict[str, Any]) -> None:
    assert {"postgres", "prefect-server", "netra-runner", "netra-api", "netra-migrate"} <= set(
        compose["services"]
    )


def test_postgres_has_a_healthcheck_a_named_volume_and_creates_prefects_database(
    compose: dict[str, Any],
) -> None:
    postgres = compose["services"]["postgres"]
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    mounts = [str(v).split(":") for v in postgres["volumes"]]
    named = [m[0] for m in mounts if not m[0].startswith(".")]
    assert named and all(name in compose["volumes"] for name in named)
    init = [m for m in mounts if m[0].startswith("./")]
    assert init and init[0][1].startswith("/docker-entrypoint-initdb.d/")
    script = (ROOT / init[0][0]).read_text()
    prefect_db = make_url(
        env(compose["services"]["prefect-server"])["PREFECT_API_DATABASE_CONNECTION_URL"]
    ).database
    assert f"CREATE DATABASE {prefect_db};" in script


def test_prefect_server_runs_on_its_own_postgresql_database(compose: dict[str, Any]) -> None:
    server = compose["services"]["prefect-server"]
    prefect_url = make_url(env(server)["PREFECT_API_DATABASE_CONNECTION_URL"])
    netra_url = make_url(env(compose["services"]["netra-api"])["NETRA_DATABASE_URL"])
    postgres_env = env(compose["services"]["postgres"])
    assert prefect_url.drivername == "postgresql+asyncpg"
    assert prefect_url.host == netra_url.host == "postgres"
    assert prefect_url.database != netra_url.database
    assert netra_url.database == postgres_env["POSTGRES_DB"]
    assert netra_url.username == prefect_url.username == postgres_env["POSTGRES_USER"]
    assert netra_url.password == prefect_url.password == postgres_env["POSTGRES_PASSWORD"]
    assert command(server)[:3] == ["prefect", "server", "start"]
    assert "healthcheck" in server
    assert server["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_the_runner_serves_netras_deployments_on_the_prefect_server(
    compose: dict[str, Any],
) -> None:
    runner = compose["services"]["netra-runner"]
    assert command(runner) == ["netra", "serve"]
    server_cmd = command(compose["services"]["prefect-server"])
    port = server_cmd[server_cmd.index("--port") + 1]
    assert env(runner)["PREFECT_API_URL"] == f"http://prefect-server:{port}/api"
    assert runner["depends_on"]["prefect-server"]["condition"] == "service_healthy"
    assert runner["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert runner["depends_on"]["netra-migrate"]["condition"] == "service_completed_successfully"
    # The schedules the runner will serve are valid for the settings it gets.
    settings = Settings(
        **{k[6:].lower(): v for k, v in env(runner).items() if k.startswith("NETRA_")}
    )
    assert len(build_deployments(settings)) == 3


def test_the_api_service_uses_the_netra_database_and_is_health_checked(
    compose: dict[str, Any],
) -> None:
    api = compose["services"]["netra-api"]
    assert command(api) == ["netra", "api"]
    variables = env(api)
    assert make_url(variables["NETRA_DATABASE_URL"]).drivername == "postgresql+psycopg"
    assert f"{variables['NETRA_API_PORT']}:{variables['NETRA_API_PORT']}" in api["ports"]
    assert "/health" in " ".join(api["healthcheck"]["test"])
    assert api["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_every_netra_variable_is_a_setting_and_every_command_exists(
    compose: dict[str, Any],
) -> None:
    fields = {f"NETRA_{name.upper()}" for name in Settings.model_fields}
    fields |= {f"NETRA_EVIDENCE_{name.upper()}" for name in EvidenceSettings.model_fields}
    commands = set(get_command(app).commands)  # type: ignore[attr-defined]
    for name, service in compose["services"].items():
        for key in env(service):
            if key.startswith("NETRA_"):
                assert key in fields, f"{name}: {key} is not a field of db.settings.Settings"
        if "build" in service or service.get("image") == "netra:latest":
            cmd = command(service)
            if cmd[0] == "netra":
                assert cmd[1] in commands, f"{name}: netra {cmd[1]} does not exist"
        for dependency, rule in service.get("depends_on", {}).items():
            assert dependency in compose["services"]
            assert rule["condition"] in {
                "service_healthy",
                "service_started",
                "service_completed_successfully",
            }


def test_the_image_installs_the_package_that_provides_netra() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install -c constraints.txt ." in dockerfile
    for package in ("rules", "states", "db", "letters", "cases", "workflows", "cli", "api"):
        assert f"COPY {package}/ {package}/" in dockerfile
