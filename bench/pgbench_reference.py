"""The physical limit: `pgbench` replaying the exact SQL Netra issues for each lifecycle step.

How the script is made: one real case is walked through the lifecycle with psycopg's
`Cursor.execute`/`executemany` and `Connection.commit` wrapped, and the command path's
calls to libpq (`db.wire`: execute, execute_in_transaction, commit, execute_and_commit),
so every statement Netra sends for each step — through SQLAlchemy, to the driver or to
libpq — is captured with its parameters, together with the BEGIN sent before a
transaction's first statement and the COMMIT. The case's first step reads it (reference
version and snapshot); later steps start from the snapshot the process wrote
(`db.case_cache`) and send no read. A step without letter numbers is then one write, its
own transaction; a step with letters is BEGIN, one counter upsert per register its letters
are numbered in (`RETURNING last_serial`, `\\gset s<k>_`; Netra sends the BEGIN with the
first in one round trip, which pgbench cannot do with `\\gset`), then the one write carrying
the letter rows pipelined with the COMMIT (`\\startpipeline` ... `\\endpipeline`: one round
trip, as Netra sends them).

The steps become one pgbench script (`bench.pgbench_scripts.render_walk`): the same
statements, casts and literal values, with the case id, the versions and the first step's
head hash as pgbench variables; each pgbench client walks its own cases through the steps
in order, one step per transaction, as Netra's clients do. Not reproduced: the pool's
reset on checkin (a no-op for an idle connection). pgbench runs with `-M prepared` (Netra
prepares its command statements too).
"""

from __future__ import annotations

import re
import resource
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from unittest import mock

from psycopg import Connection, Cursor
from psycopg.pq import TransactionStatus
from sqlalchemy import Engine

from bench.common import (
    LIFECYCLE,
    BenchSchema,
    Template,
    clone,
    latency_summary,
    open_cases,
    seed,
)
from bench.cpu_budget import CpuMark, per_command
from bench.pgbench_scripts import (
    CASE_BASE,
    CASES_PER_CLIENT,
    MINIMAL_SCRIPT,
    Captured,
    StepCapture,
    render_walk,
)
from cases.commands import advance
from db import wire
from db.unit_of_work import UnitOfWork

IDLE = TransactionStatus.IDLE


def pgbench_path() -> str | None:
    found = shutil.which("pgbench")
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"), reverse=True):
        return str(candidate)
    return None


