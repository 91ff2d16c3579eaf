"""The fast chain check reads rows in the table's physical order; whatever the order and
whatever was tampered with, it reports exactly what the ordered walk reports (the same breaks
by case and seq with the same texts, the same heads and counts)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, delete, insert, select, text, update

from cases import chain_scan
from cases.chain_scan import _LinkScan, scan_chains, verify_rows
from cases.integrity import verify_chains
from db.audit_store import AuditStore
from db.event_copy import EventLink
from db.schema import CaseEventRow, CaseRow
from db.unit_of_work import UnitOfWork
from states.canonical import GENESIS_HASH, canonical_json, hash_bytes
from states.integrity import ChainReport, compare_heads
from tests.audit.tampering import set_event, superuser

EVENTS = CaseEventRow.__table__


def _reports(uow: UnitOfWork, case_ids: Sequence[str] | None = None) -> tuple[Any, Any]:
    """(fast, ordered) reports, each with the projection heads compared."""
    with uow:
        store = AuditStore(uow.session)
        fast = scan_chains(store, case_ids)
        ordered = verify_rows(store.event_rows(case_ids, links_only=True), deep=False)
        heads = list(store.case_heads(case_ids))
    for report in (fast, ordered):
        report.breaks.extend(compare_heads(report, heads))
    return fast, ordered


def _same(uow: UnitOfWork, case_ids: Sequence[str] | None = None) -> ChainReport:
    fast, ordered = _reports(uow, case_ids)
    assert [str(b) for b in fast.breaks] == [str(b) for b in ordered.breaks]
    assert (fast.cases, fast.events) == (ordered.cases, ordered.events)
    assert fast.heads == ordered.heads
    return fast  # type: ignore[no-any-return]


def _suspects(uow: UnitOfWork) -> set[bytes]:
    """The cases the scan could not call intact by itself (read again in order)."""
    scan = _LinkScan()
    with uow:
        scan.read(AuditStore(uow.session))
    return scan.suspects


def _rows(db: Connection, case_id: str) -> list[dict[str, Any]]:
    query = select(EVENTS).where(EVENTS.c.case_id == case_id).order_by(EVENTS.c.seq)
    return [dict(row) for row in db.execute(query).mappings()]


def _rewrite_reversed(db: Connection, case_id: str) -> list[dict[str, Any]]:
    """Delete the case's events and insert them again last seq first, one by one, so the
    table holds them in reverse physical order (at its end)."""
    rows = _rows(db, case_id)
    db.execute(delete(CaseEventRow).where(CaseEventRow.case_id == case_id))
    for row in reversed(rows):
        db.execute(insert(EVENTS).values(**row))
    return rows


def _engine(uow: UnitOfWork) -> Engine:
    return uow.engine


def test_intact_demo_is_intact_in_physical_order(demo_uow: UnitOfWork) -> None:
    report = _same(demo_uow)
    assert report.ok and report.cases == 5 and report.events > 30


def test_rows_in_reverse_physical_order_verify(demo_uow: UnitOfWork) -> None:
    with superuser(_engine(demo_uow)) as db:
        _rewrite_reversed(db, "DEMO-PBL-1")
        _rewrite_reversed(db, "DEMO-KDR-1")
    assert _same(demo_uow).ok
    assert not _suspects(demo_uow)  # held until their predecessors came, not read again
    assert verify_chains(demo_uow, "auditor").ok


def test_rows_placed_in_space_freed_by_vacuum_verify(demo_uow: UnitOfWork) -> None:
    engine = _engine(demo_uow)
    with superuser(engine) as db:
        rows = _rows(db, "DEMO-SKB-1")
        db.execute(delete(CaseEventRow).where(CaseEventRow.case_id == "DEMO-SKB-1"))
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as db:
            db.execute(text("VACUUM case_events"))
    with superuser(engine) as db:  # later seqs first, into the freed space
        for row in sorted(rows, key=lambda r: (r["seq"] % 3, -r["seq"])):
            db.execute(insert(EVENTS).values(**row))
    assert _same(demo_uow).ok
    assert not _suspects(demo_uow)


def test_altered_body_of_a_reversed_case_is_named_as_in_order(demo_uow: UnitOfWork) -> None:
    with superuser(_engine(demo_uow)) as db:
        rows = _rewrite_reversed(db, "DEMO-PBL-1")
        body = rows[2]["body"].replace(b'"seq":3', b'"seq":4')
        set_event(db, "DEMO-PBL-1", 3, body=body)
    report = _same(demo_uow)
    assert [(b.case_id, b.seq) for b in report.breaks] == [("DEMO-PBL-1", 3)]
    assert "hash tidak cocok" in report.breaks[0].problem


@pytest.mark.parametrize(
    "change",
    [
        {"hash": "f" * 64},
        {"prev_hash": "e" * 64},
        {"prev_hash": "e" * 63},
        {"hash": "abc"},
        {"body": b""},
        {"seq": 40},
    ],
    ids=[
        "hash",
        "prev_hash",
        "short-prev_hash",
        "short-hash",
        "empty-body",
        "seq",
    ],
)
def test_each_altered_column_is_named_as_in_order(
    demo_uow: UnitOfWork, change: dict[str, Any]
) -> None:
    with superuser(_engine(demo_uow)) as db:
        _rewrite_reversed(db, "DEMO-SKB-1")
        db.execute(
            update(CaseEventRow)
            .where(CaseEventRow.case_id == "DEMO-SKB-1", CaseEventRow.seq == 4)
            .values(**change)
        )
    report = _same(demo_uow)
    assert report.breaks and {b.case_id for b in report.breaks} == {"DEMO-SKB-1"}


def test_a_gap_and_a_deleted_last_event_are_named_as_in_order(demo_uow: UnitOfWork) -> None:
    with superuser(_engine(demo_uow)) as db:
        _rewrite_reversed(db, "DEMO-KDR-1")
        db.execute(
            delete(CaseEventRow).where(CaseEventRow.case_id == "DEMO-KDR-1", CaseEventRow.seq == 5)
        )
        last = _rows(db, "DEMO-BKS-1")[-1]["seq"]
        db.execute(
            delete(CaseEventRow).where(
                CaseEventRow.case_id == "DEMO-BKS-1", CaseEventRow.seq == last
            )
        )
    report = _same(demo_uow)
    named = {(b.case_id, b.seq) for b in report.breaks}
    assert ("DEMO-KDR-1", 6) in named and ("DEMO-BKS-1", last - 1) in named


def test_events_of_an_unknown_case_are_named_as_in_order(demo_uow: UnitOfWork) -> None:
    with superuser(_engine(demo_uow)) as db:
        for row in _rows(db, "DEMO-PSR-1"):
            db.execute(insert(EVENTS).values(**{**row, "case_id": "DEMO-XXX-9"}))
    report = _same(demo_uow)
    assert [(b.case_id, b.problem) for b in report.breaks] == [
        ("DEMO-XXX-9", "peristiwa tanpa perkara")
    ]


def test_events_without_a_stored_body_are_re_encoded(demo_uow: UnitOfWork) -> None:
    with superuser(_engine(demo_uow)) as db:
        db.execute(update(CaseEventRow).where(CaseEventRow.seq % 2 == 0).values(body=None))
    assert _same(demo_uow).ok
    assert not _suspects(demo_uow)
    with superuser(_engine(demo_uow)) as db:
        payload = _rows(db, "DEMO-PBL-1")[3]["payload"]
        set_event(db, "DEMO-PBL-1", 4, payload={**payload, "tampered": True})
        set_event(db, "DEMO-KDR-1", 2, payload={"amount": 1.5})
    report = _same(demo_uow)
    assert [(b.case_id, b.seq) for b in report.breaks] == [("DEMO-KDR-1", 2), ("DEMO-PBL-1", 4)]


def test_an_empty_database_has_nothing_to_check(uow: UnitOfWork) -> None:
    with uow:
        report = scan_chains(AuditStore(uow.session))
    assert report.ok and (report.cases, report.events, report.heads) == (0, 0, {})


def test_many_broken_cases_are_checked_by_one_ordered_walk(
    demo_uow: UnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chain_scan, "REREAD_LIMIT", 1)
    with superuser(_engine(demo_uow)) as db:
        _rewrite_reversed(db, "DEMO-KDR-1")
        for case_id in ("DEMO-KDR-1", "DEMO-PBL-1"):
            set_event(db, case_id, 2, hash="0" * 64)
    report = _same(demo_uow)
    assert {(b.case_id, b.seq) for b in report.breaks} >= {("DEMO-KDR-1", 2), ("DEMO-PBL-1", 2)}


def test_a_subset_of_cases_is_checked_alone(demo_uow: UnitOfWork) -> None:
    with superuser(_engine(demo_uow)) as db:
        _rewrite_reversed(db, "DEMO-PBL-1")
        set_event(db, "DEMO-PBL-1", 2, hash="0" * 64)
    report = _same(demo_uow, ["DEMO-PBL-1", "DEMO-KDR-1"])
    assert report.cases == 2 and {b.case_id for b in report.breaks} == {"DEMO-PBL-1"}


@pytest.mark.postgres
def test_a_duplicate_seq_is_named_as_in_order(pg_engine: Engine) -> None:
    from cases.demo import load_demo

    uow = UnitOfWork(pg_engine)
    load_demo(uow)
    with superuser(pg_engine) as db:
        db.execute(text("ALTER TABLE case_events DROP CONSTRAINT case_events_pkey"))
        row = _rows(db, "DEMO-PSR-1")[1]
        db.execute(insert(EVENTS).values(**row))
    report = _same(uow)
    assert [(b.case_id, b.seq) for b in report.breaks][:1] == [("DEMO-PSR-1", 2)]


# --- the scan alone, over links in memory --------------------------------------------------


def _chain(case_id: str, length: int) -> list[EventLink]:
    links: list[EventLink] = []
    prev = GENESIS_HASH
    for seq in range(1, length + 1):
        body = canonical_json({"case_id": case_id, "seq": seq})
        digest = hash_bytes(prev, body)
        links.append((case_id.encode(), seq, prev.encode(), digest.encode(), body, None))
        prev = digest
    return links


def _scan(links: list[EventLink]) -> _LinkScan:
    scan = _LinkScan()
    scan.run([links[start : start + 7] for start in range(0, len(links), 7)])
    return scan


def test_interleaved_and_reversed_chains_hold_only_the_rows_ahead() -> None:
    first, second, third = _chain("A", 30), _chain("B", 30), _chain("C", 5)
    interleaved = [link for pair in zip(first, second, strict=True) for link in pair]
    scan = _scan(interleaved + list(reversed(third)))
    assert not scan.suspects and not scan.waiting
    assert {k: v[0] for k, v in scan.heads.items()} == {b"A": 30, b"B": 30, b"C": 5}
    assert scan.heads[b"A"][1] == first[-1][3]


def test_a_missing_predecessor_or_a_repeated_seq_makes_the_case_suspect() -> None:
    gap = _chain("A", 6)
    del gap[2]
    repeated = _chain("B", 4)
    repeated.append(repeated[1])
    intact = _chain("C", 3)
    scan = _scan(list(reversed(gap)) + repeated + intact)
    assert scan.suspects == {b"A", b"B"} and not scan.waiting
    assert set(scan.heads) == {b"C"}


def test_a_case_with_rows_stored_ahead_goes_on_in_the_fast_loop() -> None:
    """Where the table put a case's later rows into free space of earlier pages, the rows in
    between still continue the case in the fast loop (no slow step per row), and the rows
    that were ahead join the chain when it reaches them, the case's last row included."""
    a, b = _chain("A", 10), _chain("B", 3)
    order = [a[4], a[9], *a[:4], *a[5:9], b[2], b[0], b[1]]
    scan = _LinkScan()
    slow_steps = 0
    arrived = scan._arrived

    def counted(*args: Any) -> bool:
        nonlocal slow_steps
        slow_steps += 1
        return arrived(*args)

    scan._arrived = counted  # type: ignore[method-assign]
    scan.run([order])
    assert not scan.suspects and not scan.waiting
    assert scan.heads == {b"A": (10, a[-1][3]), b"B": (3, b[-1][3])}
    assert slow_steps <= 6  # the rows ahead, the first row after each, B's first row


