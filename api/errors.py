"""Errors mapped once for the whole HTTP surface: each Netra error, a malformed request, a
too-large body and a database failure become one JSON shape with an Indonesian message and a
stable English code: `{"code": "invalid_input", "message": "...", "error": "InvalidInput"}`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from api.validation_problems import field_problems
from rules.errors import (
    AuthenticationFailed,
    ConcurrencyConflict,
    IntegrityViolation,
    InvalidInput,
    NetraError,
    NotFound,
    PermissionDenied,
    RuleSetError,
    StorageError,
    TransitionNotAllowed,
)

MAX_BODY_BYTES = 1_000_000

CODES: dict[type[NetraError], str] = {
    InvalidInput: "invalid_input",
    TransitionNotAllowed: "step_not_allowed",
    ConcurrencyConflict: "conflict",
    PermissionDenied: "forbidden",
    NotFound: "not_found",
    IntegrityViolation: "integrity_violation",
    RuleSetError: "rule_set_error",
    AuthenticationFailed: "unauthenticated",
    StorageError: "storage_error",
}


HTTP_PROBLEMS = {
    400: ("malformed_request", "Isi permintaan tidak dapat dibaca"),
    404: ("not_found", "Alamat tidak ditemukan"),
    405: ("method_not_allowed", "Metode HTTP ini tidak didukung pada alamat ini"),
    413: ("payload_too_large", f"Isi permintaan melebihi {MAX_BODY_BYTES // 1000} KB"),
}


def error_code(error: NetraError) -> str:
    for kind in type(error).__mro__:
        if kind in CODES:
            return CODES[kind]
    return "bad_request"


def problem(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(
        status_code=status, content={"code": code, "message": message, **extra}, headers=headers
    )


def netra_problem(error: NetraError) -> JSONResponse:
    return problem(error.http_status, error_code(error), error.message, error=type(error).__name__)


HtmlErrorPage = Callable[[Request, NetraError], Response]


def install_error_handlers(app: FastAPI, html_page: HtmlErrorPage | None = None) -> None:
    """JSON problems under /api and /health; pages elsewhere when `html_page` is given."""

    @app.exception_handler(NetraError)
    async def netra_error(request: Request, error: NetraError) -> Response:
        if html_page is not None and not request.url.path.startswith(("/api", "/health")):
            return html_page(request, error)
        return netra_problem(error)

    @app.exception_handler(RequestValidationError)
    async def malformed(_request: Request, error: RequestValidationError) -> JSONResponse:
        details = field_problems(error.errors())
        if any(item.get("type") == "json_invalid" for item in error.errors()):
            return problem(400, "malformed_request", "Isi permintaan bukan JSON yang sah")
        return problem(422, "invalid_input", "Isian permintaan tidak valid", details=details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        code, message = HTTP_PROBLEMS.get(
            error.status_code, ("bad_request", "Permintaan tidak dapat diproses")
        )
        return problem(error.status_code, code, message)

    @app.exception_handler(SQLAlchemyError)
    async def storage_error(_request: Request, _error: SQLAlchemyError) -> JSONResponse:
        return problem(
            503, "storage_error", "Basis data gagal menjalankan permintaan; tidak ada yang ditulis"
        )


# Evidence uploads (the web form and the API) and report imports may be as large as the
# evidence settings allow (the import service then applies its own, smaller limit).
UPLOAD_PATH = re.compile(r"^/(perkara/[^/]+/bukti|api/v1/cases/[^/]+/evidence|api/v1/imports)$")
MULTIPART_OVERHEAD = 1_000_000


class BodyLimit:
    """ASGI middleware: a request body over `limit` bytes (over `upload_limit` on an evidence
    upload) gets 413 before any handler runs."""

    def __init__(
        self, app: ASGIApp, limit: int = MAX_BODY_BYTES, upload_limit: int | None = None
    ) -> None:
        self.app = app
        self.limit = limit
        self.upload_limit = upload_limit

    def _limit_for(self, scope: Scope) -> int:
        if self.upload_limit is None or scope.get("method") != "POST":
            return self.limit
        return self.upload_limit if UPLOAD_PATH.match(scope.get("path", "")) else self.limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit_for(scope)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(limit)(scope, receive, send)
            return
        seen = 0

        async def limited() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge()
            return message

        await self.app(scope, limited, send)


class BodyTooLarge(StarletteHTTPException):
    """Raised while reading a body past the limit; FastAPI passes HTTP exceptions through."""

    def __init__(self) -> None:
        super().__init__(413, "payload_too_large")


def _too_large(limit: int) -> JSONResponse:
    return problem(413, "payload_too_large", f"Isi permintaan melebihi {limit // 1000} KB")
