"""The physical limit: `pgbench` replaying the exact SQL Netra issues for each lifecycle step.

How the scripts are made: one real case is walked through the lifecycle with psycopg's
`Cursor.execute`/`executemany` and `Connection.commit` wrapped, and the command path's
calls to libpq (`db.wire`: execute, execute_in_transaction, commit, execute_and_commit),
so every statement Netra sends for each step — through SQLAlchemy, to the driver or to
libpq — is captured with its parameters, together with the BEGIN sent before a
transaction's first statement and the COMMIT. A step without letter numbers is two
statements outside any BEGIN (the read, then the one write that is its own transaction); a
step with letters is the read, BEGIN, one counter upsert per register its letters are
numbered in (`RETURNING last_serial`, `\\gset s<k>_`; Netra sends the BEGIN with the first
in one round trip, which pgbench cannot do with `\\gset`), then the one write carrying the
letter rows pipelined with the COMMIT (`\\startpipeline` ... `\\endpipeline`: one round
trip, as Netra sends them).
Each step becomes one pgbench script: the same statements, same casts, same literal values,
with the case id and the version numbers turned into pgbench variables (the version and head
hash are read with the command's read by `\\gset`, as Netra reads them from the snapshot;
letter ids are made unique per case and version). A step that started from its process's
cached snapshot (`db.case_cache`: every step after a case's first in one process) sent no
read; its script looks the version and head up (`SELECT version, head_hash ... \\gset`),
a round trip Netra does not make, since pgbench keeps no cache. Not reproduced: the pool's reset on checkin (a no-op
for an idle connection).

pgbench runs the step scripts (one per lifecycle step) with equal weight (`-f step@1`), `-M prepared` (Netra
prepares its command statements too), each client on its own pool of cases.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
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
from cases.commands import advance
from db import wire
from db.unit_of_work import UnitOfWork

IDLE = TransactionStatus.IDLE
CASES_PER_CLIENT = 20
CASE_BASE = 1_000_000


def pgbench_path() -> str | None:
    found = shutil.which("pgbench")
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"), reverse=True):
        return str(candidate)
    return None


@dataclass
class Captured:
    statement: str
    params: Any
    many: bool
    pipelined: bool = False  # sent in one pipeline (with the COMMIT: one round trip)


@dataclass
class StepCapture:
    trigger: str
    version_before: int
    statements: list[Captured] = field(default_factory=list)


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


# --- rendering -------------------------------------------------------------------------------

_PARAM = re.compile(r"%\((\w+)\)s")
_SUFFIX = re.compile(r"__\d+$")
_HELD = re.compile(r"^h\d+_")  # a held write's parameters inside the one write (db.command_writes)


def _plain(name: str) -> str:
    return _HELD.sub("", _SUFFIX.sub("", name))


def _quote(text: str) -> str:
    """A SQL literal pgbench will not mistake for a variable (no bare ':' inside)."""
    if ":" not in text:
        return "'" + text.replace("'", "''") + "'"
    escaped = text.replace("\\", "\\\\").replace("'", "''").replace(":", "\\003A")
    return "U&'" + escaped + "'"


def literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime | date):
        return _quote(value.isoformat())
    if hasattr(value, "obj"):  # psycopg Jsonb / Json / Binary wrappers
        value = value.obj
    if isinstance(value, bytes | memoryview):
        return "'\\x" + bytes(value).hex() + "'::bytea"
    if isinstance(value, dict | list):
        return _quote(json.dumps(value, ensure_ascii=False, sort_keys=True))
    return _quote(str(value))


def _render(
    statement: str,
    params: dict[str, Any],
    case_id: str,
    base: int,
    serials: dict[str, str] | None = None,
    own_register: bool = False,
) -> str:
    """The statement with literals and pgbench variables; `serials` gives the expression of
    each letter serial parameter (from the counters reserved before, `_serial_expressions`).
    With `own_register` each client numbers its letters in a register of its own (the letter
    classification gets the client id appended), as officers of different offices do."""
    serials = serials or {}

    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        value = params[name]
        if isinstance(value, list) and name.startswith("events_"):  # unnest() arrays
            column = name.removeprefix("events_")
            items = [body(item) if column == "body" else one(column, item) for item in value]
            return "ARRAY[" + ", ".join(items) + "]"
        if name in serials:
            return serials[name]
        return one(_plain(name), value)

    def body(value: Any) -> str:
        """A stored event body with this client's case id and seq (the server reads the
        event's columns from it)."""
        text = bytes(value).decode()
        seq = re.search(r'"seq":(\d+)}$', text)
        assert seq is not None, "a canonical body ends with its seq"
        head = text[: seq.start()]
        parts = [literal(chunk) for chunk in head.split(case_id)]
        expression = " || :cid::text || ".join(parts)
        expression += f" || '\"seq\":' || :v{int(seq.group(1)) - base}::text || '}}'"
        return f"convert_to({expression}, 'UTF8')"

    def one(plain: str, value: Any) -> str:
        if value == case_id:
            return ":cid"
        if isinstance(value, str) and value.startswith(case_id + "-"):
            # ids derived from the case (letter ids): unique per case and version, as in Netra
            return f"(:cid::text || '.' || :v0::text || {literal(value[len(case_id) :])})"
        if plain in ("seq", "version", "case_seq", "expected_version") and isinstance(value, int):
            return f":v{value - base}"
        if own_register and plain == "classification" and isinstance(value, str):
            return f"({literal(value)} || '-' || :client_id::text)"
        if plain == "version_1" and value == base:
            return ":v0"
        if plain == "expected_head":  # the head the step starts from, read with :v0
            return ":h0"
        return literal(value)

    return _PARAM.sub(sub, statement)


