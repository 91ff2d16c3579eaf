"""Deadline services: extend, stop/resume the clock, recompute, the sweep and the daily digest.

Each officer command is one transaction (events + projection). The sweep records reminders,
misses and escalations idempotently: a case it has handled no longer matches its selection
(`cases.alarm_at` moves on), and running it twice at the same instant writes nothing new.
A miss, its escalation, the system step the law ties to it (e.g. `escalate_ppk`) and the
outbox notifications are written in one transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import cast
from zoneinfo import ZoneInfo

from babel.dates import format_date

from cases.access import acting, require_act, require_role
from cases.calendar import calendar_for
from cases.commands import record_and_fold, take_step
from db.deadline_store import DeadlineStore, Notification
from db.settings import get_settings
from db.unit_of_work import UnitOfWork
from rules.calendar import WorkingCalendar, local_date
from rules.errors import ConcurrencyConflict, InvalidInput, NetraError
from rules.models import Role
from rules.regions import timezone_for
from rules.ruleset import RuleSet, load_rule_set
from states import deadlines as decide
from states import events as ev
from states.canonical import parse_utc
from states.case import Case
from states.events import SYSTEM_ACTOR, Actor, PendingEvent, RecordedEvent

log = logging.getLogger(__name__)

DEFAULT_BATCH = 500
DIGEST_HORIZON_WORKING_DAYS = 5


# --- officer commands -------------------------------------------------------------------------


Decision = Callable[[Case, Actor, RuleSet, WorkingCalendar], PendingEvent | None]


def _deadline_command(
    uow: UnitOfWork,
    officer_id: str,
    case_id: str,
    now: datetime,
    decide_event: Decision,
    roles: Sequence[Role] = (),
) -> Case:
    """Load, authorise (the deadline's owner, or admin), decide one event, record, commit."""
    with uow:
        actor, _ = acting(uow, officer_id)
        case = uow.cases.get(case_id)
        running = decide.running_deadline(case)
        require_role(actor, Role(running.owner), *roles)
        require_act(actor, case)
        rule_set = load_rule_set(case.rule_set)
        pending = decide_event(case, actor, rule_set, calendar_for(uow, case.region_code))
        if pending is None:
            return case
        updated, _ = record_and_fold(uow, case, [pending], now, case.rule_set)
        uow.cases.save(updated, case.version)
        uow.commit()
    return updated


def extend_deadline(
    uow: UnitOfWork,
    officer_id: str,
    case_id: str,
    new_due_on: date,
    reason: str,
    now: datetime,
) -> Case:
    """Move the running deadline to `new_due_on`, never past the legal maximum (`max_total`)."""

    def decide_event(
        case: Case, actor: Actor, rule_set: RuleSet, calendar: WorkingCalendar
    ) -> PendingEvent:
        return decide.extend(case, new_due_on, reason, actor, now, rule_set, calendar)

    return _deadline_command(uow, officer_id, case_id, now, decide_event)


def stop_clock(uow: UnitOfWork, officer_id: str, case_id: str, reason: str, now: datetime) -> Case:
    """Stop the running deadline where the law allows it (e.g. an objection awaiting a hearing)."""

    def decide_event(
        case: Case, actor: Actor, rule_set: RuleSet, calendar: WorkingCalendar
    ) -> PendingEvent:
        return decide.stop_clock(case, reason, actor, now, rule_set)

    return _deadline_command(uow, officer_id, case_id, now, decide_event)


def resume_clock(uow: UnitOfWork, officer_id: str, case_id: str, now: datetime) -> Case:
    """Resume a stopped deadline; the working days left when it stopped still remain."""

    def decide_event(
        case: Case, actor: Actor, rule_set: RuleSet, calendar: WorkingCalendar
    ) -> PendingEvent:
        return decide.resume_clock(case, actor, now, rule_set, calendar)

    return _deadline_command(uow, officer_id, case_id, now, decide_event)


def recompute_deadline(
    uow: UnitOfWork, officer_id: str, case_id: str, reason: str, now: datetime
) -> Case:
    """Recompute the running due date on today's calendar: explicit and recorded
    (`deadline_recomputed`). Nothing is written when the calendar change does not move it."""

    def decide_event(
        case: Case, actor: Actor, rule_set: RuleSet, calendar: WorkingCalendar
    ) -> PendingEvent | None:
        return decide.recompute(case, reason, actor, now, rule_set, calendar)

    return _deadline_command(uow, officer_id, case_id, now, decide_event, roles=(Role.BKN,))


# --- notifications ----------------------------------------------------------------------------

ROLE_NAMES = {"bawaslu": "Bawaslu", "bkn": "BKN", "ppk": "PPK/BKPSDM"}


def tanggal(day: date | str) -> str:
    """A date as written in Indonesian letters: 20 November 2024."""
    value = date.fromisoformat(day) if isinstance(day, str) else day
    return format_date(value, format="d MMMM y", locale="id")


def institution_of(case: Case, role: str | None) -> str | None:
    """The institution that acts for `role` on this case."""
    if role == "bawaslu":
        return case.bawaslu_office
    if role == "ppk":
        return case.ppk_institution
    if role == "bkn":
        return "BKN"
    return None


def _notification_for(case: Case, event: RecordedEvent, now: datetime) -> Notification | None:
    p = event.payload
    action = case.deadline.action if case.deadline else ""
    owner = str(p.get("owner") or "")
    if event.event_type == ev.DEADLINE_REMINDED:
        kind, role = "pengingat_tenggat", owner
        message = (
            f"Pengingat: tenggat perkara {case.case_id} ({action}) jatuh pada "
            f"{tanggal(p['due_on'])}. Mohon ditindaklanjuti sebelum tenggat berakhir."
        )
    elif event.event_type == ev.DEADLINE_MISSED:
        kind, role = "tenggat_terlampaui", owner
        message = (
            f"Tenggat perkara {case.case_id} pada tahap '{p['state']}' ({action}) telah "
            f"terlampaui sejak {tanggal(p['due_on'])}; keterlambatan dicatat pada perkara."
        )
    elif event.event_type == ev.ESCALATED:
        kind, role = "eskalasi", str(p.get("to") or owner)
        message = (
            f"Eskalasi perkara {case.case_id}: {str(p['kind']).replace('_', ' ')} karena "
            f"tenggat tahap '{p['state']}' terlampaui. Dasar hukum: {p['citation']}."
        )
    else:
        return None
    return Notification(
        case.case_id, event.seq, kind, role, institution_of(case, role), message, now
    )


# --- the sweep --------------------------------------------------------------------------------


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
            notes = [n for e in recorded if (n := _notification_for(case, e, now)) is not None]
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
        notes.extend(n for e in recorded if (n := _notification_for(case, e, now)) is not None)
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


def sweep_cases(uow: UnitOfWork, case_ids: Sequence[str], now: datetime) -> SweepReport:
    """Sweep the given cases in one transaction.

    Reminders and misses without a system step are written together (a few statements per
    batch); a case whose miss fires a lifecycle step gets its own savepoint. If the batch
    write meets a concurrent change, each case is retried alone and a case another sweep
    holds or changed meanwhile is skipped (it is seen again next time).
    """
    report = SweepReport()
    with uow:
        store = DeadlineStore(uow.session)
        loaded = store.cases(case_ids, lock=True)
        report.examined = len(loaded)
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
    """Sweep every due case, `batch` cases per transaction, until none is left due."""
    if batch < 1:
        raise InvalidInput("Ukuran batch harus positif")
    report = SweepReport()
    while True:
        ids = due_case_ids(uow, now, batch, exclude=list(report.failed))
        if not ids:
            return report
        part = sweep_cases(uow, ids, now)
        report.merge(part)
        if part.written == 0 and not part.stepped:
            return report  # nothing moved (cases locked elsewhere or failing): stop here


# --- digest -----------------------------------------------------------------------------------


def default_zone() -> ZoneInfo:
    """The time zone of national institutions and of digest days (NETRA_TIMEZONE)."""
    return ZoneInfo(get_settings().timezone)


@dataclass(frozen=True)
class DigestItem:
    case_id: str
    state: str
    action: str
    due_on: str
    missed: bool


@dataclass(frozen=True)
class Digest:
    """What an institution must do soon and what is already late."""

    institution: str
    generated_at: datetime
    horizon_on: date
    due: list[DigestItem]
    late: list[DigestItem]

    def message(self) -> str:
        lines = [
            f"Ringkasan tenggat {self.institution} per "
            f"{tanggal(local_date(self.generated_at, default_zone()))}:",
            f"{len(self.late)} perkara terlambat, {len(self.due)} perkara jatuh tempo "
            f"sampai {tanggal(self.horizon_on)}.",
        ]
        for label, items in (("Terlambat", self.late), ("Jatuh tempo", self.due)):
            for item in items:
                lines.append(
                    f"- {label}: {item.case_id} ({item.action}), tenggat {tanggal(item.due_on)}"
                )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        return {
            "institution": self.institution,
            "generated_at": self.generated_at.isoformat(),
            "horizon_on": self.horizon_on.isoformat(),
            "due": [item.__dict__ for item in self.due],
            "late": [item.__dict__ for item in self.late],
        }


def digest(
    uow: UnitOfWork,
    institution: str,
    now: datetime,
    horizon_working_days: int = DIGEST_HORIZON_WORKING_DAYS,
) -> Digest:
    """Open cases an institution must act on: late ones, and those due within the horizon."""
    with uow:
        inst = uow.registry.institution(institution)
        zone = timezone_for(inst.region_code) if inst.region_code else default_zone()
        calendar = calendar_for(uow, inst.region_code)
        today = local_date(now, zone)
        horizon = calendar.add_working_days(today, horizon_working_days)
        until = datetime.combine(horizon + timedelta(days=1), datetime.min.time(), zone)
        cases = DeadlineStore(uow.session).open_deadlines(
            inst.kind, None if inst.kind == "bkn" else inst.code, until
        )
    due: list[DigestItem] = []
    late: list[DigestItem] = []
    for case in cases:
        deadline = case.deadline
        assert deadline is not None
        item = DigestItem(
            case.case_id, case.state, deadline.action, deadline.due_on, deadline.missed
        )
        (late if now >= parse_utc(deadline.due_at) else due).append(item)
    return Digest(inst.code, now, horizon, due, late)


def notify_digest(uow: UnitOfWork, result: Digest) -> bool:
    """Put the digest in the outbox once per institution and local day; False if already there."""
    day = local_date(result.generated_at, default_zone())
    key = int(f"{day:%Y%m%d}")
    kind = f"ringkasan:{result.institution}"[:48]
    with uow:
        store = DeadlineStore(uow.session)
        if store.has_notification("RINGKASAN", key, kind):
            return False
        inst = uow.registry.institution(result.institution)
        store.notify(
            Notification(
                "RINGKASAN", key, kind, inst.kind, inst.code, result.message(), result.generated_at
            )
        )
        uow.commit()
    return True


def notifications(
    uow: UnitOfWork, officer_id: str, case_id: str | None = None
) -> list[Notification]:
    """The outbox, oldest first (auditors, administrators, BKN and the system)."""
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, Role.AUDITOR, Role.BKN, Role.SYSTEM)
        return DeadlineStore(uow.session).notifications(case_id)
