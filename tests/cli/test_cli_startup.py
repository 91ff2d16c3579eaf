"""`netra --help` lists every command without importing them; each listed help is the
command's own, and every listed command loads."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import LAZY, load_command


def fresh_python(
    probe: str, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run `probe` in a fresh interpreter (nothing imported yet), output captured."""
    return subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=env,
        check=check,
        timeout=120,
    )


@pytest.mark.parametrize("name", list(LAZY))
def test_each_listed_help_is_the_commands_own(name: str) -> None:
    command = load_command(name)
    own = (command.help or "").strip().split("\n\n")[0]
    assert " ".join(own.split()) == LAZY[name][2]


def test_help_imports_neither_the_database_layer_nor_the_services() -> None:
    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from cli.main import app\n"
        "result = CliRunner().invoke(app, ['--help'])\n"
        "assert result.exit_code == 0, result.output\n"
        "assert 'rebuild-projection' in result.output and 'evidence' in result.output\n"
        "heavy = sorted(m for m in ('sqlalchemy', 'cases.commands', 'db.unit_of_work', 'jinja2')"
        " if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    done = fresh_python(probe)
    assert done.stdout.strip() == ""


def test_case_show_does_not_load_the_letter_machinery() -> None:
    probe = (
        "import sys\n"
        "from cli.main import load_command\n"
        "load_command('case')\n"
        "print(','.join(m for m in ('cases.commands', 'jinja2', 'letters.render') if m in sys.modules))\n"
    )
    done = fresh_python(probe)
    assert done.stdout.strip() == ""


def test_case_step_commands_are_built_only_when_asked_for() -> None:
    probe = (
        "import typer\n"
        "from cli.main import load_command\n"
        "from rules.ruleset import load_rule_set\n"
        "group = load_command('case')\n"
        "ctx = typer.Context(group)\n"
        "fixed = 'show' in group.commands and 'register' not in group.commands\n"
        "show = group.get_command(ctx, 'show') is not None\n"
        "print(fixed, show, load_rule_set.cache_info().currsize)\n"
        "print(group.get_command(ctx, 'register') is not None, 'register' in group.list_commands(ctx))\n"
    )
    done = fresh_python(probe)
    assert done.stdout.split("\n")[:2] == ["True True 0", "True True"]


def test_case_help_lists_the_fixed_commands_then_every_step() -> None:
    from typer.testing import CliRunner

    from cli.main import app
    from rules.ruleset import load_rule_set

    result = CliRunner().invoke(app, ["case", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    triggers = {spec.trigger.replace("_", "-") for spec in load_rule_set().lifecycle.transitions}
    rows = [line.split()[1] for line in result.output.splitlines() if line.startswith("│ ")]
    listed = [name for name in rows if not name.startswith("-")]
    assert listed[:8] == [
        "open",
        "show",
        "list",
        "advance",
        "timeline",
        "note",
        "reassign",
        "steps",
    ]
    assert triggers <= set(listed)


# What `netra case show` on SQLite must not import: the PostgreSQL driver, migrations (the
# database is at its heads), working-day holidays, password hashing and TOTP, the command
# services, the letter machinery.
NOT_FOR_CASE_SHOW = (
    "psycopg",
    "alembic",
    "holidays",
    "argon2",
    "pyotp",
    "cases.commands",
    "cases.identity.accounts",
    "jinja2",
    "letters.render",
)


def test_case_show_on_sqlite_imports_only_what_it_reads_with(tmp_path: Path) -> None:
    from cases.demo import load_demo
    from cases.identity.tokens import create_token
    from db.engine import make_engine
    from db.migrate import upgrade
    from db.unit_of_work import UnitOfWork

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    engine = make_engine(url)
    upgrade(engine)
    load_demo(UnitOfWork(engine))
    _, token = create_token(UnitOfWork(engine), "bawaslu.probolinggo", "startup test", 1)
    engine.dispose()
    probe = (
        "import sys\n"
        "from cli.main import app\n"
        "sys.argv = ['netra', 'case', 'show', 'DEMO-PBL-1']\n"
        "try:\n"
        "    app()\n"
        "except SystemExit as done:\n"
        "    assert not done.code, done.code\n"
        f"print('loaded:', ','.join(m for m in {NOT_FOR_CASE_SHOW!r} if m in sys.modules))\n"
    )
    env = {**os.environ, "NETRA_TOKEN": token, "NETRA_DATABASE_URL": url, "COLUMNS": "100"}
    done = fresh_python(probe, env, check=False)
    assert done.returncode == 0, done.stderr
    assert "DEMO-PBL-1  Selesai" in done.stdout
    assert "Pelapor: Siti Maemunah" in done.stdout  # Bawaslu sees the reporter
    assert done.stdout.splitlines()[-1] == "loaded: "
