"""Issues the letters a lifecycle step calls for, in the step's transaction.

For each kind the step names (`step.payload['letters']`) and each of its addressees: pick the
sending institution and the signatory, build the context from the case *after* the step and
render the HTML under a placeholder number; then, once every letter of the step is rendered,
take each one's next gap-free number from the sender's register, put it in (the same bytes
as rendering with it: `letters.context.with_number`), store the letter row and return a
`letter_issued` event carrying its hashes (so the hash chain protects them). Numbering last
keeps the register's counter row locked only from the reservation to the commit, not while
letters render. Any failure raises and the whole step is rolled back.

One number per letter: when the step carries the number of a letter issued outside Netra
(`EXTERNAL_NUMBER_FIELDS`, e.g. BKN's own letter), that letter is recorded with its external
number and date (`letter_recorded`) and Netra neither renders nor numbers it.
`prepare_step_letters` builds the same letters without numbering or storing anything, for a
preview.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial
from typing import Any

from cases.effective_time import ENTERED_LATE
from cases.evidence.attachments import attachments_for_case
from db.letter_records import ExternalLetter, LetterRecords
from db.letter_register import LetterRegister, StoredLetter
from db.registry import Institution, Officer
from db.unit_of_work import UnitOfWork
from letters.catalog import (
    ARSIP,
    BKN,
    BKN_BAWASLU,
    EXTERNAL_DATE_FIELDS,
    EXTERNAL_NUMBER_FIELDS,
    PELAPOR,
    PPK,
    TERLAPOR,
    LetterKind,
    letter_id,
    letter_kind,
)
from letters.context import (
    LetterInputs,
    PreparedLetter,
    institution_snapshot,
    prepare_letter,
    with_number,
)
from letters.letterhead import default_letterhead
from letters.numbering import format_letter_number
from letters.privacy import reporter_leaks
from rules.calendar import local_date
from rules.errors import InvalidInput
from rules.models import Role
from rules.regions import timezone_for
from rules.ruleset import RuleSet, load_rule_set
from states import events as ev
from states.case import Case
from states.events import Actor, PendingEvent, RecordedEvent

JAKARTA_REGION = "31.71"
DRAFT_NUMBER = "…/…/…"


def sender_code(spec: LetterKind, case: Case) -> str:
    if spec.sender == "bawaslu":
        return case.bawaslu_office
    if spec.sender == "bkn":  # the recommending body of the case's law: KASN, later BKN
        return load_rule_set(case.rule_set).legal.recommending_body.institution
    if not case.ppk_institution:
        raise InvalidInput(f"Perkara {case.case_id} belum memiliki PPK untuk surat {spec.kind}")
    return case.ppk_institution


def _snapshot(institution: Institution) -> dict[str, Any]:
    return institution_snapshot(institution.__dict__)


def letterhead_snapshot(uow: UnitOfWork, institution: Institution) -> dict[str, Any]:
    """The institution's fields plus its kop (stored by an administrator, else derived)."""
    snapshot = _snapshot(institution)
    stored = uow.registry.letterhead(  # cached per reference version on the command path
        institution.code, lambda: LetterRecords(uow.session).letterhead(institution.code)
    )
    snapshot["letterhead"] = stored or default_letterhead(snapshot)
    return snapshot


def involved_institutions(
    uow: UnitOfWork, spec: LetterKind, recipient: str, case: Case
) -> dict[str, dict[str, Any]]:
    """Letterhead snapshots of the sender and of every institution the letter names."""
    sender = uow.registry.institution(sender_code(spec, case))
    found = {
        "sender": letterhead_snapshot(uow, sender),
        "bawaslu": _snapshot(uow.registry.institution(case.bawaslu_office)),
    }
    if case.ppk_institution:
        found["ppk"] = _snapshot(uow.registry.institution(case.ppk_institution))
    if spec.sender == "bkn" or recipient in (BKN, BKN_BAWASLU):
        body = load_rule_set(case.rule_set).legal.recommending_body.institution
        found["bkn"] = _snapshot(uow.registry.institution(body))
    return found


def signatory_for(spec: LetterKind, case: Case, sender: dict[str, Any]) -> dict[str, Any]:
    """The examiner signs summonses and the BAP; the head of the sender signs the rest."""
    if spec.kind in ("surat_panggilan", "berita_acara_pemeriksaan"):
        summon = case.step("summon")
        # Who examined (PP 94/2021; LETTER-FORMS §1a, §1c, §1d): the tim pemeriksa's chair
        # when a team was appointed (mandatory for berat), else the atasan langsung alone.
        if case.examination_team:
            title = "Ketua Tim Pemeriksa"
        elif case.recommended_category == "moral":
            title = "Pejabat Pemeriksa"
        else:
            title = "Atasan Langsung"
        return {
            "title": title,
            "name": summon.get("examiner_name") or "",
            "nip": summon.get("examiner_nip"),
        }
    return {"title": sender["head_title"], "name": sender["head_name"], "nip": sender["head_nip"]}


