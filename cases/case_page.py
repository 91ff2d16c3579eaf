"""What the case page shows, read in one transaction that sees one snapshot of the database.

The page used to ask seven services, each in a transaction of its own: on PostgreSQL
(READ COMMITTED) a step another officer committed between two of them showed the case at
one version with the timeline, the steps offered, the letters of another. Here the acting
officer and the case are read once, and the same inner functions those services wrap
(`cases.queries`, `cases.step_forms`, `cases.letters`, `cases.evidence.service`) apply the
same authorization and redaction to what one REPEATABLE READ, READ ONLY transaction sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cases.access import acting, subject_of
from cases.evidence.service import EvidenceItem, case_evidence, may_add_to
from cases.letters import LetterSummary, case_letters
from cases.policy import Action
from cases.queries import actions_permitted, case_timeline, readable_case
from cases.step_forms import StepForm, steps_open_to
from db.unit_of_work import UnitOfWork
from states.case import Case
from states.events import RecordedEvent

PAGE_ACTIONS = (Action.NOTE, Action.REASSIGN)  # the forms the page offers besides the steps


@dataclass(frozen=True)
class CasePageView:
    """The case page's data as one officer may see it, all as of one snapshot."""

    case: Case  # reporter identity removed outside Bawaslu
    permitted: frozenset[Action]  # which of PAGE_ACTIONS the officer may take
    timeline: list[RecordedEvent]  # redacted as `queries.timeline` redacts it
    steps: list[StepForm]
    letters: list[LetterSummary]
    evidence: list[EvidenceItem]  # internal evidence only within Bawaslu
    may_add_evidence: bool


def case_page(uow: UnitOfWork, officer_id: str, case_id: str, now: datetime) -> CasePageView:
    """The case page's data for this officer, in one read-only transaction; refused (or not
    found) exactly as `queries.get_case` refuses it."""
    with uow:
        uow.read_one_snapshot()
        actor, _ = acting(uow, officer_id)
        stored = uow.cases.get(case_id)
        subject = subject_of(uow, actor)
        case = readable_case(subject, stored)
        return CasePageView(
            case=case,
            permitted=actions_permitted(actor, case, *PAGE_ACTIONS),
            timeline=case_timeline(uow, subject, stored),
            steps=steps_open_to(uow, subject, case, now),
            letters=case_letters(uow, subject, stored),
            evidence=case_evidence(uow, subject, stored),
            may_add_evidence=may_add_to(actor, stored),
        )
