"""The benchmark suite's workloads run at tiny size against the test PostgreSQL and return
sane structures: counts match, no lost events under contention. No timing is asserted.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `bench/` is run from the repository, not installed
    sys.path.insert(0, str(ROOT))

from bench import (  # noqa: E402
    contention,
    peer_eventsourcing,
    pgbench_reference,
    pgbench_scripts,
    transitions,
)
from bench.__main__ import main  # noqa: E402
from bench.common import (  # noqa: E402
    LIFECYCLE,
    Template,
    bench_schema,
    bench_url,
    clone,
    seed,
    short_id,
)
from cases.integrity import projection_matches_replay, verify_chains  # noqa: E402
from db import command_path  # noqa: E402
from db.unit_of_work import UnitOfWork  # noqa: E402

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def bench_database(monkeypatch: pytest.MonkeyPatch) -> None:
    """The benches use the test PostgreSQL; skip (or fail under CI) when it is down."""
    if "NETRA_TEST_DATABASE_URL" in os.environ:
        monkeypatch.setenv("NETRA_BENCH_DATABASE_URL", os.environ["NETRA_TEST_DATABASE_URL"])
    try:
        engine = create_engine(bench_url())
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except OperationalError as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL is needed under CI: {exc}")
        pytest.skip(f"PostgreSQL not reachable: {exc}")


def test_cloned_cases_verify_and_replay_like_the_original() -> None:
    with bench_schema("t_bench") as schema:
        engine = schema.engine()
        uow = UnitOfWork(engine)
        seed(uow)
        template = Template.make(uow, "TPL-1", LIFECYCLE[:3])
        ids = [short_id("CLONE-", k) for k in range(5)]
        written = clone(engine, template, ids)
        report = verify_chains(uow, "auditor")
        problems = [b for case_id in ids for b in projection_matches_replay(uow, case_id)]
        engine.dispose()
    assert written == 5 * len(template.events)
    assert report.ok, report.breaks[:3]
    assert problems == []


def _assert_cpu_measured(point: dict[str, Any]) -> None:
    """The point's CPU per command: the client's own, and the host's in all (Linux)."""
    cpu = point["cpu"]
    assert cpu["client_us"] > 0
    assert cpu["total_us"] >= cpu["client_us"]
    assert cpu["rest_us"] == pytest.approx(cpu["total_us"] - cpu["client_us"], abs=0.2)
    assert cpu["cores_busy"] > 0


def test_transitions_count_every_command_without_errors() -> None:
    with bench_schema("t_bench") as schema:
        result = transitions.run_netra(schema, [1, 2], 0.3, letters=True, processes=[2])
    assert set(result["points"]) == {"1", "2"}
    for point in [*result["points"].values(), result["process_points"]["2"]]:
        assert point["errors"] == 0, point["first_errors"]
        assert point["commands"] > 0
        assert point["p50_ms"] <= point["p99_ms"]
        _assert_cpu_measured(point)
    assert result["process_points"]["2"]["mode"] == "processes"
    assert result["events_per_case"] > len(LIFECYCLE)


@pytest.mark.parametrize("letters", [False, True], ids=["no letters", "letters"])
def test_pgbench_replays_the_captured_statements_without_failures(letters: bool) -> None:
    """With letters: each letter's serial \\gset by its counter upsert, the rows in the write."""
    if pgbench_reference.pgbench_path() is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("pgbench is needed under CI (it ships with the PostgreSQL server)")
        pytest.skip("pgbench not installed")
    with bench_schema("t_bench") as schema:
        result = pgbench_reference.run(schema, [1, 2], 1, letters=letters)
    assert result["available"], result
    for point in [*result["points"].values(), result["own_register_points"]["2"]]:
        assert point["available"], point
        assert point["transactions"] > 0
        assert point["failed"] == 0
        _assert_cpu_measured(point)
    assert set(result["own_register_points"]) == {"2"}  # the variant needs several clients
    assert set(result["statements_per_step"]) == {s.trigger for s in LIFECYCLE}


