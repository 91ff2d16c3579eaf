"""Delivering the outbox: one delivery per notice and address, sent, retried and recorded.

Delivery plans one row per notice and address (e-mail to the officers who chose it or the
recipient institution, apprise URLs from NETRA_APPRISE_URLS), sends through the transports it
is given (workflows/ has the SMTP and apprise ones), retries with backoff and records every
attempt. The subject and body are in Bahasa Indonesia, with the case's link in the web app.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Protocol
from urllib.parse import quote, urlsplit

from cases.access import acting, require_role
from cases.notifications import ROLE_NAMES
from db.deadline_store import FAILED, PENDING, Delivery, NoticeDeliveryStore, Notification
from db.registry import Institution, Officer
from db.settings import get_settings
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
EMAIL, APPRISE = "email", "apprise"
PLAN_BATCH = 200
SEND_BATCH = 1  # claim one at a time: a crash leaves only the notice in flight leased
LEASE = timedelta(minutes=10)


class DeliveryFailed(Exception):
    """A transport could not hand a notice over; `permanent` when retrying cannot help."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


@dataclass(frozen=True)
class OutgoingNotice:
    """A notice ready for one address: Indonesian subject and body, and its idempotency key."""

    message_id: str
    channel: str
    address: str
    recipient_name: str
    subject: str
    body: str


class NoticeTransport(Protocol):
    """Hands notices to a channel (SMTP relay, apprise); raises DeliveryFailed."""

    def send(self, notice: OutgoingNotice) -> None: ...


@dataclass(frozen=True)
class DeliveryPolicy:
    """Where links point, who sends, how often to retry (from NETRA_* settings by default)."""

    web_base_url: str
    mail_from: str
    apprise_urls: tuple[str, ...] = ()
    max_attempts: int = 6
    backoff_seconds: int = 60

    @classmethod
    def from_settings(cls) -> DeliveryPolicy:
        s = get_settings()
        return cls(
            web_base_url=s.web_base_url,
            mail_from=s.mail_from,
            apprise_urls=tuple(s.apprise_urls.split()),
            max_attempts=s.delivery_max_attempts,
            backoff_seconds=s.delivery_backoff_seconds,
        )

    @property
    def mail_domain(self) -> str:
        address = parseaddr(self.mail_from)[1]
        return address.rpartition("@")[2] or "netra.localhost"

    def retry_at(self, attempts: int, now: datetime) -> datetime | None:
        """Exponential backoff after `attempts` failed tries; None once they are used up."""
        if attempts >= self.max_attempts:
            return None
        return now + timedelta(seconds=self.backoff_seconds * 2 ** (attempts - 1))


@dataclass
class DeliveryReport:
    """What one delivery run did, by Message-ID."""

    planned: int = 0
    sent: list[str] = field(default_factory=list)
    retrying: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "planned": self.planned,
            "sent": sorted(self.sent),
            "retrying": dict(sorted(self.retrying.items())),
            "failed": dict(sorted(self.failed.items())),
        }


def message_id_for(outbox_id: int, channel: str, address: str, domain: str) -> str:
    """The idempotency key of one notice to one address: the same on every retry."""
    digest = hashlib.sha256(f"{channel}\n{address}".encode()).hexdigest()[:16]
    return f"<netra.{outbox_id}.{digest}@{domain}>"


def apprise_label(url: str) -> str:
    """An apprise URL as stored and shown: scheme and host, never its token."""
    parts = urlsplit(url)
    digest = hashlib.sha256(url.encode()).hexdigest()[:12]
    return f"{parts.scheme}://{parts.hostname or ''}#{digest}"


def apprise_entries(raw: Sequence[str]) -> list[tuple[str | None, str]]:
    """NETRA_APPRISE_URLS entries: `CODE=url` (one institution) or a plain `url` (all)."""
    entries: list[tuple[str | None, str]] = []
    for entry in raw:
        code, sep, url = entry.partition("=")
        if sep and "://" not in code:
            entries.append((code, url))
        else:
            entries.append((None, entry))
    return entries


def _apprise_targets(policy: DeliveryPolicy, institution: str | None) -> list[str]:
    """Apprise URLs told of a notice to `institution`."""
    return [
        url
        for code, url in apprise_entries(policy.apprise_urls)
        if code is None or code == institution
    ]


def _recipients(
    note: Notification, officers: Sequence[Officer], institutions: Mapping[str, Institution]
) -> list[tuple[str | None, str]]:
    """(officer id, e-mail address) of whoever receives `note` by e-mail.

    The active officers of the addressed role and institution who chose e-mail
    (`notify = email`); administrators' notices go to every such administrator. When no
    officer of an institution chose e-mail, the institution's official mailbox
    (`institutions.email`) receives the notice, so no institution is left uninformed.
    """
    chosen = [
        (officer.id, officer.email)
        for officer in officers
        if officer.active
        and officer.notify == EMAIL
        and officer.email
        and officer.role.value == note.recipient_role
        and (
            note.recipient_institution is None
            or officer.institution_code == note.recipient_institution
        )
    ]
    if chosen:
        return [(officer_id, address) for officer_id, address in chosen if address]
    institution = institutions.get(note.recipient_institution or "")
    return [(None, institution.email)] if institution and institution.email else []


