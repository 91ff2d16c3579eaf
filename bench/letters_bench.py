"""Letters per second: HTML (context from the case state + Jinja render + hashes) and PDF.

`run(size)` builds the demo and sample cases in a throw-away SQLite database (not timed),
then renders `size` letters round-robin over every issued letter (all 13 templates):
HTML through `letters.context.prepare_letter` exactly as issuing does, and PDF through
WeasyPrint, both in one process and with one process per CPU. `python -m bench.letters_bench
[size]` prints the figures. Targets from the issue: >= 300 HTML/s, >= 20 PDF/s.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from cases.bootstrap import unit_of_work
from cases.letter_samples import load_letter_samples
from db.letter_register import LetterRegister
from letters.context import LetterInputs, prepare_letter
from letters.render import html_to_pdf, templates
from rules.ruleset import load_rule_set
from states.case import Case


def _pdf_pages(html: str) -> int:
    """Render one letter to PDF bytes (as `html_to_pdf` does) and return its page count."""
    from weasyprint import HTML

    document = HTML(string=html).render()
    document.write_pdf()
    return len(document.pages)


def _load_workload() -> list[tuple[Case, LetterInputs, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        uow = unit_of_work(f"sqlite:///{Path(tmp) / 'letters-bench.db'}")
        case_ids = load_letter_samples(uow)
        work: list[tuple[Case, LetterInputs, str]] = []
        with uow:
            register = LetterRegister(uow.session)
            for cid in case_ids:
                events = uow.events.load(cid)
                for letter in register.for_case(cid):
                    case = Case.replay(cid, [e for e in events if e.seq <= letter.case_seq])
                    work.append(
                        (case, LetterInputs.from_dict(letter.context["inputs"]), letter.html)
                    )
        uow.engine.dispose()
    return work


def run(size: int = 200) -> dict[str, Any]:
    work = _load_workload()
    templates()  # compile once, as a running process would have
    for case, inputs, _ in work:  # warm-up: every template compiled and hashed
        prepare_letter(case, inputs, load_rule_set(case.rule_set))

    durations: list[float] = []
    started = time.perf_counter()
    for i in range(size):
        case, inputs, stored = work[i % len(work)]
        t0 = time.perf_counter()
        prepared = prepare_letter(case, inputs, load_rule_set(case.rule_set))
        durations.append(time.perf_counter() - t0)
        if i < len(work) and prepared.html != stored:
            raise AssertionError(f"{inputs.letter_id}: re-rendered HTML differs from stored")
    html_seconds = time.perf_counter() - started

    pdf_count = max(4, min(size // 5, 40))
    htmls = [work[i % len(work)][2] for i in range(pdf_count)]
    html_to_pdf(htmls[0])  # warm-up: fonts loaded
    pdf_durations: list[float] = []
    started = time.perf_counter()
    for html in htmls:
        t0 = time.perf_counter()
        html_to_pdf(html)
        pdf_durations.append(time.perf_counter() - t0)
    pdf_seconds = time.perf_counter() - started

    workers = os.cpu_count() or 1
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(html_to_pdf, htmls[:workers]))  # warm-up each worker
        started = time.perf_counter()
        pages = list(pool.map(_pdf_pages, htmls))
        parallel_seconds = time.perf_counter() - started

    return {
        "letters": size,
        "distinct_letters": len(work),
        "templates": len({inputs.kind + case.state for case, inputs, _ in work}),
        "html_per_s": round(size / html_seconds, 1),
        "html_ms_p50": round(statistics.median(durations) * 1000, 2),
        "html_ms_p99": round(sorted(durations)[int(len(durations) * 0.99) - 1] * 1000, 2),
        "pdf_letters": pdf_count,
        "pdf_per_s": round(pdf_count / pdf_seconds, 2),
        "pdf_ms_p50": round(statistics.median(pdf_durations) * 1000, 1),
        "pdf_per_s_parallel": round(pdf_count / parallel_seconds, 2),
        "pdf_workers": workers,
        "pages_per_letter": round(sum(pages) / len(pages), 2),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "targets": {"html_per_s": 300, "pdf_per_s": 20},
    }


if __name__ == "__main__":
    result = run(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
    print(
        f"HTML: {result['html_per_s']} letters/s (p50 {result['html_ms_p50']} ms, "
        f"{result['letters']} letters over {result['distinct_letters']} issued ones)"
    )
    print(
        f"PDF:  {result['pdf_per_s']} letters/s in one process (p50 {result['pdf_ms_p50']} ms), "
        f"{result['pdf_per_s_parallel']} letters/s with {result['pdf_workers']} processes "
        f"({result['pages_per_letter']} pages per letter)"
    )
    print(f"load average {result['load_average']}; targets >= 300 HTML/s, >= 20 PDF/s")
