"""Paper acts entered late: a step's `effective_at` within rules, marked "dicatat terlambat".

The event's `recorded_at` is always the server clock; `effective_at` (the event's
`occurred_at`) may be set by the officer only: not in the future, not before the step it
follows, and at most `late_entry_max_days` back (rules/data/input_limits.yaml).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from cases.fields import parse_instant
from rules.errors import InvalidInput
from rules.input_limits import input_limits
from rules.regions import timezone_for
from states import events as ev
from states.canonical import parse_utc, utc_iso
from states.case import Case
from states.events import PendingEvent

ENTERED_LATE = "entered_late"
SAME_MOMENT = timedelta(minutes=1)


def effective_instant(raw: Any, case: Case, now: datetime) -> datetime | None:
    """The validated effective time of a late-entered step, or None for a step done now."""
    if raw in (None, ""):
        return None
    effective = parse_instant(raw, timezone_for(case.region_code), "effective_at")
    if effective > now:
        raise InvalidInput("Waktu pelaksanaan (effective_at) tidak boleh di masa depan")
    if case.updated_at and effective < parse_utc(case.updated_at):
        raise InvalidInput(
            f"Waktu pelaksanaan tidak boleh sebelum langkah sebelumnya ({case.updated_at})"
        )
    limit = input_limits().recording.late_entry_max_days
    if now - effective > timedelta(days=limit):
        raise InvalidInput(
            f"Waktu pelaksanaan paling lama {limit} hari sebelum pencatatan (batas layanan "
            "yang ditetapkan administrator)"
        )
    if now - effective < SAME_MOMENT:
        return None
    return effective


def mark_entered_late(
    pending: list[PendingEvent], effective: datetime, now: datetime
) -> list[PendingEvent]:
    """Mark the step's own events "dicatat terlambat" with both instants."""
    note = {"effective_at": utc_iso(effective), "recorded_at": utc_iso(now)}
    return [
        event
        if event.event_type in ev.OVERLAY_EVENTS
        else replace(event, payload={**event.payload, ENTERED_LATE: note})
        for event in pending
    ]
