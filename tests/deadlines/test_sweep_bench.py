"""The sweep benchmark runs at a tiny size (the real figures come from `python -m bench.sweep_bench`)."""

from __future__ import annotations

from tests.conftest import require_postgres


def test_sweep_benchmark_records_every_due_miss_once_at_tiny_size() -> None:
    require_postgres()
    from bench.sweep_bench import run

    result = run(n_cases=300, due_fraction=0.05, ppk_cases=3, shared_misses=60)
    assert result["due_cases"] == 15
    assert result["missed"] == 15 and result["failed"] == 0
    assert result["events_written"] == 30 and result["outbox_written"] == 30
    assert result["second_sweep_written"] == 0
    assert result["ppk_escalations"] == 3
    assert "ix_cases_alarm_at_open" in result["plan_batch"]
    # Two runner processes sweeping at once: every miss and escalation written once.
    assert (result["shared_misses"], result["shared_escalations"]) == (60, 60)
    assert result["shared_events_written"] == 120 and result["shared_cases_missed_once"] == 60
    assert result["shared_runners"] == 2 and len(result["shared_split"].split("/")) == 2
