"""Letters per second: HTML (context from the case state + Jinja render + hashes) and PDF/A.

`run(size)` builds the demo and sample cases in a throw-away SQLite database (not timed),
then renders `size` letters round-robin over every issued letter (all templates): HTML
through `letters.context.prepare_letter` exactly as issuing does, and PDF/A-3b (shipped
fonts, embedded context, QR code) through `letters.pdf.letter_pdf`, one by one in one
process (the single-letter latency) and as a batch with one process per CPU
(`letters.pdf.render_many`). `python -m bench.letters_bench [size]` prints the figures.
Targets from the issues: >= 300 HTML/s; PDF >= 20 letters/s in a batch, <= 250 ms each.

`issuing(cases)` measures the letters as `advance()` issues them (issue 16): Probolinggo
lifecycles walked on PostgreSQL, the CPU time of this thread in `issue_letters` per rendered
letter, with and without the CPU spent numbering and storing letters and in database calls
(`DATABASE_CALLS`); the in-process figure is what choosing, building, rendering, checking and
hashing letters costs.
`python -m bench.letters_bench --issuing [cases] [--profile]` prints it alone.
"""

from __future__ import annotations

import cProfile
import functools
import os
import pstats
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any
from unittest import mock

import psycopg
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

import cases.commands
from bench.common import bench_schema, seed, short_id, walk
from cases.bootstrap import unit_of_work
from cases.letter_issuing import issue_letters
from cases.letter_samples import load_letter_samples
from db.letter_records import LetterRecords
from db.letter_register import LetterRegister
from db.unit_of_work import UnitOfWork
from letters.context import LetterInputs, prepare_letter
from letters.pdf import PdfJob, letter_pdf, pdf_workers, render_many
from letters.render import templates
from rules.ruleset import load_rule_set
from states import events as ev
from states.case import Case

BASE_URL = "https://netra.example.go.id"
PROFILE_ORDER, PROFILE_LINES = "tottime", 25


def _load_workload() -> list[tuple[Case, LetterInputs, str, dict[str, Any]]]:
    with tempfile.TemporaryDirectory() as tmp:
        uow = unit_of_work(f"sqlite:///{Path(tmp) / 'letters-bench.db'}")
        case_ids = load_letter_samples(uow)
        work: list[tuple[Case, LetterInputs, str, dict[str, Any]]] = []
        with uow:
            register = LetterRegister(uow.session)
            for cid in case_ids:
                events = uow.events.load(cid)
                for letter in register.for_case(cid):
                    case = Case.replay(cid, [e for e in events if e.seq <= letter.case_seq])
                    work.append(
                        (
                            case,
                            LetterInputs.from_dict(letter.context["inputs"]),
                            letter.html,
                            letter.context,
                        )
                    )
        uow.engine.dispose()
    return work


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


# Where issuing talks to the database, and the letter register's numbering and storage calls
# (statement building included): time in these (outermost call only) is not letter work.
DATABASE_CALLS: tuple[tuple[type, str], ...] = (
    (LetterRegister, "next_serial"),
    (LetterRegister, "add"),
    (LetterRecords, "add_external"),
    (LetterRecords, "letterhead"),
    (Session, "execute"),
    (Session, "flush"),
    (Session, "get"),
    (Session, "scalar"),
    (Session, "scalars"),
    (Connection, "execute"),
    (Connection, "exec_driver_sql"),
    (psycopg.Cursor, "execute"),
    (psycopg.Cursor, "executemany"),
    (psycopg.Connection, "execute"),
)


