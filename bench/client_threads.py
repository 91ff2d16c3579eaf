"""Throughput with client threads in one process, for Netra and the peer alike.

Each client is a thread that walks its own cases through the lifecycle, one command per
step, until a deadline set for all of them at once (they start together at a barrier).
A point reports commands/s, latency, errors and the CPU per command (`bench.cpu_budget`:
this process's CPU is the clients' CPU).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from bench.common import LIFECYCLE, Step, latency_summary
from bench.cpu_budget import CpuMark, per_command

# One command: (a case or aggregate id, the lifecycle step to take on it).
Act = Callable[[Any, Step], None]
# What a client thread does: given its index, the command it runs (built in the thread).
MakeAct = Callable[[int], Act]


def _walk(
    act: Act,
    ids: Sequence[Any],
    start: threading.Barrier,
    stop_at: list[float],
    latencies: list[float],
    errors: list[str],
) -> None:
    start.wait()
    deadline = stop_at[0]
    for case_id in ids:
        for step in LIFECYCLE:
            if time.perf_counter() >= deadline:
                return
            begin = time.perf_counter()
            try:
                act(case_id, step)
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                return
            latencies.append(time.perf_counter() - begin)


def run_threads(make_act: MakeAct, ids: Sequence[Sequence[Any]], seconds: float) -> dict[str, Any]:
    """One thread per entry of `ids` (that client's cases), all measured over `seconds`."""
    clients = len(ids)
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[str] = []
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]
    threads = [
        threading.Thread(
            target=_walk, args=(make_act(c), ids[c], start, stop_at, latencies[c], errors)
        )
        for c in range(clients)
    ]
    for thread in threads:
        thread.start()
    stop_at[0] = time.perf_counter() + seconds
    before = CpuMark.now(time.process_time())
    start.wait()
    for thread in threads:
        thread.join()
    after = CpuMark.now(time.process_time())
    flat = [x for chunk in latencies for x in chunk]
    return point(
        clients, flat, after.wall - before.wall, errors, per_command(before, after, len(flat))
    )


def point(
    clients: int,
    latencies: Sequence[float],
    elapsed: float,
    errors: Sequence[str],
    cpu: dict[str, Any],
    **extra: Any,
) -> dict[str, Any]:
    """A throughput point as the report reads it."""
    return {
        "clients": clients,
        **extra,
        "commands": len(latencies),
        "seconds": round(elapsed, 3),
        "throughput": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        **latency_summary(latencies),
        "errors": len(errors),
        "first_errors": list(errors[:3]),
        "cpu": cpu,
    }
