"""A token's last use is recorded to the minute: the first use writes it, uses within the
minute after it write nothing (no UPDATE, no COMMIT per request), a use a minute later
writes it again, and a last use that lies ahead of the server clock is corrected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cases.identity import tokens
from cases.identity.tokens import authenticate_token, create_token
from db.unit_of_work import UnitOfWork

START = datetime(2026, 12, 4, 9, 0, 0, tzinfo=UTC)


def _last_use(uow: UnitOfWork, token_id: str) -> datetime | None:
    with uow:
        stored = uow.identity.token(token_id)
    assert stored is not None
    return stored.last_used_at


def test_last_use_is_written_once_a_minute(
    demo_uow: UnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    token, text_ = create_token(demo_uow, "bkn.analis", "skrip", 30)
    clock = [START]
    monkeypatch.setattr(tokens, "datetime_now", lambda: clock[0])
    touched: list[datetime] = []
    real_touch = type(demo_uow.identity).touch_token

    def counting(store: object, token_id: str, now: datetime) -> None:
        touched.append(now)
        real_touch(store, token_id, now)  # type: ignore[arg-type]

    monkeypatch.setattr(type(demo_uow.identity), "touch_token", counting)

    assert authenticate_token(demo_uow, text_) == "bkn.analis"
    assert _last_use(demo_uow, token.id) == START and touched == [START]

    for seconds in (1, 30, 59):
        clock[0] = START + timedelta(seconds=seconds)
        assert authenticate_token(demo_uow, text_) == "bkn.analis"
    assert _last_use(demo_uow, token.id) == START and touched == [START]

    clock[0] = START + timedelta(minutes=1)
    assert authenticate_token(demo_uow, text_) == "bkn.analis"
    assert _last_use(demo_uow, token.id) == clock[0] and len(touched) == 2

    clock[0] = START  # the server clock was set back: the stored use lies ahead of it
    assert authenticate_token(demo_uow, text_) == "bkn.analis"
    assert _last_use(demo_uow, token.id) == START and len(touched) == 3
