"""Sample letters: `write_samples` renders the letters of the demo and sample cases
(`cases.letter_sample_cases`) to PDF and HTML in a throw-away database, one per template and
variant (or every letter), for officials to look at (`netra letter samples`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from cases.bootstrap import unit_of_work
from cases.letter_sample_cases import SAMPLE_CASES as SAMPLE_CASES
from cases.letter_sample_cases import load_letter_samples as load_letter_samples
from cases.letters import get_letter, unsigned_pdf
from db.letter_register import LetterRegister, StoredLetter


def _sample_key(letter: StoredLetter) -> tuple[str, ...]:
    context = letter.context
    return (
        letter.template_name,
        str(context["letter"]["title"]),
        str(context["letter"]["recipient"]),
        str(context["body"].get("status") or ""),
        str(context["body"].get("attended", "")),
        str(bool(context["body"].get("qa"))),
        str(context["legal"]["body"]["short_name"]),  # KASN-era letters (rule-sets 2023.x)
    )


def write_samples(out_dir: Path, every_letter: bool = False) -> list[Path]:
    """Render sample letters (one per template and variant, or all) to `out_dir` as PDF+HTML.

    Uses a throw-away SQLite database, so no real database is touched.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        uow = unit_of_work(f"sqlite:///{Path(tmp) / 'samples.db'}")
        case_ids = load_letter_samples(uow)
        with uow:
            letters = [x for cid in case_ids for x in LetterRegister(uow.session).for_case(cid)]
        seen: set[tuple[str, ...]] = set()
        for letter in letters:
            key = _sample_key(letter)
            if not every_letter and key in seen:
                continue
            seen.add(key)
            stored = get_letter(uow, "admin", letter.id)
            stem = f"{len(written) // 2 + 1:02d}-{letter.template_name.removesuffix('.html.j2')}-{letter.id}"
            (out_dir / f"{stem}.html").write_text(stored.html, encoding="utf-8")
            (out_dir / f"{stem}.pdf").write_bytes(unsigned_pdf(uow, stored))
            written.extend([out_dir / f"{stem}.html", out_dir / f"{stem}.pdf"])
        uow.engine.dispose()
    return written