def test_a_step_with_letters_sends_write_and_commit_in_one_pipeline_as_netra_does() -> None:
    """The capture renders what psycopg sent in a pipeline inside \\startpipeline, and the
    labelled variant numbers each client's letters in its own register."""
    with bench_schema("t_bench") as schema:
        engine = schema.engine(1)
        uow = UnitOfWork(engine)
        seed(uow)
        steps = pgbench_reference.capture_lifecycle(engine, uow, "PGB-CAPTURE")
        engine.dispose()
    numbered = [s for s in steps if any("letter_counters" in c.statement for c in s.statements)]
    assert numbered, "the lifecycle issues numbered letters"
    assert any(s.statements[-2].statement.count("_serial") > 1 for s in numbered), "2 letters"
    for step in numbered:
        # one counter upsert per register, however many of its letters the step issues
        upserts = [c.params for c in step.statements if "letter_counters" in c.statement]
        registers = {(p["institution_code"], p["year"], p["classification"]) for p in upserts}
        assert len(upserts) == len(registers)
        kinds = [(c.statement.split()[0], c.pipelined) for c in step.statements]
        assert kinds[-2:] == [("WITH", True), ("COMMIT", True)], kinds
        assert not any(piped for _, piped in kinds[:-2])
        base = steps[0].version_before
        lines = pgbench_scripts.step_lines(step, "PGB-CAPTURE", base, own_register=False)
        assert lines[-1] == "\\endpipeline" and lines[-2] == "COMMIT;"
        assert lines.count("\\startpipeline") == 1
        assert not any("'-' || :client_id::text" in line for line in lines)
        variant = pgbench_scripts.step_lines(step, "PGB-CAPTURE", base, own_register=True)
        assert any("'-' || :client_id::text)" in line for line in variant)
    plain = next(s for s in steps if s not in numbered)
    assert not any(c.pipelined for c in plain.statements)
    # only the case's first step reads it; later steps start from the process's snapshot
    reads = [any("AS snapshot" in c.statement for c in s.statements) for s in steps]
    assert reads == [True] + [False] * (len(steps) - 1)
    # one script walks each client's cases through the steps in order: the first step
    # reads the version and head hash, later steps check the heads the steps before wrote
    walk = pgbench_scripts.render_walk(steps, "PGB-CAPTURE")
    branches = walk.split("\\elif :step = ")
    assert len(branches) == len(steps)
    assert walk.count("AS snapshot") == 1 and "AS h0 \\gset" in branches[0]
    assert "head_hash = :h0" in branches[0]
    assert all("head_hash = :h0" not in branch and ":h0" not in branch for branch in branches[1:])
    assert all("FROM cases WHERE id = :cid \\gset" not in branch for branch in branches[1:])
    assert walk.rstrip().endswith("\\set walk :walk + 1\n\\endif")


def test_contention_gives_clean_conflicts_and_loses_no_event() -> None:
    with bench_schema("t_bench") as schema:
        result = contention.run(schema, clients=4, cases=2, timeout=60)
    assert result["unclean_errors"] == 0, result["first_unclean"]
    assert result["lost_or_duplicate"] == []
    assert result["committed"] == result["expected_commits"] == 2 * len(LIFECYCLE)
    assert result["ok"]


def test_engine_overhead_covers_every_lifecycle_step() -> None:
    result = transitions.engine_overhead(rounds=1, repeats=2)
    assert result["transitions"] == len(LIFECYCLE)
    assert len(result["repetitions_us"]) == 2
    assert result["us_per_transition"] == min(result["repetitions_us"])
    assert set(result["breakdown_us"]) >= {"decide", "hash", "fold", "project"}


def test_peer_runs_the_same_steps() -> None:
    if importlib.util.find_spec("eventsourcing") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("the eventsourcing peer is installed by `make install` (bench extra)")
        pytest.skip("the peer is the optional `bench` extra")
    for _round in range(2):  # the bench's rounds run the peer again in the same process
        with bench_schema("t_bench", migrate=False) as schema:
            result = peer_eventsourcing.run(schema, [1], 0.3)
        point = result["points"]["1"]
        assert point["errors"] == 0, point["first_errors"]
        assert point["commands"] > 0
        _assert_cpu_measured(point)


def test_suite_writes_json_and_a_table(tmp_path: Path) -> None:
    out = tmp_path / "latest.json"
    assert main(["--only", "overhead", "--out", str(out)]) == 0
    results = json.loads(out.read_text())
    assert results["overhead"]["transitions"] > 0
    markdown = (tmp_path / "latest.md").read_text()
    assert "Engine overhead" in markdown
    repetitions = results["overhead"]["repetitions_us"]
    assert f"the best of {len(repetitions)} repetitions: " in markdown
    machine = results["meta"]["machine"]
    for moment in ("start", "end"):  # the host's speed, measured around the run
        reference = machine[f"cpu_reference_at_{moment}"]
        assert reference["python_ms"] > 0 and reference["sha256_mb_s"] > 0
    assert f"at start {machine['cpu_reference_at_start']['python_ms']} ms" in markdown


def test_the_variant_without_the_process_cache_reads_every_command() -> None:
    """The labelled variant of the table: no command starts from a cached snapshot."""
    from bench import report

    reads: list[str] = []
    original = command_path.read_pg

    def counted(driver: Any, case_id: str) -> Any:
        reads.append(case_id)
        return original(driver, case_id)

    with (
        bench_schema("t_bench") as schema,
        transitions.case_cache_off(),
        mock.patch.object(command_path, "read_pg", counted),
    ):
        result = transitions.run_netra(schema, [1], 0.3, letters=False)
    point = result["points"]["1"]
    assert point["errors"] == 0, point["first_errors"]
    assert len(reads) >= point["commands"] > 0  # one read per command (and per warm-up)
    table = report.render_markdown(
        {
            "transitions": {
                "netra_pure_read": result,
                "peer": {"points": {"1": {"throughput": point["throughput"] / 2}}},
                "pgbench": {"minimal_points": {"1": {"throughput": 1000.0}}},
                "pgbench_pure": {"points": {"1": {"throughput": 700.0}}},
            }
        }
    )
    assert "every command reading its case" in table
    assert "(2.00 of the peer" in table
    assert "Netra's own SQL without letters** (" in table
    assert "1 client 700/s (0.70 of the minimal SQL)" in table
