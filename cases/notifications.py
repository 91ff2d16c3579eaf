"""Notices in Bahasa Indonesia for deadline events, written to the outbox, and reading it.

`cases.notice_delivery` delivers them (e-mail, apprise).
"""

from __future__ import annotations

from datetime import datetime

from cases.access import acting, require_role
from db.deadline_store import DeadlineStore, Notification
from db.unit_of_work import UnitOfWork
from rules.indonesian_dates import day as tanggal
from rules.models import Role
from rules.ruleset import RuleSet, load_rule_set
from rules.unknown_codes import label_or_code
from states import events as ev
from states.case import Case
from states.events import RecordedEvent

ROLE_NAMES = {"bawaslu": "Bawaslu", "bkn": "BKN", "ppk": "PPK/BKPSDM"}


def institution_of(case: Case, role: str | None) -> str | None:
    """The institution that acts for `role` on this case."""
    if role == "bawaslu":
        return case.bawaslu_office
    if role == "ppk":
        return case.ppk_institution
    if role == "bkn":
        return "BKN"
    return None


def notification_for(case: Case, event: RecordedEvent, now: datetime) -> Notification | None:
    p = event.payload
    action = case.deadline.action if case.deadline else ""
    rules: RuleSet = load_rule_set(case.rule_set)
    stage = label_or_code(rules.state_label, str(p.get("state")))
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
            f'Tenggat perkara {case.case_id} pada tahap "{stage}" ({action}) telah terlampaui '
            f"sejak {tanggal(p['due_on'])}; keterlambatan dicatat pada perkara."
        )
    elif event.event_type == ev.ESCALATED:
        kind, role = "eskalasi", str(p.get("to") or owner)
        escalation = label_or_code(rules.escalation_label, str(p["kind"]))
        message = (
            f"Eskalasi perkara {case.case_id}: {escalation} "
            f'karena tenggat tahap "{stage}" terlampaui. Dasar hukum: {p["citation"]}.'
        )
    else:
        return None
    return Notification(
        case.case_id, event.seq, kind, role, institution_of(case, role), message, now
    )


def notifications(
    uow: UnitOfWork, officer_id: str, case_id: str | None = None
) -> list[Notification]:
    """The outbox, oldest first (auditors, administrators, BKN and the system)."""
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, Role.AUDITOR, Role.BKN, Role.SYSTEM)
        return DeadlineStore(uow.session).notifications(case_id)
