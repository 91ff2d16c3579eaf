"""Who is calling the API: a bearer token (`Authorization: Bearer ntr_...`), checked by the
identity service. Missing, malformed, unknown, expired and revoked tokens all get the same
401, so the answer reveals no account."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Header

from cases.identity.tokens import authenticate_token
from db.unit_of_work import UnitOfWork
from rules.errors import AuthenticationFailed

MISSING = "Token API wajib (header Authorization: Bearer <token>)"


def bearer_officer(uow_factory: Callable[[], UnitOfWork]) -> Any:
    """A FastAPI dependency (use as a parameter default) giving the authenticated officer id."""

    def dependency(authorization: Annotated[str | None, Header()] = None) -> str:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationFailed(MISSING)
        return authenticate_token(uow_factory(), token.strip())

    return Depends(dependency)
