"""Letters issued outside Netra: recorded with their own number and date, never rendered.

When a step carries the number of a letter issued outside Netra (`EXTERNAL_NUMBER_FIELDS`,
e.g. BKN's own letter), `external_number` reads it and `record_external` stores the letter
with that number and its date (`EXTERNAL_DATE_FIELDS`, else the sender's local date of the
step) and returns its `letter_recorded` event. Netra takes no number from its register for it.
"""

from __future__ import annotations

from datetime import date, datetime

from cases.letter_parties import JAKARTA_REGION, sender_code
from db.letter_records import ExternalLetter
from db.unit_of_work import UnitOfWork
from letters.catalog import EXTERNAL_DATE_FIELDS, EXTERNAL_NUMBER_FIELDS, LetterKind, letter_id
from rules.calendar import local_date
from rules.regions import timezone_for
from states import events as ev
from states.case import Case
from states.events import Actor, PendingEvent, RecordedEvent


def external_number(kind: str, step: RecordedEvent) -> str | None:
    """The number of this kind's letter when the step says it was issued outside Netra."""
    field = EXTERNAL_NUMBER_FIELDS.get(kind)
    data = step.payload.get("data") or {}
    value = data.get(field) if field else None
    if value is None:
        return None
    return str(value).strip() or None


def record_external(
    uow: UnitOfWork,
    spec: LetterKind,
    recipient: str,
    case: Case,
    step: RecordedEvent,
    number: str,
    actor: Actor,
    now: datetime,
) -> PendingEvent:
    """Store the letter issued outside Netra under `number`; its `letter_recorded` event."""
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
