"""The import benchmark runs at a tiny size (figures: `python -m bench.import_bench`)."""

from __future__ import annotations

from tests.conftest import require_postgres


def test_import_benchmark_opens_every_row_once_at_tiny_size() -> None:
    require_postgres()
    from bench.import_bench import run

    result = run(rows=120)
    assert result["opened"] == 120 and result["errors"] == 0
    assert result["reimport_opened"] == 0 and result["reimport_before"] == 120
