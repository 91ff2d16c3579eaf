"""The web benchmark runs at tiny size: the data set it builds (padded templates, clones) has
the advertised shape, a kept schema is reused rather than rebuilt, and every page answered.
No timing is asserted."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text

from bench import web_bench
from tests.conftest import pg_base_url, require_postgres

pytestmark = pytest.mark.postgres

PAGES = (
    "tugas_saya_bawaslu_ms",
    "tugas_saya_bkn_ms",
    "tugas_saya_ppk_ms",
    "case_list_filtered_ms",
    "case_list_bawaslu_ms",
    "case_search_few_ms",
    "case_page_ms",
    "dashboard_bkn_ms",
    "dashboard_ppk_ms",
    "dashboard_chart_bkn_ms",
)


def _schema_exists(name: str) -> bool:
    engine = create_engine(pg_base_url())
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT 1 FROM pg_namespace WHERE nspname = :n"), {"n": name}
        ).first()
    engine.dispose()
    return found is not None


def test_the_web_bench_builds_once_reuses_and_drops_its_schema(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    require_postgres()
    monkeypatch.setenv("NETRA_BENCH_DATABASE_URL", pg_base_url())
    name = f"t_webbench_{uuid.uuid4().hex[:8]}"
    try:
        first = web_bench.run(cases=12, rounds=2, events_per_case=20, schema=name)
        again = web_bench.run(cases=12, rounds=2, events_per_case=20, schema=name)
    finally:
        web_bench.drop_schema(name)
    assert first["reused"] is False and again["reused"] is True
    assert first["per_template"] == 2
    # six templates (padded to at least 20 events), two clones each, the five demo cases
    assert first["events_cloned"] >= 6 * 2 * 20 and first["events_cloned"] % 2 == 0
    assert first["cases"] == again["cases"] == 6 + 6 * 2 + 5
    assert first["events"] == again["events"] >= first["events_cloned"] + 6 * 20
    for page in PAGES:
        figures = again[page]
        assert 0 < figures["p50"] <= figures["p95"] <= figures["max"], page
    assert not _schema_exists(name)
    with pytest.raises(ValueError, match="schema name"):
        web_bench.drop_schema('x"; DROP SCHEMA public; --')
