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