def test_a_seq_repeated_after_its_row_came_ahead_makes_the_case_suspect() -> None:
    a = _chain("A", 6)
    repeated = [a[3], a[0], a[1], a[2], a[3], a[4], a[5]]  # seq 4 stored ahead, then again
    tail_repeated = [a[5], *a]  # the last row ahead of all, then all of them
    scan = _scan(repeated)
    assert scan.suspects == {b"A"} and not scan.heads and not scan.waiting
    scan = _scan(tail_repeated)
    assert scan.suspects == {b"A"} and not scan.heads and not scan.waiting


def test_projection_heads_are_read_as_stored(demo_uow: UnitOfWork) -> None:
    """The fast reader of the projection heads gives what the ORM reads, a head_hash of
    another length included, and the check names both altered heads."""
    with superuser(_engine(demo_uow)) as db:
        db.execute(update(CaseRow).where(CaseRow.id == "DEMO-KDR-1").values(head_hash="abc"))
        db.execute(update(CaseRow).where(CaseRow.id == "DEMO-PBL-1").values(head_hash="f" * 64))
        stored = [
            (row.id, row.version, row.head_hash)
            for row in db.execute(select(CaseRow).order_by(CaseRow.id))
        ]
    with demo_uow:
        store = AuditStore(demo_uow.session)
        assert list(store.case_heads()) == stored
        assert list(store.case_heads(["DEMO-PBL-1"])) == [s for s in stored if s[0] == "DEMO-PBL-1"]
    report = _same(demo_uow)
    assert {b.case_id for b in report.breaks} == {"DEMO-KDR-1", "DEMO-PBL-1"}


