"""Registry services: institutions (letterhead, numbering) and officers (who acts, in which role).

Every change is also a registry event (cases/identity/history.py); officers get their first
password from cases/identity/accounts.py.
"""

from __future__ import annotations

from cases.access import acting, require_role
from cases.identity import history
from cases.identity.accounts import register_institution, register_officer
from cases.input_limits import check_identifier, check_text
from db.registry import Institution, Officer
from db.unit_of_work import UnitOfWork
from rules.errors import InvalidInput
from rules.identifiers import parse_nip
from rules.models import Role
from rules.ruleset import load_rule_set

INSTITUTION_KINDS = ("bawaslu", "bkn", "ppk", "sistem")


def check_institution(institution: Institution) -> None:
    if institution.kind not in INSTITUTION_KINDS:
        raise InvalidInput(f"Jenis instansi harus salah satu dari {', '.join(INSTITUTION_KINDS)}")
    check_identifier(institution.code, "Kode instansi", "institution_code")
    for label, value, limit in (
        ("nama instansi", institution.name, "name"),
        ("instansi induk", institution.parent_name or "", "name"),
        ("kota", institution.city, "name"),
        ("alamat", institution.address, "short"),
        ("jabatan pimpinan", institution.head_title, "name"),
        ("nama pimpinan", institution.head_name, "name"),
        ("format nomor surat", institution.letter_number_format, "name"),
    ):
        check_text(value, label, limit=limit)
    if institution.region_code:  # a province (Bawaslu Provinsi, a provincial PPK) or a regency
        load_rule_set().regions.territory_name(institution.region_code)
    if institution.head_nip:
        parse_nip(institution.head_nip)
    if "{serial" not in institution.letter_number_format:
        raise InvalidInput("Format nomor surat harus memuat {serial}")


def add_institution(uow: UnitOfWork, institution: Institution, officer_id: str) -> None:
    """Register an institution (by an administrator)."""
    check_institution(institution)
    register_institution(uow, officer_id, institution)


def change_institution(
    uow: UnitOfWork, officer_id: str, institution: Institution, reason: str = ""
) -> Institution:
    """An administrator corrects an institution's name, address, head or letter number
    format (a registry event). Its code and kind never change: cases and letters name them.
    Letters already issued keep the institution as it was when they were issued."""
    check_institution(institution)
    if reason:
        check_text(reason, "alasan", limit="name")
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, Role.ADMIN)
        current = uow.registry.institution(institution.code)
        if institution.kind != current.kind:
            raise InvalidInput("Jenis instansi tidak dapat diubah; daftarkan instansi baru")
        if institution == current:
            return current
        uow.registry.update_institution(institution)
        history.record(
            uow,
            history.INSTITUTION_CHANGED,
            actor.user_id,
            {"institution": institution.__dict__, "reason": reason.strip()},
        )
        uow.commit()
    return institution


def add_officer(uow: UnitOfWork, officer: Officer, officer_id: str) -> str:
    """Register an officer (by an administrator); returns the first password, shown once."""
    if not officer.id.strip() or not officer.name.strip():
        raise InvalidInput("Id dan nama petugas wajib diisi")
    return register_officer(uow, officer_id, officer)


def list_officers(uow: UnitOfWork) -> list[Officer]:
    with uow:
        return uow.registry.officers()


def list_institutions(uow: UnitOfWork) -> list[Institution]:
    with uow:
        return uow.registry.institutions()
