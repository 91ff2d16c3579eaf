"""The transitions comparison's rounds are merged by the median, the same way for Netra and
its references, and every round's throughput is kept beside the chosen point."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `bench/` is run from the repository, not installed
    sys.path.insert(0, str(ROOT))

from bench import report_notes, rounds  # noqa: E402


def _round(netra: dict[str, float], peer: dict[str, float], minimal: float) -> dict:
    return {
        "netra": {
            "letters_per_case": 7,
            "points": {c: {"throughput": t, "p50_ms": t / 100} for c, t in netra.items()},
            "process_points": {},
        },
        "peer": {"available": True, "points": {c: {"throughput": t} for c, t in peer.items()}},
        "pgbench": {
            "available": True,
            "points": {},
            "minimal_points": {"8": {"throughput": minimal}},
        },
        "compared_with_pgbench": "Netra with letters",
    }


def test_each_point_is_the_median_round_with_every_round_kept() -> None:
    first = _round({"1": 500.0, "4": 900.0, "8": 1000.0}, {"1": 700.0, "8": 600.0}, 5000.0)
    second = _round({"1": 700.0, "8": 1300.0}, {"1": 650.0, "8": 800.0}, 6000.0)
    third = _round({"1": 600.0, "8": 1100.0}, {"1": 900.0, "8": 700.0}, 4000.0)

    merged = rounds.merge([first, second, third])

    one = merged["netra"]["points"]["1"]
    assert one["throughput"] == 600.0 and one["p50_ms"] == 6.0  # the whole median point
    assert one["rounds"] == [500.0, 700.0, 600.0]  # in the order run
    assert merged["netra"]["points"]["8"]["throughput"] == 1100.0
    assert merged["peer"]["points"]["1"]["throughput"] == 700.0
    assert merged["peer"]["points"]["8"]["rounds"] == [600.0, 800.0, 700.0]
    assert merged["pgbench"]["minimal_points"]["8"]["throughput"] == 5000.0
    # measured in the first round only: kept as it is, without rounds
    assert merged["netra"]["points"]["4"] == {"throughput": 900.0, "p50_ms": 9.0}
    assert first["netra"]["points"]["1"]["throughput"] == 500.0  # the rounds are not changed


def test_an_even_count_takes_the_lower_middle_and_a_failed_point_counts_as_zero() -> None:
    points = [
        {"throughput": 300.0},
        {"available": False},
        {"throughput": 200.0},
        {"throughput": 100.0},
    ]
    chosen = rounds.median_point(points)
    assert chosen["throughput"] == 100.0
    assert chosen["rounds"] == [300.0, 0.0, 200.0, 100.0]


def test_the_report_lists_the_rounds_of_the_target_points() -> None:
    merged = rounds.merge(
        [
            _round({"1": 500.0}, {"1": 700.0}, 5000.0),
            _round({"1": 700.0}, {"1": 650.0}, 6000.0),
            _round({"1": 600.0}, {"1": 900.0}, 4000.0),
        ]
    )
    merged["rounds"] = 3
    text = "\n".join(report_notes.rounds_lines(merged))
    assert "median of 3 rounds" in text
    assert "Netra with letters (1: 500, 700, 600)" in text
    assert "peer (1: 700, 650, 900)" in text
    assert "pgbench, minimal SQL (8: 5,000, 6,000, 4,000)" in text
    assert report_notes.rounds_lines(_round({"1": 1.0}, {"1": 1.0}, 1.0)) == []
