"""The operator's path: an administrator at the server's command line acting for an officer.

Only explicitly (`netra --as <officer>` with the administrator's own credential), only by an
active administrator, and every event written records "operator X acting for officer Y".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rules.errors import PermissionDenied
from rules.roles import Role

if TYPE_CHECKING:
    from db.reading import ReadingUnitOfWork


def check_operator(uow: ReadingUnitOfWork, operator_id: str, officer_id: str) -> None:
    """Refuse unless `operator_id` is an active administrator and the officer is active."""
    with uow:
        operator = uow.registry.officer(operator_id)
        if operator.role is not Role.ADMIN or not operator.active:
            raise PermissionDenied(
                f"Hanya administrator yang dapat bertindak atas nama petugas lain "
                f"('{operator_id}' bukan administrator)"
            )
        officer = uow.registry.officer(officer_id)
        if not officer.active:
            raise PermissionDenied(f"Akun petugas '{officer_id}' dinonaktifkan")
