"""Binary COPY read as raw messages (`db.copy_messages`): every row exactly once, whatever the
batch size, and a server error in the middle of the stream raised, never a short result."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine

import db.copy_messages as copy_messages_module
from db.copy_messages import copy_messages, message_fields, widen_receive_buffer

pytestmark = pytest.mark.postgres


def _values(pg_engine: Engine, sql: str, batch: int) -> list[list[Any]]:
    with pg_engine.connect() as connection:
        driver: Any = connection.connection.driver_connection
        return [
            [
                None if field is None else int.from_bytes(field, "big", signed=True)
                for field in message_fields(message)
            ]
            for messages in copy_messages(driver, sql, None, batch)
            for message in messages
        ]


@pytest.mark.parametrize("batch", [1, 7, 128, 5000])
def test_every_row_comes_once_in_order_whatever_the_batch(pg_engine: Engine, batch: int) -> None:
    sql = "SELECT n, CASE WHEN n % 3 = 0 THEN NULL ELSE -n END FROM generate_series(1, 1000) n"
    assert _values(pg_engine, sql, batch) == [
        [n, None if n % 3 == 0 else -n] for n in range(1, 1001)
    ]


def test_an_empty_result_gives_no_batch(pg_engine: Engine) -> None:
    with pg_engine.connect() as connection:
        driver: Any = connection.connection.driver_connection
        assert list(copy_messages(driver, "SELECT 1 WHERE false", None, 10)) == []


def test_an_error_in_the_middle_of_the_stream_is_raised(pg_engine: Engine) -> None:
    sql = "SELECT 1 / (n - 3000) FROM generate_series(1, 5000) n"
    with pytest.raises(psycopg.errors.DivisionByZero):
        _values(pg_engine, sql, 64)
    assert _values(pg_engine, "SELECT 7", 64) == [[7]]  # the pooled connection still works


def test_the_receive_buffer_is_widened_once_per_connection(pg_engine: Engine) -> None:
    """The first COPY read on a connection first reads one value of `RECEIVE_BUFFER` bytes
    (libpq's input buffer grows to hold it and keeps that size); later reads run no such
    statement, not even in a transaction that could run none."""
    with pg_engine.connect() as connection:
        driver: Any = connection.connection.driver_connection
        messages = [m for batch in copy_messages(driver, "SELECT 7", None, 8) for m in batch]
        assert [message_fields(m) for m in messages] == [[(7).to_bytes(4, "big")]]
        assert driver.pgconn in copy_messages_module._widened
        with pytest.raises(psycopg.errors.DivisionByZero):
            driver.execute("SELECT 1 / 0")
        widen_receive_buffer(driver)  # a statement now would fail: the transaction is aborted
        connection.rollback()
