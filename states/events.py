"""Event types and the two shapes of an event: pending (decided) and recorded (stored, chained)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from rules.roles import Role
from states.canonical import (
    canonical_json,
    chain_hash,
    hash_bytes,
    parse_utc,
    reject_floats,
    utc_iso,
)

CASE_OPENED = "case_opened"
DEADLINE_SET = "deadline_set"
DEADLINE_MET = "deadline_met"
DEADLINE_EXTENDED = "deadline_extended"
DEADLINE_RECOMPUTED = "deadline_recomputed"
DEADLINE_REMINDED = "deadline_reminded"
DEADLINE_MISSED = "deadline_missed"
CLOCK_STOPPED = "clock_stopped"
CLOCK_RESUMED = "clock_resumed"
ESCALATED = "escalated"
NOTE_ADDED = "note_added"
REASSIGNED = "reassigned"
LETTER_ISSUED = "letter_issued"
LETTER_RECORDED = "letter_recorded"  # a letter issued outside Netra, with its own number
LETTER_WITHDRAWN = "letter_withdrawn"  # superseded by a ralat, or revoked
RULE_SET_MIGRATED = "rule_set_migrated"
SIASN_BLOCK_LIFTED = "siasn_block_lifted"  # the PPK followed up: the SIASN block ends
# intake and evidence (issue 13)
EVIDENCE_ADDED = "evidence_added"
EVIDENCE_WITHDRAWN = "evidence_withdrawn"
DUPLICATE_LINKED = "duplicate_linked"
DETERMINATION_OVERRIDDEN = "determination_overridden"

# Events that are not lifecycle transitions; every other event type is a transition's event.
OVERLAY_EVENTS = frozenset(
    {
        CASE_OPENED,
        DEADLINE_SET,
        DEADLINE_MET,
        DEADLINE_EXTENDED,
        DEADLINE_RECOMPUTED,
        DEADLINE_REMINDED,
        DEADLINE_MISSED,
        CLOCK_STOPPED,
        CLOCK_RESUMED,
        ESCALATED,
        NOTE_ADDED,
        REASSIGNED,
        LETTER_ISSUED,
        LETTER_RECORDED,
        LETTER_WITHDRAWN,
        RULE_SET_MIGRATED,
        SIASN_BLOCK_LIFTED,
        EVIDENCE_ADDED,
        EVIDENCE_WITHDRAWN,
        DUPLICATE_LINKED,
        DETERMINATION_OVERRIDDEN,
    }
)


@dataclass(frozen=True)
class Actor:
    """Who did it: officer id, role and institution code (the sweep's service account too).

    `operator` names the administrator who entered the act on the officer's behalf from the
    server's command line ("operator X acting for officer Y"); it is hashed with the event
    only when present, so events without one keep the original chain definition.
    """

    user_id: str
    role: Role
    institution: str
    operator: str | None = None

    def to_dict(self) -> dict[str, str]:
        data = {"user_id": self.user_id, "role": self.role.value, "institution": self.institution}
        if self.operator:
            data["operator"] = self.operator
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Actor:
        return cls(
            data["user_id"], Role(data["role"]), data["institution"], data.get("operator") or None
        )


# The registered service account the deadline sweep and the Prefect flows act as.
SYSTEM_ACTOR = Actor("system", Role.SYSTEM, "netra")

# Marker on events recorded under a fixed clock (tests, the demo, what-if), never in production.
FIXED_CLOCK = "fixed"


@dataclass(frozen=True)
class PendingEvent:
    """An event the domain decided on, not yet numbered, timestamped by the store or chained."""

    event_type: str
    actor: Actor
    occurred_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RecordedEvent:
    """An event as stored: numbered within its case and linked to its predecessor by hash."""

    case_id: str
    seq: int
    event_type: str
    actor: Actor
    occurred_at: datetime
    recorded_at: datetime
    payload: dict[str, Any]
    rule_set: str
    prev_hash: str
    hash: str
    clock: str | None = None  # FIXED_CLOCK when recorded under a fixed clock
    # canonical_json(body()) as hashed when the event was chained (stored with it), or None
    canonical: bytes | None = field(default=None, compare=False, repr=False)

    @property
    def occurred_text(self) -> str:
        """`occurred_at` as the body holds it (UTC ISO-8601 with a `Z`); kept when chained."""
        text: str | None = self.__dict__.get("_occurred_text")
        return utc_iso(self.occurred_at) if text is None else text

    def body(self) -> dict[str, Any]:
        """What the hash covers: everything but the hashes themselves."""
        return event_body(
            self.case_id,
            self.seq,
            self.event_type,
            self.actor,
            self.occurred_at,
            self.recorded_at,
            self.payload,
            self.rule_set,
            self.clock,
        )

    def expected_hash(self) -> str:
        return chain_hash(self.prev_hash, self.body())

    def to_dict(self) -> dict[str, Any]:
        return {**self.body(), "prev_hash": self.prev_hash, "hash": self.hash}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RecordedEvent:
        return cls(
            case_id=data["case_id"],
            seq=int(data["seq"]),
            event_type=data["event_type"],
            actor=Actor.from_dict(data["actor"]),
            occurred_at=parse_utc(data["occurred_at"]),
            recorded_at=parse_utc(data["recorded_at"]),
            payload=data["payload"],
            rule_set=data["rule_set"],
            prev_hash=data["prev_hash"],
            hash=data["hash"],
            clock=data.get("clock"),
        )


def event_body(
    case_id: str,
    seq: int,
    event_type: str,
    actor: Actor,
    occurred_at: datetime,
    recorded_at: datetime,
    payload: dict[str, Any],
    rule_set: str,
    clock: str | None = None,
) -> dict[str, Any]:
    return _body(
        case_id,
        seq,
        event_type,
        actor.to_dict(),
        utc_iso(occurred_at),
        utc_iso(recorded_at),
        payload,
        rule_set,
        clock,
    )


def _body(
    case_id: str,
    seq: int,
    event_type: str,
    actor: dict[str, str],
    occurred_at: str,
    recorded_at: str,
    payload: dict[str, Any],
    rule_set: str,
    clock: str | None,
) -> dict[str, Any]:
    """What the hash covers, with the actor and the instants already in their JSON form."""
    body = {
        "case_id": case_id,
        "seq": seq,
        "event_type": event_type,
        "actor": actor,
        "occurred_at": occurred_at,
        "recorded_at": recorded_at,
        "payload": payload,
        "rule_set": rule_set,
    }
    if clock:
        body["clock"] = clock
    return body


def record(
    case_id: str,
    seq: int,
    pending: PendingEvent,
    recorded_at: datetime,
    rule_set: str,
    prev_hash: str,
    clock: str | None = None,
) -> RecordedEvent:
    """Number, timestamp and chain one pending event (instants are kept in UTC)."""
    return chain_events(case_id, seq, prev_hash, [pending], recorded_at, rule_set, clock)[0]


def chain_events(
    case_id: str,
    first_seq: int,
    prev_hash: str,
    pending: Sequence[PendingEvent],
    recorded_at: datetime,
    rule_set: str,
    clock: str | None = None,
) -> list[RecordedEvent]:
    """Number, timestamp and chain `pending` from `first_seq` after `prev_hash`.

    Each event is exactly what `record` makes of it, one after the other; the instants of a
    batch (one recorded_at, usually one occurred_at) are converted and formatted once.
    """
    recorded_utc = recorded_at.astimezone(UTC)
    recorded_text = utc_iso(recorded_utc)
    source: datetime | None = None
    occurred_utc, occurred_text = recorded_utc, recorded_text
    actor: Actor | None = None
    actor_body: dict[str, str] = {}
    # the canonical-JSON float rule over everything hashed: the batch's header here, each
    # payload and actor below; seq counts on from an int
    reject_floats((case_id, first_seq, rule_set, clock))
    chained: list[RecordedEvent] = []
    for seq, item in enumerate(pending, start=first_seq):
        if item.occurred_at is not source:
            source = item.occurred_at
            if source == recorded_at and source.tzinfo is not None:  # the same instant
                occurred_utc, occurred_text = recorded_utc, recorded_text
            else:
                occurred_utc = source.astimezone(UTC)
                occurred_text = utc_iso(occurred_utc)
        if item.actor is not actor:
            actor = item.actor
            actor_body = actor.to_dict()
            reject_floats(actor_body)
        reject_floats((item.payload, item.event_type))
        body = _body(
            case_id,
            seq,
            item.event_type,
            actor_body,
            occurred_text,
            recorded_text,
            item.payload,
            rule_set,
            clock,
        )
        encoded = canonical_json(body, check_floats=False)
        event = RecordedEvent.__new__(RecordedEvent)  # frozen: fill it without __setattr__
        event.__dict__.update(
            case_id=case_id,
            seq=seq,
            event_type=item.event_type,
            actor=actor,
            occurred_at=occurred_utc,
            recorded_at=recorded_utc,
            payload=item.payload,
            rule_set=rule_set,
            prev_hash=prev_hash,
            hash=hash_bytes(prev_hash, encoded),
            clock=clock,
            canonical=encoded,
            _occurred_text=occurred_text,  # what `occurred_text` gives, known already
        )
        chained.append(event)
        prev_hash = event.hash
    return chained
