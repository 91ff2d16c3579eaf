"""Registry services: institutions (letterhead, numbering) and officers (who acts, in which role)."""

from __future__ import annotations

from cases.access import acting, require_role
from db.registry import Institution, Officer
from db.unit_of_work import UnitOfWork
from rules.errors import InvalidInput, PermissionDenied
from rules.identifiers import parse_nip
from rules.models import Role
from rules.ruleset import load_rule_set

INSTITUTION_KINDS = ("bawaslu", "bkn", "ppk")


def _check_institution(institution: Institution) -> None:
    if institution.kind not in INSTITUTION_KINDS:
        raise InvalidInput(f"Jenis instansi harus salah satu dari {', '.join(INSTITUTION_KINDS)}")
    if institution.region_code:
        load_rule_set().regions.regency_name(institution.region_code)
    if institution.head_nip:
        parse_nip(institution.head_nip)
    if "{serial" not in institution.letter_number_format:
        raise InvalidInput("Format nomor surat harus memuat {serial}")


def _require_admin_or_bootstrap(uow: UnitOfWork, officer_id: str | None) -> None:
    """An admin acts; only an empty registry (first set-up) may be filled without one."""
    if officer_id is None:
        if uow.registry.has_officers():
            raise PermissionDenied("Gunakan --as <admin>: registri sudah berisi petugas")
        return
    actor, _ = acting(uow, officer_id)
    require_role(actor, Role.ADMIN)


def add_institution(uow: UnitOfWork, institution: Institution, officer_id: str | None) -> None:
    """Register an institution (by an admin, or during first set-up)."""
    _check_institution(institution)
    with uow:
        _require_admin_or_bootstrap(uow, officer_id)
        uow.registry.add_institution(institution)
        uow.commit()


def add_officer(uow: UnitOfWork, officer: Officer, officer_id: str | None) -> None:
    if officer.nip:
        parse_nip(officer.nip)
    if not officer.id.strip() or not officer.name.strip():
        raise InvalidInput("Id dan nama petugas wajib diisi")
    with uow:
        _require_admin_or_bootstrap(uow, officer_id)
        uow.registry.add_officer(officer)
        uow.commit()


def list_officers(uow: UnitOfWork) -> list[Officer]:
    with uow:
        return uow.registry.officers()


def list_institutions(uow: UnitOfWork) -> list[Institution]:
    with uow:
        return uow.registry.institutions()
