"""Commands: open a case, take a lifecycle step, and the overlay commands (note, reassign).

Each command is one transaction: it decides every event first, then writes the events and
the projection together; any error leaves the database untouched. A step, note or
reassignment starts from the snapshot its process last wrote for the case when there is
one, and is judged again on a fresh read if that start fails (`from_cache_or_fresh`).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from cases.access import (
    Action,
    acting,
    require,
    require_act,
    require_role,
    subject_of,
    visible,
)
from cases.calendar import calendar_for
from cases.effective_time import effective_instant, mark_entered_late
from cases.fields import normalise_step_data, parse_instant, step_field_label
from cases.input_limits import check_case_id, check_payload
from cases.intake.determination import after_determination_at_opening
from cases.jurisdiction import check_ppk_addressee
from cases.letter_issuing import issue_letters
from db.command_path import missing_case
from db.event_store import chain
from db.letter_template_guard import TemplatesNotStored
from db.registry import Officer
from db.unit_of_work import UnitOfWork
from rules.errors import ConcurrencyConflict, InvalidInput, NetraError
from rules.identifiers import parse_nip, validate_nip_at
from rules.models import Channel, ElectionType, Role
from rules.regions import timezone_for
from rules.ruleset import RuleSet, load_rule_set, version_in_force
from states import events as ev
from states.canonical import utc_iso
from states.case import Case
from states.events import Actor, PendingEvent, RecordedEvent
from states.machine import lifecycle_for
from states.machine import open_case as decide_opening


@dataclass(frozen=True)
class Terlapor:
    """The civil servant reported (ASN), identified by NIP."""

    nip: str
    name: str
    position: str
    unit: str
    agency: str
    rank: str = ""


@dataclass(frozen=True)
class Reporter:
    """The citizen who filed a laporan; shown only to Bawaslu."""

    name: str
    address: str
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class NewCase:
    """What Bawaslu records when a laporan or temuan comes in."""

    channel: str
    election_type: str
    region_code: str
    received_at: datetime | str
    known_at: datetime | str
    incident_at: datetime | str
    incident_place: str
    summary: str
    violation_codes: Sequence[str]
    terlapor: Terlapor
    reporter: Reporter | None = None
    after_determination: bool = False


def new_case_id(now: datetime) -> str:
    return f"N{now:%y}-{secrets.token_hex(5).upper()}"


def chain_and_fold(
    case: Case, pending: Sequence[PendingEvent], now: datetime, rule_set: str
) -> tuple[Case, list[RecordedEvent]]:
    """Chain the events after the case's head and fold them into a new Case (no I/O)."""
    recorded = chain(case.case_id, case.version, case.head_hash, pending, now, rule_set)
    folded = case.copy()
    for event in recorded:
        folded.apply(event)
    return folded, recorded


def record_and_fold(
    uow: UnitOfWork,
    case: Case,
    pending: Sequence[PendingEvent],
    now: datetime,
    rule_set: str,
) -> tuple[Case, list[RecordedEvent]]:
    """Append the events after the case's head and fold them into a new Case."""
    folded, recorded = chain_and_fold(case, pending, now, rule_set)
    uow.events.insert(recorded)
    return folded, recorded


_Choice = TypeVar("_Choice", bound=StrEnum)


def _choice(kind: type[_Choice], value: str, label: str) -> _Choice:
    """`value` as a member of `kind`; an unknown value is refused with the choices."""
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise InvalidInput(f"{label} '{value}' tidak dikenal (pilihan: {choices})") from None


