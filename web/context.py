"""What every page route shares: the unit-of-work factory, the server clock, who is signed in,
the posted form (with its CSRF check) and rendering a page with the officer in the header."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import HTMLResponse

from cases.queries import institution_name
from db.registry import Officer
from db.unit_of_work import UnitOfWork
from rules.errors import PermissionDenied
from rules.models import Role
from web.render import render
from web.session import Visitor, check_form, current, form_of

PAGE_SIZE = 25
SHORT = Annotated[str, Query(max_length=200)]
OFFSET = Annotated[int, Query(ge=0, le=10_000_000)]
Clock = Callable[[], datetime]


def server_clock() -> datetime:
    """The server clock: pages never take a client's time for when an act happened."""
    return datetime.now(UTC)


Posted = dict[str, list[str]]


def grouped(form: list[tuple[str, str]]) -> Posted:
    """The posted fields by name, repeated names kept in order."""
    found: Posted = {}
    for name, value in form:
        found.setdefault(name, []).append(value)
    return found


def one(posted: Posted, name: str) -> str:
    """The last value posted under `name`, stripped ('' when absent)."""
    return (posted.get(name) or [""])[-1].strip()


class InstitutionNames:
    """Institution names by code for one page ("PEMDA-3571" as "Pemerintah Kota Kediri"),
    each read from the registry the first time the page asks; the code itself for an
    institution the registry does not know."""

    def __init__(self, uow: Callable[[], UnitOfWork]) -> None:
        self._uow = uow
        self._names: dict[str, str] = {}

    def __call__(self, code: str | None) -> str:
        if not code:
            return "-"
        name = self._names.get(code)
        if name is None:
            name = self._names[code] = institution_name(self._uow(), code)
        return name


@dataclass(frozen=True)
class Pages:
    """The pages' view of the application: services through `uow`, time through `now`."""

    uow: Callable[[], UnitOfWork]
    now: Clock
    secure_cookies: bool

    def visitor(self, request: Request) -> Visitor:
        return current(request, self.uow)

    def officer(self, who: Visitor) -> Officer:
        work = self.uow()
        with work:
            return work.registry.officer(who.officer_id)

    def admin(self, request: Request) -> Visitor:
        """The signed-in administrator; anyone else gets 403 before anything is read.
        (The services check again: this only keeps the admin pages from rendering.)"""
        who = self.visitor(request)
        if self.officer(who).role is not Role.ADMIN:
            raise PermissionDenied("Halaman ini hanya untuk administrator")
        return who

    async def posted(self, request: Request, who: Visitor) -> Posted:
        """The URL-encoded form, refused without this session's CSRF token."""
        fields = await form_of(request)
        check_form(who, fields)
        return grouped(fields)

    def page(
        self,
        request: Request,
        template: str,
        who: Visitor | None,
        status: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        officer = self.officer(who) if who is not None else None
        return render(
            request,
            template,
            status=status,
            visitor=who,
            officer=officer,
            institution_name=InstitutionNames(self.uow),
            **context,
        )
