"""The issue's targets, checked against one run's results: each row names the target, the
measured value and whether it is met (None when not measured)."""

from __future__ import annotations

from typing import Any

from bench.report_values import lookup, ratios


def _target(name: str, value: Any, met: bool | None) -> dict[str, Any]:
    return {"target": name, "value": value, "met": met}


def _at_least(name: str, value: Any, bound: float) -> dict[str, Any]:
    return _target(name, value, None if value is None else value >= bound)


def _at_most(name: str, value: Any, bound: float) -> dict[str, Any]:
    return _target(name, value, None if value is None else value <= bound)


# the client counts the throughput targets are set at (measured in every round: bench.rounds)
TARGET_CLIENTS = (1, 8)

# Netra against the peer: (what is compared, its key in `ratios`, the bound)
_PEER_TARGETS = (
    ("with letters >= 1.0x the peer", "letters_vs_peer", 1.0),
    ("without letters >= 2x the peer", "pure_vs_peer", 2.0),
)


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    threads, processes = ratios(results), ratios(results, "process_points")
    peer_points = (
        (threads, [str(c) for c in TARGET_CLIENTS], "threads"),
        (processes, list(processes), "processes"),
    )
    for measured, counts, kind in peer_points:
        for clients in counts:
            for name, key, bound in _PEER_TARGETS:
                value = lookup(measured, clients, key)
                rows.append(_at_least(f"{name}, {clients} client {kind}", value, bound))
    rows.append(
        _at_least(
            "without letters >= 40% of minimal-SQL pgbench, 8 clients",
            lookup(threads, "8", "pure_vs_minimal"),
            0.4,
        )
    )
    rows.append(
        _at_least(
            "Netra's own SQL (pgbench) >= 60% of minimal SQL, 8 clients",
            lookup(threads, "8", "own_sql_vs_minimal"),
            0.6,
        )
    )
    overhead = lookup(results, "overhead", "us_per_transition")
    rows.append(_at_most("engine overhead <= 50 us per transition", overhead, 50))
    verify = lookup(results, "verify", "suite", "verify_from_db_events_per_s")
    rows.append(_at_least("chain verification >= 500k events/s from PostgreSQL", verify, 500_000))
    for command, seconds in (lookup(results, "startup", "seconds") or {}).items():
        rows.append(_target(f"`netra {command}` starts in <= 0.3 s", seconds, seconds <= 0.3))
    batch = lookup(results, "letters", "pdf_per_s_parallel")
    rows.append(_at_least("letter PDFs >= 20/s in a batch (issue 14)", batch, 20))
    single = lookup(results, "letters", "pdf_ms_p50")
    rows.append(_at_most("one letter PDF <= 250 ms, p50 (issue 14)", single, 250))
    flat = lookup(results, "memory", "verdict")
    if flat:
        met = all(v.get("flat") for v in flat.values())
        growth = {job: v.get("growth") for job, v in flat.items()}
        rows.append(_target("memory flat as cases grow 10x", growth, met))
    contention = results.get("contention") or {}
    if "ok" in contention:
        rows.append(
            _target(
                "contention: clean conflicts, no lost/duplicate events",
                contention.get("conflicts"),
                contention.get("ok"),
            )
        )
    return rows
