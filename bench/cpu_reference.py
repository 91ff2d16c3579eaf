"""How fast this host runs Python and sha256 right now: a fixed reference measured at the
start and the end of a bench run.

Netra's absolute figures (engine overhead in µs, verification in events/s, start-up in s)
and its ratios to the database-bound references move with the host's single-core speed:
on a slower or busier virtual machine the same code runs measurably slower. The reference
puts that speed in the results, so two runs on different hosts can be told apart from a
change in the code. It is not a target; lower `python_ms` and higher `sha256_mb_s` mean a
faster host.

- `python_ms`: the best of 5 rounds of a fixed pure-Python workload (dict and attribute
  access, calls, string formatting, small-integer arithmetic: the kind of work a command
  does on the client), CPU time of this thread.
- `sha256_mb_s`: hashlib's sha256 over 1 KB chunks (the size of an event body), best of 5.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any

ROUNDS = 5
_WORKLOAD_ITERATIONS = 20_000
_HASH_CHUNK = bytes(range(256)) * 4  # 1 KB
_HASH_CHUNKS = 2_000


@dataclass
class _Item:
    name: str
    seq: int


def _workload() -> int:
    """A fixed mix of what Python does on a command's path; returns a checksum so the work
    cannot be skipped."""
    total = 0
    index: dict[str, _Item] = {}
    for n in range(_WORKLOAD_ITERATIONS):
        key = f"case-{n % 97}"
        item = index.get(key)
        if item is None:
            item = index[key] = _Item(key, 0)
        item.seq += 1
        total += len(key) + item.seq * 3 % 7
    return total


def _best_thread_time(work: Any) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        begin = time.thread_time()
        work()
        best = min(best, time.thread_time() - begin)
    return best


def _hash_all() -> None:
    for _ in range(_HASH_CHUNKS):
        hashlib.sha256(_HASH_CHUNK).digest()


def measure() -> dict[str, float]:
    """The reference figures of this host, now."""
    python_s = _best_thread_time(_workload)
    hash_s = _best_thread_time(_hash_all)
    megabytes = len(_HASH_CHUNK) * _HASH_CHUNKS / 1e6
    return {
        "python_ms": round(python_s * 1e3, 2),
        "sha256_mb_s": round(megabytes / hash_s, 1) if hash_s else 0.0,
    }