RegisterKey = tuple[Any, Any, Any]  # a letter register: institution, year, classification


def _key(params: dict[str, Any], prefix: str) -> RegisterKey:
    return tuple(params[prefix + n] for n in ("institution_code", "year", "classification"))  # type: ignore[return-value]


def _serial_expressions(
    params: dict[str, Any], counters: list[tuple[RegisterKey, int]]
) -> dict[str, str]:
    """Each letter serial parameter of a statement as the counter upsert that reserved it:
    a register's upserts (each adding `count`) hand out consecutive blocks in order, and a
    block's last serial is what its upsert returned (`:s<k>_last_serial`)."""
    letters = sorted(
        (_key(params, name.removesuffix("serial")), value, name)
        for name, value in params.items()
        if _plain(name) == "serial" and isinstance(value, int)
    )
    out: dict[str, str] = {}
    for key in dict.fromkeys(k for k, _, _ in letters):
        values = [(value, name) for k, value, name in letters if k == key]
        blocks = [(index, count) for index, (k, count) in enumerate(counters) if k == key]
        for index, count in blocks:
            block, values = values[:count], values[count:]
            if block:
                last = block[-1][0]
                for value, name in block:
                    gap = last - value
                    out[name] = (
                        f"(:s{index}_last_serial - {gap})" if gap else f":s{index}_last_serial"
                    )
    return out


