"""Issues the letters a lifecycle step calls for, in the step's transaction."""

from __future__ import annotations

from datetime import datetime

from db.registry import Officer
from db.unit_of_work import UnitOfWork
from states.case import Case
from states.events import Actor, PendingEvent, RecordedEvent


def issue_letters(
    uow: UnitOfWork,
    case: Case,
    step: RecordedEvent,
    actor: Actor,
    officer: Officer | None,
    now: datetime,
) -> list[PendingEvent]:
    """One `letter_issued` event per letter the step names (`step.payload['letters']`)."""
    return []