class IssuingMeter:
    """This thread's CPU time in `issue_letters`, and the part of it in database calls."""

    def __init__(self, profiler: cProfile.Profile | None = None) -> None:
        self.profiler = profiler
        self.measuring = False
        self.total = 0.0
        self.database = 0.0
        self.letters = 0
        self.rendered = 0
        self._inside = False
        self._depth = 0

    def database_call(self, call: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(call)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if not self._inside or self._depth:
                return call(*args, **kwargs)
            self._depth += 1
            start = time.thread_time()
            try:
                return call(*args, **kwargs)
            finally:
                self.database += time.thread_time() - start
                self._depth -= 1

        return timed

    def issue_letters(self, *args: Any, **kwargs: Any) -> list[ev.PendingEvent]:
        if not self.measuring:
            return issue_letters(*args, **kwargs)
        self._inside = True
        if self.profiler:
            self.profiler.enable()
        start = time.thread_time()
        try:
            issued = issue_letters(*args, **kwargs)
        finally:
            self.total += time.thread_time() - start
            if self.profiler:
                self.profiler.disable()
            self._inside = False
        self.letters += len(issued)
        self.rendered += sum(1 for event in issued if event.event_type == ev.LETTER_ISSUED)
        return issued

    @contextmanager
    def installed(self) -> Iterator[None]:
        with ExitStack() as stack:
            for owner, name in DATABASE_CALLS:
                call = getattr(owner, name)
                stack.enter_context(mock.patch.object(owner, name, self.database_call(call)))
            stack.enter_context(
                mock.patch.object(cases.commands, "issue_letters", self.issue_letters)
            )
            yield


def issuing(cases: int = 10, profile: bool = False) -> dict[str, Any]:
    """CPU per letter issued in `advance()` over `cases` Probolinggo lifecycles (PostgreSQL)."""
    profiler = cProfile.Profile(time.thread_time) if profile else None  # CPU time
    meter = IssuingMeter(profiler)
    with bench_schema("bench_let") as schema:
        engine = schema.engine()
        uow = UnitOfWork(engine)
        seed(uow)
        with meter.installed():
            walk(uow, "LETTERS-WARM")  # every template compiled, every cache filled
            meter.measuring = True
            for n in range(cases):
                walk(uow, short_id("LETTERS-", n))
        engine.dispose()
    in_process = meter.total - meter.database
    result: dict[str, Any] = {
        "cases": cases,
        "letters_per_case": meter.letters / cases,
        "rendered_per_case": meter.rendered / cases,
        # per rendered letter: the letters recorded under an external number add little
        "issue_cpu_us_per_letter": round(in_process / meter.rendered * 1e6, 1),
        "issue_cpu_us_per_letter_with_db": round(meter.total / meter.rendered * 1e6, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "target_us_per_letter": 400,
    }
    if profiler:
        out = StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(PROFILE_ORDER).print_stats(PROFILE_LINES)
        result["profile"] = out.getvalue()
    return result


def run(size: int = 200) -> dict[str, Any]:
    work = _load_workload()
    templates()  # compile once, as a running process would have
    for case, inputs, _, _ in work:  # warm-up: every template compiled and hashed
        prepare_letter(case, inputs, load_rule_set(case.rule_set))

    durations: list[float] = []
    started = time.perf_counter()
    for i in range(size):
        case, inputs, stored, _ = work[i % len(work)]
        t0 = time.perf_counter()
        prepared = prepare_letter(case, inputs, load_rule_set(case.rule_set))
        durations.append(time.perf_counter() - t0)
        if i < len(work) and prepared.html != stored:
            raise AssertionError(f"{inputs.letter_id}: re-rendered HTML differs from stored")
    html_seconds = time.perf_counter() - started

    pdf_count = max(len(work), min(size // 2, 120))
    jobs: list[PdfJob] = [
        (html, context, f"{BASE_URL}/verifikasi/{inputs.letter_id}?h=0")
        for _, inputs, html, context in (work[i % len(work)] for i in range(pdf_count))
    ]
    letter_pdf(*jobs[0][:2], verification_url=jobs[0][2])  # warm-up: fonts loaded
    pdf_durations: list[float] = []
    pdf_cpu = 0.0
    pages: list[int] = []
    for html, context, url in jobs[: len(work)]:
        t0, c0 = time.perf_counter(), time.process_time()
        pdf = letter_pdf(html, context, verification_url=url)
        pdf_durations.append(time.perf_counter() - t0)
        pdf_cpu += time.process_time() - c0
        pages.append(_pages(pdf))

    workers = os.cpu_count() or 1
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    batch = render_many(jobs, workers)  # cold: the processes start for this batch
    parallel_seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    assert len(batch) == len(jobs)
    with pdf_workers(workers) as pool:  # warm: a running exporter's pool, started and warmed
        render_many(jobs[: workers * 2], pool=pool)
        started = time.perf_counter()
        warm = render_many(jobs, pool=pool)
        warm_seconds = time.perf_counter() - started
    assert warm == batch  # same bytes whichever process renders

    return {
        "letters": size,
        "distinct_letters": len(work),
        "templates": len({inputs.kind + case.state for case, inputs, _, _ in work}),
        "html_per_s": round(size / html_seconds, 1),
        "html_ms_p50": round(statistics.median(durations) * 1000, 2),
        "html_ms_p99": round(sorted(durations)[int(len(durations) * 0.99) - 1] * 1000, 2),
        "pdf_letters": pdf_count,
        "pdf_per_s": round(len(pdf_durations) / sum(pdf_durations), 2),
        "pdf_ms_p50": round(statistics.median(pdf_durations) * 1000, 1),
        "pdf_ms_max": round(max(pdf_durations) * 1000, 1),
        "pdf_cpu_ms": round(pdf_cpu / len(pdf_durations) * 1000, 1),
        "pdf_per_s_parallel": round(pdf_count / parallel_seconds, 2),
        "pdf_per_s_warm_pool": round(pdf_count / warm_seconds, 2),
        # CPU seconds the worker processes spent per PDF (includes each worker's warm-up):
        # on a shared machine the figure to compare with the 2-core budget of 2 s per second.
        "pdf_cpu_ms_parallel": round(worker_cpu / pdf_count * 1000, 1),
        "pdf_workers": workers,
        "pages_per_letter": round(sum(pages) / len(pages), 2),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "targets": {"html_per_s": 300, "pdf_per_s": 20, "pdf_ms": 250},
        "issuing": issuing(),
    }


def _print_issuing(result: dict[str, Any]) -> None:
    print(
        f"Letters issued in advance(), CPU per letter: {result['issue_cpu_us_per_letter']} us "
        f"in process ({result['issue_cpu_us_per_letter_with_db']} us with the database calls; "
        f"{result['rendered_per_case']} rendered + "
        f"{result['letters_per_case'] - result['rendered_per_case']} recorded letters per case, "
        f"{result['cases']} cases; load average {result['load_average']}); target <= "
        f"{result['target_us_per_letter']} us"
    )


if __name__ == "__main__":
    if "--issuing" in sys.argv:
        numbers = [int(arg) for arg in sys.argv[1:] if arg.isdigit()]
        found = issuing(numbers[0] if numbers else 10, profile="--profile" in sys.argv)
        _print_issuing(found)
        if "profile" in found:
            print(found["profile"])
        sys.exit(0)
    result = run(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
    print(
        f"HTML: {result['html_per_s']} letters/s (p50 {result['html_ms_p50']} ms, "
        f"{result['letters']} letters over {result['distinct_letters']} issued ones)"
    )
    print(
        f"PDF/A: single letter p50 {result['pdf_ms_p50']} ms (max {result['pdf_ms_max']} ms, "
        f"{result['pdf_per_s']} letters/s in one process); batch of {result['pdf_letters']}: "
        f"{result['pdf_per_s_parallel']} letters/s with {result['pdf_workers']} processes started "
        f"for it, {result['pdf_per_s_warm_pool']} letters/s in a warm pool "
        f"({result['pages_per_letter']} pages per letter); CPU per PDF {result['pdf_cpu_ms']} ms "
        f"in one process, {result['pdf_cpu_ms_parallel']} ms in the batch workers"
    )
    print(f"load average {result['load_average']}; targets >= 300 HTML/s, >= 20 PDF/s, <= 250 ms")
    _print_issuing(result["issuing"])
