"""Correcting an issued letter: a ralat (a new letter that cites and replaces it) or revocation;
and keeping the scan of a letter issued outside Netra.

An issued letter is never edited. `issue_ralat` issues a new letter of the same kind to the
same addressee, with a new number from the register, built from the case as recorded now
(so a corrected letterhead, signatory or case record is what the new letter says); it
cites the old letter, whose status becomes "superseded". `revoke_letter` withdraws a letter
with a reason. Both record a `letter_withdrawn` event in the case's hash chain, in one
transaction with the status row (and, for a ralat, the new letter and its `letter_issued`
event). Only an officer of the institution that issued the letter (or the administrator)
may do either, and a letter already superseded or revoked cannot be corrected again.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date, datetime

from cases.access import acting, require_act
from cases.commands import chain_and_fold
from cases.letter_issuing import keep_templates, stored_letter
from cases.letter_parties import letter_inputs
from db.letter_records import ExternalLetter, LetterRecords, LetterStatus
from db.letter_register import LetterRegister, StoredLetter
from db.unit_of_work import UnitOfWork
from letters.catalog import letter_id as make_letter_id
from letters.catalog import letter_kind
from letters.context import prepare_letter
from rules.errors import InvalidInput, NotFound, PermissionDenied
from rules.models import Role
from rules.ruleset import load_rule_set
from states import events as ev
from states.case import Case
from states.events import Actor, PendingEvent

REASON_MAX = 2000


def _reason(text: str) -> str:
    clean = " ".join(str(text).split())
    if not clean:
        raise InvalidInput("Alasan wajib diisi")
    if len(clean) > REASON_MAX:
        raise InvalidInput(f"Alasan terlalu panjang (maks. {REASON_MAX} karakter)")
    return clean


def _load_for_change(
    uow: UnitOfWork, officer_id: str, letter_id: str
) -> tuple[Actor, StoredLetter, Case, LetterRecords]:
    actor, _ = acting(uow, officer_id)
    letter = LetterRegister(uow.session).get(letter_id)
    case = uow.cases.get(letter.case_id)
    if actor.role is not Role.ADMIN:
        require_act(actor, case)
        if actor.institution != letter.institution_code:
            raise PermissionDenied(
                f"Surat {letter.id} diterbitkan {letter.institution_code}; hanya instansi itu "
                "yang dapat meralat atau mencabutnya"
            )
    records = LetterRecords(uow.session)
    if records.status(letter.id) is not None:
        raise InvalidInput(f"Surat {letter.id} sudah diralat atau dicabut")
    return actor, letter, case, records


def revoke_letter(
    uow: UnitOfWork, officer_id: str, letter_id: str, reason: str, now: datetime
) -> LetterStatus:
    """Withdraw an issued letter, with the reason; it stays in the record, marked revoked."""
    why = _reason(reason)
    with uow:
        actor, letter, case, records = _load_for_change(uow, officer_id, letter_id)
        event = PendingEvent(
            ev.LETTER_WITHDRAWN,
            actor,
            now,
            {"letter_id": letter.id, "status": "revoked", "by_letter_id": None, "reason": why},
        )
        updated, recorded = chain_and_fold(case, [event], now, case.rule_set)
        status = LetterStatus(letter.id, "revoked", None, why, updated.version, now)
        records.set_status(status)
        uow.events.insert(recorded)
        uow.cases.save(updated, case.version)
        uow.commit()
    return status


def issue_ralat(
    uow: UnitOfWork, officer_id: str, letter_id: str, reason: str, now: datetime
) -> StoredLetter:
    """Issue the corrected letter that replaces `letter_id`; the old one becomes superseded."""
    why = _reason(reason)
    with uow:
        actor, old, case, records = _load_for_change(uow, officer_id, letter_id)
        spec = letter_kind(old.kind)
        recipient = str(old.context["inputs"]["recipient"])
        register = uow.letter_register()
        inputs = letter_inputs(uow, spec, recipient, case, now, register)
        inputs = replace(
            inputs,
            letter_id=make_letter_id(case.case_id, case.version, spec.kind, recipient),
            supersedes={
                "letter_id": old.id,
                "number": old.number,
                "issued_on": str(old.context["letter"]["issued_on"]),
                "reason": why,
            },
        )
        if inputs.letter_id == old.id:
            raise InvalidInput(
                f"Surat {old.id} baru saja diterbitkan; ralat setelah langkah berikut"
            )
        prepared = prepare_letter(case, inputs, load_rule_set(case.rule_set))
        sender = uow.registry.institution(old.institution_code)
        stored = stored_letter(
            case, inputs, sender, date.fromisoformat(inputs.issued_on).year, prepared, now
        )
        keep_templates(uow, prepared)  # the sources first: the letter's insert checks them
        register.add(stored)
        events = [
            PendingEvent(
                ev.LETTER_ISSUED,
                actor,
                now,
                {
                    "letter_id": stored.id,
                    "kind": stored.kind,
                    "number": stored.number,
                    "template_name": stored.template_name,
                    "template_hash": stored.template_hash,
                    "context_hash": stored.context_hash,
                    "content_hash": stored.content_hash,
                    "supersedes": old.id,
                },
            ),
            PendingEvent(
                ev.LETTER_WITHDRAWN,
                actor,
                now,
                {
                    "letter_id": old.id,
                    "status": "superseded",
                    "by_letter_id": stored.id,
                    "reason": why,
                },
            ),
        ]
        updated, recorded = chain_and_fold(case, events, now, case.rule_set)
        records.set_status(LetterStatus(old.id, "superseded", stored.id, why, updated.version, now))
        uow.events.insert(recorded)
        uow.cases.save(updated, case.version)
        uow.commit()
    return stored


SCAN_MAX = 20 * 1024 * 1024
SCAN_MAGIC = (b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def attach_external_scan(
    uow: UnitOfWork, officer_id: str, letter_id: str, scan: bytes
) -> ExternalLetter:
    """Keep the scan (PDF, PNG or JPEG) of a letter issued outside Netra, by its SHA-256.

    Only an officer of the institution that issued the letter (or the administrator) may add
    it, once; the number recorded with the letter is never changed by it.
    """
    if not scan or len(scan) > SCAN_MAX:
        raise InvalidInput(f"Pindaian harus berisi 1 bita sampai {SCAN_MAX} bita")
    if not scan.startswith(SCAN_MAGIC):
        raise InvalidInput("Pindaian harus berupa PDF, PNG, atau JPEG")
    with uow:
        actor, _ = acting(uow, officer_id)
        records = LetterRecords(uow.session)
        external = records.external(letter_id)
        if external is None:
            raise NotFound(f"Surat luar '{letter_id}' tidak ditemukan")
        if actor.role is not Role.ADMIN:
            require_act(actor, uow.cases.get(external.case_id))
            if actor.institution != external.institution_code:
                raise PermissionDenied(
                    f"Surat {letter_id} diterbitkan {external.institution_code}; hanya instansi "
                    "itu yang dapat melampirkan pindaiannya"
                )
        stored = records.attach_scan(letter_id, hashlib.sha256(scan).hexdigest(), scan)
        uow.commit()
    return stored