def capture_lifecycle(engine: Engine, uow: UnitOfWork, case_id: str) -> list[StepCapture]:
    """Walk one case through LIFECYCLE, recording each step's statements as they are sent
    (through SQLAlchemy, to the psycopg driver, or to libpq by `db.wire`), with the BEGIN
    sent before the first statement of a transaction and the COMMIT when one is open."""
    open_cases(uow, [case_id])
    steps: list[StepCapture] = []
    current: list[Captured] = []
    execute, executemany, commit = Cursor.execute, Cursor.executemany, Connection.commit

    def begins(cursor: Any) -> None:
        connection = cursor.connection
        if connection.info.transaction_status == IDLE and not connection.autocommit:
            current.append(Captured("BEGIN", None, False, _pipelined(connection)))

    def capture_execute(cursor: Any, query: Any, params: Any = None, **options: Any) -> Any:
        begins(cursor)
        current.append(Captured(str(query), params, False, _pipelined(cursor.connection)))
        return execute(cursor, query, params, **options)

    def capture_executemany(cursor: Any, query: Any, params_seq: Any, **options: Any) -> Any:
        params = list(params_seq)
        begins(cursor)
        current.append(Captured(str(query), params, True))
        return executemany(cursor, query, params, **options)

    def capture_commit(connection: Any) -> None:
        if connection.info.transaction_status != IDLE:
            current.append(Captured("COMMIT", None, False, _pipelined(connection)))
        commit(connection)

    # the command path's statements go straight to libpq (db.wire), not through the cursor
    wire_execute, wire_in_transaction, wire_commit = (
        wire.execute,
        wire.execute_in_transaction,
        wire.commit,
    )
    wire_execute_and_commit = wire.execute_and_commit

    def capture_wire_execute(driver: Any, sql: str, params: Any) -> Any:
        current.append(Captured(sql, dict(params), False))
        return wire_execute(driver, sql, params)

    def capture_wire_in_transaction(driver: Any, sql: str, params: Any) -> Any:
        # Netra pipelines the BEGIN with the statement; pgbench cannot \gset the statement's
        # result inside a pipeline, so its BEGIN is a round trip of its own
        if driver.info.transaction_status == IDLE:
            current.append(Captured("BEGIN", None, False))
        current.append(Captured(sql, dict(params), False))
        return wire_in_transaction(driver, sql, params)

    def capture_wire_commit(driver: Any) -> None:
        if driver.info.transaction_status != IDLE:
            current.append(Captured("COMMIT", None, False))
        wire_commit(driver)

    def capture_wire_execute_and_commit(driver: Any, sql: str, params: Any) -> None:
        if driver.info.transaction_status == IDLE:  # the statement is its own transaction
            current.append(Captured(sql, dict(params), False))
            wire_execute(driver, sql, params)  # not the capturing one: captured once
            return
        # the statement and the COMMIT in one round trip: a pgbench pipeline
        current.append(Captured(sql, dict(params), False, pipelined=True))
        current.append(Captured("COMMIT", None, False, pipelined=True))
        wire_execute_and_commit(driver, sql, params)

    version = 0
    with uow:
        version = uow.cases.get(case_id).version
    patches = (
        mock.patch.object(Cursor, "execute", capture_execute),
        mock.patch.object(Cursor, "executemany", capture_executemany),
        mock.patch.object(Connection, "commit", capture_commit),
        mock.patch.object(wire, "execute", capture_wire_execute),
        mock.patch.object(wire, "execute_in_transaction", capture_wire_in_transaction),
        mock.patch.object(wire, "commit", capture_wire_commit),
        mock.patch.object(wire, "execute_and_commit", capture_wire_execute_and_commit),
    )
    with patches[0], patches[1], patches[2], patches[3], patches[4], patches[5], patches[6]:
        for step in LIFECYCLE:
            current.clear()
            case = advance(uow, step.officer, case_id, step.trigger, step.data, step.now)
            steps.append(StepCapture(step.trigger, version, list(current)))
            version = case.version
    return steps


def _pipelined(connection: Any) -> bool:
    return getattr(connection, "_pipeline", None) is not None


# --- running ---------------------------------------------------------------------------------


def prepare_pool(engine: Engine, uow: UnitOfWork, clients: int) -> None:
    """Give each pgbench client its own CASES_PER_CLIENT real, just-opened cases."""
    template = Template.make(uow, "PGB-TEMPLATE", [])
    ids = [
        str(CASE_BASE + client * 1000 + k)
        for client in range(clients)
        for k in range(CASES_PER_CLIENT)
    ]
    clone(engine, template, ids)


