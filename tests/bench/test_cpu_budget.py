"""The bench's CPU per command: the arithmetic of a point's CPU split, the budget a ratio
target leaves, /proc/stat's busy fields, and the report's CPU table. No timing is asserted."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `bench/` is run from the repository, not installed
    sys.path.insert(0, str(ROOT))

from bench import cpu_budget  # noqa: E402
from bench.cpu_budget import CpuMark, allowed_us, per_command  # noqa: E402
from bench.report_cpu import cpu_lines  # noqa: E402


def test_per_command_splits_the_host_between_client_and_the_rest() -> None:
    before = CpuMark(host=100.0, client=10.0, wall=50.0)
    after = CpuMark(host=103.2, client=11.2, wall=52.0)  # 3.2 s busy, 1.2 s of it the client

    split = per_command(before, after, commands=4_000)

    assert split == {"client_us": 300.0, "rest_us": 500.0, "total_us": 800.0, "cores_busy": 1.6}


def test_per_command_without_the_host_figure_reports_the_client_alone() -> None:
    split = per_command(CpuMark(None, 0.0, 0.0), CpuMark(None, 0.5, 1.0), commands=1_000)

    assert split == {"client_us": 500.0}


def test_per_command_of_an_empty_point_is_empty() -> None:
    assert per_command(CpuMark(1.0, 0.0, 0.0), CpuMark(2.0, 0.1, 1.0), commands=0) == {}


def test_the_budget_a_ratio_leaves_at_the_cores_kept_busy() -> None:
    # 40 % of 6,000/s at 1.8 cores: 2,400 commands/s, 750 µs of CPU each
    assert allowed_us(1.8, 0.40, 6_000) == 750.0
    assert allowed_us(None, 0.40, 6_000) is None
    assert allowed_us(1.8, 0.40, None) is None


def test_host_busy_counts_user_nice_system_irq_softirq_not_idle_iowait_steal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stat = tmp_path / "stat"
    # user nice system idle iowait irq softirq steal guest guest_nice
    stat.write_text("cpu  100 10 50 9000 400 5 15 700 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n")
    monkeypatch.setattr(cpu_budget, "_STAT", stat)
    monkeypatch.setattr(cpu_budget.os, "sysconf", lambda name: 100)

    assert cpu_budget.host_busy_seconds() == pytest.approx(1.8)  # 180 ticks at 100/s


def test_host_busy_is_none_without_proc_stat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cpu_budget, "_STAT", tmp_path / "absent")

    assert cpu_budget.host_busy_seconds() is None


def _point(throughput: float, client: float, rest: float, cores: float) -> dict[str, Any]:
    cpu = {"client_us": client, "rest_us": rest, "total_us": client + rest, "cores_busy": cores}
    return {"8": {"throughput": throughput, "cpu": cpu}}


def test_the_report_shows_each_variant_and_the_budget_of_each_ratio_target() -> None:
    tr = {
        "netra_pure": {"points": _point(2_000.0, 400.0, 430.0, 1.66)},
        "pgbench": {
            "points": _point(2_800.0, 20.0, 580.0, 1.68),
            "minimal_points": _point(6_800.0, 56.0, 195.0, 1.71),
        },
    }

    text = "\n".join(cpu_lines(tr))

    assert "| Netra without letters | 2,000 | 400 | 430 | 830 | 1.66 |" in text
    assert "| pgbench, minimal SQL | 6,800 | 56 | 195 | 251 | 1.71 |" in text
    # 1.66 cores / (0.40 * 6,800/s) = 610.3 µs; 1.68 / (0.60 * 6,800) = 411.8 µs
    assert "Netra without letters at 40 % of 6,800/s: 610 µs at 1.66 cores" in text
    assert "Netra's own SQL under pgbench at 60 % of 6,800/s: 412 µs at 1.68 cores" in text
    assert "eventsourcing peer" not in text  # a variant without CPU figures is left out


def test_the_report_has_no_cpu_section_when_no_point_measured_it() -> None:
    assert cpu_lines({"netra_pure": {"points": {"8": {"throughput": 1.0}}}}) == []
