"""The benchmark suite: `python -m bench` (small, ~4 minutes) or `python -m bench --full`.

Runs every workload against the PostgreSQL at NETRA_BENCH_DATABASE_URL, each in a fresh
schema, with its references measured in the same run; prints a Markdown table and writes
the results as JSON (default bench/results/latest.json). `--only transitions,contention`
runs a subset. Workloads other helpers own (sweep, letters, verify, replay) are imported
lazily and reported as "not available" when absent.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import (
    chains,
    contention,
    cpu_reference,
    memory,
    peer_eventsourcing,
    pgbench_reference,
    scaling,
    startup,
)
from bench import profile as profiling
from bench import rounds as bench_rounds
from bench import transitions as trans
from bench.common import bench_schema, bench_url, server_facts
from bench.report import render_markdown
from bench.report_values import lookup
from bench.targets import TARGET_CLIENTS, targets

WORKLOADS = (
    "startup",
    "transitions",
    "overhead",
    "profile",
    "contention",
    "sweep",
    "verify",
    "replay",
    "letters",
    "memory",
    "scaling",
)


@dataclass(frozen=True)
class Sizes:
    """How big each workload runs: the default is small, --full is the issue's sizes."""

    clients: tuple[int, ...] = (1, 4, 8, 16)
    process_clients: tuple[int, ...] = (8,)  # the same, with client processes
    seconds: float = 2.0
    rounds: int = 3  # of the transitions comparison at TARGET_CLIENTS (`bench.rounds`)
    profile_transitions: int = 120
    sweep: tuple[int, ...] = (2_000,)
    verify_events: int = 50_000  # a run of 10k lasted ~20 ms: within a scheduler's noise
    replay_notes: tuple[int, ...] = (0, 100, 300)
    letters: int = 20
    memory: tuple[int, ...] = (1_000, 10_000)
    scaling: tuple[int, ...] = (10_000, 100_000)


SMALL = Sizes()
FULL = Sizes(
    process_clients=(1, 4, 8, 16),
    seconds=10.0,
    profile_transitions=1200,
    sweep=(10_000, 100_000, 1_000_000),
    verify_events=1_000_000,
    replay_notes=(0, 100, 1000),
    letters=200,
    memory=(10_000, 100_000),
    scaling=(10_000, 100_000, 1_000_000),
)


