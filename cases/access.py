"""Who is acting, and the policy's answers for one case (see cases/policy.py for the rules).

`acting` turns an authenticated officer id into the Actor recorded on events: a registered,
active account (the sweep's service account included), with the operator who entered the act
on the officer's behalf, if any. The helpers below ask the one policy; they keep the names the
services have always used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cases.policy import (
    SEES_REPORTER,
    Action,
    Subject,
    allowed,
    read_scope,
    require,
    role_labels,
    sees_reporter,
)
from db.reading import ReadingUnitOfWork
from rules.errors import PermissionDenied
from rules.roles import Role
from states.events import Actor

if TYPE_CHECKING:
    from db.registry_records import Officer
    from states.case import Case

__all__ = [
    "SEES_REPORTER",
    "Action",
    "acting",
    "may_read",
    "read_scope",
    "require",
    "require_act",
    "require_read",
    "require_role",
    "subject_of",
    "visible",
]


def acting(uow: ReadingUnitOfWork, officer_id: str) -> tuple[Actor, Officer]:
    """The Actor recorded on events for this (already authenticated) officer id."""
    officer = uow.registry.officer(officer_id)
    if not officer.active:
        raise PermissionDenied(f"Akun petugas '{officer_id}' dinonaktifkan")
    operator = uow.operator if uow.operator and uow.operator != officer.id else None
    return Actor(officer.id, officer.role, officer.institution_code, operator), officer


def subject_of(uow: ReadingUnitOfWork, actor: Actor) -> Subject:
    """The actor with the territory of its office (Bawaslu only; others need none)."""
    if actor.role is not Role.BAWASLU:
        return Subject(actor)
    region = uow.registry.institution(actor.institution).region_code
    return Subject(actor, territory=region, national=region is None)


def require_role(actor: Actor, *roles: Role) -> None:
    if actor.role not in roles and actor.role is not Role.ADMIN:
        labels = role_labels()
        wanted = ", ".join(labels.role_label(role) for role in roles)
        raise PermissionDenied(
            f"Peran {labels.role_label(actor.role)} tidak berwenang (berwenang: {wanted})"
        )


def may_read(subject: Subject, case: Case) -> bool:
    """Whether the officer may read the case. A Subject, never a bare Actor: Bawaslu reads
    with its office's territory (`subject_of`), and an Actor would silently read without."""
    return allowed(subject, Action.READ, case)


def require_read(subject: Subject, case: Case) -> None:
    """Refuse unless the officer may read the case (a Subject, as `may_read` asks)."""
    require(subject, Action.READ, case)


def require_act(actor: Actor, case: Case, action: Action = Action.STEP) -> None:
    """Acting on a case needs the officer's institution to be the one handling it."""
    require(Subject(actor), action, case)


def visible(actor: Actor | Subject, case: Case) -> Case:
    """The case as this actor may see it: the reporter's identity only for Bawaslu."""
    return case if sees_reporter(actor) else case.redacted()
