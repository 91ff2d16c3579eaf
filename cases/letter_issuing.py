"""Issues the letters a lifecycle step calls for, in the step's transaction.

For each kind the step names (`step.payload['letters']`) and each of its addressees: pick the
sending institution and the signatory, take the next gap-free number from the sender's
register, build the context from the case *after* the step, render the HTML, store the
letter row and return a `letter_issued` event carrying its hashes (so the hash chain
protects them). Any failure raises and the whole step is rolled back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from db.letter_register import LetterRegister, StoredLetter
from db.registry import Institution, Officer
from db.unit_of_work import UnitOfWork
from letters.catalog import (
    ARSIP,
    BKN,
    BKN_BAWASLU,
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
    reporter_leaks,
)
from letters.numbering import format_letter_number
from rules.calendar import local_date
from rules.errors import InvalidInput
from rules.regions import timezone_for
from rules.ruleset import RuleSet, load_rule_set
from states import events as ev
from states.case import Case
from states.events import Actor, PendingEvent, RecordedEvent

JAKARTA_REGION = "31.71"


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


def involved_institutions(
    uow: UnitOfWork, spec: LetterKind, recipient: str, case: Case
) -> dict[str, dict[str, Any]]:
    """Letterhead snapshots of the sender and of every institution the letter names."""
    sender = uow.registry.institution(sender_code(spec, case))
    found = {
        "sender": _snapshot(sender),
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
        title = (
            "Pejabat Pemeriksa" if case.recommended_category == "moral" else ("Ketua Tim Pemeriksa")
        )
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


def issue_letters(
    uow: UnitOfWork,
    case: Case,
    step: RecordedEvent,
    actor: Actor,
    officer: Officer | None,
    now: datetime,
) -> list[PendingEvent]:
    """One `letter_issued` event per letter the step names (`step.payload['letters']`)."""
    kinds = list(step.payload.get("letters") or [])
    if not kinds:
        return []
    rule_set = load_rule_set(case.rule_set)
    register = LetterRegister(uow.session)
    issued: list[PendingEvent] = []
    for kind in kinds:
        spec = letter_kind(kind)
        for recipient in spec.recipients_for(case):
            issued.append(_issue_one(uow, register, spec, recipient, case, actor, now, rule_set))
    return issued


def _issue_one(
    uow: UnitOfWork,
    register: LetterRegister,
    spec: LetterKind,
    recipient: str,
    case: Case,
    actor: Actor,
    now: datetime,
    rule_set: RuleSet,
) -> PendingEvent:
    institutions = involved_institutions(uow, spec, recipient, case)
    sender = uow.registry.institution(sender_code(spec, case))
    zone = timezone_for(sender.region_code or JAKARTA_REGION)
    issued_on = local_date(now, zone)
    serial = register.next_serial(sender.code, issued_on.year, spec.classification)
    number = format_letter_number(
        sender.letter_number_format, serial, spec.classification, issued_on
    )
    inputs = LetterInputs(
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
    )
    prepared = prepare_letter(case, inputs, rule_set)
    if recipient != PELAPOR:
        leaks = reporter_leaks(prepared.html, case.reporter)
        if leaks:
            raise InvalidInput(
                f"Surat {spec.kind} kepada {recipient} memuat identitas pelapor "
                f"({', '.join(leaks)}); hapus identitas pelapor dari isian langkah ini"
            )
    register.add(_stored(case, inputs, sender, issued_on.year, prepared, now))
    return PendingEvent(
        ev.LETTER_ISSUED,
        actor,
        now,
        {
            "letter_id": inputs.letter_id,
            "kind": spec.kind,
            "number": number,
            "template_name": prepared.template_name,
            "template_hash": prepared.template_hash,
            "context_hash": prepared.context_hash,
            "content_hash": prepared.content_hash,
            "addressee": addressee_label(recipient, institutions),
        },
    )


def _stored(
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