def plan_deliveries(
    uow: UnitOfWork,
    now: datetime,
    policy: DeliveryPolicy,
    channels: Collection[str] = (EMAIL, APPRISE),
) -> int:
    """Plan a delivery per address and channel in `channels` for every unplanned outbox row.

    A row with no address on those channels is closed (nobody to tell); the number planned.
    """
    planned = 0
    while True:
        with uow:
            store = NoticeDeliveryStore(uow.session)
            entries = store.unplanned(PLAN_BATCH)
            if not entries:
                return planned
            officers = uow.registry.officers()
            institutions = {i.code: i for i in uow.registry.institutions()}
            rows: list[dict[str, object]] = []
            for entry in entries:
                note = entry.notification
                targets: list[tuple[str, str | None, str]] = []
                if EMAIL in channels:
                    targets += [
                        (EMAIL, officer, address)
                        for officer, address in _recipients(note, officers, institutions)
                    ]
                if APPRISE in channels:
                    targets += [
                        (APPRISE, None, url)
                        for url in _apprise_targets(policy, note.recipient_institution)
                    ]
                for channel, officer, address in targets:
                    stored = address if channel == EMAIL else apprise_label(address)
                    rows.append(
                        {
                            "outbox_id": entry.id,
                            "channel": channel,
                            "address": stored,
                            "officer_id": officer,
                            "recipient_role": note.recipient_role,
                            "recipient_institution": note.recipient_institution,
                            "message_id": message_id_for(
                                entry.id, channel, stored, policy.mail_domain
                            ),
                            "status": PENDING,
                            "attempts": 0,
                            "next_attempt_at": now,
                            "created_at": now,
                        }
                    )
            unique = {(r["outbox_id"], r["channel"], r["address"]): r for r in rows}
            store.plan(list(unique.values()))
            store.close_outbox([entry.id for entry in entries], now)  # nobody to tell: done
            uow.commit()
            planned += len(unique)


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


def _compose_all(
    uow: UnitOfWork, claimed: Sequence[Delivery], policy: DeliveryPolicy
) -> list[tuple[Delivery, OutgoingNotice]]:
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


def deliver(
    uow: UnitOfWork,
    transports: Mapping[str, NoticeTransport],
    now: datetime,
    policy: DeliveryPolicy | None = None,
    clock: Callable[[], datetime] | None = None,
) -> DeliveryReport:
    """Deliver the outbox: plan deliveries, then send each due one and record the outcome.

    Each claim is committed before sending (status `sending`, leased for LEASE), each outcome
    in its own transaction after it. A runner that dies between sending and recording leaves
    the delivery `sending`; once the lease runs out it is sent again with the same Message-ID,
    which the relay (Mailpit with MP_IGNORE_DUPLICATE_IDS) and mail systems use to drop the
    copy. Failures are retried with exponential backoff; a refused address (5xx) or the last
    attempt fails the delivery for good, shown by `failed_deliveries` and the daily digest.
    """
    policy = policy or DeliveryPolicy.from_settings()
    tick = clock or (lambda: now)
    if not transports:
        return DeliveryReport()  # no channel configured: the notices stay in the outbox
    report = DeliveryReport(planned=plan_deliveries(uow, now, policy, set(transports)))
    while True:
        with uow:
            store = NoticeDeliveryStore(uow.session)
            claimed = store.claim(now, SEND_BATCH, now + LEASE)
            ready = _compose_all(uow, claimed, policy)
            uow.commit()
        if not claimed:
            return report
        for delivery, notice in ready:
            transport = transports.get(delivery.channel)
            error: DeliveryFailed | None = None
            if transport is None:
                error = DeliveryFailed(f"kanal '{delivery.channel}' tidak dikonfigurasi")
            else:
                try:
                    transport.send(notice)
                except DeliveryFailed as failed:
                    error = failed
            with uow:
                store = NoticeDeliveryStore(uow.session)
                if error is None:
                    store.record_sent(delivery.id, tick())
                    report.sent.append(delivery.message_id)
                else:
                    retry = None if error.permanent else policy.retry_at(delivery.attempts, now)
                    store.record_failure(delivery.id, error.message, retry)
                    target = report.retrying if retry else report.failed
                    target[delivery.message_id] = error.message
                store.close_outbox([delivery.outbox_id], tick())
                uow.commit()


def failed_deliveries(
    uow: UnitOfWork, officer_id: str, institution: str | None = None
) -> list[Delivery]:
    """Notices that could not be delivered for good (administrators and auditors)."""
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, Role.ADMIN, Role.AUDITOR)
        return NoticeDeliveryStore(uow.session).deliveries(FAILED, institution)


def deliveries(uow: UnitOfWork, officer_id: str) -> list[Delivery]:
    """Every planned delivery with its attempts and outcome (administrators and auditors)."""
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, Role.ADMIN, Role.AUDITOR)
        return NoticeDeliveryStore(uow.session).deliveries()