def addressee_label(recipient: str, institutions: dict[str, dict[str, Any]]) -> str:
    """Who the letter goes to, as recorded on the event (never the reporter's name)."""
    if recipient in (PELAPOR, TERLAPOR, ARSIP):
        return recipient
    if recipient == BKN:
        return str(institutions["bkn"]["code"])
    if recipient == PPK:
        return str(institutions["ppk"]["code"])
    return f"{institutions['bkn']['code']}, {institutions['bawaslu']['code']}"


def external_number(kind: str, step: RecordedEvent) -> str | None:
    """The number of this kind's letter when the step says it was issued outside Netra."""
    field = EXTERNAL_NUMBER_FIELDS.get(kind)
    data = step.payload.get("data") or {}
    value = data.get(field) if field else None
    if value is None:
        return None
    return str(value).strip() or None


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
                    partial(_record_external, uow, spec, recipient, case, step, number, actor, now)
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


def _record_external(
    uow: UnitOfWork,
    spec: LetterKind,
    recipient: str,
    case: Case,
    step: RecordedEvent,
    number: str,
    actor: Actor,
    now: datetime,
) -> PendingEvent:
    sender = uow.registry.institution(sender_code(spec, case))
    zone = timezone_for(sender.region_code or JAKARTA_REGION)
    date_field = EXTERNAL_DATE_FIELDS.get(spec.kind)
    raw_date = (step.payload.get("data") or {}).get(date_field) if date_field else None
    issued_on = date.fromisoformat(str(raw_date)) if raw_date else local_date(now, zone)
    external = ExternalLetter(
        id=letter_id(case.case_id, case.version, spec.kind, recipient),
        case_id=case.case_id,
        case_seq=case.version,
        kind=spec.kind,
        institution_code=sender.code,
        number=number,
        issued_on=issued_on,
        scan_sha256=None,
        recorded_at=now,
    )
    uow.letter_records().add_external(external)
    return PendingEvent(
        ev.LETTER_RECORDED,
        actor,
        now,
        {
            "letter_id": external.id,
            "kind": spec.kind,
            "number": number,
            "issued_on": issued_on.isoformat(),
            "institution": sender.code,
            "external": True,
        },
    )


def letter_inputs(
    uow: UnitOfWork,
    spec: LetterKind,
    recipient: str,
    case: Case,
    now: datetime,
    register: LetterRegister | None,
    entered_late: dict[str, Any] | None = None,
    draft_number: str = DRAFT_NUMBER,
) -> LetterInputs:
    """The issuing inputs; with no register the number is left as `draft_number` (a preview
    shows `…/…/…`) and the serial as 0.

    Letters that forward a case list its evidence under "Lampiran" (never Bawaslu-internal
    evidence outside Bawaslu); a step entered late says so ("dicatat terlambat")."""
    institutions = involved_institutions(uow, spec, recipient, case)
    sender = uow.registry.institution(sender_code(spec, case))
    zone = timezone_for(sender.region_code or JAKARTA_REGION)
    issued_on = local_date(now, zone)
    if register is None:
        serial, number = 0, draft_number
    else:
        serial = register.next_serial(sender.code, issued_on.year, spec.classification)
        number = format_letter_number(
            sender.letter_number_format, serial, spec.classification, issued_on
        )
    return LetterInputs(
        letter_id=letter_id(case.case_id, case.version, spec.kind, recipient),
        kind=spec.kind,
        recipient=recipient,
        number=number,
        classification=spec.classification,
        serial=serial,
        issued_on=issued_on.isoformat(),
        place=sender.city,
        institutions=institutions,
        signatory=signatory_for(spec, case, institutions["sender"]),
        attachments=(
            attachments_for_case(uow, case.case_id, None, _recipient_role(recipient))
            if spec.kind in FORWARDS_EVIDENCE
            else []
        ),
        entered_late=dict(entered_late) if entered_late else None,
    )


# Letters that hand the case on to the next body, with the evidence gathered so far.
FORWARDS_EVIDENCE = frozenset({"penerusan_bawaslu", "rekomendasi_bkn"})


def _recipient_role(recipient: str) -> Role | None:
    return Role.BAWASLU if recipient.startswith("bawaslu") else None


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
