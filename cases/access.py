"""Authorization: who the acting officer is, which cases they may touch and what they may see."""

from __future__ import annotations

from db.registry import Officer
from db.unit_of_work import UnitOfWork
from rules.errors import PermissionDenied
from rules.models import Role
from states.case import Case
from states.events import SYSTEM_ACTOR, Actor

READ_ALL = frozenset({Role.BKN, Role.AUDITOR, Role.ADMIN, Role.SYSTEM})
SEES_REPORTER = frozenset({Role.BAWASLU, Role.ADMIN})


def acting(uow: UnitOfWork, officer_id: str) -> tuple[Actor, Officer | None]:
    """The Actor recorded on events for this officer id ('system' is the sweep)."""
    if officer_id == SYSTEM_ACTOR.user_id:
        return SYSTEM_ACTOR, None
    officer = uow.registry.officer(officer_id)
    if not officer.active:
        raise PermissionDenied(f"Petugas '{officer_id}' tidak aktif")
    return Actor(officer.id, officer.role, officer.institution_code), officer


def require_role(actor: Actor, *roles: Role) -> None:
    if actor.role not in roles and actor.role is not Role.ADMIN:
        wanted = ", ".join(role.value for role in roles)
        raise PermissionDenied(f"Peran '{actor.role.value}' tidak berwenang (perlu: {wanted})")


def may_read(actor: Actor, case: Case) -> bool:
    if actor.role in READ_ALL:
        return True
    if actor.role is Role.BAWASLU:
        return case.bawaslu_office == actor.institution
    if actor.role is Role.PPK:
        return case.ppk_institution == actor.institution
    return False


def require_read(actor: Actor, case: Case) -> None:
    if not may_read(actor, case):
        raise PermissionDenied(
            f"Petugas '{actor.user_id}' ({actor.institution}) tidak berwenang atas perkara "
            f"{case.case_id}"
        )


def require_act(actor: Actor, case: Case) -> None:
    """Acting on a case needs the officer's institution to be the one handling it."""
    if actor.role in (Role.AUDITOR,):
        raise PermissionDenied("Auditor hanya dapat membaca dan memverifikasi perkara")
    if actor.role is Role.BAWASLU and case.bawaslu_office != actor.institution:
        raise PermissionDenied(
            f"Perkara {case.case_id} ditangani {case.bawaslu_office}, bukan {actor.institution}"
        )
    if actor.role is Role.PPK and case.ppk_institution != actor.institution:
        raise PermissionDenied(
            f"Perkara {case.case_id} ditujukan kepada PPK {case.ppk_institution}, "
            f"bukan {actor.institution}"
        )


def visible(actor: Actor, case: Case) -> Case:
    """The case as this actor may see it: the reporter's identity only for Bawaslu."""
    return case if actor.role in SEES_REPORTER else case.redacted()
