"""The command path's statements sent straight to libpq (`db.wire`): parameters arrive as
PostgreSQL reads them, failures raise psycopg's errors, a statement the session lost is
prepared again, and nothing is cut or guessed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine

from db import wire

pytestmark = pytest.mark.postgres


@pytest.fixture
def driver(pg_engine: Engine) -> Iterator[psycopg.Connection[Any]]:
    """A pooled connection's psycopg connection, as the unit of work uses it."""
    with pg_engine.connect() as connection:
        yield connection.connection.driver_connection  # type: ignore[misc]


def _one(driver: psycopg.Connection[Any], sql: str, **params: Any) -> bytes | None:
    return wire.execute(driver, sql, params).get_value(0, 0)


TEXTS = ["", "plain", 'say "hi"', "back\\slash", "a,b", "{braces}", "NULL", " spaced ", "é ✓ 𝄞"]


def test_text_arrays_arrive_element_for_element(driver: psycopg.Connection[Any]) -> None:
    sql = "SELECT to_jsonb(%(items)s::text[])::text"
    import orjson

    assert orjson.loads(_one(driver, sql, items=TEXTS) or b"") == TEXTS
    assert orjson.loads(_one(driver, sql, items=["x", None]) or b"") == ["x", None]
    assert orjson.loads(_one(driver, sql, items=[]) or b"") == []


def test_bytea_arrays_and_values_arrive_byte_for_byte(driver: psycopg.Connection[Any]) -> None:
    blobs = [b"", b"\x00\x01\xff", b'{"a":"\\"q\\""}', "é".encode()]
    hexes = _one(
        driver,
        "SELECT array_to_string(ARRAY(SELECT encode(b, 'hex')"
        " FROM unnest(%(blobs)s::bytea[]) AS b), ',')",
        blobs=blobs,
    )
    assert hexes == ",".join(blob.hex() for blob in blobs).encode()
    assert _one(driver, "SELECT encode(%(b)s::bytea, 'hex')", b=b"\x00ab") == b"006162"


def test_scalars_keep_their_meaning(driver: psycopg.Connection[Any]) -> None:
    wib = timezone(timedelta(hours=7))
    instant = datetime(2024, 11, 18, 9, 30, 15, 123456, tzinfo=wib)
    row = wire.execute(
        driver,
        "SELECT %(n)s::int + 1, %(yes)s::bool, %(no)s::bool, %(nothing)s::text IS NULL,"
        " (%(at)s::timestamptz AT TIME ZONE 'UTC')::text, %(on)s::date + 1",
        {
            "n": -41,
            "yes": True,
            "no": False,
            "nothing": None,
            "at": instant,
            "on": date(2024, 2, 28),
        },
    )
    values = [row.get_value(0, column) for column in range(6)]
    utc = instant.astimezone(UTC).replace(tzinfo=None)
    assert values == [b"-40", b"t", b"f", b"t", str(utc).encode(), b"2024-02-29"]


def test_a_nul_in_text_is_refused_not_cut(driver: psycopg.Connection[Any]) -> None:
    with pytest.raises(psycopg.DataError, match="NUL"):
        wire.execute(driver, "SELECT %(t)s::text", {"t": "before\x00after"})
    with pytest.raises(psycopg.DataError, match="NUL"):
        wire.execute(driver, "SELECT %(t)s::text[]", {"t": ["ok", "bad\x00"]})


def test_types_without_a_text_form_here_are_refused() -> None:
    with pytest.raises(TypeError, match="float"):
        wire.encode(1.5)
    with pytest.raises(TypeError, match="nested"):
        wire.encode([["a"]])


def test_a_failure_raises_psycopgs_error_with_its_diagnostics(
    driver: psycopg.Connection[Any],
) -> None:
    wire.execute_in_transaction(driver, "CREATE TEMP TABLE t (k int PRIMARY KEY)", {})
    wire.execute(driver, "INSERT INTO t VALUES (%(k)s)", {"k": 1})
    with pytest.raises(psycopg.errors.UniqueViolation) as raised:
        wire.execute(driver, "INSERT INTO t VALUES (%(k)s)", {"k": 1})
    assert raised.value.diag.table_name == "t"
    driver.rollback()


