"""Shared benchmark plumbing: the bench database, throw-away schemas, the lifecycle script a
client walks, bulk cloning of valid cases with COPY, and small statistics helpers.

Every workload runs in its own schema of the database at `NETRA_BENCH_DATABASE_URL`
(default 127.0.0.1:5432, database `test`), migrated by Netra's own Alembic migrations and
dropped at the end.
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from cases.commands import NewCase, Reporter, Terlapor, advance, open_case
from cases.demo import load_demo
from db.case_repository import projection_columns
from db.engine import make_engine, normalise_url
from db.migrate import upgrade
from db.unit_of_work import UnitOfWork
from states.canonical import canonical_json
from states.case import Case
from states.events import RecordedEvent

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
WIB = ZoneInfo("Asia/Jakarta")

BAWASLU = "bawaslu.probolinggo"
BKN = "bkn.analis"
PPK = "bkpsdm.probolinggo"


def bench_url() -> str:
    """The PostgreSQL the benchmarks use (NETRA_BENCH_DATABASE_URL)."""
    return normalise_url(os.environ.get("NETRA_BENCH_DATABASE_URL", DEFAULT_URL))


def at(text_: str) -> datetime:
    return datetime.fromisoformat(text_).replace(tzinfo=WIB)


# --- schemas ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchSchema:
    """A migrated schema: its name, a URL whose search_path points at it, and libpq words."""

    name: str
    url: str

    def engine(self, clients: int = 1) -> Engine:
        return make_engine(self.url, pool_size=max(clients, 1), max_overflow=4)

    def libpq(self) -> str:
        """A libpq connection string (for pgbench) with the same search_path."""
        url = make_url(self.url)
        parts = [
            f"host={url.host or '127.0.0.1'}",
            f"port={url.port or 5432}",
            f"dbname={url.database}",
            f"user={url.username or 'postgres'}",
            f"options=-csearch_path={self.name}",
        ]
        if url.password:
            parts.append(f"password={url.password}")
        return " ".join(parts)


@contextmanager
def bench_schema(prefix: str = "bench", migrate: bool = True) -> Iterator[BenchSchema]:
    """A fresh schema in the bench database, migrated, dropped on exit."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(bench_url())
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    url = make_url(bench_url()).update_query_dict({"options": f"-csearch_path={name}"})
    schema = BenchSchema(name, url.render_as_string(hide_password=False))
    try:
        if migrate:
            engine = make_engine(schema.url)
            upgrade(engine)
            engine.dispose()
        yield schema
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        admin.dispose()


def server_facts(url: str | None = None) -> dict[str, Any]:
    """PostgreSQL version and the settings that decide commit cost."""
    engine = create_engine(url or bench_url())
    with engine.connect() as connection:
        version = connection.execute(text("SHOW server_version")).scalar_one()
        facts = {"server_version": version}
        for name in ("fsync", "synchronous_commit", "shared_buffers", "max_connections"):
            facts[name] = connection.execute(text(f"SHOW {name}")).scalar_one()
    engine.dispose()
    return facts


# --- the lifecycle a client walks (the demo's Probolinggo path: a kode-etik matter heard by
# the Majelis Kode Etik, 11 steps since issue 17; it was 12 with the PP 94/2021 summons) -----


@dataclass(frozen=True)
class Step:
    """One command of the lifecycle: who takes it, the trigger, its data and its instant."""

    officer: str
    trigger: str
    when: str
    data: dict[str, Any]

    @property
    def now(self) -> datetime:
        return at(self.when)


