"""The chain check from stored rows: every event's hash recomputed over its stored bytes.

Two ways, one result. `verify_rows` walks rows ordered by (case_id, seq) (the full audit,
which also re-encodes the columns). `scan_chains` reads the rows in whatever order the table
gives them (no sort, no index) and hashes each body as stored; it keeps each case's last link
and holds only rows that arrive before their predecessor, until it comes. A case it cannot
call intact (a break of any kind, or rows still waiting at the end) is read again in order
through `verify_rows`, so every break is named by case and seq exactly as the ordered walk
names it. On PostgreSQL the scan reads each row as its raw COPY message in one loop
(`_LinkScan.run_messages`); elsewhere, and for rows of another layout, as an `EventLink`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from hashlib import sha256
from struct import error
from typing import Any

from cases.sealing import row_canonical
from db.audit_store import AuditStore
from db.event_copy import EventLink, EventRow, link_header, message_link
from states.canonical import GENESIS_HASH
from states.integrity import ChainHead, ChainLink, ChainReport, verify_links

# Above this many cases to read again, the whole ordered walk is cheaper than the list.
REREAD_LIMIT = 1000
_GENESIS = GENESIS_HASH.encode("ascii")


def _refuse_float(text: str) -> Any:
    raise ValueError(f"float {text} in a payload")


def verify_rows(
    rows: Iterable[EventRow], keep_heads: bool = True, deep: bool = True
) -> ChainReport:
    """`states.integrity.verify_links` straight from stored rows (no RecordedEvent built).

    A row with its stored canonical body is hashed as stored (I/O + sha256). `deep` also
    re-encodes its columns and requires them to give those same bytes, so a column changed
    behind the body's back is named too; rows without a body are always re-encoded.
    """
    if deep:
        return verify_links((event_link(row) for row in rows), keep_heads)
    stored = (
        (row[0], row[1], row[10], row[11], sha256(row[10].encode() + row[14]).hexdigest())
        if row[14] is not None
        else event_link(row)
        for row in rows
    )
    return verify_links(stored, keep_heads)  # type: ignore[arg-type]


def event_link(row: EventRow) -> ChainLink:
    """The row's links and the hash its columns give (or why they give none)."""
    case_id, seq, payload, body = row[0], row[1], row[8], row[14]
    prev_hash, hash_ = row[10], row[11]
    try:
        if isinstance(payload, str | bytes):
            payload = json.loads(payload, parse_float=_refuse_float)
        encoded = row_canonical(
            *row[:8], payload, row[9], floats_checked=True, operator=row[12], clock=row[13]
        )
        if body is not None and bytes(body) != encoded:
            recomputed = "kolom peristiwa tidak sama dengan isi yang di-hash (body)"
        else:
            recomputed = sha256(prev_hash.encode() + encoded).hexdigest()
    except (TypeError, ValueError) as exc:
        recomputed = f"invalid: {exc}"
    return ChainLink(case_id, seq, prev_hash, hash_, recomputed)


def scan_chains(store: AuditStore, case_ids: Sequence[str] | None = None) -> ChainReport:
    """Every chain, from rows in any order; the same report as the ordered walk gives."""
    scan = _LinkScan()
    scan.read(store, case_ids)
    if len(scan.suspects) > REREAD_LIMIT:
        return verify_rows(store.event_rows(case_ids, links_only=True), deep=False)
    encoding = store.encoding
    report = ChainReport()
    if scan.suspects:
        reread = [case_id.decode(encoding) for case_id in scan.suspects]
        report = verify_rows(store.event_rows(reread, links_only=True), deep=False)
    report.cases += len(scan.heads)
    while scan.heads:  # moved one by one, so both forms are never held whole at once
        case_id, (seq, hash_) = scan.heads.popitem()
        report.heads[case_id.decode(encoding)] = ChainHead(seq, hash_.decode("ascii"))
        report.events += seq  # an intact chain holds exactly seqs 1..seq
    return report