def _raw_scan_as_parsed(uow: UnitOfWork) -> _LinkScan:
    """The scan of the raw COPY messages, after checking that it decides as the scan of the
    parsed links does (heads, rows still waiting, suspects)."""
    with uow:
        store = AuditStore(uow.session)
        messages = store.link_messages()
        assert messages is not None
        raw, parsed = _LinkScan(), _LinkScan()
        raw.run_messages(messages, store.encoding)
        parsed.run(store.event_links())
    assert (raw.heads, raw.waiting, raw.suspects) == (parsed.heads, parsed.waiting, parsed.suspects)
    return raw


@pytest.mark.postgres
def test_raw_messages_and_parsed_links_give_one_scan(pg_engine: Engine) -> None:
    """The hot loop over raw COPY messages decides as the loop over parsed links does, on
    rows of every layout (reversed, without a body, with links of another length)."""
    from cases.demo import load_demo

    uow = UnitOfWork(pg_engine)
    load_demo(uow)
    with superuser(pg_engine) as db:
        _rewrite_reversed(db, "DEMO-PBL-1")
        db.execute(update(CaseEventRow).where(CaseEventRow.seq % 3 == 0).values(body=None))
        set_event(db, "DEMO-KDR-1", 2, prev_hash="e" * 63)
        set_event(db, "DEMO-SKB-1", 3, hash="abc")
    raw = _raw_scan_as_parsed(uow)
    assert raw.suspects == {b"DEMO-KDR-1", b"DEMO-SKB-1"}