def test_a_statement_the_session_lost_is_prepared_again(driver: psycopg.Connection[Any]) -> None:
    sql = "SELECT %(n)s::int * 2"
    assert _one(driver, sql, n=21) == b"42"
    driver.execute("DEALLOCATE ALL")  # what psycopg sends after a ROLLBACK of its own statements
    driver.commit()
    assert _one(driver, sql, n=4) == b"8"


def test_psycopg_does_not_drop_the_statements_on_rollback(driver: psycopg.Connection[Any]) -> None:
    """The engine turns psycopg's own preparing off: it would answer a ROLLBACK with
    DEALLOCATE ALL, and a lost statement inside a transaction cannot be prepared again."""
    sql = "SELECT %(n)s::int + 0"
    assert _one(driver, sql, n=1) == b"1"
    for _ in range(10):
        driver.execute("SELECT 1").fetchone()  # psycopg would prepare it after 5 runs
    driver.rollback()
    result = wire.execute_in_transaction(driver, sql, {"n": 2})
    assert result.get_value(0, 0) == b"2"  # inside a transaction: no second chance needed
    wire.commit(driver)


def test_commit_of_an_aborted_transaction_is_an_error(driver: psycopg.Connection[Any]) -> None:
    with pytest.raises(psycopg.errors.DivisionByZero):
        wire.execute_in_transaction(driver, "SELECT 1 / %(zero)s::int", {"zero": 0})
    with pytest.raises(psycopg.errors.InFailedSqlTransaction):
        wire.commit(driver)
    assert driver.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


def test_placeholders_are_numbered_once_per_name() -> None:
    prepared = wire.statement("SELECT %(a)s, %(b)s, %(a)s, 100 %% 7")
    assert prepared.text == b"SELECT $1, $2, $1, 100 % 7"
    assert prepared.names == ("a", "b")
    assert prepared.name.startswith(b"netra_")


def test_enum_members_are_sent_as_their_values() -> None:
    from enum import IntEnum, StrEnum

    class Colour(StrEnum):
        RED = "merah"

    class Level(IntEnum):
        HIGH = 3

    assert wire.encode(Colour.RED) == b"merah"
    assert wire.encode(Level.HIGH) == b"3"
    assert wire.encode(True) == b"t"


def test_execute_and_commit_is_one_transaction_either_way(driver: psycopg.Connection[Any]) -> None:
    wire.execute(driver, "CREATE TABLE IF NOT EXISTS wire_t (k int PRIMARY KEY)", {})
    insert = "INSERT INTO wire_t VALUES (%(k)s)"
    wire.execute_in_transaction(driver, insert, {"k": 1})  # BEGIN in the same round trip
    assert driver.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
    wire.execute_and_commit(driver, insert, {"k": 2})
    assert driver.info.transaction_status == psycopg.pq.TransactionStatus.IDLE

    wire.execute_in_transaction(driver, insert, {"k": 3})
    with pytest.raises(psycopg.errors.UniqueViolation):  # the statement's own error
        wire.execute_and_commit(driver, insert, {"k": 1})
    assert driver.info.transaction_status == psycopg.pq.TransactionStatus.INERROR
    driver.rollback()
    wire.execute_and_commit(driver, insert, {"k": 4})  # idle: its own transaction
    keys = wire.execute(driver, "SELECT string_agg(k::text, ',' ORDER BY k) FROM wire_t", {})
    assert keys.get_value(0, 0) == b"1,2,4"  # 3 went with the failed transaction


def test_a_statement_lost_inside_a_transaction_fails_once_then_is_prepared_again(
    driver: psycopg.Connection[Any],
) -> None:
    sql = "SELECT %(n)s::int - 1"
    assert wire.execute_in_transaction(driver, sql, {"n": 1}).get_value(0, 0) == b"0"
    wire.commit(driver)
    driver.execute("DEALLOCATE ALL")
    driver.commit()
    with pytest.raises(psycopg.errors.InvalidSqlStatementName):
        wire.execute_in_transaction(driver, sql, {"n": 1})  # the transaction is aborted
    driver.rollback()
    assert wire.execute_in_transaction(driver, sql, {"n": 5}).get_value(0, 0) == b"4"
    wire.commit(driver)
