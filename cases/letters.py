"""Letter services: list a case's letters, read one, render its PDF, and verify it is genuine.

Verification proves a stored letter is exactly what the recorded case state produced: it
replays the case's events up to the seq the letter was issued at, rebuilds the context from
that state plus the issuing inputs kept in the letter (number, date, letterheads,
signatory), re-renders it with the templates it was issued with, and compares the context,
the template hash, the HTML and its hash with the stored row and with the `letter_issued`
event — which the hash chain protects.

The templates come from the template store (`db.template_store`) under the letter's template
hash, once they prove to be exactly what that hash covers (else the store was damaged or
forged: a problem, and the installed templates are used instead). A letter issued before the
store existed, whose templates were never imported, is re-rendered with the installed ones,
as is every letter when the verifier names a templates folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from cases.access import SEES_REPORTER, acting, require_read, subject_of
from cases.policy import Subject
from db.letter_records import LetterRecords
from db.letter_register import LetterRegister, StoredLetter
from db.template_store import StoredTemplates
from db.unit_of_work import UnitOfWork
from letters.catalog import ISSUED_EVENT, PELAPOR, RECORD_FIELDS
from letters.context import LetterInputs, prepare_letter
from letters.pdf import letter_pdf
from letters.render import TemplateSet, content_hash, context_hash, kept_templates, templates
from letters.settings import letter_settings
from letters.signing import LetterSigner, signer_from_setting
from rules.calendar import local_date
from rules.errors import NetraError, PermissionDenied
from rules.regions import timezone_for
from rules.ruleset import load_rule_set
from states import events as ev
from states.case import Case
from states.events import RecordedEvent
from states.integrity import verify_stream


@dataclass(frozen=True)
class LetterSummary:
    """One line of `netra letter list`: no letter content, so no reporter identity."""

    id: str
    case_id: str
    case_seq: int
    kind: str
    number: str
    recipient: str
    template_name: str
    content_hash: str
    issued_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "issued_at": self.issued_at.isoformat()}


@dataclass
class LetterVerification:
    """What `verify_letter` found; `ok` only when nothing differs."""

    letter_id: str
    case_id: str
    case_seq: int
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # informational, never a problem

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "ok": self.ok}


def recipient_of(letter: StoredLetter) -> str:
    inputs = letter.context.get("inputs") or {}
    return str(inputs.get("recipient", ""))


def _require_letter_read(reader: Subject, case: Case, letter: StoredLetter) -> None:
    require_read(reader, case)
    if recipient_of(letter) == PELAPOR and reader.actor.role not in SEES_REPORTER:
        raise PermissionDenied(
            f"Surat {letter.id} ditujukan kepada pelapor; identitas pelapor hanya untuk Bawaslu"
        )


def list_letters(uow: UnitOfWork, officer_id: str, case_id: str) -> list[LetterSummary]:
    """The letters issued on a case, in the order they were issued."""
    with uow:
        actor, _ = acting(uow, officer_id)
        return case_letters(uow, subject_of(uow, actor), uow.cases.get(case_id))


def case_letters(uow: UnitOfWork, reader: Subject, case: Case) -> list[LetterSummary]:
    """`list_letters` inside an open unit of work, for a reader (the officer with its
    office's territory) and a case already read."""
    require_read(reader, case)
    letters = LetterRegister(uow.session).for_case(case.case_id)
    return [
        LetterSummary(
            id=x.id,
            case_id=x.case_id,
            case_seq=x.case_seq,
            kind=x.kind,
            number=x.number,
            recipient=recipient_of(x),
            template_name=x.template_name,
            content_hash=x.content_hash,
            issued_at=x.issued_at,
        )
        for x in letters
    ]


def get_letter(uow: UnitOfWork, officer_id: str, letter_id: str) -> StoredLetter:
    """A stored letter; a letter to the reporter only for Bawaslu (and the administrator)."""
    with uow:
        actor, _ = acting(uow, officer_id)
        letter = LetterRegister(uow.session).get(letter_id)
        _require_letter_read(subject_of(uow, actor), uow.cases.get(letter.case_id), letter)
    return letter


def verification_url(letter: StoredLetter, base_url: str | None = None) -> str:
    """The public page the letter's QR code points to; it carries the content hash."""
    base = (base_url or letter_settings().verification_base_url).rstrip("/")
    return f"{base}/verifikasi/{letter.id}?h={letter.content_hash}"


def letter_logos(uow: UnitOfWork, context: dict[str, Any]) -> dict[str, tuple[str, bytes]]:
    """The stored logos a letter's letterheads name (by SHA-256), for the PDF renderer."""
    records = LetterRecords(uow.session)
    found: dict[str, tuple[str, bytes]] = {}
    for institution in (context.get("inputs") or {}).get("institutions", {}).values():
        sha = ((institution or {}).get("letterhead") or {}).get("logo_sha256")
        if sha and sha not in found:
            found[sha] = records.logo(sha)
    return found


def configured_signer() -> LetterSigner | None:
    """The signer `NETRA_LETTER_SIGNER` names (None: PDFs are not signed)."""
    settings = letter_settings()
    return signer_from_setting(settings.letter_signer, settings.letter_signer_passphrase)


def unsigned_pdf(uow: UnitOfWork, letter: StoredLetter, base_url: str | None = None) -> bytes:
    """The letter's PDF/A-3b exactly as issued: stored HTML, context, QR, logos (no signature)."""
    with uow:
        logos = letter_logos(uow, letter.context)
    return letter_pdf(
        letter.html,
        letter.context,
        verification_url=verification_url(letter, base_url),
        logos=logos,
    )


def render_pdf(
    uow: UnitOfWork,
    officer_id: str,
    letter_id: str,
    signer: LetterSigner | None = None,
    base_url: str | None = None,
) -> bytes:
    """The stored letter (its exact HTML) as an A4 PDF/A-3b, signed when a signer is given."""
    letter = get_letter(uow, officer_id, letter_id)
    pdf = unsigned_pdf(uow, letter, base_url)
    if signer is None:
        return pdf
    return signer.sign(
        pdf, letter.context.get("signatory") or {}, str(letter.context["letter"]["place"])
    )


def verify_letter(
    uow: UnitOfWork,
    officer_id: str,
    letter_id: str,
    templates_dir: Path | str | None = None,
) -> LetterVerification:
    """Regenerate a letter from the recorded case state and report every difference."""
    with uow:
        actor, _ = acting(uow, officer_id)
        letter = LetterRegister(uow.session).get(letter_id)
        require_read(subject_of(uow, actor), uow.cases.get(letter.case_id))
        events = uow.events.load(letter.case_id)
        stored = (
            None if templates_dir is not None else uow.letter_templates().get(letter.template_hash)
        )
    report = LetterVerification(letter.id, letter.case_id, letter.case_seq)
    report.problems.extend(_check_events(letter, events))
    template_set = _issued_templates(letter, stored, templates_dir, report)
    report.problems.extend(_check_regenerated(letter, events, template_set))
    return report


INSTALLED_CHANGED = (
    "templat terpasang telah berubah sejak surat diterbitkan; surat dibuat ulang dengan "
    "templat yang tersimpan saat surat diterbitkan"
)


def _issued_templates(
    letter: StoredLetter,
    stored: StoredTemplates | None,
    templates_dir: Path | str | None,
    report: LetterVerification,
) -> TemplateSet:
    """The templates the letter was issued with, from the store when it has them and they
    are exactly what the letter's template hash covers; else the installed (or named) ones."""
    if stored is None:
        return templates(templates_dir, fresh=True)
    kept = kept_templates(stored.sources)
    if not kept.covers(letter.template_name, letter.template_hash):
        report.problems.append(
            f"templat tersimpan untuk surat ini ({stored.template_hash[:12]}…) tidak cocok "
            "dengan hash templat surat: penyimpanan templat rusak atau dipalsukan; surat "
            "dibuat ulang dengan templat terpasang"
        )
        return templates(fresh=True)
    if not templates().matches(letter.template_name, letter.template_hash):
        report.notes.append(INSTALLED_CHANGED)
    return kept


def _check_events(letter: StoredLetter, events: list[RecordedEvent]) -> list[str]:
    problems = [f"rantai hash perkara rusak: {b}" for b in verify_stream(iter(events)).breaks]
    issued = [
        e
        for e in events
        if e.event_type == ev.LETTER_ISSUED and e.payload.get("letter_id") == letter.id
    ]
    if len(issued) != 1:
        return [
            *problems,
            f"{ISSUED_EVENT} untuk {letter.id} ditemukan {len(issued)} kali",
        ]
    event = issued[0]
    if event.seq <= letter.case_seq:
        problems.append(
            f"{ISSUED_EVENT} (seq {event.seq}) tidak setelah seq surat {letter.case_seq}"
        )
    for name in (
        "kind",
        "number",
        "template_name",
        "template_hash",
        "context_hash",
        "content_hash",
    ):
        recorded, stored = event.payload.get(name), getattr(letter, name)
        if recorded != stored:
            problems.append(
                f"{RECORD_FIELDS[name]} tersimpan '{stored}' berbeda dari yang tercatat pada peristiwa "
                f"seq {event.seq} ('{recorded}')"
            )
    return problems


def _check_regenerated(
    letter: StoredLetter, events: list[RecordedEvent], template_set: TemplateSet
) -> list[str]:
    problems: list[str] = []
    until = [e for e in events if e.seq <= letter.case_seq]
    if len(until) != letter.case_seq:
        return [f"peristiwa perkara sampai seq {letter.case_seq} tidak lengkap"]
    case = Case.replay(letter.case_id, until)
    if context_hash(letter.context) != letter.context_hash:
        problems.append("konteks tersimpan tidak cocok dengan hash konteks")
    if content_hash(letter.html) != letter.content_hash:
        problems.append("HTML tersimpan tidak cocok dengan hash isi surat")
    try:
        inputs = LetterInputs.from_dict(dict(letter.context.get("inputs") or {}))
        prepared = prepare_letter(case, inputs, load_rule_set(case.rule_set), template_set)
    except (NetraError, TemplateError, LookupError, TypeError, ValueError) as exc:
        return [*problems, f"surat tidak dapat dibuat ulang: {exc}"]
    expected = {
        "id": inputs.letter_id,
        "kind": inputs.kind,
        "number": inputs.number,
        "serial": inputs.serial,
        "classification": inputs.classification,
    }
    for name, value in expected.items():
        if getattr(letter, name) != value:
            problems.append(
                f"{name} '{getattr(letter, name)}' berbeda dari masukan surat '{value}'"
            )
    sender = inputs.institutions.get("sender") or {}
    zone = timezone_for(str(sender.get("region_code") or "31.71"))
    if local_date(letter.issued_at, zone).isoformat() != inputs.issued_on:
        problems.append(f"tanggal surat {inputs.issued_on} tidak sesuai waktu terbit")
    if prepared.context != letter.context:
        keys = sorted(
            k
            for k in set(prepared.context) | set(letter.context)
            if prepared.context.get(k) != letter.context.get(k)
        )
        problems.append(
            f"konteks hasil replay berbeda dari konteks tersimpan pada: {', '.join(keys)}"
        )
    if prepared.template_name != letter.template_name:
        problems.append(
            f"templat seharusnya {prepared.template_name}, tersimpan {letter.template_name}"
        )
    if prepared.template_hash != letter.template_hash:
        problems.append(
            f"templat {prepared.template_name} (atau layout/CSS yang dipakainya) telah berubah "
            "sejak surat diterbitkan (hash templat berbeda)"
        )
    if prepared.html != letter.html:
        problems.append("HTML hasil pembuatan ulang berbeda dari HTML tersimpan")
    if prepared.content_hash != letter.content_hash:
        problems.append("hash isi surat hasil pembuatan ulang berbeda dari yang tersimpan")
    return problems