def test_the_fast_loop_resumes_its_case_after_a_row_stored_ahead() -> None:
    """A row of another case stored ahead of its predecessor, in the middle of a case, waits;
    the case read before it goes on in the fast loop (no slow step for its next row)."""
    a, b = _chain("A", 10), _chain("B", 3)
    scan = _LinkScan()
    placed = 0
    place = scan._placed

    def counted(*args: Any) -> tuple[bytes | None, int, bytes]:
        nonlocal placed
        placed += 1
        return place(*args)

    scan._placed = counted  # type: ignore[method-assign]
    scan.run([[*a[:5], b[2], *a[5:], b[0], b[1]]])
    assert not scan.suspects and not scan.waiting
    assert scan.heads == {b"A": (10, a[-1][3]), b"B": (3, b[-1][3])}
    assert placed == 3  # A's first row, B's row ahead, B's first row


@pytest.mark.postgres
def test_case_ids_of_every_width_are_read_as_stored(pg_engine: Engine) -> None:
    """The hot loop reads the case id at the width of the case it is in: rows of cases whose
    ids are shorter, longer (one the current id's prefix) or far shorter than a whole regular
    row with that width are interleaved, one of them altered; the raw messages decide as the
    parsed links do, and the report is the ordered walk's."""
    from cases.demo import load_demo

    uow = UnitOfWork(pg_engine)
    load_demo(uow)
    copies = ("DEMO-PSR-10", "X", "C" * 32)  # 11 bytes (DEMO-PSR-1's prefix), 1 and 32
    with superuser(pg_engine) as db:
        rows = _rows(db, "DEMO-PSR-1")
        for row in rows:
            for case_id in copies:
                db.execute(insert(EVENTS).values(**{**row, "case_id": case_id}))
        for case_id in copies:
            db.execute(
                insert(CaseRow.__table__).from_select(
                    [c.name for c in CaseRow.__table__.columns],
                    select(
                        *(
                            text(f"'{case_id}'") if c.name == "id" else c
                            for c in CaseRow.__table__.columns
                        )
                    ).where(CaseRow.id == "DEMO-PSR-1"),
                )
            )
        set_event(db, "X", 2, body=b"")
        set_event(db, "C" * 32, 3, prev_hash="e" * 64)
    raw = _raw_scan_as_parsed(uow)
    assert raw.suspects == {b"X", b"C" * 32}
    assert b"DEMO-PSR-10" in raw.heads and b"DEMO-PSR-1" in raw.heads
    report = _same(uow)
    assert {(b.case_id, b.seq) for b in report.breaks} == {("C" * 32, 3), ("X", 2)}