def run_pgbench(
    libpq: str, scripts: Sequence[Path], clients: int, seconds: float, workdir: Path
) -> dict[str, Any]:
    """pgbench over `scripts` (equal weight); each client starts with `:step` and `:walk`
    at 0 (`render_walk`)."""
    exe = pgbench_path()
    if exe is None:
        return {"available": False, "reason": "pgbench not found"}
    logdir = workdir / f"log_{clients}"
    logdir.mkdir(parents=True)
    command = [
        exe,
        "-n",
        "-M",
        "prepared",
        "-c",
        str(clients),
        "-j",
        str(clients),
        "-T",
        str(max(1, round(seconds))),
        "-r",
        "-D",
        "step=0",
        "-D",
        "walk=0",
        "-l",
        "--log-prefix",
        str(logdir / "pgb"),
        *[arg for script in scripts for arg in ("-f", f"{script}@1")],
        libpq,
    ]
    before = CpuMark.now(_children_cpu())
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    after = CpuMark.now(_children_cpu())
    if done.returncode != 0:
        return {"available": False, "reason": done.stderr.strip()[-800:]}
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", done.stdout)
    failed = re.search(r"number of failed transactions: (\d+)", done.stdout)
    latencies = list(_log_latencies(logdir))
    return {
        "available": True,
        "throughput": round(float(tps.group(1)), 1) if tps else None,
        "transactions": len(latencies),
        "failed": int(failed.group(1)) if failed else 0,
        **latency_summary(latencies),
        "statement_ms": _statement_latencies(done.stdout),
        # pgbench's own CPU as the client's (its connections' start-up included)
        "cpu": per_command(before, after, len(latencies)),
    }


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (pgbench, once it has exited)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _log_latencies(logdir: Path) -> Iterator[float]:
    for path in logdir.iterdir():
        for line in path.read_text().splitlines():
            parts = line.split()
            if len(parts) >= 6:
                yield int(parts[2]) / 1_000_000


def _statement_latencies(stdout: str) -> dict[str, float]:
    """Average ms per statement kind, over all step scripts (from `pgbench -r`)."""
    sums: dict[str, list[float]] = {}
    for line in stdout.splitlines():
        match = re.match(r"\s+([\d.]+)\s+\d+\s+(.*)$", line)
        if not match:
            continue
        words = match.group(2).split()
        kind = " ".join(words[:3]) if words else "?"
        if words and words[0].startswith("\\"):  # a meta-command: \set, \if, \gset, ...
            kind = words[0]
        sums.setdefault(kind, []).append(float(match.group(1)))
    return {kind: round(sum(v) / len(v), 4) for kind, v in sorted(sums.items())}


def run(
    schema: BenchSchema,
    clients: Sequence[int],
    seconds: float,
    letters: bool,
    references: bool = True,
) -> dict[str, Any]:
    """Capture Netra's SQL in `schema`, then run pgbench at each client count (and, with
    `references`, the variant with a letter register per client and the minimal SQL)."""
    from bench.transitions import letters_patched

    if pgbench_path() is None:
        return {"available": False, "reason": "pgbench not found"}
    engine = schema.engine(max(clients))
    uow = UnitOfWork(engine)
    seed(uow)
    with letters_patched(letters):
        steps = capture_lifecycle(engine, uow, "PGB-CAPTURE")
    prepare_pool(engine, uow, max(clients))
    engine.dispose()
    results: dict[str, Any] = {"available": True, "points": {}}
    with tempfile.TemporaryDirectory(prefix="netra-pgbench-") as tmp:
        workdir = Path(tmp)
        walk = workdir / "lifecycle.sql"
        walk.write_text(render_walk(steps, "PGB-CAPTURE"))
        scripts = [walk]
        own_register = [workdir / "lifecycle_own_register.sql"]
        own_register[0].write_text(render_walk(steps, "PGB-CAPTURE", own_register=True))
        results["statements_per_step"] = {s.trigger: len(s.statements) for s in steps}
        results["sample_script"] = walk.read_text()[:4000]
        for count in clients:
            results["points"][str(count)] = run_pgbench(
                schema.libpq(), scripts, count, seconds, workdir
            )
        if not references:
            return results
        # A labelled variant beside the figure above, never instead of it: each client issues
        # its letters from a register of its own, so the counter rows are not shared.
        results["own_register_points"] = {
            str(count): run_pgbench(
                schema.libpq(), own_register, count, seconds, workdir / "own_register"
            )
            for count in clients
            if count > 1
        }
        minimal = workdir / "minimal.sql"
        minimal.write_text(MINIMAL_SCRIPT)
        results["minimal_script"] = MINIMAL_SCRIPT
        results["minimal_points"] = {
            str(count): run_pgbench(schema.libpq(), [minimal], count, seconds, workdir / "m")
            for count in clients
        }
    return results
