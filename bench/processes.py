"""Throughput with client processes instead of threads (how a deployment runs workers).

Each client is a forked process that builds its own client state (an Engine and UnitOfWork
for Netra, an Application for the peer), warms up, and waits at a barrier; the parent then
sets one deadline for all and releases them together. Latencies come back over a queue.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Sequence
from typing import Any

from bench.common import latency_summary

# A client: given its share of the work, returns `step()` callables that run one command
# each (None when its work is done), built inside the child process.
MakeClient = Callable[[Any], Callable[[], bool]]


def _child(
    make: MakeClient,
    share: Any,
    ready: Any,
    go: Any,
    deadline: Any,
    results: Any,
) -> None:
    latencies: list[float] = []
    errors: list[str] = []
    try:
        step = make(share)
    except Exception as exc:  # pragma: no cover - reported to the parent
        ready.wait()
        go.wait()
        results.put(([], [f"setup {type(exc).__name__}: {exc}"]))
        return
    ready.wait()
    go.wait()
    stop = deadline.value
    while time.time() < stop:
        begin = time.perf_counter()
        try:
            if not step():
                break
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
            break
        latencies.append(time.perf_counter() - begin)
    results.put((latencies, errors))


def run_processes(make: MakeClient, shares: Sequence[Any], seconds: float) -> dict[str, Any]:
    """One forked process per share, all measured over the same `seconds`."""
    context = multiprocessing.get_context("fork")
    clients = len(shares)
    ready, go = context.Barrier(clients + 1), context.Barrier(clients + 1)
    deadline = context.Value("d", 0.0)
    results = context.Queue()
    children = [
        context.Process(target=_child, args=(make, share, ready, go, deadline, results))
        for share in shares
    ]
    for child in children:
        child.start()
    ready.wait(timeout=120)
    deadline.value = time.time() + seconds
    begin = time.perf_counter()
    go.wait(timeout=120)
    collected = [results.get(timeout=seconds + 120) for _ in children]
    elapsed = time.perf_counter() - begin
    for child in children:
        child.join(timeout=30)
    flat = [x for latencies, _ in collected for x in latencies]
    errors = [e for _, errs in collected for e in errs]
    return {
        "clients": clients,
        "mode": "processes",
        "commands": len(flat),
        "seconds": round(elapsed, 3),
        "throughput": round(len(flat) / elapsed, 1) if elapsed else 0.0,
        **latency_summary(flat),
        "errors": len(errors),
        "first_errors": errors[:3],
    }
