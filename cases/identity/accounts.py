"""Officer accounts: first set-up, registration, changes, passwords, TOTP, sign-in checks.

Every change is a registry event (cases/identity/history.py) in the same transaction. A fresh
database has no officers until `initialise` creates the sweep's service account and the first
administrator, whose generated password is returned once and never stored in clear.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pyotp

from cases.access import acting, require_role
from cases.identity import history
from cases.identity.history import RegistryReport, verify_registry
from cases.identity.passwords import (
    check_strength,
    credential_digest,
    generate_password,
    hash_password,
    verify_password,
)
from cases.identity.server_time import datetime_now
from cases.input_limits import check_identifier, check_text
from db.clock_policy import ALLOWED, FIXED_CLOCK_SETTING, REFUSED
from db.registry import Institution, Officer
from db.registry_history import RegistryEvent
from db.unit_of_work import UnitOfWork
from rules.errors import AuthenticationFailed, InvalidInput, NotFound, PermissionDenied
from rules.identifiers import parse_nip
from rules.models import Role
from states.events import SYSTEM_ACTOR

SYSTEM_INSTITUTION = Institution(
    code=SYSTEM_ACTOR.institution,
    kind="sistem",
    name="Sistem Netra",
    parent_name=None,
    region_code=None,
    city="Jakarta",
    address="-",
    phone=None,
    email=None,
    website=None,
    head_title="Administrator Sistem Netra",
    head_name="-",
    head_nip=None,
    letter_number_format="{serial}/NETRA/{year}",
)
SERVICE_ACCOUNT = Officer(
    SYSTEM_ACTOR.user_id,
    "Layanan Penyisiran Tenggat",
    Role.SYSTEM,
    SYSTEM_ACTOR.institution,
    "Akun layanan (penyisiran tenggat dan alur terjadwal)",
    None,
)
INITIALISER = "netra-init"

# Failed sign-ins: after FREE_ATTEMPTS, each further failure locks the account for twice as
# long as the last, up to MAX_LOCK.
FREE_ATTEMPTS = 5
FIRST_LOCK = timedelta(minutes=1)
MAX_LOCK = timedelta(hours=1)
WRONG_CREDENTIALS = "Id petugas atau kata sandi salah, atau akun sedang dikunci sementara"
NOTIFY_CHOICES = ("email", "none")


def _check_officer(officer: Officer) -> None:
    check_identifier(officer.id, "id petugas")
    check_text(officer.name, "nama petugas", limit="name")
    check_text(officer.title, "jabatan petugas", limit="name")
    if officer.nip:
        parse_nip(officer.nip)
    if officer.notify not in NOTIFY_CHOICES:
        raise InvalidInput("Pilihan pemberitahuan harus 'email' atau 'none'")
    if officer.email is not None:
        check_text(officer.email, "surel petugas", limit="short")
        if "@" not in officer.email or any(c.isspace() for c in officer.email):
            raise InvalidInput(f"Alamat surel '{officer.email}' tidak valid")
    if officer.notify == "email" and not officer.email:
        raise InvalidInput("Pemberitahuan lewat surel memerlukan alamat surel")


def _register_institution(uow: UnitOfWork, institution: Institution, actor_id: str) -> None:
    uow.registry.add_institution(institution)
    history.record(
        uow, history.INSTITUTION_REGISTERED, actor_id, {"institution": institution.__dict__}
    )


def _register_officer(uow: UnitOfWork, officer: Officer, actor_id: str) -> str:
    """Add the officer with a generated password; returns the password (shown once)."""
    uow.registry.add_officer(officer)
    history.record(
        uow, history.OFFICER_REGISTERED, actor_id, {"officer": history.officer_record(officer)}
    )
    if officer.role is Role.SYSTEM:
        return ""  # service accounts sign in with tokens only
    password = generate_password()
    _store_password(uow, officer.id, password, actor_id)
    return password


def _store_password(uow: UnitOfWork, officer_id: str, password: str, actor_id: str) -> None:
    password_hash = hash_password(password)
    now = datetime_now()
    uow.identity.set_password(officer_id, password_hash, now)
    uow.identity.revoke_sessions_of(officer_id, now)
    history.record(
        uow,
        history.PASSWORD_SET,
        actor_id,
        {"officer_id": officer_id, "digest": credential_digest(password_hash)},
    )


def initialise(uow: UnitOfWork, admin: Officer, allow_fixed_clock: bool = False) -> tuple[str, str]:
    """First set-up of an empty database: the service account and the first administrator.

    Returns (admin id, generated password). `allow_fixed_clock` is for the demo and tests
    only: a database set up without it refuses user-set clocks for good.
    """
    if admin.role is not Role.ADMIN:
        raise InvalidInput("Petugas pertama harus administrator")
    _check_officer(admin)
    with uow:
        if uow.registry.has_officers():
            raise PermissionDenied("Basis data sudah memiliki petugas: penyiapan awal hanya sekali")
        if allow_fixed_clock:
            _set_setting(uow, FIXED_CLOCK_SETTING, ALLOWED, INITIALISER)
        elif uow.registry.settings().get(FIXED_CLOCK_SETTING) is None:
            _set_setting(uow, FIXED_CLOCK_SETTING, REFUSED, INITIALISER)
        if admin.institution_code != SYSTEM_INSTITUTION.code:
            uow.registry.institution(admin.institution_code)  # NotFound unless registered
        _register_institution(uow, SYSTEM_INSTITUTION, INITIALISER)
        _register_officer(uow, SERVICE_ACCOUNT, INITIALISER)
        password = _register_officer(uow, admin, INITIALISER)
        uow.commit()
    return admin.id, password


def _set_setting(uow: UnitOfWork, key: str, value: str, actor_id: str) -> None:
    uow.registry.set_setting(key, value)
    history.record(uow, history.SETTING_CHANGED, actor_id, {"key": key, "value": value})


def register_institution(uow: UnitOfWork, officer_id: str, institution: Institution) -> None:
    """An administrator registers an institution (letterhead, numbering, region)."""
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, Role.ADMIN)
        _register_institution(uow, institution, actor.user_id)
        uow.commit()


def register_officer(uow: UnitOfWork, officer_id: str, officer: Officer) -> str:
    """An administrator registers an officer; returns the generated first password."""
    _check_officer(officer)
    if officer.role is Role.SYSTEM:
        raise InvalidInput("Akun layanan dibuat saat penyiapan awal, bukan sebagai petugas")
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, Role.ADMIN)
        password = _register_officer(uow, officer, actor.user_id)
        uow.commit()
    return password


def change_officer(
    uow: UnitOfWork,
    officer_id: str,
    target_id: str,
    *,
    role: Role | None = None,
    institution_code: str | None = None,
    title: str | None = None,
    email: str | None = None,
    notify: str | None = None,
    active: bool | None = None,
    reason: str = "",
) -> Officer:
    """An administrator changes an officer's role, institution, contact or status; an
    officer may change only their own e-mail and notification choice."""
    with uow:
        actor, _ = acting(uow, officer_id)
        current = uow.registry.officer(target_id)
        administrative = role, institution_code, title, active
        if actor.role is not Role.ADMIN and (
            target_id != actor.user_id or any(v is not None for v in administrative)
        ):
            raise PermissionDenied("Hanya administrator yang dapat mengubah data petugas lain")
        if current.role is Role.SYSTEM and role is not None:
            raise InvalidInput("Peran akun layanan tidak dapat diubah")
        if target_id == actor.user_id and active is False:
            raise InvalidInput("Administrator tidak dapat menonaktifkan akunnya sendiri")
        if role is Role.SYSTEM:
            raise InvalidInput("Peran 'system' hanya untuk akun layanan")
        changed = replace(
            current,
            role=role if role is not None else current.role,
            institution_code=institution_code or current.institution_code,
            title=title if title is not None else current.title,
            email=email if email is not None else current.email,
            notify=notify if notify is not None else current.notify,
            active=active if active is not None else current.active,
        )
        _check_officer(changed)
        if changed.institution_code != current.institution_code:
            uow.registry.institution(changed.institution_code)
        if changed == current:
            return current
        if reason:
            check_text(reason, "alasan", limit="name")
        uow.registry.update_officer(changed)
        if changed.active is False:
            now = datetime_now()
            uow.identity.revoke_sessions_of(target_id, now)
            uow.identity.revoke_tokens_of(target_id, now)
        history.record(
            uow,
            history.OFFICER_CHANGED,
            actor.user_id,
            {"officer": history.officer_record(changed), "reason": reason.strip()},
        )
        uow.commit()
    return changed


def set_password(
    uow: UnitOfWork,
    officer_id: str,
    target_id: str,
    new_password: str | None = None,
    current_password: str | None = None,
) -> str:
    """Change a password: an officer their own (with the current one), an administrator
    anyone's (a reset). `new_password=None` generates one; returns the password set."""
    password = new_password if new_password is not None else generate_password()
    check_strength(password)
    with uow:
        actor, _ = acting(uow, officer_id)
        target = uow.registry.officer(target_id)
        if target.role is Role.SYSTEM:
            raise InvalidInput("Akun layanan tidak memakai kata sandi; gunakan token")
        if target_id != actor.user_id and actor.role is not Role.ADMIN:
            raise PermissionDenied("Hanya administrator yang dapat mengganti sandi orang lain")
        if target_id == actor.user_id:
            credential = uow.identity.credential(target_id)
            if current_password is None or not verify_password(
                credential.password_hash if credential else None, current_password
            ):
                raise AuthenticationFailed("Kata sandi lama salah")
        _store_password(uow, target_id, password, actor.user_id)
        uow.commit()
    return password


