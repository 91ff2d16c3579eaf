"""`netra --help` lists every command without importing them; each listed help is the
command's own, and every listed command loads."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cli.main import LAZY, load_command


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
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == ""


def test_case_show_does_not_load_the_letter_machinery() -> None:
    probe = (
        "import sys\n"
        "from cli.main import load_command\n"
        "load_command('case')\n"
        "print(','.join(m for m in ('cases.commands', 'jinja2', 'letters.render') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == ""
