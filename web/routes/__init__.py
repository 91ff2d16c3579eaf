"""The officers' pages, one module per feature; `pages_router` puts them together."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter

from db.unit_of_work import UnitOfWork
from web.context import Clock, Pages, server_clock
from web.routes import (
    admin_calendar,
    admin_institutions,
    admin_officers,
    admin_records,
    case_list,
    case_page,
    dashboards,
    evidence,
    intake,
    letters,
    settings,
    sign_in,
    steps,
    tasks,
)

FEATURES = (
    sign_in,
    tasks,
    case_list,
    intake,
    case_page,
    steps,
    evidence,
    letters,
    dashboards,
    settings,
    admin_institutions,
    admin_officers,
    admin_calendar,
    admin_records,
)


def pages_router(
    uow_factory: Callable[[], UnitOfWork], secure_cookies: bool, now: Clock = server_clock
) -> APIRouter:
    """Every page; `now` is the server clock (a test or demo database may pass a fixed one)."""
    pages = Pages(uow_factory, now, secure_cookies)
    router = APIRouter(include_in_schema=False)
    for feature in FEATURES:
        router.include_router(feature.router(pages))
    return router
