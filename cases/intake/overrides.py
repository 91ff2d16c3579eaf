"""An officer's override of the schedule's answer to "before or after penetapan calon",
recorded with a reason as a `determination_overridden` event."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cases.commands import overlay
from cases.intake.determination import determination_for
from db.unit_of_work import UnitOfWork
from rules.errors import InvalidInput, TransitionNotAllowed
from rules.models import Role
from rules.ruleset import load_rule_set
from states import events as ev
from states.canonical import parse_utc
from states.case import Case

# Classification matters until BKN recommends a sanction category to the PPK.
OVERRIDE_STATES = frozenset(
    {"received", "registered", "clarification", "assessment", "recommended_to_bkn", "bkn_review"}
)


def determination_payload(case: Case, after: bool, reason: str) -> dict[str, Any]:
    """The event payload: the new answer, the reason and what the schedule said."""
    if not reason.strip():
        raise InvalidInput("Koreksi penetapan calon memerlukan alasan")
    found = determination_for(
        load_rule_set(case.rule_set),
        case.election_type,
        case.region_code,
        parse_utc(case.incident_at),
    )
    return {
        "after_determination": after,
        "previous": case.after_determination,
        "reason": reason.strip(),
        "schedule": found.to_dict() if found else None,
    }


def override_determination(
    uow: UnitOfWork, officer_id: str, case_id: str, after: bool, reason: str, now: datetime
) -> Case:
    """Set whether the act was after penetapan calon, against the schedule, with a reason."""
    payload: dict[str, Any] = {}

    def allowed(work: UnitOfWork) -> None:
        case = work.cases.get(case_id)
        if case.state not in OVERRIDE_STATES:
            state = load_rule_set(case.rule_set).state_label(case.state)
            raise TransitionNotAllowed(
                f'Perkara {case_id} berstatus "{state}": penetapan calon tidak dapat '
                "dikoreksi lagi setelah rekomendasi BKN"
            )
        if case.after_determination is after:
            raise InvalidInput("Perkara sudah tercatat demikian; tidak ada yang dikoreksi")
        payload.update(determination_payload(case, after, reason))

    if not reason.strip():
        raise InvalidInput("Koreksi penetapan calon memerlukan alasan")
    return overlay(
        uow,
        officer_id,
        case_id,
        ev.DETERMINATION_OVERRIDDEN,
        payload,
        now,
        roles=(Role.BAWASLU, Role.BKN),
        check=allowed,
    )