LIFECYCLE: tuple[Step, ...] = (
    Step(BAWASLU, "register", "2024-08-30T14:00", {"registration_number": "030/Reg/LP/PW/08/2024"}),
    Step(
        BAWASLU,
        "invite_clarification",
        "2024-08-30T15:00",
        {"clarification_at": "2024-08-31T10:00", "clarification_place": "Kantor Bawaslu"},
    ),
    Step(
        BAWASLU,
        "assess",
        "2024-08-31T15:00",
        {"clarification_summary": "Pelapor, terlapor dan dua saksi telah diklarifikasi."},
    ),
    Step(
        BAWASLU,
        "recommend",
        "2024-09-01T16:00",
        {
            "findings": "Terlapor terbukti memasang alat peraga bakal calon.",
            "recommendation_number": "031/PP.01.02/K.JI-14/09/2024",
        },
    ),
    Step(BKN, "bkn_accept", "2024-09-03T09:00", {}),
    Step(
        BKN,
        "bkn_recommend",
        "2024-09-06T10:00",
        {
            "sanction_category": "moral",
            "ppk_institution": "PEMDA-3513",
            "bkn_letter_number": "B-1975/KP.10/09/2024",
        },
    ),
    Step(
        PPK,
        "convene_ethics_council",
        "2024-09-09T09:00",
        {
            "council_decree_number": "800.1.6.4/101/426.32/2024",
            "hearing_at": "2024-09-20T09:00",
            "hearing_place": "Ruang rapat BKPSDM Kabupaten Probolinggo",
            "council_members": ["Nur Aini Probolinggo", "Yusuf Hamdani", "Lina Marlina"],
        },
    ),
    Step(
        PPK,
        "decide_ethics",
        "2024-09-24T10:00",
        {
            "attended": True,
            "findings": "Terlapor mengakui memasang baliho.",
            "sanction_code": "moral_terbuka",
            "decree_number": "800.1.6.4/112/426.32/2024",
            "decree_date": "2024-09-24",
        },
    ),
    Step(PPK, "deliver_decree", "2024-09-26T10:00", {"delivered_at": "2024-09-26T09:30"}),
    Step(PPK, "execute_sanction", "2024-09-30T10:00", {"executed_at": "2024-09-30T08:00"}),
    Step(
        PPK, "report_follow_up", "2024-10-02T10:00", {"report_number": "800.1.6.4/130/426.32/2024"}
    ),
)
OPENED_AT = "2024-08-30T09:00"
STEP_BY_STATE_INDEX = {step.trigger: i for i, step in enumerate(LIFECYCLE)}


def new_case() -> NewCase:
    """The Probolinggo laporan (fictional), valid at OPENED_AT."""
    return NewCase(
        channel="laporan",
        election_type="pilkada",
        region_code="35.13",
        received_at=at(OPENED_AT),
        known_at=at("2024-08-29T07:00"),
        incident_at=at("2024-08-28T16:00"),
        incident_place="Pertigaan Jalan Raya Kraksaan",
        summary="Terlapor memasang baliho bakal calon bupati di depan rumahnya.",
        violation_codes=["NET-01"],
        after_determination=False,
        terlapor=Terlapor(
            nip="198503122010031003",
            name="Slamet Riyadi",
            position="Staf Dinas Pekerjaan Umum",
            unit="Bidang Bina Marga",
            agency="Pemerintah Kabupaten Probolinggo",
            rank="Penata (III/c)",
        ),
        reporter=Reporter("Siti Maemunah", "Desa Sumberlele, Kraksaan", "081298765432"),
    )


def seed(uow: UnitOfWork) -> None:
    """Institutions and officers (and the five demo cases) through the public services."""
    load_demo(uow)


def open_cases(uow: UnitOfWork, ids: Sequence[str]) -> None:
    for case_id in ids:
        open_case(uow, BAWASLU, new_case(), at(OPENED_AT), case_id=case_id)


def walk(uow: UnitOfWork, case_id: str, steps: Sequence[Step] = LIFECYCLE) -> Case:
    """Open one case and take `steps` through the services; returns the final Case."""
    open_cases(uow, [case_id])
    case: Case | None = None
    for step in steps:
        case = advance(uow, step.officer, case_id, step.trigger, step.data, step.now)
    assert case is not None or not steps
    if case is None:
        with uow:
            case = uow.cases.get(case_id)
    return case


# --- bulk cloning with COPY ------------------------------------------------------------------

