"""Delivering the outbox: each planned delivery sent, retried and recorded.

A delivery run plans the outbox's new notices (`cases.notice_planning`), then claims each due
delivery, composes it (`cases.notice_composing`), sends it through the transport of its
channel (`cases.notice_channels`; workflows/ has the SMTP and apprise ones), retries with
backoff and records every attempt. Administrators and auditors can list the deliveries and
those that failed for good.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cases.access import acting, require_role
from cases.notice_channels import DeliveryFailed, DeliveryPolicy, NoticeTransport
from cases.notice_composing import compose_all
from cases.notice_planning import plan_deliveries
from db.deadline_store import FAILED, Delivery, NoticeDeliveryStore
from db.unit_of_work import UnitOfWork
from rules.models import Role

SEND_BATCH = 1  # claim one at a time: a crash leaves only the notice in flight leased
LEASE = timedelta(minutes=10)


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
            ready = compose_all(uow, claimed, policy)
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
