"""Who is signed in to the web pages: the session cookie checked by the identity service, the
session's CSRF token checked on every form post, and the cookie's security flags."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from fastapi import Request
from fastapi.responses import Response

from cases.identity import sessions
from cases.identity.sessions import ABSOLUTE_TIMEOUT, SignedIn
from db.unit_of_work import UnitOfWork
from rules.errors import AuthenticationFailed, InvalidInput, PermissionDenied

COOKIE = "netra_sesi"
MAX_FORM_BYTES = 1_000_000


@dataclass(frozen=True)
class Visitor:
    """A signed-in officer on this request."""

    officer_id: str
    csrf_token: str


class SignInRequired(AuthenticationFailed):
    """No live session: the page redirects to the sign-in form."""


def current(request: Request, uow_factory: Callable[[], UnitOfWork]) -> Visitor:
    session_id = request.cookies.get(COOKIE, "")
    if not session_id:
        raise SignInRequired("Silakan masuk terlebih dahulu")
    try:
        officer_id, csrf = sessions.session_officer(uow_factory(), session_id)
    except AuthenticationFailed as error:
        raise SignInRequired(error.message) from None
    return Visitor(officer_id, csrf)


async def form_of(request: Request) -> list[tuple[str, str]]:
    """The posted form fields in order (repeated names kept), URL-encoded bodies only."""
    kind = request.headers.get("content-type", "").split(";")[0].strip()
    if kind != "application/x-www-form-urlencoded":
        raise InvalidInput("Formulir harus dikirim sebagai application/x-www-form-urlencoded")
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise InvalidInput("Isian formulir terlalu besar")
    try:
        return parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=500)
    except (UnicodeDecodeError, ValueError):
        raise InvalidInput("Isian formulir tidak dapat dibaca") from None


def check_form(visitor: Visitor, form: list[tuple[str, str]]) -> None:
    given = next((value for name, value in form if name == "csrf_token"), None)
    sessions.check_csrf(visitor.csrf_token, given)


def check_same_origin(request: Request) -> None:
    """A sign-in form posted from another site is refused (login CSRF)."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if origin and origin != "null" and urlsplit(origin).netloc != request.url.netloc:
        raise PermissionDenied("Formulir masuk harus dikirim dari halaman Netra sendiri")


def set_cookie(response: Response, signed: SignedIn, secure: bool) -> None:
    response.set_cookie(
        COOKIE,
        signed.session_id,
        max_age=int(ABSOLUTE_TIMEOUT.total_seconds()),
        httponly=True,
        secure=secure,
        samesite="lax",
        path="/",
    )


def clear_cookie(response: Response, secure: bool) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, secure=secure, samesite="lax")
