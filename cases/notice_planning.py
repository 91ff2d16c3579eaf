"""Planning deliveries: one row per outbox notice, channel and address.

A notice goes by e-mail to the officers who chose it (else to the recipient institution's
official mailbox) and to the apprise URLs configured for its institution; each planned row
carries its Message-ID. `cases.notice_delivery` sends what is planned.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from cases.notice_channels import (
    APPRISE,
    EMAIL,
    DeliveryPolicy,
    apprise_entries,
    apprise_label,
    message_id_for,
)
from db.deadline_store import PENDING, NoticeDeliveryStore, Notification
from db.registry import Institution, Officer
from db.unit_of_work import UnitOfWork

PLAN_BATCH = 200


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
