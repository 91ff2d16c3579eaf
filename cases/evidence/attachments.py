"""The evidence a letter lists under "Lampiran", derived from the case's recorded events up to
the letter's seq (so re-rendering the letter later gives the same list)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from db.unit_of_work import UnitOfWork
from rules.models import Role
from states import events as ev
from states.events import RecordedEvent


def letter_attachments(
    events: Iterable[RecordedEvent], up_to_seq: int | None = None, include_internal: bool = False
) -> list[dict[str, Any]]:
    """Evidence attached and not withdrawn by `up_to_seq`, in order: number, description,
    file name, media type, size and SHA-256. Internal evidence only when `include_internal`
    (a letter addressed within Bawaslu)."""
    attached: dict[int, dict[str, Any]] = {}
    for event in events:
        if up_to_seq is not None and event.seq > up_to_seq:
            break
        p = event.payload
        if event.event_type == ev.EVIDENCE_ADDED and (include_internal or not p["internal"]):
            attached[int(p["number"])] = {
                "label": p["evidence"],
                "description": p["description"],
                "file_name": p["file_name"],
                "media_type": p["media_type"],
                "size": p["size"],
                "sha256": p["sha256"],
            }
        elif event.event_type == ev.EVIDENCE_WITHDRAWN:
            attached.pop(int(p["number"]), None)
    return [attached[n] for n in sorted(attached)]


def attachments_for_case(
    uow: UnitOfWork, case_id: str, up_to_seq: int | None = None, recipient: Role | None = None
) -> list[dict[str, Any]]:
    """The Lampiran of a letter on `case_id` issued at `up_to_seq`, inside the caller's open
    transaction; internal evidence only when the recipient is Bawaslu."""
    events = uow.events.load(case_id, until_seq=up_to_seq)
    return letter_attachments(events, up_to_seq, include_internal=recipient is Role.BAWASLU)
