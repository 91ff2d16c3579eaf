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


# What `netra case show` must not import. On a SQLite file it reads through the sqlite3
# driver (db/sqlite_rows.py): not SQLAlchemy at all, nor the PostgreSQL driver, migrations
# (the database is at its heads), pydantic-settings, the rule models (labels come from the
# validated label view, rules/case_labels.py) or YAML, working-day holidays, password hashing
# and TOTP, the command services, the letter machinery. pydantic itself is imported by Typer
# 0.29, which coerces every command-line parameter through a pydantic TypeAdapter.
NOT_FOR_CASE_SHOW = (
    "sqlalchemy",
    "psycopg",
    "alembic",
    "pydantic_settings",
    "rules.models",
    "rules.ruleset",
    "yaml",
    "db.schema",
    "db.unit_of_work",
    "holidays",
    "argon2",
    "pyotp",
    "cases.commands",
    "cases.identity.accounts",
    "jinja2",
    "letters.render",
)
# On PostgreSQL it reads through SQLAlchemy Core and psycopg, still without the ORM.
NOT_FOR_CASE_SHOW_ON_POSTGRES = (
    *(name for name in NOT_FOR_CASE_SHOW if name not in ("sqlalchemy", "psycopg")),
    "sqlalchemy.orm",
)


def test_case_show_imports_only_what_it_reads_with(db_url: str, tmp_path: Path) -> None:
    from cases.demo import load_demo
    from cases.identity.tokens import create_token
    from db.engine import make_engine
    from db.unit_of_work import UnitOfWork

    engine = make_engine(db_url)
    load_demo(UnitOfWork(engine))
    _, token = create_token(UnitOfWork(engine), "bawaslu.probolinggo", "startup test", 1)
    engine.dispose()
    pinned = NOT_FOR_CASE_SHOW if db_url.startswith("sqlite") else NOT_FOR_CASE_SHOW_ON_POSTGRES
    probe = (
        "import sys\n"
        "from cli.main import app\n"
        "sys.argv = ['netra', 'case', 'show', 'DEMO-PBL-1']\n"
        "try:\n"
        "    app()\n"
        "except SystemExit as done:\n"
        "    assert not done.code, done.code\n"
        f"print('loaded:', ','.join(m for m in {pinned!r} if m in sys.modules))\n"
    )
    env = {
        **os.environ,
        "NETRA_TOKEN": token,
        "NETRA_DATABASE_URL": db_url,
        "COLUMNS": "100",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    fresh_python(probe, env, check=False)  # the first run stores the rule labels' view
    done = fresh_python(probe, env, check=False)
    assert done.returncode == 0, done.stderr
    assert "DEMO-PBL-1  Selesai" in done.stdout
    assert "Pelapor: Siti Maemunah" in done.stdout  # Bawaslu sees the reporter
    assert done.stdout.splitlines()[-1] == "loaded: "
