"""Issues the letters a lifecycle step calls for, in the step's transaction.

For each kind the step names (`step.payload['letters']`) and each of its addressees: pick the
sending institution and the signatory, build the context from the case *after* the step and
render the HTML under a placeholder number; then, once every letter of the step is rendered,
take each one's next gap-free number from the sender's register, put it in (the same bytes
as rendering with it: `letters.context.with_number`), store the letter row (and, once per
template hash, the template sources it was rendered with: `db.template_store`) and return a
`letter_issued` event carrying its hashes (so the hash chain protects them). Numbering last
keeps the register's counter row locked only from the reservation to the commit, not while
letters render. Any failure raises and the whole step is rolled back.

One number per letter: when the step carries the number of a letter issued outside Netra,
that letter is recorded with its external number and date (`cases.letter_external`) and
Netra neither renders nor numbers it. `prepare_step_letters` builds the same letters without
numbering or storing anything, for a preview. Who sends, signs and receives a letter, and the
inputs it is rendered from, are in `cases.letter_parties`.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial
from typing import Any

from cases.effective_time import ENTERED_LATE
from cases.letter_external import external_number, record_external
from cases.letter_parties import addressee_label, letter_inputs, sender_code
from db.letter_register import LetterRegister, StoredLetter
from db.registry import Institution, Officer
from db.unit_of_work import UnitOfWork
from letters.catalog import PELAPOR, LetterKind, letter_id, letter_kind
from letters.context import LetterInputs, PreparedLetter, prepare_letter, with_number
from letters.numbering import format_letter_number
from letters.privacy import reporter_leaks
from rules.errors import InvalidInput
from rules.ruleset import RuleSet, load_rule_set
from states import events as ev
from states.case import Case
from states.events import Actor, PendingEvent, RecordedEvent


def issue_letters(
    uow: UnitOfWork,
    case: Case,
    step: RecordedEvent,
    actor: Actor,
    officer: Officer | None,
    now: datetime,
) -> list[PendingEvent]:
    """One `letter_issued` (or `letter_recorded`) event per letter the step names."""
    kinds = list(step.payload.get("letters") or [])
    if not kinds:
        return []
    rule_set = load_rule_set(case.rule_set)
    entered_late = step.payload.get(ENTERED_LATE)
    planned: list[_Unnumbered | Callable[[], PendingEvent]] = []
    for kind in kinds:
        spec = letter_kind(kind)
        number = external_number(kind, step)
        for recipient in spec.recipients_for(case):
            if number is not None:
                planned.append(
                    partial(record_external, uow, spec, recipient, case, step, number, actor, now)
                )
            else:
                planned.append(
                    _render_unnumbered(uow, spec, recipient, case, now, rule_set, entered_late)
                )
    # Numbers last: a register's counter row stays locked from its reservation to the commit;
    # all the step's serials are reserved at once (one statement per register)
    register = uow.letter_register()
    register.reserve(
        _register_key(uow, item, case) for item in planned if isinstance(item, _Unnumbered)
    )
    return [
        _number(uow, register, item, case, actor, now) if isinstance(item, _Unnumbered) else item()
        for item in planned
    ]


def _checked(prepared: PreparedLetter, spec: LetterKind, recipient: str, case: Case) -> None:
    if recipient != PELAPOR:
        leaks = reporter_leaks(prepared.html, case.reporter)
        if leaks:
            raise InvalidInput(
                f"Surat {spec.kind} kepada {recipient} memuat identitas pelapor "
                f"({', '.join(leaks)}); hapus identitas pelapor dari isian langkah ini"
            )


@dataclass(frozen=True)
class DraftLetter:
    """A letter a step would issue, rendered but neither numbered nor stored."""

    letter_id: str
    kind: str
    recipient: str
    external_number: str | None  # set when the step records a letter issued outside Netra
    prepared: PreparedLetter | None


def prepare_step_letters(
    uow: UnitOfWork, case: Case, step: RecordedEvent, now: datetime
) -> list[DraftLetter]:
    """What `issue_letters` would issue for this step, without numbering or writing."""
    rule_set = load_rule_set(case.rule_set)
    drafts: list[DraftLetter] = []
    for kind in step.payload.get("letters") or []:
        spec = letter_kind(kind)
        number = external_number(kind, step)
        for recipient in spec.recipients_for(case):
            ident = letter_id(case.case_id, case.version, spec.kind, recipient)
            if number is not None:
                drafts.append(DraftLetter(ident, spec.kind, recipient, number, None))
                continue
            inputs = letter_inputs(uow, spec, recipient, case, now, register=None)
            prepared = prepare_letter(case, inputs, rule_set)
            _checked(prepared, spec, recipient, case)
            drafts.append(DraftLetter(ident, spec.kind, recipient, None, prepared))
    return drafts


@dataclass(frozen=True)
class _Unnumbered:
    """A letter rendered with a placeholder for its number, waiting for its serial."""

    spec: LetterKind
    recipient: str
    inputs: LetterInputs
    prepared: PreparedLetter


def _render_unnumbered(
    uow: UnitOfWork,
    spec: LetterKind,
    recipient: str,
    case: Case,
    now: datetime,
    rule_set: RuleSet,
    entered_late: dict[str, Any] | None,
) -> _Unnumbered:
    """Build, render and check a letter under an unguessable placeholder number."""
    placeholder = f"NOMOR-{secrets.token_hex(16)}"
    inputs = letter_inputs(uow, spec, recipient, case, now, None, entered_late, placeholder)
    prepared = prepare_letter(case, inputs, rule_set)
    _checked(prepared, spec, recipient, case)
    return _Unnumbered(spec, recipient, inputs, prepared)


def _register_key(uow: UnitOfWork, letter: _Unnumbered, case: Case) -> tuple[str, int, str]:
    """The register a letter is numbered in: sender, year of issue, classification."""
    sender = uow.registry.institution(sender_code(letter.spec, case))
    year = date.fromisoformat(letter.inputs.issued_on).year
    return sender.code, year, letter.spec.classification


def _number(
    uow: UnitOfWork,
    register: LetterRegister,
    letter: _Unnumbered,
    case: Case,
    actor: Actor,
    now: datetime,
) -> PendingEvent:
    """Reserve the letter's serial, put its number in, store it; its `letter_issued` event."""
    spec, placeholder = letter.spec, letter.inputs.number
    sender = uow.registry.institution(sender_code(spec, case))
    issued_on = date.fromisoformat(letter.inputs.issued_on)
    serial = register.next_serial(sender.code, issued_on.year, spec.classification)
    number = format_letter_number(
        sender.letter_number_format, serial, spec.classification, issued_on
    )
    inputs = replace(letter.inputs, number=number, serial=serial)
    prepared = with_number(letter.prepared, placeholder, number, serial)
    keep_templates(uow, prepared)  # the sources first: the letter's insert checks them
    register.add(stored_letter(case, inputs, sender, issued_on.year, prepared, now))
    return PendingEvent(
        ev.LETTER_ISSUED,
        actor,
        now,
        {
            "letter_id": inputs.letter_id,
            "kind": spec.kind,
            "number": inputs.number,
            "template_name": prepared.template_name,
            "template_hash": prepared.template_hash,
            "context_hash": prepared.context_hash,
            "content_hash": prepared.content_hash,
            "addressee": addressee_label(letter.recipient, inputs.institutions),
        },
    )


def keep_templates(uow: UnitOfWork, prepared: PreparedLetter) -> None:
    """Store the template sources the letter was rendered with (once per database)."""
    uow.letter_templates().keep(
        prepared.template_name, prepared.template_hash, prepared.template_sources
    )


def stored_letter(
    case: Case,
    inputs: LetterInputs,
    sender: Institution,
    year: int,
    prepared: PreparedLetter,
    now: datetime,
) -> StoredLetter:
    return StoredLetter(
        id=inputs.letter_id,
        case_id=case.case_id,
        case_seq=case.version,
        kind=inputs.kind,
        institution_code=sender.code,
        number=inputs.number,
        year=year,
        classification=inputs.classification,
        serial=inputs.serial,
        template_name=prepared.template_name,
        template_hash=prepared.template_hash,
        context=prepared.context,
        context_hash=prepared.context_hash,
        content_hash=prepared.content_hash,
        html=prepared.html,
        issued_at=now,
    )
