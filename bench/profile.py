"""Where a transition's time goes: cProfile of N real advance() calls, one client.

The profile's own time (tottime) is summed by where the code lives — Netra's layers
(states, rules, cases, db), SQLAlchemy, psycopg (which includes waiting on the server),
`transitions`, json/hashlib/copy — and the top functions are listed.
"""

from __future__ import annotations

import cProfile
import pstats
import time
from typing import Any

from bench.common import LIFECYCLE, BenchSchema, Template, clone, seed, short_id
from bench.transitions import letters_patched
from cases.commands import advance
from db.unit_of_work import UnitOfWork

CATEGORIES = (
    (
        "wait for PostgreSQL (psycopg wait/IO)",
        (
            "psycopg/waiting",
            "psycopg/connection.py wait",
            "{method 'poll'",
            "select.",
            "{built-in method select",
            "{method 'recv",
            "{method 'send",
            # libpq's blocking calls (psycopg_binary) are invisible to cProfile: their time is
            # the own time of the db.wire functions that make them
            "db/wire.py execute",
            "db/wire.py _pipeline_results",
        ),
    ),
    ("psycopg (driver, adapt/load)", ("psycopg",)),
    ("sqlalchemy (ORM/Core, pool, compile)", ("sqlalchemy",)),
    ("transitions (state machine lib)", ("transitions/",)),
    ("states/ (fold, decide, record, hash)", ("/states/",)),
    ("rules/ (calendar, guards data)", ("/rules/", "holidays")),
    ("cases/ (services, validation)", ("/cases/",)),
    ("db/ (repositories, event store)", ("/db/",)),
    ("copy/dataclasses (snapshot copy, asdict)", ("copy.py", "dataclasses.py")),
    (
        "json (snapshot, canonical JSON)",
        ("json/", "{built-in method _json", "{method 'encode'", "_json."),
    ),
    ("hashlib", ("_hashlib", "hashlib")),
)


def _category(filename: str, function: str) -> str:
    key = f"{filename} {function}"
    for name, markers in CATEGORIES:
        if any(marker in key for marker in markers):
            return name
    return "other (stdlib, threading, datetime, ...)"


def run(
    schema: BenchSchema, transitions: int = 600, letters: bool = True, top: int = 20
) -> dict[str, Any]:
    engine = schema.engine()
    uow = UnitOfWork(engine)
    seed(uow)
    with letters_patched(letters):
        template = Template.make(uow, "PROF-TPL", [])
        cases_needed = transitions // len(LIFECYCLE) + 2
        ids = [short_id("PROF-", k) for k in range(cases_needed)]
        clone(engine, template, ids)
        # warm-up case, off the profile
        clone(engine, template, ["PROF-WARM"])
        for step in LIFECYCLE:
            advance(uow, step.officer, "PROF-WARM", step.trigger, step.data, step.now)
        profiler = cProfile.Profile()
        done = 0
        begin = time.perf_counter()
        profiler.enable()
        for case_id in ids:
            for step in LIFECYCLE:
                if done >= transitions:
                    break
                advance(uow, step.officer, case_id, step.trigger, step.data, step.now)
                done += 1
        profiler.disable()
        wall = time.perf_counter() - begin
    engine.dispose()
    stats = pstats.Stats(profiler)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    by_category: dict[str, float] = {}
    rows = []
    for (filename, line, function), (_cc, calls, tottime, cumtime, _callers) in raw.items():
        category = _category(filename, function)
        by_category[category] = by_category.get(category, 0.0) + tottime
        rows.append((tottime, cumtime, calls, f"{_short(filename)}:{line}({function})"))
    total = sum(by_category.values()) or 1.0
    rows.sort(reverse=True)
    return {
        "transitions": done,
        "letters": letters,
        "wall_ms_per_transition_profiled": round(wall / done * 1000, 3),
        "by_category_us": {
            name: {"us": round(seconds / done * 1e6, 1), "share": round(seconds / total, 3)}
            for name, seconds in sorted(by_category.items(), key=lambda kv: -kv[1])
        },
        "top_tottime": [
            {
                "function": name,
                "calls_per_transition": round(calls / done, 2),
                "tottime_us": round(tot / done * 1e6, 1),
                "cumtime_us": round(cum / done * 1e6, 1),
            }
            for tot, cum, calls, name in rows[:top]
        ],
        "top_cumulative": _top_cumulative(stats, done, top),
    }


def _short(filename: str) -> str:
    for marker in ("site-packages/", "/work/main/", "lib/python3"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def _top_cumulative(stats: pstats.Stats, done: int, top: int) -> list[dict[str, Any]]:
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    rows = sorted(
        (
            (cum, calls, f"{_short(f)}:{line}({fn})")
            for (f, line, fn), (_cc, calls, _tot, cum, _callers) in raw.items()
            if "/work/main/" in f or "sqlalchemy" in f or "psycopg" in f
        ),
        reverse=True,
    )
    return [
        {
            "function": name,
            "calls_per_transition": round(calls / done, 2),
            "cumtime_us": round(cum / done * 1e6, 1),
        }
        for cum, calls, name in rows[:top]
    ]
