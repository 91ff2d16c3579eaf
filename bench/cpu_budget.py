"""CPU per command around a throughput point: the client's own CPU and the rest of the host's
(PostgreSQL's backends, its WAL writer, the kernel's loopback network), per command.

On the bench host the clients and PostgreSQL share the same cores. Once they are busy
(8 clients on 2 cores), throughput is the cores kept busy divided by the CPU one command
costs, client and server together. Netra's client is Python; pgbench's is C. Putting
both CPU figures beside the throughput shows why a ratio to the minimal SQL is what it is:
to reach a ratio r of the minimal SQL's throughput T while keeping c cores busy, a command
may cost at most c / (r * T) of CPU in all (`allowed_us`).

The host's busy time is read from Linux's /proc/stat (user, nice, system, irq, softirq; not
idle, iowait or steal), so it also counts whatever else runs on the host during the point:
the load average printed with the run tells how quiet it was. Elsewhere the host figure is
absent and only the client's CPU is reported.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_STAT = Path("/proc/stat")
# /proc/stat's first line: cpu user nice system idle iowait irq softirq steal guest guest_nice
_BUSY_FIELDS = (0, 1, 2, 5, 6)


def host_busy_seconds() -> float | None:
    """CPU seconds the host's processors have spent busy since boot, or None off Linux."""
    try:
        first = _STAT.read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    if not first or first[0] != "cpu":
        return None
    ticks = sum(int(first[1 + index]) for index in _BUSY_FIELDS)
    return ticks / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class CpuMark:
    """The host's busy CPU, the client's CPU and the wall clock at one moment."""

    host: float | None
    client: float
    wall: float

    @classmethod
    def now(cls, client_cpu: float) -> CpuMark:
        return cls(host_busy_seconds(), client_cpu, time.perf_counter())


def per_command(before: CpuMark, after: CpuMark, commands: int) -> dict[str, Any]:
    """µs of CPU per command between two marks: the client's, the rest of the host's and
    their total, with the cores kept busy on average; {} when nothing was measured."""
    wall = after.wall - before.wall
    if commands <= 0 or wall <= 0:
        return {}
    client = max(after.client - before.client, 0.0)
    result: dict[str, Any] = {"client_us": round(client / commands * 1e6, 1)}
    if before.host is not None and after.host is not None:
        host = max(after.host - before.host, client)
        result["rest_us"] = round((host - client) / commands * 1e6, 1)
        result["total_us"] = round(host / commands * 1e6, 1)
        result["cores_busy"] = round(host / wall, 2)
    return result


def allowed_us(cores_busy: float | None, ratio: float, reference_throughput: float | None) -> Any:
    """The CPU per command (µs) that reaches `ratio` of `reference_throughput` commands/s
    while `cores_busy` cores are busy; None when a figure is missing."""
    if not cores_busy or not reference_throughput:
        return None
    return round(cores_busy / (ratio * reference_throughput) * 1e6, 1)
