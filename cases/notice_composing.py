"""Composing a notice for one address: subject and body in Bahasa Indonesia.

The subject names the case (or the daily digest), the body addresses the recipient by name,
carries the message and the case's link in the web app and the Message-ID. The reporter's
identity is shown only to Bawaslu by e-mail and kept out of everything else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote

from cases.notice_channels import EMAIL, DeliveryPolicy, OutgoingNotice
from cases.notifications import ROLE_NAMES
from db.deadline_store import Delivery, NoticeDeliveryStore, Notification
from db.unit_of_work import UnitOfWork
from rules.errors import NotFound
from rules.models import Role
from states.case import Case

SUBJECTS = {
    "pengingat_tenggat": "Pengingat tenggat perkara {case}",
    "tenggat_terlampaui": "Tenggat terlampaui: perkara {case}",
    "eskalasi": "Eskalasi perkara {case}",
    "langkah_otomatis_gagal": "Langkah otomatis gagal: perkara {case}",
}
DIGEST_CASE_ID = "RINGKASAN"


def _reporter_lines(case: Case | None) -> list[str]:
    if case is None or not case.reporter:
        return []
    fields = (
        ("name", "Nama pelapor"),
        ("address", "Alamat"),
        ("phone", "Telepon"),
        ("email", "Surel"),
    )
    return [f"{label}: {case.reporter[key]}" for key, label in fields if case.reporter.get(key)]


def _without_reporter(text: str, case: Case | None) -> str:
    """Remove any reporter detail from text bound outside Bawaslu (defence in depth)."""
    if case is None or not case.reporter:
        return text
    for value in case.reporter.values():
        if isinstance(value, str) and len(value.strip()) >= 3:
            text = re.sub(re.escape(value.strip()), "[disamarkan]", text, flags=re.IGNORECASE)
    return text


def compose(
    note: Notification,
    delivery: Delivery,
    case: Case | None,
    recipient_name: str,
    policy: DeliveryPolicy,
) -> OutgoingNotice:
    """Subject and body in Bahasa Indonesia with the case's link in the web app.

    The reporter's identity is added only for a Bawaslu recipient by e-mail; for anyone else
    it is kept out, even if it appeared in the stored message.
    """
    base = policy.web_base_url.rstrip("/")
    if note.case_id == DIGEST_CASE_ID:
        subject = f"Ringkasan tenggat harian {note.recipient_institution or ''}".strip()
        link = f"{base}/"
    else:
        template = SUBJECTS.get(note.kind, "Pemberitahuan perkara {case}")
        subject = template.format(case=note.case_id)
        link = f"{base}/cases/{quote(note.case_id)}"
    bawaslu = note.recipient_role == Role.BAWASLU.value and delivery.channel == EMAIL
    lines = [f"Yth. {recipient_name},", "", note.message, ""]
    if bawaslu:
        reporter = _reporter_lines(case)
        if reporter:
            lines += ["Data pelapor (rahasia, hanya untuk Bawaslu):", *reporter, ""]
    lines += [
        f"Buka perkara di Netra: {link}",
        "",
        "Pesan ini dikirim otomatis oleh Netra; mohon tidak membalas.",
        f"Kode pesan: {delivery.message_id}",
    ]
    body = "\n".join(lines)
    if not bawaslu:
        subject, body = _without_reporter(subject, case), _without_reporter(body, case)
    return OutgoingNotice(
        delivery.message_id, delivery.channel, delivery.address, recipient_name, subject, body
    )


def _recipient_name(uow: UnitOfWork, note: Notification, delivery: Delivery) -> str:
    if delivery.officer_id:
        try:
            return uow.registry.officer(delivery.officer_id).name
        except NotFound:
            pass
    if note.recipient_institution:
        try:
            return uow.registry.institution(note.recipient_institution).name
        except NotFound:
            return note.recipient_institution
    return ROLE_NAMES.get(note.recipient_role, "Administrator Netra")


def compose_all(
    uow: UnitOfWork, claimed: Sequence[Delivery], policy: DeliveryPolicy
) -> list[tuple[Delivery, OutgoingNotice]]:
    """Each claimed delivery with its notice composed (each case is read once)."""
    store = NoticeDeliveryStore(uow.session)
    notes = store.outbox_entries([d.outbox_id for d in claimed])
    cases: dict[str, Case | None] = {}
    ready = []
    for delivery in claimed:
        note = notes[delivery.outbox_id]
        if note.case_id not in cases:
            cases[note.case_id] = (
                uow.cases.get(note.case_id) if uow.cases.exists(note.case_id) else None
            )
        name = _recipient_name(uow, note, delivery)
        ready.append((delivery, compose(note, delivery, cases[note.case_id], name, policy)))
    return ready
