"""What every command shares: global options, who is acting, the clock, errors and output.

Identity: the CLI acts with the signed-in officer's token (`netra login`, or NETRA_TOKEN).
`--as <officer>` is the operator's path: an administrator's token acting explicitly for an
officer, recorded on every event. `--now` is accepted only by a database that allows fixed
clocks (the demo and test databases); production databases refuse it.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps
from typing import TYPE_CHECKING, Any, NoReturn, ParamSpec, TypeVar

import typer
from rich.console import Console

from cli.safe_text import shown
from db import environment
from db.storage_errors import is_storage_error
from rules.errors import NetraError, StorageError

if TYPE_CHECKING:
    from db.read_unit_of_work import ReadUnitOfWork
    from db.unit_of_work import UnitOfWork

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class Options:
    """Global options given before the sub-command (`netra --json case list`)."""

    database_url: str | None = None
    user: str | None = None  # --as: the officer an administrator acts for
    json: bool = False
    now: datetime | None = None
    identity: tuple[str, str | None] | None = None  # (acting officer, operator), resolved once


OPTIONS = Options()


def database_url() -> str:
    return OPTIONS.database_url or environment.database_url()


def _plain_uow() -> UnitOfWork:
    from cases.bootstrap import unit_of_work

    return unit_of_work(database_url())


def _read_uow(operator: str | None = None) -> ReadUnitOfWork:
    """A read-only unit of work (no ORM) on the chosen database."""
    from cases.bootstrap import read_unit_of_work

    return read_unit_of_work(database_url(), operator)


def clock() -> datetime:
    """The server clock, or the `--now` a demo/test database allows (checked here and again
    by the event store)."""
    if OPTIONS.now is None:
        return datetime.now(UTC)
    from cases.identity.clock import require_fixed_clock_allowed

    require_fixed_clock_allowed(_plain_uow())
    return OPTIONS.now


def _token() -> str | None:
    explicit = os.environ.get("NETRA_TOKEN")
    if explicit:
        return explicit
    from cli.credentials import stored_token

    return stored_token(database_url())


def identity() -> tuple[str, str | None]:
    """(acting officer id, operator id or None), from the token and `--as`."""
    if OPTIONS.identity is None:
        token = _token()
        if not token:
            fail("Belum masuk: jalankan `netra login <id petugas>` atau setel NETRA_TOKEN", 5)
        from cases.identity.operators import check_operator
        from cases.identity.tokens import authenticate_token

        owner = authenticate_token(_read_uow(), token)
        wanted = OPTIONS.user or owner
        if wanted == owner:
            OPTIONS.identity = (owner, None)
        else:
            check_operator(_read_uow(), owner, wanted)
            OPTIONS.identity = (wanted, owner)
    return OPTIONS.identity


def open_uow() -> UnitOfWork:
    """A unit of work on the chosen database; with `--as`, it carries the operator."""
    from cases.bootstrap import engine_for
    from db.unit_of_work import UnitOfWork

    operator = identity()[1] if OPTIONS.user else None
    return UnitOfWork(engine_for(database_url()), operator=operator)


def open_read_uow() -> ReadUnitOfWork:
    """A read-only unit of work for short read commands (`case show`); with `--as`, it
    carries the operator."""
    return _read_uow(identity()[1] if OPTIONS.user else None)


def acting_user() -> str:
    return identity()[0]


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[bold red]Gagal:[/] {shown(message)}")
    raise typer.Exit(code)


def handles_errors(function: Callable[P, R]) -> Callable[P, R]:
    """Map Netra's errors to a message on stderr and the error's exit code; a database
    failure becomes a named error (exit 9) without SQL or a traceback."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except NetraError as error:
            fail(f"{error.message} [{error.label}]", error.exit_code)
        except Exception as error:
            if not is_storage_error(error):
                raise
            fail(
                "Basis data menolak atau gagal menjalankan perintah; tidak ada yang ditulis "
                f"[{StorageError.label}: {type(getattr(error, 'orig', error)).__name__}]",
                9,
            )

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
