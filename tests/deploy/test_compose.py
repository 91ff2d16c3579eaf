"""docker-compose.yml agrees with the code and holds least privilege.

No Docker engine runs here; the file is parsed and checked against `db.settings.Settings`,
the CLI's commands and the Prefect deployments it will serve: services and their health
checks (the runner's included), the mail relay and the S3 store, secrets without defaults,
nothing but the web entry bound to the host, Prefect's UI on the internal network only.
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
from db.settings import Settings, get_settings
from workflows.deployments import build_deployments

ROOT = Path(__file__).resolve().parents[2]
SUBSTITUTION = re.compile(r"\$\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?\}")
SECRET = re.compile(r"PASSWORD|SECRET|ACCESS_KEY|UI_AUTH|TOKEN|ROOT_USER")
EXAMPLE = {"NETRA_DB_OWNER_PASSWORD": "owner-pw", "NETRA_DB_PASSWORD": "app-pw"}


def _expand(value: str, given: dict[str, str]) -> str:
    """What compose substitutes: `${X:-d}` -> d when X is unset; `${X:?msg}` needs X given."""

    def substitute(match: re.Match[str]) -> str:
        name, operator, default = match.group(1), match.group(2), match.group(3)
        if name in given:
            return given[name]
        if operator and operator.endswith("-"):
            return default
        return f"<{name}>"  # a required variable compose would refuse to start without

    return SUBSTITUTION.sub(substitute, value)


@pytest.fixture(scope="module")
def text() -> str:
    return (ROOT / "docker-compose.yml").read_text()


@pytest.fixture(scope="module")
def compose(text: str) -> dict[str, Any]:
    loaded = yaml.safe_load(text)
    assert isinstance(loaded, dict)
    return loaded


def env(service: dict[str, Any], given: dict[str, str] | None = None) -> dict[str, str]:
    raw = service.get("environment", {})
    assert isinstance(raw, dict), "environment as a mapping"
    return {key: _expand(str(value), given or EXAMPLE) for key, value in raw.items()}


def command(service: dict[str, Any]) -> list[str]:
    value = service["command"]
    return value if isinstance(value, list) else str(value).split()


def test_the_expected_services_exist(compose: dict[str, Any]) -> None:
    assert {
        "postgres",
        "prefect-server",
        "netra-runner",
        "netra-api",
        "netra-migrate",
        "mailpit",
        "minio",
    } <= set(compose["services"])


def test_every_long_running_service_has_a_health_check(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        if service.get("restart") == "no":
            continue  # the one-shot migration: others wait for it to complete successfully
        test = service.get("healthcheck", {}).get("test")
        assert test and test[0] in {"CMD", "CMD-SHELL"}, f"{name} has no health check"


def test_no_secret_has_a_default(text: str, compose: dict[str, Any]) -> None:
    for match in SUBSTITUTION.finditer(text):
        name, operator = match.group(1), match.group(2)
        if SECRET.search(name):
            assert operator == ":?", f"${{{name}}} must be required (:?), not defaulted"
    # And every secret a service receives is such a required variable, never a literal.
    for name, service in compose["services"].items():
        for key, value in service.get("environment", {}).items():
            if SECRET.search(key):
                assert re.fullmatch(r"\$\{[A-Z0-9_]+:\?[^}]*\}", str(value)), (name, key)
            if "://" in str(value) and "@" in str(value):
                password = str(value).split("://", 1)[1].split("@", 1)[0].partition(":")[2]
                assert re.fullmatch(r"\$\{[A-Z0-9_]+:\?[^}]*\}", password), (name, key)


def test_the_env_example_lists_every_required_variable(text: str) -> None:
    required = {m.group(1) for m in SUBSTITUTION.finditer(text) if m.group(2) == ":?"}
    example = (ROOT / "deploy" / "env.example").read_text()
    listed = {line.split("=", 1)[0] for line in example.splitlines() if "=" in line}
    assert required <= listed


def test_only_the_web_entry_is_bound_to_the_host(compose: dict[str, Any]) -> None:
    published = {name for name, s in compose["services"].items() if s.get("ports")}
    assert published == {"netra-api"}
    networks = compose["networks"]
    assert networks["internal"]["internal"] is True
    for name in ("postgres", "prefect-server", "minio", "netra-migrate"):
        assert compose["services"][name]["networks"] == ["internal"], name


def test_prefect_runs_on_its_own_database_and_role_with_analytics_off(
    compose: dict[str, Any],
) -> None:
    server = compose["services"]["prefect-server"]
    prefect_url = make_url(env(server)["PREFECT_API_DATABASE_CONNECTION_URL"])
    netra_url = make_url(env(compose["services"]["netra-api"])["NETRA_DATABASE_URL"])
    assert prefect_url.drivername == "postgresql+asyncpg"
    assert prefect_url.host == netra_url.host == "postgres"
    assert prefect_url.database == "prefect" != netra_url.database
    assert prefect_url.username == "prefect"
    assert command(server)[:3] == ["prefect", "server", "start"]
    assert "--analytics-off" in command(server)
    assert env(server)["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    assert "ports" not in server
    assert server["depends_on"]["postgres"]["condition"] == "service_healthy"
    script = (ROOT / "deploy/postgres/10-roles-and-databases.sh").read_text()
    assert "CREATE DATABASE prefect OWNER prefect;" in script
    mounts = [str(v).split(":") for v in compose["services"]["postgres"]["volumes"]]
    assert [m[0] for m in mounts if m[0].startswith("./")] == [
        "./deploy/postgres/10-roles-and-databases.sh"
    ]


def test_the_app_connects_as_the_least_privileged_role_and_migrates_as_the_owner(
    compose: dict[str, Any],
) -> None:
    postgres = env(compose["services"]["postgres"])
    owner = postgres["POSTGRES_USER"]
    app_role = get_settings().database_app_role
    for name in ("netra-api", "netra-runner", "netra-migrate"):
        variables = env(compose["services"][name])
        url = make_url(variables["NETRA_DATABASE_URL"])
        assert (url.username, url.password) == (app_role, "app-pw"), name
        assert url.database == postgres["POSTGRES_DB"]
        if name == "netra-migrate":
            migration = make_url(variables["NETRA_MIGRATION_DATABASE_URL"])
            assert (migration.username, migration.password) == (owner, "owner-pw")
        else:
            assert "NETRA_MIGRATION_DATABASE_URL" not in variables, f"{name} holds the owner"
    script = (ROOT / "deploy/postgres/10-roles-and-databases.sh").read_text()
    assert f"CREATE ROLE {app_role} LOGIN" in script


def test_the_runner_serves_netras_deployments_with_a_health_endpoint(
    compose: dict[str, Any],
) -> None:
    runner = compose["services"]["netra-runner"]
    assert command(runner) == ["netra", "serve", "--runner-health"]
    variables = env(runner)
    assert variables["PREFECT_API_URL"] == "http://prefect-server:4200/api"
    assert variables["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    port = variables["PREFECT_RUNNER_SERVER_PORT"]
    assert variables["PREFECT_RUNNER_SERVER_HOST"] == "127.0.0.1"
    assert f"http://127.0.0.1:{port}/health" in " ".join(runner["healthcheck"]["test"])
    for dependency in ("prefect-server", "postgres", "mailpit"):
        assert runner["depends_on"][dependency]["condition"] == "service_healthy"
    assert runner["depends_on"]["netra-migrate"]["condition"] == "service_completed_successfully"
    settings = Settings(
        **{k[6:].lower(): v for k, v in variables.items() if k.startswith("NETRA_")}
    )
    assert len(build_deployments(settings)) == 4
    assert (settings.smtp_host, settings.smtp_port) == ("mailpit", 1025)


def test_the_mail_relay_takes_netras_notices_and_drops_resent_copies(
    compose: dict[str, Any],
) -> None:
    mailpit = compose["services"]["mailpit"]
    variables = env(mailpit)
    assert variables["MP_IGNORE_DUPLICATE_IDS"] == "true"  # the Message-ID idempotency key
    assert variables["MP_SMTP_RELAY_ALL"] == "true"
    assert variables["MP_SMTP_RELAY_HOST"] == "<NETRA_SMTP_RELAY_HOST>"
    assert "ports" not in mailpit
    assert "readyz" in " ".join(mailpit["healthcheck"]["test"])


def test_the_s3_store_requires_its_credentials(compose: dict[str, Any]) -> None:
    minio = compose["services"]["minio"]
    variables = env(minio)
    assert variables["MINIO_ROOT_USER"] == "<NETRA_S3_ACCESS_KEY>"
    assert variables["MINIO_ROOT_PASSWORD"] == "<NETRA_S3_SECRET_KEY>"
    assert "ports" not in minio


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
        if name == "postgres":
            continue  # passwords handed to the init script, not Netra settings
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
