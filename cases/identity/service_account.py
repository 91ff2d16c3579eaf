"""The sweep's service account: a registered, active account with the `system` role.

The deadline sweep and the Prefect flows act as it; from the command line only its own token
(scope `sweep`) or an administrator may start a sweep. Its role lets it take nothing but the
deadline-driven steps (the lifecycle lists `system` on those steps alone).
"""

from __future__ import annotations

from cases.access import acting
from db.unit_of_work import UnitOfWork
from rules.errors import PermissionDenied
from rules.models import Role
from states.events import SYSTEM_ACTOR, Actor


def require_sweeper(uow: UnitOfWork, officer_id: str) -> None:
    """Only the service account or an administrator may run the sweep."""
    with uow:
        actor, _ = acting(uow, officer_id)
    if actor.role not in (Role.SYSTEM, Role.ADMIN):
        raise PermissionDenied(
            "Penyisiran tenggat hanya oleh akun layanan 'system' atau administrator"
        )


def service_actor(uow: UnitOfWork) -> Actor:
    """The sweep's actor, inside the caller's transaction: the account must be registered
    and active (a database without it refuses to sweep)."""
    actor, _ = acting(uow, SYSTEM_ACTOR.user_id)
    if actor.role is not Role.SYSTEM:
        raise PermissionDenied("Akun 'system' bukan akun layanan penyisiran")
    return actor
