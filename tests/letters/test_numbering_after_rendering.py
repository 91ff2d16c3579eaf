"""A letter is rendered under a placeholder number and numbered last (so the register's
counter row is not locked while it renders): putting the number in gives exactly the bytes
and hashes of rendering with it, for every sample letter and for numbers that need escaping."""

from __future__ import annotations

from dataclasses import replace

import pytest

from db.letter_register import LetterRegister
from db.unit_of_work import UnitOfWork
from letters.context import LetterInputs, prepare_letter, with_number
from rules.ruleset import load_rule_set
from states.case import Case
from tests.letters.test_issued_letters import ALL_CASES

PLACEHOLDER = "NOMOR-0123456789abcdef0123456789abcdef"


def _letters_with_cases(uow: UnitOfWork) -> list[tuple[LetterInputs, Case, str]]:
    with uow:
        register = LetterRegister(uow.session)
        letters = [letter for cid in ALL_CASES for letter in register.for_case(cid)]
        events = {cid: uow.events.load(cid) for cid in ALL_CASES}
    found = []
    for letter in letters:
        case = Case.replay(
            letter.case_id, [e for e in events[letter.case_id] if e.seq <= letter.case_seq]
        )
        found.append((LetterInputs.from_dict(letter.context["inputs"]), case, letter.html))
    return found


@pytest.mark.parametrize("number", [None, "7&<b>/KPS.01</b>/'2024'\""])
def test_numbering_after_rendering_equals_rendering_with_the_number(
    samples_uow: UnitOfWork, number: str | None
) -> None:
    letters = _letters_with_cases(samples_uow)
    assert len(letters) >= 50
    for inputs, case, issued_html in letters:
        rule_set = load_rule_set(case.rule_set)
        real = inputs if number is None else replace(inputs, number=number)
        direct = prepare_letter(case, real, rule_set)
        draft = prepare_letter(case, replace(real, number=PLACEHOLDER, serial=0), rule_set)
        assert PLACEHOLDER in draft.html
        numbered = with_number(draft, PLACEHOLDER, real.number, real.serial)
        assert numbered == direct, inputs.letter_id
        if number is None:
            assert numbered.html == issued_html


def test_a_placeholder_left_anywhere_is_an_error_never_a_letter(
    samples_uow: UnitOfWork,
) -> None:
    inputs, case, _ = _letters_with_cases(samples_uow)[0]
    rule_set = load_rule_set(case.rule_set)
    draft = prepare_letter(case, replace(inputs, number=PLACEHOLDER, serial=0), rule_set)
    for where in ({"elsewhere": PLACEHOLDER}, {"notes": [{"text": f"lihat «{PLACEHOLDER}»"}]}):
        leaked = replace(draft, context={**draft.context, **where})
        with pytest.raises(ValueError, match="nomor sementara"):
            with_number(leaked, PLACEHOLDER, "1/X/2024", 1)
