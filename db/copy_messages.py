"""Rows of a binary `COPY ... TO STDOUT` on PostgreSQL as the raw messages libpq receives,
one message per row, for readers that parse a fixed layout themselves (no per-column Python
objects built by the driver).

Each message is a buffer: a 16-bit field count, then per field a 32-bit length (-1: NULL)
and that many bytes. The stream's header is checked and removed, its trailer checked.

libpq reads from the socket at most the free space of its input buffer per system call, and
that buffer starts at 16 KiB; it only grows for a message that does not fit, and then stays.
A stream of megabytes would cost one `recv` per 16 KiB, so the first COPY on a connection
first reads one message of `RECEIVE_BUFFER` bytes (`widen_receive_buffer`): later reads take
what the socket holds in a few large system calls instead of many small ones.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from itertools import repeat
from typing import Any

_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # binary COPY header: signature, flags, extension
_TRAILER_SIZE = 2  # the int16 -1 that ends a binary COPY
RECEIVE_BUFFER = 256 * 1024
_widened: weakref.WeakSet[Any] = weakref.WeakSet()  # libpq connections whose buffer grew


def widen_receive_buffer(driver: Any) -> None:
    """Let libpq's input buffer grow to `RECEIVE_BUFFER` bytes, once per connection, by
    reading one value of that size (a round trip, well under a millisecond)."""
    pgconn = driver.pgconn
    if pgconn in _widened:
        return
    with driver.cursor() as cursor:
        cursor.execute("SELECT repeat(' ', %s)", (RECEIVE_BUFFER,))
        cursor.fetchall()
    _widened.add(pgconn)


def copy_messages(
    driver: Any, sql: str, params: dict[str, Any] | None, batch: int
) -> Iterator[list[Any]]:
    """The rows of `sql` (a SELECT) in lists of up to `batch` raw messages.

    The next message comes straight from libpq while it has one buffered or the socket holds
    one; when neither does, the rows read so far go to the caller first, and only then does
    psycopg wait on the socket (it also ends the COPY and raises the server's errors). A
    server error that libpq reports first is raised as psycopg raises it."""
    statement = f"COPY ({sql}) TO STDOUT (FORMAT BINARY)"
    widen_receive_buffer(driver)
    with driver.cursor() as cursor, cursor.copy(statement, params) as copy:
        next_message, receive = driver.pgconn.get_copy_data, driver.pgconn.consume_input
        data = copy.read()
        if bytes(data[: len(_SIGNATURE)]) != _SIGNATURE:
            raise ValueError("COPY binary tidak diawali tanda tangan yang diharapkan")
        data = data[len(_SIGNATURE) :]
        size = len(data)
        if not size:  # the header came alone
            data = copy.read()
            size = len(data)
        messages: list[Any] = []
        while size != _TRAILER_SIZE:
            if size > 0:  # a row, and the rows libpq holds after it, up to a full batch
                messages.append(data)
                add = messages.append
                for _ in repeat(None, batch - len(messages)):
                    size, data = next_message(1)
                    if size <= _TRAILER_SIZE:  # none buffered, the trailer, or the end
                        break
                    add(data)
                else:
                    yield messages
                    messages = []
                    size, data = next_message(1)
                continue
            if size < 0:  # the COPY ended without its trailer: the server failed
                raise _server_error(driver)
            receive()  # nothing buffered: take what the socket holds, without waiting
            size, data = next_message(1)
            if size == 0 and messages:  # still nothing: hand over the rows read so far
                yield messages
                messages = []
                receive()
                size, data = next_message(1)
            if size == 0:  # wait for the server
                data = copy.read()
                size = len(data)
                if not size:
                    raise ValueError("COPY binary berakhir tanpa penutup")
        if copy.read():
            raise ValueError("COPY binary berlanjut setelah penutup")
        if messages:
            yield messages


def _server_error(driver: Any) -> Exception:
    """The error of a COPY the server ended early (its result, fetched so the connection
    is usable again), as psycopg would raise it."""
    from psycopg import errors, generators, pq

    for result in driver.wait(generators.fetch_many(driver.pgconn)):
        if result.status != pq.ExecStatus.COMMAND_OK:
            return errors.error_from_result(result, encoding=driver.info.encoding)
    return ValueError("COPY binary berakhir tanpa penutup")


def message_fields(data: Any) -> list[bytes | None]:
    """The fields of one message, generically (NULL as None)."""
    count = int.from_bytes(data[0:2], "big", signed=True)
    fields: list[bytes | None] = []
    at = 2
    for _ in range(count):
        size = int.from_bytes(data[at : at + 4], "big", signed=True)
        at += 4
        if size < 0:
            fields.append(None)
            continue
        fields.append(bytes(data[at : at + size]))
        at += size
    return fields
