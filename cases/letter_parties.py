"""Who and what a letter is issued by and for: the parties a letter names and its inputs.

The sending institution of a letter kind for a case (`sender_code`), the letterhead snapshots
of the sender and of every institution the letter names (`involved_institutions`), who signs
it (`signatory_for`), how its addressee is recorded on the event (`addressee_label`), and the
`LetterInputs` a letter is rendered from (`letter_inputs`): number, date and place of issue,
parties, signatory and the evidence it forwards. `cases.letter_issuing` numbers and stores
the letters; `cases.letter_corrections` builds a ralat from the same inputs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cases.evidence.attachments import attachments_for_case
from db.letter_records import LetterRecords
from db.letter_register import LetterRegister
from db.registry import Institution
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
)
from letters.context import LetterInputs, institution_snapshot
from letters.letterhead import default_letterhead
from letters.numbering import format_letter_number
from rules.calendar import local_date
from rules.errors import InvalidInput
from rules.models import Role
from rules.regions import timezone_for
from rules.ruleset import load_rule_set
from states.case import Case

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