@pytest.mark.postgres
def test_heads_read_in_table_order_are_named_in_id_order(pg_engine: Engine) -> None:
    """The projection heads are compared as the table holds them (no sort); when one does not
    match, the breaks are named in id order all the same, as the ordered walk names them."""
    from cases.demo import load_demo

    uow = UnitOfWork(pg_engine)
    load_demo(uow)
    with superuser(pg_engine) as db:
        for case_id in ("DEMO-PBL-1", "DEMO-KDR-1"):
            db.execute(update(CaseRow).where(CaseRow.id == case_id).values(head_hash="f" * 64))
        db.execute(text("CREATE INDEX cases_id_descending ON cases (id DESC)"))
        db.execute(text("CLUSTER cases USING cases_id_descending"))  # stored last id first
        db.execute(text("DROP INDEX cases_id_descending"))
    with uow:
        stored = [head[0] for head in AuditStore(uow.session).case_heads(ordered=False)]
    assert stored.index("DEMO-PBL-1") < stored.index("DEMO-KDR-1")
    report = verify_chains(uow, "auditor")
    assert [b.case_id for b in report.breaks] == ["DEMO-KDR-1", "DEMO-PBL-1"]
    assert [str(b) for b in report.breaks] == [str(b) for b in _same(uow).breaks]