def machine() -> dict[str, Any]:
    facts: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                facts["cpu_model"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                facts["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    facts["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    facts["cpu_reference_at_start"] = cpu_reference.measure()
    try:
        facts["postgresql"] = server_facts()
    except Exception as exc:
        facts["postgresql"] = {"error": str(exc)}
    return facts


def _external(module: str, *args: Any) -> dict[str, Any]:
    """Call `bench.<module>.run(*args)` if that module exists (owned by another issue)."""
    try:
        found = importlib.import_module(f"bench.{module}")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("bench"):
            return {"available": False, "reason": f"bench/{module}.py not present"}
        raise
    run = found.run
    accepted = len(inspect.signature(run).parameters)
    result = run(*args[:accepted])
    return {"available": True, **(result if isinstance(result, dict) else {"result": result})}


def run_transitions(sizes: Sizes) -> dict[str, Any]:
    """Netra (letters as advance() issues them, and without letters when they are on or
    broken), pgbench on the SQL of the compared variant, and the peer — same run, in
    `sizes.rounds` rounds: the first at every client count with the labelled variants,
    the others at the target client counts only; each point is the median round's
    (`bench.rounds`)."""
    rounds = [_transitions_round(sizes, sizes.clients, labelled=True)]
    targeted = tuple(c for c in sizes.clients if c in TARGET_CLIENTS)
    for _ in range(sizes.rounds - 1):
        if not targeted:
            break
        rounds.append(_transitions_round(sizes, targeted, labelled=False))
    result = bench_rounds.merge(rounds)
    result["rounds"] = len(rounds)
    return result


def _transitions_round(sizes: Sizes, clients: tuple[int, ...], labelled: bool) -> dict[str, Any]:
    """One round: each variant once, in the same order, at `clients` (and the client
    processes); with `labelled`, the labelled variants too."""
    processes = sizes.process_clients
    result: dict[str, Any] = {}
    try:
        with bench_schema("bench_tr") as schema:
            result["netra"] = trans.run_netra(schema, clients, sizes.seconds, True, processes)
    except Exception as exc:
        result["netra"] = {"error": f"{type(exc).__name__}: {exc}"}
    letters_active = bool(lookup(result, "netra", "letters_per_case"))
    if letters_active or "error" in result["netra"]:
        with bench_schema("bench_tp") as schema:
            result["netra_pure"] = trans.run_netra(schema, clients, sizes.seconds, False, processes)
        if labelled:  # every command reads its case (no cached snapshot)
            with bench_schema("bench_tc") as schema, trans.case_cache_off():
                result["netra_pure_read"] = trans.run_netra(
                    schema,
                    [c for c in clients if c in TARGET_CLIENTS] or clients[:1],
                    sizes.seconds,
                    False,
                )
    with bench_schema("bench_pg") as schema:
        result["pgbench"] = pgbench_reference.run(
            schema, clients, sizes.seconds, letters=letters_active
        )
    if letters_active and labelled:  # the SQL of the steps without their letters
        with bench_schema("bench_pp") as schema:
            result["pgbench_pure"] = pgbench_reference.run(
                schema,
                [c for c in clients if c == 8] or clients[-1:],
                sizes.seconds,
                letters=False,
                references=False,
            )
    with bench_schema("bench_es", migrate=False) as schema:
        result["peer"] = peer_eventsourcing.run(schema, clients, sizes.seconds, processes)
    result["compared_with_pgbench"] = (
        "Netra with letters" if letters_active else "Netra without letters"
    )
    return result


def _runners(sizes: Sizes) -> dict[str, Callable[[], dict[str, Any]]]:
    def with_schema(prefix: str, fn: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
        with bench_schema(prefix) as schema:
            return fn(schema, *args)

    def sweep() -> dict[str, Any]:
        points = {str(n): _external("sweep_bench", n, 0.1) for n in sizes.sweep}
        return {"points": points}

    def verify() -> dict[str, Any]:
        theirs = _external("verify_bench", sizes.verify_events)
        ours = with_schema("bench_ver", chains.run_verify, sizes.verify_events)
        return {"suite": ours, "auditor_bench": theirs}

    def replay() -> dict[str, Any]:
        theirs = _external("replay_bench")
        ours = with_schema("bench_rep", chains.run_replay, sizes.replay_notes)
        return {"suite": ours, "auditor_bench": theirs}

    return {
        "startup": lambda: startup.run(),
        "transitions": lambda: run_transitions(sizes),
        "overhead": lambda: trans.engine_overhead(),
        "profile": lambda: with_schema("bench_prof", profiling.run, sizes.profile_transitions),
        "contention": lambda: with_schema("bench_con", contention.run),
        "sweep": sweep,
        "verify": verify,
        "replay": replay,
        "letters": lambda: _external("letters_bench", sizes.letters),
        "memory": lambda: with_schema("bench_mem", memory.run, sizes.memory),
        "scaling": lambda: with_schema("bench_scl", scaling.run, sizes.scaling),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--full", action="store_true", help="the issue's full sizes (slow)")
    parser.add_argument("--only", default="", help=f"comma-separated subset of {WORKLOADS}")
    parser.add_argument("--out", default="bench/results/latest.json", help="JSON results path")
    parser.add_argument("--seconds", type=float, help="seconds per throughput point")
    parser.add_argument("--clients", default="", help="comma-separated client counts (1,8)")
    parser.add_argument("--rounds", type=int, help="rounds of the transitions comparison")
    args = parser.parse_args(argv)
    sizes = FULL if args.full else SMALL
    if args.seconds:
        sizes = Sizes(**{**sizes.__dict__, "seconds": args.seconds})
    if args.rounds:
        sizes = Sizes(**{**sizes.__dict__, "rounds": args.rounds})
    if args.clients:
        counts = tuple(int(c) for c in args.clients.split(",") if c.strip())
        processes = tuple(c for c in sizes.process_clients if c in counts)
        sizes = Sizes(**{**sizes.__dict__, "clients": counts, "process_clients": processes})
    chosen = [w.strip() for w in args.only.split(",") if w.strip()] or list(WORKLOADS)
    unknown = sorted(set(chosen) - set(WORKLOADS))
    if unknown:
        parser.error(f"unknown workloads {unknown}; choose from {', '.join(WORKLOADS)}")
    started = time.perf_counter()
    results: dict[str, Any] = {
        "meta": {
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "size": "full" if args.full else "small",
            "database": bench_url().split("@")[-1],
            "machine": machine(),
            "sizes": sizes.__dict__,
        }
    }
    runners = _runners(sizes)
    for name in chosen:
        print(f"[bench] {name} ...", file=sys.stderr, flush=True)
        begin = time.perf_counter()
        try:
            results[name] = runners[name]()
        except Exception as exc:
            results[name] = {
                "error": f"{type(exc).__name__}: {exc}",
                "trace": traceback.format_exc()[-2000:],
            }
        results.setdefault("meta", {}).setdefault("workload_seconds", {})[name] = round(
            time.perf_counter() - begin, 1
        )
        print(
            f"[bench] {name} done in {time.perf_counter() - begin:.1f}s",
            file=sys.stderr,
            flush=True,
        )
    results["meta"]["seconds"] = round(time.perf_counter() - started, 1)
    results["meta"]["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["meta"]["machine"]["cpu_reference_at_end"] = cpu_reference.measure()
    results["targets"] = targets(results)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str))
    markdown = render_markdown(results)
    (out.parent / (out.stem + ".md")).write_text(markdown)
    print(markdown)
    print(f"\nResults: {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
