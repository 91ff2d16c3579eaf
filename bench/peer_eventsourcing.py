"""The peer: the `eventsourcing` library on the same PostgreSQL, same clients, same run.

One shared Application with `PERSISTENCE_MODULE=eventsourcing.postgres` and the library's
default settings (pool, no snapshots, JSON transcoder) in its own schema. A command loads
one aggregate from its events and appends one event carrying the same step data Netra
records; each thread walks its own aggregates through the same lifecycle steps (11 since issue 17).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any
from uuid import UUID

from sqlalchemy.engine import make_url

from bench.client_threads import Act, MakeAct, run_threads
from bench.common import LIFECYCLE, BenchSchema, Step, bench_url
from bench.processes import run_processes

STEPS = len(LIFECYCLE)
MAX_RATE = 1500.0


def available() -> str | None:
    """None if the library imports, else why not (it is the optional `bench` extra)."""
    try:
        import eventsourcing.postgres  # noqa: F401
    except ImportError as exc:
        return f"eventsourcing[postgres] not installed ({exc}); pip install -e '.[bench]'"
    return None


def _application(schema: BenchSchema, dossier: Any = None) -> Any:
    """The Application and its aggregate class; a client process passes the class its
    parent defined (the library registers each class once) and reuses the parent's table."""
    from eventsourcing.application import Application

    if dossier is not None:
        return Application(env={**_env(schema), "CREATE_TABLE": "n"}), dossier
    app: Any = Application(env=_env(schema))
    return app, _dossier_class()


@lru_cache(maxsize=1)
def _dossier_class() -> Any:
    """The peer's aggregate class, defined once per process: the library registers a class
    under its topic and refuses a second class of the same name (a later round)."""
    from eventsourcing.domain import Aggregate, event

    class Dossier(Aggregate):
        """A case as the peer models it: a state and the data of each step."""

        @event("Opened")
        def __init__(self, number: str) -> None:
            self.number = number
            self.state = "received"
            self.steps: dict[str, Any] = {}

        @event("Stepped")
        def take(self, trigger: str, data: dict[str, Any], at: str) -> None:
            self.steps[trigger] = {"data": data, "at": at}
            self.state = trigger

    return Dossier


def _env(schema: BenchSchema) -> dict[str, str]:
    url = make_url(bench_url())
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": url.database or "test",
        "POSTGRES_HOST": url.host or "127.0.0.1",
        "POSTGRES_PORT": str(url.port or 5432),
        "POSTGRES_USER": url.username or "postgres",
        "POSTGRES_PASSWORD": url.password or "",
        "POSTGRES_SCHEMA": schema.name,
    }


def _taking(app: Any) -> MakeAct:
    """Each client thread's command: load the aggregate, take the step, save its event."""

    def make_act(_client: int) -> Act:
        def act(aggregate_id: Any, step: Step) -> None:
            dossier = app.repository.get(aggregate_id)
            dossier.take(step.trigger, step.data, step.when)
            app.save(dossier)

        return act

    return make_act


def _point(app: Any, dossier: Any, clients: int, seconds: float) -> dict[str, Any]:
    per_client = math.ceil(MAX_RATE * seconds / STEPS / clients) + 2
    ids: list[list[UUID]] = []
    for c in range(clients):
        made = [dossier(f"P{clients}-{c}-{k}") for k in range(per_client)]
        app.save(*made)
        ids.append([d.id for d in made])
    warm = []
    for c in range(clients):
        made = dossier(f"W{clients}-{c}")
        app.save(made)
        warm.append([made.id])
    run_threads(_taking(app), warm, 30.0)
    return run_threads(_taking(app), ids, seconds)


def _process_client(share: tuple[BenchSchema, Any, str, int]) -> Callable[[], bool]:
    """In a client process: an Application of its own, its own aggregates, warmed up."""
    schema, parent_class, tag, count = share
    app, dossier = _application(schema, parent_class)
    warm = dossier(f"W{tag}")
    app.save(warm)
    for step in LIFECYCLE:
        loaded = app.repository.get(warm.id)
        loaded.take(step.trigger, step.data, step.when)
        app.save(loaded)
    made = [dossier(f"{tag}-{k}") for k in range(count)]
    app.save(*made)
    work = iter([(d.id, step) for d in made for step in LIFECYCLE])

    def one() -> bool:
        item = next(work, None)
        if item is None:
            return False
        aggregate_id, step = item
        loaded = app.repository.get(aggregate_id)
        loaded.take(step.trigger, step.data, step.when)
        app.save(loaded)
        return True

    return one


def run(
    schema: BenchSchema, clients: Sequence[int], seconds: float, processes: Sequence[int] = ()
) -> dict[str, Any]:
    problem = available()
    if problem:
        return {"available": False, "reason": problem}
    from importlib.metadata import version

    app, dossier = _application(schema)
    try:
        points = {str(c): _point(app, dossier, c, seconds) for c in clients}
    finally:
        app.close()
    in_processes = {}
    for c in processes:
        count = math.ceil(MAX_RATE * seconds / STEPS / c) + 2
        shares = [(schema, dossier, f"X{c}-{k}", count) for k in range(c)]
        in_processes[str(c)] = run_processes(_process_client, shares, seconds)
    return {
        "available": True,
        "library": f"eventsourcing {version('eventsourcing')}",
        "points": points,
        "process_points": in_processes,
    }
