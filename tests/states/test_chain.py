"""Canonical JSON and the hash chain: any edit, deletion or reordering is detected."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from rules.models import Role
from states.canonical import GENESIS_HASH, canonical_json, chain_hash
from states.events import Actor, PendingEvent, RecordedEvent, record
from states.integrity import verify_stream

ACTOR = Actor("bawaslu.kediri", Role.BAWASLU, "BAWASLU-3571")
T0 = datetime(2024, 10, 3, 2, 0, tzinfo=UTC)


def _chain(case_id: str, n: int) -> list[RecordedEvent]:
    events: list[RecordedEvent] = []
    prev = GENESIS_HASH
    for seq in range(1, n + 1):
        event = record(
            case_id,
            seq,
            PendingEvent("note_added", ACTOR, T0, {"text": f"n{seq}"}),
            T0,
            "2024.1",
            prev,
        )
        events.append(event)
        prev = event.hash
    return events


def test_canonical_json_sorts_keys_uses_utc_and_refuses_floats() -> None:
    assert canonical_json({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()
    assert canonical_json({"t": T0}) == b'{"t":"2024-10-03T02:00:00Z"}'
    with pytest.raises(TypeError, match="floats"):
        canonical_json({"x": 0.5})


def test_hash_is_sha256_of_previous_hash_and_canonical_body() -> None:
    import hashlib

    body = {"seq": 1}
    expected = hashlib.sha256(GENESIS_HASH.encode() + b'{"seq":1}').hexdigest()
    assert chain_hash(GENESIS_HASH, body) == expected


def test_an_intact_chain_verifies() -> None:
    report = verify_stream(_chain("A", 5) + _chain("B", 3))
    assert report.ok and report.cases == 2 and report.events == 8


def test_editing_a_payload_is_detected_at_that_seq() -> None:
    events = _chain("A", 5)
    events[2] = replace(events[2], payload={"text": "diubah"})
    breaks = verify_stream(events).breaks
    assert [(b.case_id, b.seq) for b in breaks] == [("A", 3)]


def test_deleting_an_event_is_detected() -> None:
    events = _chain("A", 5)
    del events[1]
    breaks = verify_stream(events).breaks
    assert breaks and breaks[0].seq == 3 and "urutan" in breaks[0].problem


def test_reordering_two_events_is_detected() -> None:
    events = _chain("A", 5)
    events[1], events[2] = events[2], events[1]
    assert not verify_stream(events).ok


def test_recorded_events_round_trip_through_dicts() -> None:
    event = _chain("A", 1)[0]
    assert RecordedEvent.from_dict(event.to_dict()) == event


def test_fast_canonical_json_equals_the_standard_library_definition() -> None:
    from states.canonical import reference_canonical_json

    samples = [chr(code) for code in range(0x250)] + ["\u2028", "\ue000", "😀", "\x7f"]
    for char in samples:
        value = {
            "k" + char: char,
            "list": [char, 1, True, None, {"z": char * 3}],
            "big": -(2**62),
            "t": T0,
        }
        assert canonical_json(value) == reference_canonical_json(value), repr(char)


def _reference_hash(event: RecordedEvent) -> str:
    """The documented definition with the standard library alone: json and hashlib."""
    import hashlib
    import json

    body = {
        "case_id": event.case_id,
        "seq": event.seq,
        "event_type": event.event_type,
        "actor": {
            "user_id": event.actor.user_id,
            "role": event.actor.role.value,
            "institution": event.actor.institution,
            **({"operator": event.actor.operator} if event.actor.operator else {}),
        },
        "occurred_at": event.occurred_at.strftime("%Y-%m-%dT%H:%M:%S")
        + (f".{event.occurred_at.microsecond:06d}" if event.occurred_at.microsecond else "")
        + "Z",
        "recorded_at": event.recorded_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "payload": event.payload,
        "rule_set": event.rule_set,
        **({"clock": event.clock} if event.clock else {}),
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(event.prev_hash.encode() + text.encode()).hexdigest()


def test_a_chained_batch_equals_recording_each_event_and_the_reference_definition() -> None:
    from zoneinfo import ZoneInfo

    from states.canonical import reference_canonical_json
    from states.events import chain_events

    wib = ZoneInfo("Asia/Jakarta")
    step_at = datetime(2024, 10, 3, 9, 30, 15, 250, tzinfo=wib)
    operator = Actor("admin", Role.ADMIN, "NETRA", operator="root")
    pending = [
        PendingEvent("deadline_met", ACTOR, step_at, {"state": "a", "late": False}),
        PendingEvent("registered", operator, step_at, {"data": {"n": "1/é"}, "letters": []}),
        PendingEvent("deadline_set", ACTOR, step_at, {"due_on": "2024-10-10", "days": 14}),
        PendingEvent("note_added", ACTOR, T0, {"text": "later instant, same batch"}),
    ]
    recorded_at = datetime(2024, 10, 3, 10, 0, tzinfo=wib)
    batch = chain_events("A", 4, "f" * 64, pending, recorded_at, "2024.1", "fixed")
    one_by_one: list[RecordedEvent] = []
    prev = "f" * 64
    for seq, item in enumerate(pending, start=4):
        one_by_one.append(record("A", seq, item, recorded_at, "2024.1", prev, "fixed"))
        prev = one_by_one[-1].hash
    assert batch == one_by_one
    assert [e.canonical for e in batch] == [e.canonical for e in one_by_one]
    for event in batch:
        assert event.canonical == reference_canonical_json(event.body())
        assert event.hash == event.expected_hash() == _reference_hash(event)
        assert event.occurred_at.tzinfo is UTC and event.recorded_at.tzinfo is UTC
    assert [e.seq for e in batch] == [4, 5, 6, 7]
    assert [e.prev_hash for e in batch[1:]] == [e.hash for e in batch[:-1]]


@pytest.mark.parametrize(
    ("payload", "seq", "actor"),
    [
        ({"data": {"amount": [1, 2.5]}}, 1, ACTOR),
        ({"nan": float("nan")}, 1, ACTOR),
        ({"text": "ok"}, 1.0, ACTOR),
        ({"text": "ok"}, 1, Actor("x", Role.BKN, 0.5)),  # type: ignore[arg-type]
    ],
)
def test_a_float_anywhere_in_what_is_hashed_is_refused(
    payload: dict[str, object], seq: int, actor: Actor
) -> None:
    with pytest.raises(TypeError, match="float"):
        record("A", seq, PendingEvent("note_added", actor, T0, payload), T0, "2024.1", "0" * 64)


class _Money(float):
    """A float subclass (as numpy's float64 is)."""


class _Record(dict[str, object]):
    """A dict subclass."""


@pytest.mark.parametrize(
    "value",
    [
        1.5,
        {"a": {"b": [1, (2, 3.0)]}},
        [{"x": _Money(2)}],
        _Record(amount=0.1),
        {"deep": [[[[{"n": float("inf")}]]]]},
    ],
)
def test_the_float_check_finds_a_float_at_any_depth(value: object) -> None:
    from states.canonical import reject_floats

    with pytest.raises(TypeError, match="floats"):
        reject_floats(value)


def test_the_float_check_lets_every_other_json_value_through() -> None:
    from states.canonical import reject_floats

    reject_floats(
        {"s": "x", "i": -(2**62), "b": True, "n": None, "l": [1, ("a", {"t": T0})], "r": _Record()}
    )
