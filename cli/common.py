"""What every command shares: global options, the clock, error mapping and output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps
from typing import Any, NoReturn, ParamSpec, TypeVar

import typer
from rich.console import Console

from db.settings import get_settings
from db.unit_of_work import UnitOfWork
from rules.errors import NetraError

console = Console()
err_console = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class Options:
    """Global options given before the sub-command (`netra --as bawaslu.kediri case list`)."""

    database_url: str | None = None
    user: str | None = None
    json: bool = False
    now: datetime | None = None


OPTIONS = Options()


def clock() -> datetime:
    """The current instant, or the `--now` the caller fixed (for replaying paper records)."""
    return OPTIONS.now or datetime.now(UTC)


def database_url() -> str:
    return OPTIONS.database_url or get_settings().database_url


def open_uow() -> UnitOfWork:
    from cases.bootstrap import unit_of_work

    return unit_of_work(database_url())


def acting_user() -> str:
    user = OPTIONS.user or get_settings().user
    if not user:
        fail("Petugas belum ditentukan: gunakan --as <id petugas> atau NETRA_USER", 2)
    return user


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[bold red]Gagal:[/] {message}", highlight=False)
    raise typer.Exit(code)


def handles_errors(function: Callable[P, R]) -> Callable[P, R]:
    """Map Netra's errors to a message on stderr and the error's exit code."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except NetraError as error:
            fail(f"{error.message} [{type(error).__name__}]", error.exit_code)

    return wrapper


def emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


@contextmanager
def status(message: str) -> Iterator[None]:
    if OPTIONS.json:
        yield
    else:
        with console.status(message):
            yield


def parse_pairs(pairs: list[str]) -> dict[str, str]:
    """`key=value` pairs from `--set` options."""
    data: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            fail(f"'{pair}' harus berbentuk nama=nilai", 2)
        data[key.strip()] = value
    return data