class _LinkScan:
    """Links checked in arrival order. `heads` holds the intact cases' last (seq, hash),
    `waiting` the rows that came before their predecessor (already hashed: only their links
    are kept), `suspects` the cases to read again in order."""

    def __init__(self) -> None:
        self.heads: dict[bytes, tuple[int, bytes]] = {}
        self.waiting: dict[bytes, dict[int, tuple[bytes, bytes]]] = {}
        self.suspects: set[bytes] = set()

    def read(self, store: AuditStore, case_ids: Sequence[str] | None = None) -> None:
        """Every event of the store (or of `case_ids`): raw COPY messages where the database
        gives them, `EventLink`s elsewhere."""
        messages = store.link_messages(case_ids)
        if messages is None:
            self.run(store.event_links(case_ids))
        else:
            self.run_messages(messages, store.encoding)

    def run_messages(self, batches: Iterable[list[Any]], encoding: str) -> None:
        """The hot loop over COPY messages (`db.event_copy.link_header`): a row that
        continues the case of the row before it costs one unpack (the case id included, read
        at the current case's width), one sha256 and a few compares, with no per-row object
        besides the unpacked fields; anything else goes through `_placed`. The same checks as
        `run`."""
        current: bytes | None = None
        expected, last = 1, _GENESIS
        width = 0
        unpack, body_at = link_header(width)
        for batch in batches:
            for data in batch:
                try:
                    seq, prev_size, prev, hash_size, hash_, columns, id_size, case_id = unpack(data)
                except error:  # shorter than a regular row with a case id of this width
                    prev_size = 0
                if prev_size == 64 and hash_size == 64 and columns < 0 and id_size == width:
                    digest = sha256(prev)  # fed in two parts: joining them would copy the body
                    digest.update(data[body_at:])
                    holds = digest.hexdigest().encode() == hash_
                    if holds and case_id == current and seq == expected and prev == last:
                        expected += 1
                        last = hash_
                        continue
                else:
                    case_id, seq, prev, hash_, body, event = message_link(data, encoding)
                    holds = _holds(prev, hash_, body, event)
                current, expected, last = self._placed(
                    current, expected - 1, last, case_id, seq, prev, hash_, holds
                )
                if current is not None and len(current) != width:
                    width = len(current)
                    unpack, body_at = link_header(width)
        if current is not None:
            self.heads[current] = (expected - 1, last)
        self._end()

    def run(self, batches: Iterable[list[EventLink]]) -> None:
        """The same check over `EventLink`s (rows read through the ORM, links in memory)."""
        current: bytes | None = None
        expected, last = 1, _GENESIS
        for batch in batches:
            for case_id, seq, prev, hash_, body, event in batch:
                holds = _holds(prev, hash_, body, event)
                if holds and case_id == current and seq == expected and prev == last:
                    expected += 1
                    last = hash_
                    continue
                current, expected, last = self._placed(
                    current, expected - 1, last, case_id, seq, prev, hash_, holds
                )
        if current is not None:
            self.heads[current] = (expected - 1, last)
        self._end()

    def _placed(
        self,
        current: bytes | None,
        current_head: int,
        current_last: bytes,
        case_id: bytes,
        seq: int,
        prev: bytes,
        hash_: bytes,
        holds: bool,
    ) -> tuple[bytes | None, int, bytes]:
        """A row that does not simply continue the current case: the current case's head is
        stored, the row placed in its own case. Returns the case the next row may continue
        in the fast loop, its next seq and last hash (None when there is none)."""
        heads = self.heads
        if current is not None:
            heads[current] = (current_head, current_last)
        state = heads.get(case_id)
        if state is None:
            if case_id in self.suspects:
                return self._resumed(current)
            state = (0, _GENESIS)
        if (
            holds
            and seq == state[0] + 1
            and prev == state[1]
            and not (self.waiting and case_id in self.waiting)
        ):
            return case_id, seq + 1, hash_
        if self._arrived(case_id, seq, prev, hash_, holds, state):
            head, last = heads[case_id]
            return case_id, head + 1, last
        return self._resumed(current)

    def _resumed(self, current: bytes | None) -> tuple[bytes | None, int, bytes]:
        """After a row that went on no chain (stored ahead of its predecessor, or of a case
        found broken): the fast loop goes on with the case it was in, from its stored head,
        while that case is intact (the next row most often continues it)."""
        state = None if current is None else self.heads.get(current)
        if state is None:
            return None, 1, _GENESIS
        return current, state[0] + 1, state[1]

    def _end(self) -> None:
        """Rows still waiting go on their case's chain where they now can (a case whose row
        was stored ahead of all its others, its last included); a case with rows left over
        has a predecessor that never came, or a seq twice: a suspect."""
        for case_id in list(self.waiting):
            head, last = self.heads.get(case_id, (0, _GENESIS))
            if self._drained(case_id, head, last) is not None and self.waiting.get(case_id):
                self._suspect(case_id)

    def _arrived(
        self,
        case_id: bytes,
        seq: int,
        prev: bytes,
        hash_: bytes,
        holds: bool,
        state: tuple[int, bytes],
    ) -> bool:
        """A row that does not simply continue its case. True when the case is intact up to
        this row (the caller goes on in the fast loop from it, even with rows of the case
        still waiting further ahead: the fast loop stops at the first row after one of
        them, which comes back here)."""
        if not holds:
            self._suspect(case_id)
            return False
        head, last = state
        if case_id in self.waiting:  # rows that were ahead may continue the chain now
            drained = self._drained(case_id, head, last)
            if drained is None:
                return False
            head, last = drained
        if seq <= head:  # a second row for a seq already checked, or a seq below 1
            self._suspect(case_id)
            return False
        if seq > head + 1:  # ahead of its predecessor: wait for it
            held = self.waiting.setdefault(case_id, {})
            if seq in held:
                self._suspect(case_id)
                return False
            held[seq] = (prev, hash_)
            self.heads[case_id] = (head, last)
            return False
        if prev != last:
            self._suspect(case_id)
            return False
        head, last = seq, hash_
        if case_id in self.waiting:
            drained = self._drained(case_id, head, last)
            if drained is None:
                return False
            head, last = drained
        self.heads[case_id] = (head, last)
        return True

    def _drained(self, case_id: bytes, head: int, last: bytes) -> tuple[int, bytes] | None:
        """The case's waiting rows that now follow its head, put on the chain; its new head
        (stored), or None when one of them breaks it or repeats a seq it already has (the
        case is then a suspect)."""
        ahead = self.waiting[case_id]
        while head + 1 in ahead:
            prev, hash_ = ahead.pop(head + 1)
            if prev != last:
                self._suspect(case_id)
                return None
            head, last = head + 1, hash_
        if ahead and min(ahead) <= head:  # passed by the fast loop: a seq twice
            self._suspect(case_id)
            return None
        if not ahead:
            del self.waiting[case_id]
        self.heads[case_id] = (head, last)
        return head, last

    def _suspect(self, case_id: bytes) -> None:
        self.suspects.add(case_id)
        self.heads.pop(case_id, None)
        self.waiting.pop(case_id, None)


def _holds(prev: bytes, hash_: bytes, body: Any, event: EventRow | None) -> bool:
    """The row's hash is sha256 of its prev_hash and its stored body or, for an event
    without one, of the canonical bytes its columns give."""
    if body is None:
        return event is not None and event_link(event).recomputed_hash == event[11]
    digest = sha256(prev)
    digest.update(body)
    return digest.hexdigest().encode() == hash_
