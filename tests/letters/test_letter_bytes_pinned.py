"""The bytes of every sample letter are pinned: issuing and re-rendering give the same HTML.

`sample_letter_hashes.json` holds, per letter id of the demo and sample cases, the SHA-256 of
the issued HTML, of the canonical context and of the template set it was rendered from, as
the code produced them before the letter path was made faster. A change to rendering, to the
context or to the caches that alters a single byte of any letter fails here (and would break
`audit verify` of letters already issued).
"""

from __future__ import annotations

import json
from pathlib import Path

from db.letter_register import LetterRegister, StoredLetter
from db.unit_of_work import UnitOfWork
from letters.context import LetterInputs, build_context, prepare_letter
from letters.render import content_hash, context_hash, templates
from rules.ruleset import load_rule_set
from states.case import Case
from tests.letters.test_issued_letters import ALL_CASES

PINNED: dict[str, list[str]] = json.loads(
    (Path(__file__).parent / "sample_letter_hashes.json").read_text(encoding="utf-8")
)


def issued_letters(uow: UnitOfWork) -> list[StoredLetter]:
    with uow:
        register = LetterRegister(uow.session)
        return [letter for cid in ALL_CASES for letter in register.for_case(cid)]


def test_issued_letters_have_the_pinned_bytes(samples_uow: UnitOfWork) -> None:
    letters = issued_letters(samples_uow)
    found = {
        letter.id: [letter.content_hash, letter.context_hash, letter.template_hash]
        for letter in letters
    }
    assert found == PINNED
    for letter in letters:
        assert content_hash(letter.html) == letter.content_hash, letter.id
        assert context_hash(letter.context) == letter.context_hash, letter.id


def test_re_rendering_gives_the_pinned_bytes_warm_and_fresh(samples_uow: UnitOfWork) -> None:
    letters = issued_letters(samples_uow)
    with samples_uow:
        events = {cid: samples_uow.events.load(cid) for cid in ALL_CASES}
    for template_set in (templates(), templates(fresh=True)):
        for _ in range(2):  # the second pass runs on every per-process cache filled
            for letter in letters:
                case = Case.replay(
                    letter.case_id, [e for e in events[letter.case_id] if e.seq <= letter.case_seq]
                )
                inputs = LetterInputs.from_dict(letter.context["inputs"])
                rule_set = load_rule_set(case.rule_set)
                assert build_context(case, inputs, rule_set) == letter.context, letter.id
                prepared = prepare_letter(case, inputs, rule_set, template_set)
                assert prepared.html == letter.html, letter.id
                assert [
                    prepared.content_hash,
                    prepared.context_hash,
                    prepared.template_hash,
                ] == PINNED[letter.id], letter.id
