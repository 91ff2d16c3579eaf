"""`Idempotency-Key` on POSTs: the first request runs, a retry with the same key and body gets
the stored answer and changes nothing; the same key with another body is refused."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Header, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from cases import idempotency
from db.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class IdempotentRequest:
    key: str | None
    digest: str


async def idempotent_request(
    request: Request,
    idempotency_key: Annotated[str | None, Header(max_length=100)] = None,
) -> IdempotentRequest:
    """A dependency: the request's key (if any) and the hash of method, path and body."""
    body = await request.body()
    digest = idempotency.request_hash(request.method, request.url.path, body)
    return IdempotentRequest(idempotency_key, digest)


def run_once(
    uow_factory: Callable[[], UnitOfWork],
    officer_id: str,
    request: IdempotentRequest,
    status_code: int,
    produce: Callable[[], Any],
) -> JSONResponse:
    """Run `produce` (one command) at most once per key; its JSON answer is stored."""
    if request.key is None:
        return JSONResponse(jsonable_encoder(produce()), status_code=status_code)
    now = datetime.now(UTC)
    stored = idempotency.reserve(uow_factory(), officer_id, request.key, request.digest, now)
    if stored is not None:
        return JSONResponse(
            stored.body, status_code=stored.status_code, headers={"Idempotent-Replayed": "true"}
        )
    try:
        body = jsonable_encoder(produce())
    except BaseException:
        idempotency.release(uow_factory(), officer_id, request.key)
        raise
    idempotency.complete(uow_factory(), officer_id, request.key, status_code, body)
    return JSONResponse(body, status_code=status_code)