def enable_totp(uow: UnitOfWork, officer_id: str, target_id: str) -> str:
    """Turn on TOTP for an account (admins); returns the provisioning URI to scan once."""
    secret = pyotp.random_base32()
    with uow:
        actor, _ = acting(uow, officer_id)
        if actor.role is not Role.ADMIN and target_id != actor.user_id:
            raise PermissionDenied("Hanya administrator yang dapat mengatur TOTP petugas lain")
        target = uow.registry.officer(target_id)
        if uow.identity.credential(target_id) is None:
            raise InvalidInput(f"Petugas '{target_id}' belum memiliki kata sandi")
        uow.identity.set_totp(target_id, secret)
        history.record(
            uow, history.TOTP_CHANGED, actor.user_id, {"officer_id": target_id, "on": True}
        )
        uow.commit()
    return pyotp.TOTP(secret).provisioning_uri(name=target.id, issuer_name="Netra")


def check_password(
    uow: UnitOfWork, user_id: str, password: str, now: datetime, totp: str | None = None
) -> Officer:
    """Verify a sign-in inside the caller's open transaction; the caller commits.

    Unknown accounts, wrong passwords, disabled or locked accounts and a missing or wrong
    TOTP all raise the same AuthenticationFailed; failures count towards a growing lock.
    """
    try:
        officer = uow.registry.officer(user_id)
    except NotFound:
        verify_password(None, password)
        raise AuthenticationFailed(WRONG_CREDENTIALS) from None
    credential = uow.identity.credential(user_id)
    if credential is None or not officer.active:
        verify_password(None, password)
        raise AuthenticationFailed(WRONG_CREDENTIALS)
    if credential.locked_until is not None and credential.locked_until > now:
        raise AuthenticationFailed(WRONG_CREDENTIALS)
    good = verify_password(credential.password_hash, password)
    if good and credential.totp_secret:
        good = totp is not None and pyotp.TOTP(credential.totp_secret).verify(
            totp, for_time=now, valid_window=1
        )
    if not good:
        attempts = credential.failed_attempts + 1
        locked_until = None
        if attempts > FREE_ATTEMPTS:
            lock = min(FIRST_LOCK * 2 ** (attempts - FREE_ATTEMPTS - 1), MAX_LOCK)
            locked_until = now + lock
        uow.identity.record_failure(user_id, attempts, locked_until)
        raise AuthenticationFailed(WRONG_CREDENTIALS)
    if credential.failed_attempts:
        uow.identity.record_success(user_id)
    return officer


def list_accounts(uow: UnitOfWork, officer_id: str) -> list[Officer]:
    """Every account (administrators only: the list would help guess accounts)."""
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, Role.ADMIN)
        return uow.registry.officers()


def registry_events(uow: UnitOfWork, officer_id: str) -> list[RegistryEvent]:
    """The registry's history, for administrators and auditors."""
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, Role.ADMIN, Role.AUDITOR)
        return list(uow.registry_history.stream())


def verify_registry_history(uow: UnitOfWork, officer_id: str) -> RegistryReport:
    """`audit verify` for the registry: the chain and the tables it must explain."""
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, Role.ADMIN, Role.AUDITOR, Role.BKN)
    return verify_registry(uow)