def validated_facts(new: NewCase, rule_set: RuleSet, actor: Actor, now: datetime) -> dict[str, Any]:
    channel = _choice(Channel, new.channel, "Jalur perkara")
    election = _choice(ElectionType, new.election_type, "Jenis pemilihan")
    rule_set.regions.regency_name(new.region_code)
    zone = timezone_for(new.region_code)
    received = parse_instant(new.received_at, zone, "received_at")
    known = parse_instant(new.known_at, zone, "known_at")
    incident = parse_instant(new.incident_at, zone, "incident_at")
    if not incident <= known <= received <= now:
        raise InvalidInput(
            "Urutan waktu tidak valid: harus kejadian <= diketahui <= diterima <= sekarang"
        )
    nip = validate_nip_at(parse_nip(new.terlapor.nip), now.date())
    codes = sorted(set(new.violation_codes))
    if not codes:
        raise InvalidInput("Sedikitnya satu kode pelanggaran wajib diisi")
    for code in codes:
        if code not in rule_set.violations:
            raise InvalidInput(f"Kode pelanggaran '{code}' tidak ada dalam katalog SKB 2022")
    for label, value in (
        ("nama terlapor", new.terlapor.name),
        ("uraian", new.summary),
        ("tempat kejadian", new.incident_place),
    ):
        if not value.strip():
            raise InvalidInput(f"{label} wajib diisi")
    if channel is Channel.LAPORAN and (new.reporter is None or not new.reporter.name.strip()):
        raise InvalidInput("Laporan memerlukan identitas pelapor")
    if channel is Channel.TEMUAN and new.reporter is not None:
        raise InvalidInput("Temuan Bawaslu tidak memiliki pelapor")
    return {
        "channel": channel.value,
        "election_type": election.value,
        "region_code": new.region_code,
        "bawaslu_office": actor.institution,
        "after_determination": after_determination_at_opening(new, rule_set, election, incident),
        "received_at": utc_iso(received),
        "known_at": utc_iso(known),
        "incident_at": utc_iso(incident),
        "incident_place": new.incident_place.strip(),
        "summary": new.summary.strip(),
        "violation_codes": codes,
        "terlapor": {
            "nip": nip.value,
            "name": new.terlapor.name.strip(),
            "position": new.terlapor.position.strip(),
            "unit": new.terlapor.unit.strip(),
            "agency": new.terlapor.agency.strip(),
            "rank": new.terlapor.rank.strip(),
            "gender": nip.gender,
        },
        "reporter": (
            {k: v.strip() for k, v in new.reporter.__dict__.items()} if new.reporter else None
        ),
        "assignee": actor.user_id,
    }


def open_case(
    uow: UnitOfWork,
    officer_id: str,
    new: NewCase,
    now: datetime,
    case_id: str | None = None,
    rule_set_version: str | None = None,
) -> Case:
    """Record a laporan or temuan; the case starts in `received` with its kajian-awal deadline."""
    rule_set = load_rule_set(rule_set_version or version_in_force(now.date()))
    case_id = check_case_id(case_id or new_case_id(now))
    check_payload(
        {
            **{k: v for k, v in new.__dict__.items() if isinstance(v, str)},
            "terlapor": new.terlapor.__dict__,
            "reporter": new.reporter.__dict__ if new.reporter else None,
        }
    )
    with uow:
        actor, _ = acting(uow, officer_id)
        facts = validated_facts(new, rule_set, actor, now)
        require(subject_of(uow, actor), Action.OPEN, Case(case_id, region_code=new.region_code))
        if uow.cases.exists(case_id):
            raise ConcurrencyConflict(f"Perkara {case_id} sudah ada")
        calendar = calendar_for(uow, new.region_code)
        pending = decide_opening(case_id, facts, actor, now, rule_set, calendar)
        case, _ = record_and_fold(uow, Case(case_id), pending, now, rule_set.version)
        uow.cases.add(case)
        uow.commit()
    return visible(actor, case)


def advance(
    uow: UnitOfWork,
    officer_id: str,
    case_id: str,
    trigger: str,
    data: dict[str, Any],
    now: datetime,
    expected_version: int | None = None,
) -> Case:
    """Take one lifecycle step (register, recommend, impose_sanction, ...) on a case."""
    check_payload(data, labels=step_field_label)

    def step(cached: bool) -> Case:
        with uow:
            case, actor, officer = _command_case(uow, officer_id, case_id, cached)
            if expected_version is not None and expected_version != case.version:
                raise ConcurrencyConflict(
                    f"Perkara {case_id} berada pada versi {case.version}, bukan {expected_version}"
                )
            updated = take_step(uow, actor, officer, case, trigger, data, now)
            uow.save_command(updated, case.version)
            uow.commit()
        return visible(actor, updated)

    return from_cache_or_fresh(uow, step)


def from_cache_or_fresh(uow: UnitOfWork, command: Callable[[bool], Case]) -> Case:
    """Run a command from the snapshot its process last wrote for the case, when there is
    one (`db.case_cache`: no read round trip), and once more from a fresh read when that
    attempt fails in any way Netra reports: a cached snapshot may be stale (another process
    stepped the case, the registry changed; the write's guard refuses it), template sources
    the process remembers as stored may be missing from a restored database (migration
    0123), and what a user is told must come from the database. A failure the database
    leaves in doubt (not a NetraError) is raised as it is."""
    try:
        return command(True)
    except NetraError as error:
        if not (uow.read_from_cache or isinstance(error, TemplatesNotStored)):
            raise
    return command(False)