_EVENT_COLUMNS = (
    "case_id, seq, event_type, actor_id, actor_role, actor_institution, occurred_at, "
    "recorded_at, payload, rule_set, prev_hash, hash, actor_operator, clock, body"
)


@dataclass
class Template:
    """A real case (made through the services) whose events and projection get cloned."""

    case_id: str
    events: list[RecordedEvent]
    case: Case

    @classmethod
    def make(cls, uow: UnitOfWork, case_id: str, steps: Sequence[Step]) -> Template:
        case = walk(uow, case_id, steps)
        with uow:
            events = uow.events.load(case_id)
        return cls(case_id, events, case)


def clone(engine: Engine, template: Template, ids: Sequence[str]) -> int:
    """Write valid copies of `template` under `ids` (re-chained hashes) with COPY.

    The template's id is replaced textually in the canonical body, the payloads and the
    snapshot, so every copy verifies and replays like the original. Returns events written.
    """
    tpl = template.case_id
    bodies = [canonical_json(e.body()).decode() for e in template.events]
    payloads = [json.dumps(e.payload, ensure_ascii=False) for e in template.events]
    fixed = [
        (
            e.seq,
            e.event_type,
            e.actor.user_id,
            e.actor.role.value,
            e.actor.institution,
            e.occurred_at.isoformat(),
            e.recorded_at.isoformat(),
            e.rule_set,
            e.actor.operator,
            e.clock,
        )
        for e in template.events
    ]
    columns = projection_columns(template.case)
    snapshot_text = json.dumps(columns.pop("snapshot"), ensure_ascii=False)
    case_columns = list(columns)
    case_values = [_copy_value(columns[name]) for name in case_columns]
    head_index = case_columns.index("head_hash")
    written = 0
    raw = engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        with driver.cursor() as cursor:
            with cursor.copy(f"COPY case_events ({_EVENT_COLUMNS}) FROM STDIN") as copy:
                heads: list[str] = []
                for case_id in ids:
                    prev = "0" * 64
                    for (
                        seq,
                        etype,
                        actor,
                        role,
                        inst,
                        occ,
                        rec,
                        rs,
                        op,
                        clk,
                    ), body, payload in zip(fixed, bodies, payloads, strict=True):
                        stored = body.replace(tpl, case_id).encode()
                        digest = hashlib.sha256(prev.encode() + stored).hexdigest()
                        copy.write_row(
                            (
                                case_id,
                                seq,
                                etype,
                                actor,
                                role,
                                inst,
                                occ,
                                rec,
                                payload.replace(tpl, case_id),
                                rs,
                                prev,
                                digest,
                                op,
                                clk,
                                stored,
                            )
                        )
                        prev = digest
                        written += 1
                    heads.append(prev)
            names = ", ".join(["id", *case_columns, "snapshot"])
            with cursor.copy(f"COPY cases ({names}) FROM STDIN") as copy:
                for case_id, head in zip(ids, heads, strict=True):
                    values = list(case_values)
                    values[head_index] = head
                    snapshot = snapshot_text.replace(tpl, case_id).replace(
                        template.case.head_hash, head
                    )
                    copy.write_row((case_id, *values, snapshot))
        driver.commit()
    finally:
        raw.close()
    with engine.begin() as connection:
        connection.execute(text("ANALYZE case_events"))
        connection.execute(text("ANALYZE cases"))
        connection.execute(text("ANALYZE case_search"))
    return written


def _copy_value(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


# --- statistics ------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def latency_summary(seconds: Sequence[float]) -> dict[str, float]:
    """p50/p99/mean in milliseconds."""
    if not seconds:
        return {"p50_ms": float("nan"), "p99_ms": float("nan"), "mean_ms": float("nan")}
    return {
        "p50_ms": round(percentile(seconds, 50) * 1000, 3),
        "p99_ms": round(percentile(seconds, 99) * 1000, 3),
        "mean_ms": round(statistics.fmean(seconds) * 1000, 3),
    }


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def short_id(prefix: str, n: int) -> str:
    return f"{prefix}{n:08d}"
