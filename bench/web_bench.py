"""Server time of the officers' pages on PostgreSQL with many cases (issue 12).

Real cases at six stages of the lifecycle are made through the services, then cloned with
COPY (bench/common.py) up to `--cases`; the whole web app then answers, in-process, the
requests an officer makes: Tugas saya, the filtered case list, a case page and the
dashboard. Reported: p50/p95 milliseconds per page (server time: routing, services, SQL,
rendering; no network). Not a timed test: `python -m bench.web_bench --cases 100000`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from typing import Any

from fastapi.testclient import TestClient

from bench.common import LIFECYCLE, Template, bench_schema, clone, percentile
from cases.demo import load_demo_with_logins
from db.unit_of_work import UnitOfWork

os.environ.setdefault("NETRA_PASSWORD_HASH_PROFILE", "test")

STAGES = (0, 2, 4, 6, 8, len(LIFECYCLE))  # steps taken: received ... closed


def _sign_in(client: TestClient, officer: str, password: str) -> None:
    answer = client.post("/masuk", data={"user_id": officer, "password": password})
    if answer.status_code != 200:
        raise RuntimeError(f"sign-in failed for {officer}: {answer.status_code}")


def _time(client: TestClient, paths: list[str], rounds: int) -> dict[str, float]:
    seconds = []
    for i in range(rounds):
        path = paths[i % len(paths)]
        started = time.perf_counter()
        answer = client.get(path)
        seconds.append(time.perf_counter() - started)
        if answer.status_code != 200:
            raise RuntimeError(f"{path}: {answer.status_code}")
    return {
        "p50": round(percentile(seconds, 50) * 1000, 1),
        "p95": round(percentile(seconds, 95) * 1000, 1),
        "max": round(max(seconds) * 1000, 1),
    }


def run(cases: int = 2_000, rounds: int = 50) -> dict[str, Any]:
    from web.app import create_web_app

    with bench_schema("web") as schema:
        engine = schema.engine()
        uow = UnitOfWork(engine)
        logins = load_demo_with_logins(uow).logins
        templates = [Template.make(uow, f"TPL-{n}", LIFECYCLE[:n]) for n in STAGES]
        per = max(1, cases // len(templates))
        events = 0
        made_started = time.perf_counter()
        for t_index, template in enumerate(templates):
            ids = [f"W{t_index}-{i:07d}" for i in range(per)]
            for start in range(0, len(ids), 5_000):
                events += clone(engine, template, ids[start : start + 5_000])
        made = time.perf_counter() - made_started
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
        app = create_web_app(schema.url, secure_cookies=False)
        bkn = TestClient(app, base_url="http://127.0.0.1")
        _sign_in(bkn, "bkn.analis", logins["bkn.analis"])
        bawaslu = TestClient(app, base_url="http://127.0.0.1")
        _sign_in(bawaslu, "bawaslu.probolinggo", logins["bawaslu.probolinggo"])
        rng = random.Random(7)
        sample = [f"W{rng.randrange(len(templates))}-{rng.randrange(per):07d}" for _ in range(50)]
        filtered = [
            "/perkara?state=recommended_to_bkn&region=35.13",
            "/perkara?q=Slamet&violation=NET-01&offset=500",
            "/perkara?state=clarification&overdue=true",
        ]
        result = {
            "cases": per * len(templates) + 5 + len(templates),
            "events_cloned": events,
            "seconds_to_make": round(made, 1),
            "rounds": rounds,
            "tugas_saya_bawaslu_ms": _time(bawaslu, ["/"], rounds),
            "tugas_saya_bkn_ms": _time(bkn, ["/"], rounds),
            "case_list_filtered_ms": _time(bkn, filtered, rounds),
            "case_page_ms": _time(bkn, [f"/perkara/{c}" for c in sample], rounds),
            "dashboard_ms": _time(bkn, ["/dasbor"], max(5, rounds // 5)),
        }
        engine.dispose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    print(json.dumps(run(args.cases, args.rounds), indent=2))


if __name__ == "__main__":
    main()
