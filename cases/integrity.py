"""Integrity checks for auditors: every case's hash chain, and chain heads vs. the projection."""

from __future__ import annotations

from collections.abc import Sequence

from cases.access import acting, require_role
from db.unit_of_work import UnitOfWork
from rules.models import Role
from states.case import Case
from states.integrity import ChainBreak, ChainReport, compare_heads, verify_stream

AUDIT_ROLES = (Role.AUDITOR, Role.ADMIN, Role.BKN, Role.SYSTEM)


def verify_chains(
    uow: UnitOfWork, officer_id: str, case_ids: Sequence[str] | None = None
) -> ChainReport:
    """Recompute every hash; report each break by case and seq (nothing is written)."""
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, *AUDIT_ROLES)
        report = verify_stream(uow.events.stream(case_ids))
        heads = uow.cases.heads()
        if case_ids is not None:
            wanted = set(case_ids)
            heads = (head for head in heads if head[0] in wanted)
        report.breaks.extend(compare_heads(report, heads))
    return report




def projection_matches_replay(uow: UnitOfWork, case_id: str) -> list[ChainBreak]:
    """The stored projection must equal the fold of the case's events."""
    with uow:
        stored = uow.cases.get(case_id)
        rebuilt = Case.replay(case_id, uow.events.load(case_id))
    if stored.to_dict() != rebuilt.to_dict():
        return [ChainBreak(case_id, stored.version, "proyeksi berbeda dari hasil replay")]
    return []