def render_script(step: StepCapture, case_id: str, own_register: bool = False) -> str:
    """One pgbench script: the step's statements in one transaction."""
    base = step.version_before
    numbered = [
        (_plain(name).removeprefix("events_"), item)
        for captured in step.statements
        for params in (captured.params if captured.many else [captured.params])
        for name, value in (params or {}).items()
        for item in (value if isinstance(value, list) else [value])
    ]
    numbered += [  # the seqs inside stored event bodies
        ("seq", int(found.group(1)))
        for captured in step.statements
        for params in (captured.params if captured.many else [captured.params])
        for item in (params or {}).get("events_body") or []
        if (found := re.search(rb'"seq":(\d+)}$', bytes(item)))
    ]
    offsets = sorted(
        {
            value - base
            for name, value in numbered
            if name in ("seq", "version", "case_seq", "expected_version") and isinstance(value, int)
        }
        - {0}
    )
    lines = [
        f"-- Netra step '{step.trigger}': statements captured from a real advance()",
        f"\\set cid {CASE_BASE} + :client_id * 1000 + random(0, {CASES_PER_CLIENT - 1})",
    ]
    if not any(_is_command_read(" ".join(c.statement.split())) for c in step.statements):
        # the command started from its process's cached snapshot (`db.case_cache`) and sent
        # no read; pgbench has no cache, so it looks up the version and head its write
        # checks: a round trip Netra does not make (the figure is conservative by it)
        lines.append("SELECT version AS v0, head_hash AS h0 FROM cases WHERE id = :cid \\gset")
        lines.extend(f"\\set v{k} :v0 + {k}" for k in offsets)
    counters: list[tuple[RegisterKey, int]] = []  # upserts \gset before (as s<k>_), in order
    piped = False  # inside \startpipeline: statements Netra sent in one pipeline
    for captured in step.statements:
        if captured.pipelined != piped:
            lines.append("\\startpipeline" if captured.pipelined else "\\endpipeline")
            piped = captured.pipelined
        text = " ".join(captured.statement.split())
        if text in ("BEGIN", "COMMIT"):
            lines.append(text + ";")
            continue
        if "letter_counters" in text and "RETURNING" in text:
            params = captured.params or {}
            rendered = _render(text, params, case_id, base, None, own_register)
            lines.append(f"{rendered} \\gset s{len(counters)}_")
            counters.append((_key(params, ""), int(params.get("count", 1))))
            continue
        if text.startswith("SELECT cases.snapshot") and "FROM cases" in text:
            text = text.replace(
                "SELECT cases.snapshot", "SELECT cases.snapshot, cases.version AS v0"
            )
            lines.append(_render(text, captured.params or {}, case_id, base) + " \\gset")
            lines.extend(f"\\set v{k} :v0 + {k}" for k in offsets)
            continue
        if _is_command_read(text):
            # the command's one read: the version and head it reads with the snapshot
            # become :v0 and :h0
            text += (
                ", (SELECT version FROM cases WHERE id = %(case_id)s) AS v0"
                ", (SELECT head_hash FROM cases WHERE id = %(case_id)s) AS h0"
            )
            lines.append(_render(text, captured.params or {}, case_id, base) + " \\gset")
            lines.extend(f"\\set v{k} :v0 + {k}" for k in offsets)
            continue
        if captured.many:
            assert not piped, "executemany is never sent inside a pipeline"
            lines.append("\\startpipeline")
            lines.extend(
                _render(text, p, case_id, base, _serial_expressions(p, counters), own_register)
                + ";"
                for p in captured.params
            )
            lines.append("\\endpipeline")
        else:
            params = captured.params or {}
            serials = _serial_expressions(params, counters)
            lines.append(_render(text, params, case_id, base, serials, own_register) + ";")
    if piped:
        lines.append("\\endpipeline")
    return "\n".join(lines) + "\n"


def _is_command_read(text: str) -> bool:
    """The command's one read (`db.command_path`): reference version and case snapshot."""
    return "FROM reference_version" in text and text.endswith("AS snapshot")


# The least SQL one transition needs, the reference Netra's own statements are held to: the
# projection's version moves on and one hash-chained event (seq = the new version, prev_hash
# = the head read back) is inserted, in one transaction.
MINIMAL_SCRIPT = f"""-- minimal transition: UPDATE the projection's version, INSERT one chained event
\\set cid {CASE_BASE} + :client_id * 1000 + random(0, {CASES_PER_CLIENT - 1})
BEGIN;
UPDATE cases SET version = version + 1 WHERE id = :cid::text RETURNING version AS v, head_hash AS prev \\gset
INSERT INTO case_events (case_id, seq, event_type, actor_id, actor_role, actor_institution, \
occurred_at, recorded_at, payload, rule_set, prev_hash, hash) VALUES (:cid::text, :v::int, \
'note_added', 'bkn.analis', 'bkn', 'BKN', now(), now(), '{{"text": "catatan"}}', '2024.1', \
:prev::text, encode(sha256(convert_to(:prev::text || :v::text, 'UTF8')), 'hex'));
COMMIT;
"""


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
        "-l",
        "--log-prefix",
        str(logdir / "pgb"),
        *[arg for script in scripts for arg in ("-f", f"{script}@1")],
        libpq,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
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
    }


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
        if words and words[0] == "\\set":
            kind = "\\set"
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
        scripts = []
        for index, step in enumerate(steps, start=1):
            path = workdir / f"step{index:02d}_{step.trigger}.sql"
            path.write_text(render_script(step, "PGB-CAPTURE"))
            scripts.append(path)
        own_register = []
        for index, step in enumerate(steps, start=1):
            path = workdir / f"own_register_step{index:02d}_{step.trigger}.sql"
            path.write_text(render_script(step, "PGB-CAPTURE", own_register=True))
            own_register.append(path)
        results["statements_per_step"] = {s.trigger: len(s.statements) for s in steps}
        results["sample_script"] = scripts[0].read_text()[:4000]
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
