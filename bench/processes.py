"""Throughput with client processes instead of threads (how a deployment runs workers).

Each client is a forked process that builds its own client state (an Engine and UnitOfWork
for Netra, an Application for the peer), warms up, and waits at a barrier; the parent then
sets one deadline for all and releases them together. Latencies come back over a queue,
with each child's CPU time over its measured loop (`bench.cpu_budget`: the clients' CPU is
the sum of the children's).
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Sequence
from typing import Any

from bench.client_threads import point
from bench.cpu_budget import CpuMark, per_command

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
        results.put(([], [f"setup {type(exc).__name__}: {exc}"], 0.0))
        return
    ready.wait()
    go.wait()
    cpu_at_start = time.process_time()
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
    results.put((latencies, errors, time.process_time() - cpu_at_start))


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
    before = CpuMark.now(0.0)
    go.wait(timeout=120)
    collected = [results.get(timeout=seconds + 120) for _ in children]
    after = CpuMark.now(sum(cpu for _, _, cpu in collected))
    for child in children:
        child.join(timeout=30)
    flat = [x for latencies, _, _ in collected for x in latencies]
    errors = [e for _, errs, _ in collected for e in errs]
    cpu = per_command(before, after, len(flat))
    return point(clients, flat, after.wall - before.wall, errors, cpu, mode="processes")
