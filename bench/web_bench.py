"""Server time of the officers' pages on PostgreSQL with many cases (issue 12).

Real cases at six stages of the lifecycle are made through the services (each padded with
notes to about `--events-per-case` events), then cloned with COPY (bench/common.py) up to
`--cases`; the whole web app then answers, in-process, the requests an officer makes: Tugas
saya, the filtered case list, a case page and the dashboard. Reported: p50/p95 milliseconds
per page (server time: routing, services, SQL, rendering; no network), the Python CPU time
per request, and the load average of the machine.

Not a timed test: `python -m bench.web_bench --cases 100000 --schema web_100k` builds the
data set once in the named schema and keeps it; later runs with the same `--schema` reuse it
(migrations are applied, nothing is rebuilt); `--drop web_100k` removes it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from bench.common import BAWASLU, LIFECYCLE, Template, bench_schema, bench_url, clone, percentile
from cases.commands import add_note
from cases.demo import load_demo_with_logins
from db.engine import make_engine
from db.migrate import upgrade
from db.unit_of_work import UnitOfWork

os.environ.setdefault("NETRA_PASSWORD_HASH_PROFILE", "test")

STAGES = (0, 2, 4, 6, 8, len(LIFECYCLE))  # steps taken: received ... closed
NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")


def _sign_in(client: TestClient, officer: str, password: str) -> None:
    answer = client.post("/masuk", data={"user_id": officer, "password": password})
    if answer.status_code != 200:
        raise RuntimeError(f"sign-in failed for {officer}: {answer.status_code}")


def _time(client: TestClient, paths: list[str], rounds: int) -> dict[str, float]:
    client.get(paths[0])  # warm-up: first compile of templates, first plan
    seconds, cpu = [], []
    for i in range(rounds):
        path = paths[i % len(paths)]
        started, cpu_started = time.perf_counter(), time.process_time()
        answer = client.get(path)
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        if answer.status_code != 200:
            raise RuntimeError(f"{path}: {answer.status_code}")
    return {
        "p50": round(percentile(seconds, 50) * 1000, 1),
        "p95": round(percentile(seconds, 95) * 1000, 1),
        "max": round(max(seconds) * 1000, 1),
        # CPU of this process (app and test client, not PostgreSQL): less sensitive to load
        "python_cpu_p50": round(percentile(cpu, 50) * 1000, 1),
    }


# --- the data set -----------------------------------------------------------------------------


def build(engine: Engine, cases: int, events_per_case: int) -> dict[str, Any]:
    """Demo registry and six templates (each padded with Bawaslu notes to `events_per_case`
    events), cloned up to `cases`; the logins are kept in the schema for later runs."""
    uow = UnitOfWork(engine)
    logins = load_demo_with_logins(uow).logins
    templates = []
    for n in STAGES:
        case_id = f"TPL-{n}"
        made = Template.make(uow, case_id, LIFECYCLE[:n])
        last = made.events[-1].occurred_at
        for k in range(events_per_case - len(made.events)):
            note = f"Catatan pemantauan ke-{k + 1}."
            add_note(uow, BAWASLU, case_id, note, last + timedelta(minutes=k + 1))
        with uow:
            made = Template(case_id, uow.events.load(case_id), uow.cases.get(case_id))
        templates.append(made)
    per = max(1, cases // len(templates))
    events = 0
    started = time.perf_counter()
    for t_index, template in enumerate(templates):
        ids = [f"W{t_index}-{i:07d}" for i in range(per)]
        for start in range(0, len(ids), 5_000):
            events += clone(engine, template, ids[start : start + 5_000])
    raw = engine.raw_connection()
    try:
        raw.driver_connection.autocommit = True  # type: ignore[union-attr]
        with raw.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
            cursor.execute("VACUUM (ANALYZE) cases")
            cursor.execute("VACUUM (ANALYZE) case_search")
            cursor.execute("VACUUM (ANALYZE) case_events")
    finally:
        raw.close()
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE bench_logins (officer TEXT PRIMARY KEY, pw TEXT)"))
        for officer, password in logins.items():
            connection.execute(
                text("INSERT INTO bench_logins VALUES (:o, :p)"), {"o": officer, "p": password}
            )
    return {
        "per_template": per,
        "events_cloned": events,
        "seconds_to_make": time.perf_counter() - started,
    }


@contextmanager
def kept_schema(name: str) -> Iterator[tuple[str, bool]]:
    """(url, fresh): a persistent schema `name`, created and migrated if missing."""
    if not NAME.fullmatch(name):
        raise ValueError(f"schema name '{name}' must be lower-case letters, digits, _")
    admin = create_engine(bench_url())
    with admin.begin() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_namespace WHERE nspname = :n"), {"n": name}
        ).first()
        if not exists:
            connection.execute(text(f'CREATE SCHEMA "{name}"'))
    admin.dispose()
    url = make_url(bench_url()).update_query_dict({"options": f"-csearch_path={name}"})
    yield url.render_as_string(hide_password=False), not exists


def drop_schema(name: str) -> None:
    if not NAME.fullmatch(name):
        raise ValueError(f"schema name '{name}' must be lower-case letters, digits, _")
    admin = create_engine(bench_url())
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
    admin.dispose()


# --- the measurement -------------------------------------------------------------------------


def measure(url: str, rounds: int) -> dict[str, Any]:
    from web.app import create_web_app

    engine = make_engine(url)
    with engine.begin() as connection:
        logins: dict[str, str] = dict(
            connection.execute(text("SELECT officer, pw FROM bench_logins")).all()
        )
        n_cases = connection.execute(text("SELECT count(*) FROM cases")).scalar_one()
        n_events = connection.execute(text("SELECT count(*) FROM case_events")).scalar_one()
        ids = list(
            connection.execute(
                text("SELECT id FROM cases WHERE id LIKE 'W%' ORDER BY random() LIMIT 50")
            ).scalars()
        )
    engine.dispose()
    app = create_web_app(url, secure_cookies=False)
    bkn = TestClient(app, base_url="http://127.0.0.1")
    _sign_in(bkn, "bkn.analis", logins["bkn.analis"])
    bawaslu = TestClient(app, base_url="http://127.0.0.1")
    _sign_in(bawaslu, BAWASLU, logins[BAWASLU])
    ppk = TestClient(app, base_url="http://127.0.0.1")
    _sign_in(ppk, "bkpsdm.probolinggo", logins["bkpsdm.probolinggo"])
    filtered = [
        "/perkara?state=recommended_to_bkn&region=35.13",
        "/perkara?q=Slamet&violation=NET-01&offset=500",
        "/perkara?state=clarification&overdue=true",
    ]
    random.Random(7).shuffle(ids)
    load_before = os.getloadavg()
    result = {
        "cases": n_cases,
        "events": n_events,
        "rounds": rounds,
        "tugas_saya_bawaslu_ms": _time(bawaslu, ["/"], rounds),
        "tugas_saya_bkn_ms": _time(bkn, ["/"], rounds),
        "tugas_saya_ppk_ms": _time(ppk, ["/"], rounds),
        "case_list_filtered_ms": _time(bkn, filtered, rounds),
        "case_list_bawaslu_ms": _time(bawaslu, filtered, rounds),
        "case_search_few_ms": _time(bkn, [f"/perkara?q={c}" for c in [*ids[:3], "Budi"]], rounds),
        "case_page_ms": _time(bkn, [f"/perkara/{c}" for c in ids], rounds),
        "dashboard_bkn_ms": _time(bkn, ["/dasbor"], max(5, rounds // 5)),
        "dashboard_ppk_ms": _time(ppk, ["/dasbor"], max(5, rounds // 5)),
        # the page's three <img> charts each recompute the figures (web/routes/dashboards.py)
        "dashboard_chart_bkn_ms": _time(bkn, ["/dasbor/grafik/tahap.svg"], max(5, rounds // 5)),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    return result


def run(
    cases: int = 2_000, rounds: int = 50, events_per_case: int = 40, schema: str | None = None
) -> dict[str, Any]:
    if schema is None:
        with bench_schema("web") as fresh:
            engine = fresh.engine()
            built = build(engine, cases, events_per_case)
            engine.dispose()
            return {**built, **measure(fresh.url, rounds)}
    with kept_schema(schema) as (url, fresh_schema):
        engine = make_engine(url)
        upgrade(engine)  # a kept schema gets the read indexes of newer migrations
        made: dict[str, Any] = {"reused": not fresh_schema}
        if fresh_schema:
            made.update(build(engine, cases, events_per_case))
        engine.dispose()
        return {**made, **measure(url, rounds)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--events-per-case", type=int, default=40)
    parser.add_argument("--schema", help="keep the data set in this schema and reuse it")
    parser.add_argument("--drop", metavar="SCHEMA", help="drop a kept schema and exit")
    args = parser.parse_args()
    if args.drop:
        drop_schema(args.drop)
        return
    print(json.dumps(run(args.cases, args.rounds, args.events_per_case, args.schema), indent=2))


if __name__ == "__main__":
    main()
