"""Folding is copy-on-write: a copy shares its original's containers, and folding the copy
never changes the original; snapshots decode and encode to the same JSON as before."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest

from rules.models import Role
from states import events as ev
from states.canonical import GENESIS_HASH
from states.case import Case, Deadline
from states.events import Actor, PendingEvent, RecordedEvent, chain_events

ACTOR = Actor("bkpsdm.kediri", Role.PPK, "PEMDA-3571")
T0 = datetime(2024, 10, 3, 2, 0, tzinfo=UTC)

_OPENED = {
    "state": "received",
    "channel": "laporan",
    "election_type": "pilkada",
    "region_code": "35.71",
    "bawaslu_office": "BAWASLU-3571",
    "after_determination": False,
    "received_at": "2024-10-02T02:00:00Z",
    "known_at": "2024-10-01T02:00:00Z",
    "incident_at": "2024-09-30T02:00:00Z",
    "incident_place": "Kelurahan Bandar",
    "summary": "Unggahan di grup pemenangan.",
    "violation_codes": ["NET-05"],
    "terlapor": {"nip": "199001012015031002", "name": "Budi"},
    "reporter": {"name": "Warga", "address": "Jalan Dhoho 1"},
    "assignee": "bawaslu.kediri",
}


def _deadline_set(state: str, due_on: str) -> dict[str, Any]:
    return {
        "state": state,
        "owner": "ppk",
        "action": "memeriksa",
        "anchor_on": "2024-10-03",
        "period": {"days": 14, "day_type": "working"},
        "due_on": due_on,
        "due_at": f"{due_on}T17:00:00Z",
        "remind_at": "2024-10-20T17:00:00Z",
        "max_due_on": "2024-11-30",
        "citation": "PP 94/2021",
        "basis": "law",
    }


def _moved(due_on: str) -> dict[str, Any]:
    return {"due_on": due_on, "due_at": f"{due_on}T17:00:00Z", "remind_at": None}


def _step(trigger: str, to: str, data: dict[str, Any], terminal: bool = False) -> dict[str, Any]:
    return {"trigger": trigger, "from": "x", "to": to, "terminal": terminal, "data": data}


# every handler of the fold, in an order a case could see them
_PENDING: list[tuple[str, dict[str, Any]]] = [
    (ev.CASE_OPENED, _OPENED),
    (ev.DEADLINE_SET, _deadline_set("received", "2024-10-24")),
    ("registered", _step("register", "registered", {"registration_number": "1/Reg"})),
    (ev.DEADLINE_MET, {"state": "received", "due_on": "2024-10-24", "late": False}),
    (ev.DEADLINE_SET, _deadline_set("examination", "2024-10-25")),
    (
        "summoned",
        _step("summon", "summoned", {"examination_at": "2024-10-10T02:00:00Z", "team": ["A"]}),
    ),
    (
        "summoned_again",
        _step("second_summons", "summoned", {"examination_at": "2024-10-17T02:00:00Z"}),
    ),
    (
        "recommended",
        _step(
            "bkn_recommend",
            "recommended",
            {
                "sanction_category": "disiplin_berat",
                "ppk_institution": "PEMDA-3571",
                "violation_codes": ["NET-05", "NET-06"],
                "examination_team": ["Tim 1", "Tim 2"],
            },
        ),
    ),
    (ev.DEADLINE_REMINDED, {"state": "examination", "due_on": "2024-10-25", "owner": "ppk"}),
    (ev.DEADLINE_EXTENDED, {**_moved("2024-11-01"), "previous_due_on": "2024-10-25"}),
    (ev.CLOCK_STOPPED, {"reason": "libur"}),
    (ev.CLOCK_RESUMED, {**_moved("2024-11-05"), "remaining_working_days": 3}),
    (ev.DEADLINE_RECOMPUTED, {**_moved("2024-11-06"), "reason": "kalender"}),
    (ev.DEADLINE_MISSED, {"state": "examination", "due_on": "2024-11-06", "owner": "ppk"}),
    (ev.ESCALATED, {"kind": "blokir_siasn", "to": "bkn", "state": "x", "citation": "c"}),
    ("escalated_ppk", _step("escalate_ppk", "escalated", {})),
    (ev.SIASN_BLOCK_LIFTED, {"by_step": "impose_sanction", "citation": "c"}),
    (ev.LETTER_ISSUED, {"letter_id": "L-1", "kind": "undangan", "number": "1/2024"}),
    (ev.LETTER_RECORDED, {"letter_id": "L-2", "kind": "sk", "number": "2/2024"}),
    (ev.LETTER_WITHDRAWN, {"letter_id": "L-1", "status": "withdrawn"}),
    (ev.NOTE_ADDED, {"text": "catatan"}),
    (ev.REASSIGNED, {"assignee": "bawaslu.kediri.2"}),
    (ev.EVIDENCE_ADDED, {"evidence_id": "E-1"}),
    (ev.DETERMINATION_OVERRIDDEN, {"after_determination": True}),
    (ev.RULE_SET_MIGRATED, {"from": "2024.1", "to": "2025.1"}),
    (
        "sanction_imposed",
        _step("impose_sanction", "sanction_imposed", {"sanction_code": "berat_pdhtaps"}),
    ),
    ("closed", _step("deliver_decree", "sanction_final", {}, terminal=True)),
]


def _events() -> list[RecordedEvent]:
    pending = [
        PendingEvent(kind, ACTOR, T0 + timedelta(hours=n), payload)
        for n, (kind, payload) in enumerate(_PENDING)
    ]
    return chain_events("T-1", 1, GENESIS_HASH, pending, T0, "2024.1")


def test_folding_a_copy_never_changes_the_original_for_any_event() -> None:
    events = _events()
    case = Case("T-1")
    for event in events:
        before = case.to_dict()
        folded = case.copy()
        folded.apply(event)
        assert case.to_dict() == before, event.event_type
        case = folded
    assert case.to_dict() == Case.replay("T-1", events).to_dict()
    assert case.letters[0]["status"] == "withdrawn" and "status" not in case.letters[1]
    assert case.deadline is None and case.outcome == "sanction_final"


def test_a_copy_shares_containers_until_an_event_puts_new_ones_on_it() -> None:
    events = _events()
    case = Case.replay("T-1", events[:6])
    containers = {name: getattr(case, name) for name in ("steps", "summons", "letters")}
    lengths = {name: len(value) for name, value in containers.items()}
    clone = case.copy()
    assert clone == case and clone.steps is case.steps
    for event in events[6:]:
        clone.apply(event)
    for name, value in containers.items():
        assert getattr(case, name) is value and len(value) == lengths[name], name
        assert getattr(clone, name) is not value, name
    assert case.version == 6 and clone.version == len(events)


def test_a_deadline_is_changed_only_by_putting_a_new_one_on_the_case() -> None:
    case = Case.replay("T-1", _events()[:2])
    assert case.deadline is not None
    with pytest.raises(FrozenInstanceError):
        case.deadline.missed = True  # type: ignore[misc]


@pytest.mark.parametrize("length", [1, 2, 8, 14, len(_PENDING)])
def test_the_snapshot_is_the_json_of_to_dict_and_decodes_to_an_equal_case(length: int) -> None:
    case = Case.replay("T-1", _events()[:length])
    snapshot = case.snapshot()
    assert orjson.dumps(snapshot) == orjson.dumps(case.to_dict())
    assert snapshot == case.to_dict()
    assert Case.from_dict(orjson.loads(orjson.dumps(snapshot))) == case
    assert Case.from_dict(snapshot) == case


def test_an_older_snapshot_gets_the_defaults_and_an_unknown_field_is_refused() -> None:
    case = Case.replay("T-1", _events()[:5])
    older = case.to_dict()
    del older["examination_team"], older["siasn_blocked"]
    del older["deadline"]["basis"]
    decoded = Case.from_dict(older)
    assert decoded.examination_team == [] and decoded.siasn_blocked is False
    assert decoded.deadline is not None and decoded.deadline.basis == "law"
    assert decoded.to_dict() == {
        **case.to_dict(),
        "examination_team": [],
        "siasn_blocked": False,
    }
    with pytest.raises(TypeError):
        Case.from_dict({**case.to_dict(), "unknown": 1})


def test_a_decoded_deadline_equals_the_constructed_one() -> None:
    deadline = Case.replay("T-1", _events()[:2]).deadline
    assert deadline is not None
    assert Deadline.from_dict(deadline.to_dict()) == deadline
    assert Deadline(**deadline.to_dict()) == deadline
