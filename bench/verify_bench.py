"""Benchmark: chain verification speed (events/s) on PostgreSQL over N valid chained events.

Loads N events (cases of `per_case` events each, realistic payloads) into a fresh schema with
COPY, then times `cases.integrity.verify_chains` (fetch + recompute every hash + compare the
heads with the projection) and the client's CPU time for it. Reference: raw `hashlib.sha256`
over the same canonical bytes (the floor Python cannot beat), and the fetch alone (the links
and stored bodies the check reads).

    python -m bench.verify_bench [n_events] [per_case]
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from cases.identity.accounts import SERVICE_ACCOUNT, SYSTEM_INSTITUTION
from cases.integrity import verify_chains
from db.audit_store import AuditStore
from db.engine import make_engine, normalise_url
from db.migrate import upgrade
from db.unit_of_work import UnitOfWork
from states.canonical import GENESIS_HASH, canonical_json, utc_iso

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
START = datetime(2024, 9, 1, 2, 0, tzinfo=UTC)


def _payload(case_no: int, seq: int) -> dict[str, Any]:
    if seq == 1:
        return {
            "channel": "laporan",
            "election_type": "pilkada",
            "region_code": "35.71",
            "summary": f"Terlapor {case_no} mengunggah dukungan pasangan calon.",
            "violation_codes": ["NET-05"],
            "state": "received",
            "terlapor": {"nip": "199001012015031002", "name": f"ASN {case_no}"},
            "reporter": {"name": "Warga", "address": "Jalan Dhoho 1, Kediri"},
        }
    if seq % 3 == 0:
        return {
            "state": "registered",
            "owner": "bawaslu",
            "due_on": "2024-11-21",
            "due_at": "2024-11-21T16:59:59Z",
            "remind_at": "2024-11-19T17:00:00Z",
            "citation": "UU 7/2017 Pasal 454 ayat (6)",
            "period": {"days": 7, "day_type": "calendar"},
        }
    return {
        "trigger": "note",
        "from": "registered",
        "to": "registered",
        "terminal": False,
        "letters": [],
        "data": {
            "text": f"Catatan pemeriksaan nomor {seq}",
            "registration_number": f"{seq:03d}/Reg/LP/PW/11/2024",
        },
    }


def generate(
    n_events: int, per_case: int
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[bytes]]:
    """Event rows, projection rows, and the canonical bytes each hash covers."""
    events: list[tuple[Any, ...]] = []
    cases: list[tuple[Any, ...]] = []
    hashed: list[bytes] = []
    n_cases = max(1, n_events // per_case)
    actor = {"institution": "BAWASLU-3571", "role": "bawaslu", "user_id": "bawaslu.kediri"}
    for case_no in range(n_cases):
        case_id = f"B{case_no:08d}"
        prev = GENESIS_HASH
        for seq in range(1, per_case + 1):
            at = START + timedelta(minutes=case_no + seq)
            payload = _payload(case_no, seq)
            body = {
                "case_id": case_id,
                "seq": seq,
                "event_type": "note_added",
                "actor": actor,
                "occurred_at": utc_iso(at),
                "recorded_at": utc_iso(at),
                "payload": payload,
                "rule_set": "2024.1",
            }
            encoded = canonical_json(body)
            data = prev.encode("ascii") + encoded
            digest = hashlib.sha256(data).hexdigest()
            hashed.append(data)
            events.append(
                (
                    case_id,
                    seq,
                    "note_added",
                    actor["user_id"],
                    actor["role"],
                    actor["institution"],
                    at,
                    at,
                    json.dumps(payload),
                    "2024.1",
                    prev,
                    digest,
                    encoded,
                )
            )
            prev = digest
        cases.append(
            (
                case_id,
                per_case,
                "registered",
                "2024.1",
                prev,
                "laporan",
                "pilkada",
                "35.71",
                "BAWASLU-3571",
                "bawaslu.kediri",
                "199001012015031002",
                f"ASN {case_no}",
                "[]",
                False,
                True,
                START,
                START,
                "{}",
            )
        )
    return events, cases, hashed


def _schema() -> tuple[str, str]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    url = make_url(normalise_url(PG_URL)).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def _drop(schema: str) -> None:
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def run(n_events: int = 1_000_000, per_case: int = 20, keep: bool = False) -> dict[str, Any]:
    url, schema = _schema()
    engine = make_engine(url)
    try:
        upgrade(engine)
        began = time.perf_counter()
        events, cases, hashed = generate(n_events, per_case)
        generated = time.perf_counter() - began
        began = time.perf_counter()
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            with cursor.copy(  # type: ignore[attr-defined]
                "COPY case_events (case_id, seq, event_type, actor_id, actor_role, "
                "actor_institution, occurred_at, recorded_at, payload, rule_set, prev_hash, "
                "hash, body) FROM STDIN"
            ) as copy:
                for row in events:
                    copy.write_row(row)
            with cursor.copy(  # type: ignore[attr-defined]
                "COPY cases (id, version, state, rule_set, head_hash, channel, election_type, "
                "region_code, bawaslu_office, assignee, terlapor_nip, terlapor_name, "
                "violation_codes, deadline_missed, is_open, opened_at, updated_at, snapshot) "
                "FROM STDIN"
            ) as copy:
                for row in cases:
                    copy.write_row(row)
            raw.commit()
            cursor.execute("ANALYZE case_events")
            raw.commit()
        finally:
            raw.close()
        loaded = time.perf_counter() - began
        del events, cases
        uow = UnitOfWork(engine)
        with uow:  # the service account verifies (registered as `netra init` would)
            uow.registry.add_institution(SYSTEM_INSTITUTION)
            uow.registry.add_officer(SERVICE_ACCOUNT)
            uow.commit()
        began = time.perf_counter()
        with uow:  # what the check reads: links and stored bodies, in physical order
            messages = AuditStore(uow.session).link_messages()
            assert messages is not None
            fetched = sum(len(batch) for batch in messages)
        fetch_only = time.perf_counter() - began
        began, cpu = time.perf_counter(), time.thread_time()
        report = verify_chains(uow, "system")
        verified, verified_cpu = time.perf_counter() - began, time.thread_time() - cpu
        began = time.perf_counter()
        for data in hashed:
            hashlib.sha256(data).hexdigest()
        reference = time.perf_counter() - began
        assert report.ok and report.events == n_events // per_case * per_case == fetched
        return {
            "events": report.events,
            "cases": report.cases,
            "generate_s": round(generated, 2),
            "copy_load_s": round(loaded, 2),
            "fetch_only_events_per_s": round(fetched / fetch_only),
            "verify_s": round(verified, 2),
            "verify_events_per_s": round(report.events / verified),
            "verify_client_cpu_us_per_event": round(verified_cpu / report.events * 1e6, 3),
            "raw_sha256_events_per_s": round(len(hashed) / reference),
        }
    finally:
        engine.dispose()
        if not keep:
            _drop(schema)


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    per = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    print(json.dumps(run(size, per), indent=2))
