"""Random commands by random actors through the service layer (hypothesis state machine).

After every command, whatever its outcome: a refused command wrote nothing; each case's
version equals its number of events; the projection equals the replay of its events; no
recorded time runs backwards within a chain; and the chain verifies.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from cases.commands import add_note, advance, reassign
from cases.demo import load_demo
from cases.identity.clock import allow_fixed_clock
from db.engine import make_engine
from db.migrate import upgrade
from db.unit_of_work import UnitOfWork
from rules.errors import NetraError
from states.case import Case

WIB = ZoneInfo("Asia/Jakarta")
ACTORS = (
    "bawaslu.pasuruan",
    "bawaslu.kediri",
    "bawaslu.sukabumi",
    "bkn.analis",
    "bkpsdm.kediri",
    "bkpsdm.sukabumi",
    "auditor",
    "system",
    "admin",
)
CASES = ("DEMO-PSR-1", "DEMO-KDR-1", "DEMO-SKB-1", "DEMO-PBL-1")
TRIGGERS = (
    "assess",
    "recommend",
    "dismiss",
    "summon",
    "second_summons",
    "record_examination",
    "escalate_ppk",
    "lapse_objection_window",
    "execute_sanction",
    "report_follow_up",
)
DATA = st.fixed_dictionaries(
    {},
    optional={
        "clarification_summary": st.sampled_from(["Telah diklarifikasi", ""]),
        "findings": st.text(max_size=20),
        "recommendation_number": st.just("1"),
        "reason": st.sampled_from(["Tidak terbukti", "\x00", "x" * 25000]),
        "examination_at": st.sampled_from(["2024-12-20T09:00", "bukan tanggal"]),
        "examination_place": st.just("Kantor BKPSDM"),
    },
)


class ServiceMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.uow: UnitOfWork
        self.now = datetime(2024, 12, 1, 9, 0, tzinfo=WIB)

    @initialize()
    def demo(self) -> None:
        engine = make_engine("sqlite://")  # in memory, one connection per engine pool
        upgrade(engine)
        allow_fixed_clock(UnitOfWork(engine))
        self.uow = UnitOfWork(engine)
        load_demo(self.uow)

    def _versions(self) -> dict[str, int]:
        with self.uow:
            return {case_id: self.uow.cases.get(case_id).version for case_id in CASES}

    def _attempt(self, command: object) -> None:
        before = self._versions()
        try:
            assert callable(command)
            command()
        except NetraError:
            assert self._versions() == before, "a refused command wrote something"
        self.now += timedelta(hours=3)

    @rule(
        actor=st.sampled_from(ACTORS),
        case_id=st.sampled_from(CASES),
        trigger=st.sampled_from(TRIGGERS),
        data=DATA,
    )
    def take_a_step(self, actor: str, case_id: str, trigger: str, data: dict[str, str]) -> None:
        self._attempt(lambda: advance(self.uow, actor, case_id, trigger, data, self.now))

    @rule(actor=st.sampled_from(ACTORS), case_id=st.sampled_from(CASES), text=st.text(max_size=30))
    def add_a_note(self, actor: str, case_id: str, text: str) -> None:
        self._attempt(lambda: add_note(self.uow, actor, case_id, text, self.now))

    @rule(
        actor=st.sampled_from(ACTORS),
        case_id=st.sampled_from(CASES),
        assignee=st.sampled_from(ACTORS),
    )
    def reassign_a_case(self, actor: str, case_id: str, assignee: str) -> None:
        self._attempt(lambda: reassign(self.uow, actor, case_id, assignee, self.now))

    @invariant()
    def projection_is_the_replay_and_chains_hold(self) -> None:
        with self.uow:
            for case_id in CASES:
                stored = self.uow.cases.get(case_id)
                events = self.uow.events.load(case_id)
                assert stored.version == len(events)
                assert Case.replay(case_id, events).to_dict() == stored.to_dict()
                previous = None
                prev_hash = "0" * 64
                for event in events:
                    assert event.prev_hash == prev_hash and event.expected_hash() == event.hash
                    prev_hash = event.hash
                    if previous is not None:
                        assert event.recorded_at >= previous
                    previous = event.recorded_at


TestServiceMachine = ServiceMachine.TestCase
TestServiceMachine.settings = settings(
    max_examples=15,
    stateful_step_count=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