def _command_case(
    uow: UnitOfWork, officer_id: str, case_id: str, cached: bool = False
) -> tuple[Case, Actor, Officer]:
    """The case and the acting officer, read in one statement (reference data cached), or
    taken from the process cache with `cached`."""
    snapshot = uow.read_for_command(case_id, cached)
    actor, officer = acting(uow, officer_id)
    if snapshot is None:
        raise missing_case(case_id)
    return Case.from_dict(snapshot), actor, officer


def take_step(
    uow: UnitOfWork,
    actor: Actor,
    officer: Officer | None,
    case: Case,
    trigger: str,
    data: dict[str, Any],
    now: datetime,
) -> Case:
    """Record one step's events (and letters) inside the caller's open transaction.

    The caller saves the returned Case and commits; the deadline sweep uses this to record a
    miss and the step the law ties to it (e.g. `escalate_ppk`) in one transaction.
    """
    rule_set = load_rule_set(case.rule_set)
    lifecycle = lifecycle_for(case.rule_set)
    lifecycle.check_step(case, trigger, actor)
    require_act(actor, case)
    data = dict(data)
    effective = effective_instant(data.pop("effective_at", None), case, now)
    clean = normalise_step_data(data, rule_set, timezone_for(case.region_code))
    if trigger == "bkn_recommend" and "ppk_institution" in clean:
        check_ppk_addressee(uow.registry.institution(clean["ppk_institution"]), case)
    calendar = calendar_for(uow, case.region_code)
    pending = lifecycle.decide(case, trigger, clean, actor, effective or now, calendar)
    if effective is not None:
        pending = mark_entered_late(pending, effective, now)
    updated, recorded = chain_and_fold(case, pending, now, case.rule_set)
    step = next(e for e in recorded if e.event_type not in ev.OVERLAY_EVENTS)
    letter_events = issue_letters(uow, updated, step, actor, officer, now)
    if letter_events:
        updated, letters_recorded = chain_and_fold(updated, letter_events, now, case.rule_set)
        recorded += letters_recorded
    uow.events.insert(recorded)  # one statement for the step, its deadlines and its letters
    return updated


def overlay(
    uow: UnitOfWork,
    officer_id: str,
    case_id: str,
    event_type: str,
    payload: dict[str, Any],
    now: datetime,
    roles: Sequence[Role] = (Role.BAWASLU, Role.BKN, Role.PPK),
    check: Callable[[UnitOfWork], None] | None = None,
) -> Case:
    """Record an event that does not change the lifecycle state (note, reassignment).

    `check` runs inside the same transaction, before anything is written.
    """
    check_payload(payload)

    def record_overlay(cached: bool) -> Case:
        with uow:
            case, actor, _ = _command_case(uow, officer_id, case_id, cached)
            require_role(actor, *roles)
            action = Action.NOTE if event_type == ev.NOTE_ADDED else Action.REASSIGN
            require_act(actor, case, action)
            if check is not None:
                check(uow)
            updated, _ = record_and_fold(
                uow, case, [PendingEvent(event_type, actor, now, payload)], now, case.rule_set
            )
            uow.save_command(updated, case.version)
            uow.commit()
        return visible(actor, updated)

    return from_cache_or_fresh(uow, record_overlay)


def add_note(uow: UnitOfWork, officer_id: str, case_id: str, text: str, now: datetime) -> Case:
    if not text.strip():
        raise InvalidInput("Catatan tidak boleh kosong")
    return overlay(uow, officer_id, case_id, ev.NOTE_ADDED, {"text": text.strip()}, now)


def reassign(uow: UnitOfWork, officer_id: str, case_id: str, assignee: str, now: datetime) -> Case:
    def assignee_exists(work: UnitOfWork) -> None:
        officer = work.registry.officer(assignee)  # NotFound for an unknown officer
        if not officer.active:
            raise InvalidInput(f"Petugas '{assignee}' dinonaktifkan")
        case = work.cases.get(case_id)
        require_act(Actor(officer.id, officer.role, officer.institution_code), case, Action.READ)

    return overlay(
        uow, officer_id, case_id, ev.REASSIGNED, {"assignee": assignee}, now, check=assignee_exists
    )
