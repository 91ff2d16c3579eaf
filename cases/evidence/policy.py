"""Who may attach evidence at which stage, and who may see evidence marked internal.

Bawaslu gathers evidence at intake, clarification and assessment (kajian awal, klarifikasi,
kajian); BKN during its review; the PPK's
BKPSDM at the examination (the signed BAP scan), also right after recording it.
"""

from __future__ import annotations

from rules.errors import PermissionDenied, TransitionNotAllowed
from rules.models import Role
from rules.ruleset import load_rule_set
from states.case import Case
from states.events import Actor

GATHERING_STATES: dict[Role, frozenset[str]] = {
    Role.BAWASLU: frozenset({"received", "registered", "clarification", "assessment"}),
    Role.BKN: frozenset({"bkn_review"}),
    Role.PPK: frozenset({"ppk_examination", "examined"}),
}
ALL_GATHERING_STATES = frozenset().union(*GATHERING_STATES.values())
# "Internal Bawaslu" evidence (it may identify the reporter) is seen by Bawaslu only; the
# administrator, who already sees the reporter's identity, sees it too.
SEES_INTERNAL = frozenset({Role.BAWASLU, Role.ADMIN})


def require_gathering(actor: Actor, case: Case) -> None:
    """The actor's role may attach evidence in the case's current state."""
    if actor.role is Role.ADMIN:
        allowed = ALL_GATHERING_STATES
    elif actor.role in GATHERING_STATES:
        allowed = GATHERING_STATES[actor.role]
    else:
        rules = load_rule_set(case.rule_set)
        raise PermissionDenied(
            f"Peran {rules.role_label(actor.role)} tidak dapat melampirkan bukti"
        )
    if case.state not in allowed:
        rules = load_rule_set(case.rule_set)
        stages = ", ".join(
            sorted(f'"{rules.state_label(s)}"' for s in allowed if s in rules.states)
        )
        raise TransitionNotAllowed(
            f'Perkara {case.case_id} berstatus "{rules.state_label(case.state)}": '
            f"{rules.role_label(actor.role)} melampirkan bukti hanya pada status {stages}"
        )


def sees_internal(actor: Actor) -> bool:
    return actor.role in SEES_INTERNAL
