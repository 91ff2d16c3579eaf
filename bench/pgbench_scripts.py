"""pgbench scripts: the statements captured from Netra's command path rendered for pgbench
(literals, pgbench variables for the case id, versions, head hashes and letter serials), and
the minimal transition they are compared with. Capturing and running: `bench.pgbench_reference`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

CASES_PER_CLIENT = 20
CASE_BASE = 1_000_000


@dataclass
class Captured:
    """One statement as sent (with its parameters)."""

    statement: str
    params: Any
    many: bool
    pipelined: bool = False  # sent in one pipeline (with the COMMIT: one round trip)


@dataclass
class StepCapture:
    """The statements one lifecycle step sent, and the case version before it."""

    trigger: str
    version_before: int
    statements: list[Captured] = field(default_factory=list)


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
    head_read: bool = False,
) -> str:
    """The statement with literals and pgbench variables; `serials` gives the expression of
    each letter serial parameter (from the counters reserved before, `_serial_expressions`).
    With `own_register` each client numbers its letters in a register of its own (the letter
    classification gets the client id appended), as officers of different offices do. With
    `head_read` the head hash the write checks is the one the step read (`:h0`); otherwise it
    is the captured head, which the walk's step before wrote."""
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
        if plain == "expected_head" and head_read:  # the head the walk started from
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


def render_walk(steps: Sequence[StepCapture], case_id: str, own_register: bool = False) -> str:
    """One pgbench script that takes one lifecycle step per transaction, each client walking
    its own cases through the steps in order, as Netra's clients do: `:step` (the next step)
    and `:walk` (walks done) are the client's own variables (`-D step=0 -D walk=0`), kept
    from one transaction to the next. The first step reads its case as Netra does for a
    case's first command in a process (its version and head hash become `:v0` and `:h0`);
    later steps send only what Netra sent from its cached snapshot, with the versions as
    offsets of `:v0` and the head hashes the steps before them wrote."""
    base = steps[0].version_before
    lines = [
        "-- Netra's lifecycle, statements captured from real advance() calls, one step per"
        " transaction",
        "\\if :step = 0",
        f"\\set cid {CASE_BASE} + :client_id * 1000 + mod(:walk, {CASES_PER_CLIENT})",
    ]
    for index, step in enumerate(steps):
        if index:
            lines.append(f"\\elif :step = {index}")
        lines.append(f"-- step '{step.trigger}'")
        lines += step_lines(step, case_id, base, own_register)
    lines += [
        "\\endif",
        f"\\set step mod(:step + 1, {len(steps)})",
        "\\if :step = 0",
        "\\set walk :walk + 1",
        "\\endif",
    ]
    return "\n".join(lines) + "\n"


def _offsets(step: StepCapture, base: int) -> list[int]:
    """The version offsets from `base` the step's statements name (besides 0)."""
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
    return sorted(
        {
            value - base
            for name, value in numbered
            if name in ("seq", "version", "case_seq", "expected_version") and isinstance(value, int)
        }
        - {0}
    )


def step_lines(step: StepCapture, case_id: str, base: int, own_register: bool) -> list[str]:
    """One step's statements as pgbench lines, versions as offsets of `base` (`:v0`)."""
    offsets = [f"\\set v{k} :v0 + {k}" for k in _offsets(step, base)]
    reads = any(is_command_read(" ".join(c.statement.split())) for c in step.statements)
    lines = [] if reads else offsets
    counters: list[tuple[RegisterKey, int]] = []  # upserts \gset before (as s<k>_), in order
    piped = False  # inside \startpipeline: statements Netra sent in one pipeline
    for captured in step.statements:
        if captured.pipelined != piped:
            lines.append("\\startpipeline" if captured.pipelined else "\\endpipeline")
            piped = captured.pipelined
        text = " ".join(captured.statement.split())
        params = captured.params or {}
        if text in ("BEGIN", "COMMIT"):
            lines.append(text + ";")
            continue
        if "letter_counters" in text and "RETURNING" in text:
            rendered = _render(text, params, case_id, base, None, own_register)
            lines.append(f"{rendered} \\gset s{len(counters)}_")
            counters.append((_key(params, ""), int(params.get("count", 1))))
            continue
        if is_command_read(text):
            # the command's one read: the version and head it reads with the snapshot
            # become :v0 and :h0
            text += (
                ", (SELECT version FROM cases WHERE id = %(case_id)s) AS v0"
                ", (SELECT head_hash FROM cases WHERE id = %(case_id)s) AS h0"
            )
            lines.append(_render(text, params, case_id, base) + " \\gset")
            lines += offsets
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
            serials = _serial_expressions(params, counters)
            lines.append(_render(text, params, case_id, base, serials, own_register, reads) + ";")
    if piped:
        lines.append("\\endpipeline")
    return lines


def is_command_read(text: str) -> bool:
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
