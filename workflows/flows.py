"""The scheduled flows: `deadline_sweep`, `daily_digest` and `verify_chains`.

Flows are thin: each task calls one service in `cases/`, so the CLI, the API and Prefect run
the same code. Every flow takes the database URL and the instant `now` as parameters (a test
passes a frozen instant; a scheduled run uses the clock). Tasks are idempotent, so their
retries are safe: a second try of a half-done sweep writes only what is still missing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from cases import digest as digesting
from cases import integrity
from cases import notice_delivery as notices
from cases import sweep as sweeping
from cases.bootstrap import unit_of_work
from cases.registry import list_institutions
from db.settings import get_settings
from rules.errors import IntegrityViolation
from states.events import SYSTEM_ACTOR
from workflows.notice_transports import close_all, transports_from_settings

RETRIES = 3
RETRY_DELAYS: list[float] = [2.0, 10.0, 30.0]


def _url(database_url: str | None) -> str:
    return database_url or get_settings().database_url


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    return now if now.tzinfo is not None else now.replace(tzinfo=UTC)


@task(retries=RETRIES, retry_delay_seconds=RETRY_DELAYS, cache_policy=NO_CACHE)
def sweep_next_batch(
    database_url: str, now: datetime, batch: int, exclude: list[str]
) -> dict[str, Any]:
    """Claim the next due cases no other runner holds and record what is due, in one transaction."""
    return sweeping.sweep_claimed(unit_of_work(database_url), now, batch, exclude).to_dict()


def _report(part: dict[str, Any]) -> sweeping.SweepReport:
    return sweeping.SweepReport(
        reminded=list(part["reminded"]),
        missed=list(part["missed"]),
        escalated=list(part["escalated"]),
        stepped=dict(part["stepped"]),
        failed=dict(part["failed"]),
        examined=int(part["examined"]),
    )


@flow(name="deadline-sweep", log_prints=True)
def deadline_sweep(
    database_url: str | None = None, now: datetime | None = None, batch: int = 500
) -> dict[str, Any]:
    """Find due and overdue open cases and record what the law requires, exactly once.

    Several runners may run it at once: each claims its own batches (SKIP LOCKED).
    """
    url, instant = _url(database_url), _now(now)
    logger = get_run_logger()
    total = sweeping.SweepReport()
    while True:
        report = _report(sweep_next_batch(url, instant, batch, sorted(total.failed)))
        total.merge(report)
        if report.examined == 0 or (report.written == 0 and not report.stepped):
            break
    logger.info(
        "Sweep %s: %d reminded, %d missed, %d escalated, %d failed",
        instant.isoformat(),
        len(total.reminded),
        len(total.missed),
        len(total.escalated),
        len(total.failed),
    )
    return total.to_dict()


@task(retries=RETRIES, retry_delay_seconds=RETRY_DELAYS, cache_policy=NO_CACHE)
def deliver_outbox(database_url: str, now: datetime) -> dict[str, Any]:
    """Plan and send the outbox's notices over the configured transports."""
    found = transports_from_settings()
    try:
        return notices.deliver(unit_of_work(database_url), found, now).to_dict()
    finally:
        close_all(found)


@flow(name="deliver-notices", log_prints=True)
def deliver_notices(database_url: str | None = None, now: datetime | None = None) -> dict[str, Any]:
    """Deliver the outbox by e-mail (NETRA_SMTP_HOST) and apprise (NETRA_APPRISE_URLS)."""
    url, instant = _url(database_url), _now(now)
    result = deliver_outbox(url, instant)
    get_run_logger().info(
        "Notices: %d planned, %d sent, %d to retry, %d failed",
        result["planned"],
        len(result["sent"]),
        len(result["retrying"]),
        len(result["failed"]),
    )
    return result


@task(retries=RETRIES, retry_delay_seconds=RETRY_DELAYS, cache_policy=NO_CACHE)
def institution_digest(database_url: str, institution: str, now: datetime) -> dict[str, Any]:
    """One institution's digest, put in the outbox once per day."""
    uow = unit_of_work(database_url)
    result = digesting.digest(uow, institution, now)
    notified = bool(result.due or result.late or result.undelivered) and digesting.notify_digest(
        uow, result
    )
    return {"due": len(result.due), "late": len(result.late), "notified": notified}


@flow(name="daily-digest", log_prints=True)
def daily_digest(
    database_url: str | None = None, now: datetime | None = None
) -> dict[str, dict[str, Any]]:
    """For every institution: what is due soon and what is late (outbox, once a day)."""
    url, instant = _url(database_url), _now(now)
    codes = [inst.code for inst in list_institutions(unit_of_work(url))]
    return {code: institution_digest(url, code, instant) for code in codes}


@task(retries=RETRIES, retry_delay_seconds=RETRY_DELAYS, cache_policy=NO_CACHE)
def verify_all_chains(database_url: str) -> dict[str, Any]:
    report = integrity.verify_chains(unit_of_work(database_url), SYSTEM_ACTOR.user_id)
    return {
        "ok": report.ok,
        "cases": report.cases,
        "events": report.events,
        "breaks": [str(item) for item in report.breaks],
    }


@flow(name="verify-chains", log_prints=True)
def verify_chains(database_url: str | None = None) -> dict[str, Any]:
    """Nightly: recompute every case's hash chain; the run fails if any chain is broken."""
    result = verify_all_chains(_url(database_url))
    if not result["ok"]:
        raise IntegrityViolation(
            f"{len(result['breaks'])} rantai hash rusak: " + "; ".join(result["breaks"][:10])
        )
    get_run_logger().info("Chains intact: %d cases, %d events", result["cases"], result["events"])
    return result
