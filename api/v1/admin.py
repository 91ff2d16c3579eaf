"""`/api/v1` registry administration, as the CLI's `institution`, `user`, `token`,
`calendar` and `audit registry` commands: institutions, officers, API tokens, calendar
overrides, the registry history with its verification, and failed notice deliveries. The
identity and registry services decide who may do what and record each change.

Answers carrying a secret (a first or reset password, a new token) are never stored for
`Idempotency-Key` replay: a secret is shown once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, UploadFile

from api.auth import bearer_officer
from api.v1.schemas import CalendarOverrideIn, InstitutionIn, OfficerChangeIn, OfficerIn, TokenIn
from cases.calendar import add_override, list_overrides, remove_override
from cases.identity.accounts import (
    change_officer,
    list_accounts,
    registry_events,
    set_password,
    verify_registry_history,
)
from cases.identity.tokens import create_token, list_tokens, revoke_token
from cases.letterheads import set_letterhead
from cases.notice_delivery import failed_deliveries
from cases.registry import add_institution, add_officer, change_institution, list_institutions
from db.identity_store import ApiToken
from db.registry import Institution, Officer
from db.unit_of_work import UnitOfWork
from letters.letterhead import MAX_LOGO_BYTES
from rules.calendar import OverrideKind
from rules.errors import InvalidInput
from rules.models import Role

Ident = Annotated[str, Path(max_length=64)]


def _role(text: str) -> Role:
    try:
        return Role(text)
    except ValueError:
        roles = ", ".join(r.value for r in Role if r is not Role.SYSTEM)
        raise InvalidInput(f"Peran '{text}' tidak dikenal (pilihan: {roles})") from None


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"'{text}' bukan tanggal YYYY-MM-DD") from None


def _officer(o: Officer) -> dict[str, Any]:
    return {**o.__dict__, "role": o.role.value}


def _token(t: ApiToken) -> dict[str, Any]:
    return {k: v for k, v in t.__dict__.items() if k != "secret_hash"}


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def admin_router(uow_factory: Callable[[], UnitOfWork], now: Callable[[], datetime]) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["admin"])
    officer = bearer_officer(uow_factory)

    @router.get("/institutions")
    def institutions(officer_id: str = officer) -> list[dict[str, Any]]:
        return [i.__dict__ for i in list_institutions(uow_factory())]

    @router.post("/institutions", status_code=201)
    def institution_add(body: InstitutionIn, officer_id: str = officer) -> dict[str, Any]:
        institution = Institution(**body.model_dump(exclude={"reason"}))
        add_institution(uow_factory(), institution, officer_id)
        return institution.__dict__

    @router.post("/institutions/{code}")
    def institution_change(
        code: Ident, body: InstitutionIn, officer_id: str = officer
    ) -> dict[str, Any]:
        if body.code != code:
            raise InvalidInput("Kode instansi pada isian berbeda dari alamat; kode tidak berubah")
        institution = Institution(**body.model_dump(exclude={"reason"}))
        return change_institution(uow_factory(), officer_id, institution, body.reason).__dict__

    @router.post("/institutions/{code}/letterhead")
    def institution_letterhead(
        code: Ident,
        kop_line: Annotated[list[str], Form(max_length=3)],
        head_kop: Annotated[str | None, Form(max_length=200)] = None,
        logo: Annotated[UploadFile | None, File(description="PNG atau SVG")] = None,
        remove_logo: Annotated[bool, Form()] = False,
        officer_id: str = officer,
    ) -> dict[str, Any]:
        """Set the kop lines, the head's kop and (optionally) a new logo, checked by its
        content; a refused logo stores nothing."""
        data = logo.file.read(MAX_LOGO_BYTES + 1) if logo is not None else None
        if data is not None and len(data) > MAX_LOGO_BYTES:
            raise InvalidInput(f"Logo melebihi {MAX_LOGO_BYTES // 1024} KB")
        return set_letterhead(
            uow_factory(),
            officer_id,
            code,
            [line for line in kop_line if line.strip()],
            now(),
            head_kop=head_kop or None,
            logo=data or None,
            keep_logo=not remove_logo,
        )

    @router.get("/officers")
    def officers(officer_id: str = officer) -> list[dict[str, Any]]:
        return [_officer(o) for o in list_accounts(uow_factory(), officer_id)]

    @router.post("/officers", status_code=201)
    def officer_add(body: OfficerIn, officer_id: str = officer) -> dict[str, Any]:
        new = Officer(
            body.id,
            body.name,
            _role(body.role),
            body.institution,
            body.title,
            body.nip,
            True,
            body.email,
            body.notify,
        )
        password = add_officer(uow_factory(), new, officer_id)
        return {"officer": _officer(new), "password": password}

    @router.post("/officers/{target}")
    def officer_change(
        target: Ident, body: OfficerChangeIn, officer_id: str = officer
    ) -> dict[str, Any]:
        changed = change_officer(
            uow_factory(),
            officer_id,
            target,
            role=_role(body.role) if body.role else None,
            institution_code=body.institution,
            title=body.title,
            email=body.email,
            notify=body.notify,
            active=body.active,
            reason=body.reason,
        )
        return _officer(changed)

    @router.post("/officers/{target}/password")
    def officer_password_reset(target: Ident, officer_id: str = officer) -> dict[str, Any]:
        """An administrator's reset: a generated password, shown once; sessions end."""
        return {"officer": target, "password": set_password(uow_factory(), officer_id, target)}

    @router.get("/tokens")
    def tokens(
        officer_id: str = officer, everyone: Annotated[bool, Query(alias="all")] = False
    ) -> list[dict[str, Any]]:
        return [_token(t) for t in list_tokens(uow_factory(), officer_id, everyone=everyone)]

    @router.post("/tokens", status_code=201)
    def token_create(body: TokenIn, officer_id: str = officer) -> dict[str, Any]:
        token, text = create_token(uow_factory(), officer_id, body.name, body.days, body.officer)
        return {**_token(token), "token": text}

    @router.post("/tokens/{token_id}/revoke", status_code=204)
    def token_revoke(token_id: Ident, officer_id: str = officer) -> None:
        revoke_token(uow_factory(), officer_id, token_id)

    @router.get("/calendar/overrides")
    def overrides(officer_id: str = officer) -> list[dict[str, Any]]:
        return [
            {**o.__dict__, "day": o.day.isoformat(), "kind": o.kind.value}
            for o in list_overrides(uow_factory(), officer_id)
        ]

    @router.post("/calendar/overrides", status_code=201)
    def override_add(body: CalendarOverrideIn, officer_id: str = officer) -> dict[str, Any]:
        kind = OverrideKind.WORKING_DAY if body.working_day else OverrideKind.HOLIDAY
        found = add_override(
            uow_factory(), officer_id, _day(body.day), body.name, now(), kind, body.region_code
        )
        return {**found.__dict__, "day": found.day.isoformat(), "kind": found.kind.value}

    @router.post("/calendar/overrides/{day}/remove", status_code=204)
    def override_remove(
        day: Annotated[str, Path(max_length=10)],
        officer_id: str = officer,
        region: Annotated[str | None, Query(max_length=16)] = None,
    ) -> None:
        remove_override(uow_factory(), officer_id, _day(day), region)

    @router.get("/audit/registry")
    def registry_history(officer_id: str = officer) -> list[dict[str, Any]]:
        return [
            {**e.__dict__, "recorded_at": _iso(e.recorded_at)}
            for e in registry_events(uow_factory(), officer_id)
        ]

    @router.get("/audit/registry/verify")
    def registry_verify(officer_id: str = officer) -> dict[str, Any]:
        report = verify_registry_history(uow_factory(), officer_id)
        return {"events": report.events, "intact": report.intact, "findings": report.findings}

    @router.get("/notices/failed")
    def notices_failed(officer_id: str = officer) -> list[dict[str, Any]]:
        return [
            {
                **d.__dict__,
                "next_attempt_at": _iso(d.next_attempt_at),
                "created_at": _iso(d.created_at),
                "sent_at": _iso(d.sent_at),
            }
            for d in failed_deliveries(uow_factory(), officer_id)
        ]

    return router
