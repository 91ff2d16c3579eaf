"""Trusted time: whether this database accepts a caller's fixed clock (`--now`).

Production databases never do; the demo and test databases were set up to. The event store
refuses fixed-clock events by itself too, so this check is the early, clear message.
"""

from __future__ import annotations

from cases.identity import history
from db.clock_policy import ALLOWED, FIXED_CLOCK_SETTING, fixed_clock_allowed
from db.unit_of_work import UnitOfWork
from rules.errors import InvalidInput, PermissionDenied


def require_fixed_clock_allowed(uow: UnitOfWork) -> None:
    with uow:
        if not fixed_clock_allowed(uow.session):
            raise InvalidInput(
                "--now tidak diizinkan pada basis data ini: waktu pencatatan selalu jam server "
                "(hanya basis data demo/uji yang menerima jam tetap)"
            )


def allow_fixed_clock(uow: UnitOfWork) -> None:
    """Mark a brand-new, empty database as a demo/test database (fixed clocks allowed)."""
    with uow:
        if uow.registry.has_officers() or uow.cases.ids():
            raise PermissionDenied(
                "Jam tetap hanya dapat diizinkan pada basis data baru yang masih kosong"
            )
        uow.registry.set_setting(FIXED_CLOCK_SETTING, ALLOWED)
        history.record(
            uow,
            history.SETTING_CHANGED,
            "netra-init",
            {"key": FIXED_CLOCK_SETTING, "value": ALLOWED},
        )
        uow.commit()
