"""Start-up of the command line: wall time of `netra --help` and of `netra case show` on a
demo SQLite database (best of N fresh processes), and what `-X importtime` says the
slowest imports of `case show` are.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RUNS = 5


def _best(command: list[str], env: dict[str, str]) -> float:
    best = float("inf")
    for _ in range(RUNS):
        begin = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=True)
        best = min(best, time.perf_counter() - begin)
    return round(best, 3)


def _slowest_imports(command: list[str], env: dict[str, str], top: int = 8) -> list[str]:
    program = "from cli.main import app; app()"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", program, *command[1:]],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    rows = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].strip()))
    return [f"{name} {us / 1000:.0f} ms" for us, name in sorted(rows, reverse=True)[:top]]


def _store_token(env: dict[str, str], url: str, token: str) -> None:
    """Store `token` for `url` where the CLI run with `env` looks for it (as `netra login`)."""
    from cli.credentials import store_token

    before = os.environ.get("NETRA_CONFIG_DIR")
    os.environ["NETRA_CONFIG_DIR"] = env["NETRA_CONFIG_DIR"]
    try:
        store_token(url, token)
    finally:
        if before is None:
            del os.environ["NETRA_CONFIG_DIR"]
        else:
            os.environ["NETRA_CONFIG_DIR"] = before


def run() -> dict[str, Any]:
    from cases.demo import load_demo
    from cases.identity.tokens import create_token
    from db.engine import make_engine
    from db.migrate import upgrade
    from db.unit_of_work import UnitOfWork

    with tempfile.TemporaryDirectory(prefix="netra-startup-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        engine = make_engine(url)
        upgrade(engine)
        uow = UnitOfWork(engine)
        load_demo(uow)
        _, token = create_token(uow, "admin", "bench", 1)
        engine.dispose()
        env = {**os.environ, "NETRA_TOKEN": token, "NETRA_DATABASE_URL": url}
        # an officer signed in with `netra login`: the token stored in the config folder
        signed_in = {k: v for k, v in env.items() if k != "NETRA_TOKEN"}
        signed_in["NETRA_CONFIG_DIR"] = str(Path(tmp) / "config")
        _store_token(signed_in, url, token)
        netra = [str(Path(sys.executable).with_name("netra"))]
        python = _best([sys.executable, "-c", "pass"], env)
        commands = {"--help": ["--help"], "case show": ["case", "show", "DEMO-PBL-1"]}
        seconds = {name: _best([*netra, *args], env) for name, args in commands.items()}
        seconds["case show (after netra login)"] = _best(
            [*netra, "case", "show", "DEMO-PBL-1"], signed_in
        )
        slowest = _slowest_imports([*netra, "case", "show", "DEMO-PBL-1"], env)
    return {"seconds": seconds, "python_alone_s": python, "slowest_imports_case_show": slowest}
