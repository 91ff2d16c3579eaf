"""The deadline sweep: reminders, misses and escalations, recorded idempotently.

A case the sweep has handled no longer matches its selection (`cases.alarm_at` moves on), so
running it twice at the same instant writes nothing new. A miss, its escalation, the system
step the law ties to it (e.g. `escalate_ppk`) and the outbox notifications are written in
one transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from cases.commands import record_and_fold, take_step
from cases.identity.service_account import service_actor
from cases.notifications import notification_for
from db.deadline_store import DeadlineStore, Notification
from db.unit_of_work import UnitOfWork
from rules.errors import ConcurrencyConflict, InvalidInput, NetraError
from rules.models import Role
from rules.ruleset import load_rule_set
from states import deadlines as decide
from states import events as ev
from states.case import Case
from states.events import SYSTEM_ACTOR

log = logging.getLogger(__name__)

DEFAULT_BATCH = 500


@dataclass
class SweepReport:
    """What one sweep (or one batch) recorded, by case id."""

    reminded: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    escalated: list[str] = field(default_factory=list)
    stepped: dict[str, str] = field(default_factory=dict)  # case id -> system step taken
    failed: dict[str, str] = field(default_factory=dict)  # case id -> error message
    examined: int = 0

    def merge(self, other: SweepReport) -> None:
        self.reminded += other.reminded
        self.missed += other.missed
        self.escalated += other.escalated
        self.stepped.update(other.stepped)
        self.failed.update(other.failed)
        self.examined += other.examined

    @property
    def written(self) -> int:
        return len(self.reminded) + len(self.missed)

    def to_dict(self) -> dict[str, object]:
        return {
            "examined": self.examined,
            "reminded": sorted(self.reminded),
            "missed": sorted(self.missed),
            "escalated": sorted(self.escalated),
            "stepped": dict(sorted(self.stepped.items())),
            "failed": dict(sorted(self.failed.items())),
        }


def _record_sweep(
    uow: UnitOfWork, store: DeadlineStore, case: Case, now: datetime, report: SweepReport
) -> None:
    """Record what the sweep decides for one case inside the open transaction (a savepoint).

    If the system step the rule names is refused, the miss and escalation are still recorded
    (the step can then be taken by hand) and the administrator is told.
    """
    rule_set = load_rule_set(case.rule_set)
    outcome = decide.sweep(case, now, rule_set)
    if not outcome.events:
        return
    step_error: NetraError | None = None
    for with_step in (True, False) if outcome.trigger else (False,):
        savepoint = uow.session.begin_nested()
        try:
            updated, recorded = record_and_fold(uow, case, outcome.events, now, case.rule_set)
            notes = [n for e in recorded if (n := notification_for(case, e, now)) is not None]
            if with_step and outcome.trigger:
                updated = take_step(uow, SYSTEM_ACTOR, None, updated, outcome.trigger, {}, now)
            elif step_error is not None:
                notes.append(
                    Notification(
                        case.case_id,
                        recorded[-1].seq,
                        "langkah_otomatis_gagal",
                        Role.ADMIN.value,
                        None,
                        f"Langkah otomatis '{outcome.trigger}' pada perkara {case.case_id} "
                        f"gagal: {step_error.message}. Mohon ditindaklanjuti secara manual.",
                        now,
                    )
                )
            for note in notes:
                store.notify(note)
            uow.cases.save(updated, case.version)
            savepoint.commit()
        except ConcurrencyConflict:
            savepoint.rollback()
            raise
        except NetraError as error:
            savepoint.rollback()
            if not with_step:
                raise
            step_error = error
            log.warning("system step %s refused on %s: %s", outcome.trigger, case.case_id, error)
            continue
        break
    _count_outcome(case.case_id, {e.event_type for e in outcome.events}, report)
    if outcome.trigger and step_error is None:
        report.stepped[case.case_id] = outcome.trigger
    elif outcome.trigger and step_error is not None:
        report.failed[case.case_id] = f"{outcome.trigger}: {step_error.message}"


def _record_batch(
    uow: UnitOfWork,
    store: DeadlineStore,
    items: Sequence[tuple[Case, decide.SweepOutcome]],
    now: datetime,
    report: SweepReport,
) -> None:
    """Record reminders and plain misses (no system step) of many cases in a few statements."""
    streams = [
        (case.case_id, case.version, case.head_hash, outcome.events, case.rule_set)
        for case, outcome in items
    ]
    chained = uow.events.append_many(streams, now)
    notes: list[Notification] = []
    saves: list[tuple[Case, int]] = []
    for (case, _), recorded in zip(items, chained, strict=True):
        expected = case.version
        for event in recorded:
            case.apply(event)  # `case` was loaded for this batch alone: fold in place
        notes.extend(n for e in recorded if (n := notification_for(case, e, now)) is not None)
        saves.append((case, expected))
        _count_outcome(case.case_id, {e.event_type for e in recorded}, report)
    store.notify_many(notes)
    store.save_many(saves)


def _count_outcome(case_id: str, types: set[str], report: SweepReport) -> None:
    if ev.DEADLINE_REMINDED in types:
        report.reminded.append(case_id)
    if ev.DEADLINE_MISSED in types:
        report.missed.append(case_id)
    if ev.ESCALATED in types:
        report.escalated.append(case_id)


def _sweep_loaded(
    uow: UnitOfWork, store: DeadlineStore, loaded: list[Case], now: datetime
) -> SweepReport:
    """Record what is due for cases loaded (and locked) in the open transaction.

    Reminders and misses without a system step are written together (a few statements per
    batch); a case whose miss fires a lifecycle step gets its own savepoint. If the batch
    write meets a concurrent change, each case is retried alone and a case another sweep
    changed meanwhile is skipped (it is seen again next time).
    """
    report = SweepReport(examined=len(loaded))
    plain: list[tuple[Case, decide.SweepOutcome]] = []
    stepped: list[Case] = []
    for case in loaded:
        outcome = decide.sweep(case, now, load_rule_set(case.rule_set))
        if outcome.trigger:
            stepped.append(case)
        elif outcome.events:
            plain.append((case, outcome))
    if plain:
        savepoint = uow.session.begin_nested()
        batch = SweepReport()
        try:
            _record_batch(uow, store, plain, now, batch)
            savepoint.commit()
            report.merge(batch)
        except NetraError:
            savepoint.rollback()  # the folded copies are stale: load them again
            stepped = store.cases([case.case_id for case, _ in plain]) + stepped
    for case in stepped:
        try:
            _record_sweep(uow, store, case, now, report)
        except NetraError as error:
            report.failed[case.case_id] = error.message
    return report


def sweep_cases(uow: UnitOfWork, case_ids: Sequence[str], now: datetime) -> SweepReport:
    """Sweep the given cases in one transaction (cases another sweep holds are skipped)."""
    with uow:
        service_actor(uow)  # the service account must be registered and active
        store = DeadlineStore(uow.session)
        report = _sweep_loaded(uow, store, store.cases(case_ids, lock=True), now)
        uow.commit()
    return report


def sweep_claimed(
    uow: UnitOfWork, now: datetime, batch: int = DEFAULT_BATCH, exclude: Sequence[str] = ()
) -> SweepReport:
    """Claim the next `batch` due cases no other sweep holds and sweep them, in one transaction.

    On PostgreSQL the claim is `FOR UPDATE SKIP LOCKED`, so several runners sweeping at once
    split the due cases between them; each case is still recorded once, since a case swept
    and committed no longer matches the claim (its `alarm_at` has moved on).
    """
    with uow:
        service_actor(uow)  # the service account must be registered and active
        store = DeadlineStore(uow.session)
        report = _sweep_loaded(uow, store, store.claim_due(now, batch, exclude), now)
        uow.commit()
    return report


def sweep_case(uow: UnitOfWork, case_id: str, now: datetime) -> SweepReport:
    """Sweep one case (reminder, or miss + escalation + system step) in one transaction."""
    return sweep_cases(uow, [case_id], now)


def due_case_ids(
    uow: UnitOfWork, now: datetime, limit: int, exclude: Sequence[str] = ()
) -> list[str]:
    """Open cases whose reminder or due instant has come (index ix_cases_alarm_at_open)."""
    with uow:
        ids = cast(Sequence[str], uow.cases.due_for_sweep(now, limit + len(exclude)))
    skip = set(exclude)
    return [cid for cid in ids if cid not in skip][:limit]


def sweep(uow: UnitOfWork, now: datetime, batch: int = DEFAULT_BATCH) -> SweepReport:
    """Sweep every due case, `batch` cases per transaction, until none is left to claim.

    Safe to run on several machines at once (see `sweep_claimed`); a runner stops when every
    due case left is claimed by another one or keeps failing.
    """
    if batch < 1:
        raise InvalidInput("Ukuran batch harus positif")
    report = SweepReport()
    while True:
        part = sweep_claimed(uow, now, batch, exclude=sorted(report.failed))
        report.merge(part)
        if part.examined == 0 or (part.written == 0 and not part.stepped):
            return report  # nothing left to claim, or nothing moved (failing cases)
