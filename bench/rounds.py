"""Repeated rounds of the transitions comparison, merged into one result by the median.

A throughput point of a few seconds on a shared 2-core virtual machine moves by a quarter
from one run to the next, and the host's speed drifts within a run (`bench/cpu_reference.py`
shows it). Measuring Netra, pgbench and the peer once each, one after the other, lets that
drift decide a ratio. So the target points (1 and 8 clients, threads and processes) are
measured in several rounds, each round running every variant once in the same order, and
each point reports the round with the median throughput, with every round's throughput
beside it (`rounds`). The same rule applies to Netra and its references alike; a point
measured in one round only (4 and 16 clients, the labelled variants) is kept as it is.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

# the point families that hold one measurement per client count
POINT_FAMILIES = ("points", "process_points", "minimal_points", "own_register_points")


def merge(rounds: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The first round's result, each point measured in several rounds replaced by the
    median round's point plus `rounds` (every round's throughput, in the order run)."""
    if not rounds:
        return {}
    merged = copy.deepcopy(rounds[0])
    for variant, result in merged.items():
        if not isinstance(result, dict):
            continue
        for family in POINT_FAMILIES:
            points = result.get(family)
            if not isinstance(points, dict):
                continue
            for clients in points:
                measured = [
                    point
                    for point in (_point(r, variant, family, clients) for r in rounds)
                    if point is not None
                ]
                if len(measured) > 1:
                    points[clients] = median_point(measured)
    return merged


def median_point(points: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The point with the median throughput (the lower middle of an even count), with the
    throughput of every point in `rounds`; a point without a throughput counts as 0."""
    ranked = sorted(points, key=_throughput)
    chosen = dict(ranked[(len(ranked) - 1) // 2])
    chosen["rounds"] = [_throughput(point) for point in points]
    return chosen


def _throughput(point: dict[str, Any]) -> float:
    value = point.get("throughput")
    return float(value) if isinstance(value, int | float) else 0.0


def _point(result: dict[str, Any], variant: str, family: str, clients: str) -> Any:
    points = (result.get(variant) or {}).get(family)
    if not isinstance(points, dict):
        return None
    point = points.get(clients)
    return point if isinstance(point, dict) else None
