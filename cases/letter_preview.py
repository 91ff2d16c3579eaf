"""Preview of the letters a step would issue: rendered as drafts, nothing written.

`preview_step_letters(uow, officer_id, case_id, trigger, data, now)` runs the same checks as
taking the step (the officer may act, the step is allowed, its data are valid, its guards
pass), folds the step into a copy of the case and renders each letter the step would issue,
with the number shown as `…/…/…` and a "DRAFT" watermark. It takes no number from the
register, records no event and stores no letter: the transaction is never committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cases.access import acting, require_act
from cases.calendar import calendar_for
from cases.commands import chain_and_fold
from cases.fields import normalise_step_data
from cases.letter_issuing import prepare_step_letters
from cases.letters import letter_logos
from db.unit_of_work import UnitOfWork
from letters.pdf import letter_pdf, with_overlays
from rules.errors import InvalidInput
from rules.models import Role
from rules.regions import timezone_for
from rules.ruleset import load_rule_set
from states import events as ev
from states.machine import lifecycle_for


@dataclass(frozen=True)
class PreviewLetter:
    """One draft letter: what the step would issue, never numbered or stored."""

    letter_id: str
    kind: str
    recipient: str
    template_name: str | None
    html: str | None  # with the DRAFT watermark; None for a letter recorded from outside
    external_number: str | None  # the number of a letter issued outside Netra, if so
    logos: dict[str, tuple[str, bytes]]
    context: dict[str, Any] | None

    def pdf(self) -> bytes:
        """The draft as a PDF (watermarked, number `…/…/…`, no QR, no context attached)."""
        if self.html is None:
            raise InvalidInput(f"Surat {self.letter_id} diterbitkan di luar Netra: tidak ada draf")
        return letter_pdf(self.html, None, logos=self.logos)


def preview_step_letters(
    uow: UnitOfWork,
    officer_id: str,
    case_id: str,
    trigger: str,
    data: dict[str, Any],
    now: datetime,
) -> list[PreviewLetter]:
    """The letters `advance(uow, officer_id, case_id, trigger, data, now)` would issue."""
    with uow:
        actor, _ = acting(uow, officer_id)
        case = uow.cases.get(case_id)
        rule_set = load_rule_set(case.rule_set)
        lifecycle = lifecycle_for(case.rule_set)
        lifecycle.check_step(case, trigger, actor)
        if actor.role is not Role.SYSTEM:
            require_act(actor, case)
        clean = normalise_step_data(data, rule_set, timezone_for(case.region_code))
        if trigger == "bkn_recommend" and "ppk_institution" in clean:
            institution = uow.registry.institution(clean["ppk_institution"])
            if institution.kind != "ppk":
                raise InvalidInput(f"Instansi '{institution.code}' bukan PPK")
        pending = lifecycle.decide(
            case, trigger, clean, actor, now, calendar_for(uow, case.region_code)
        )
        updated, recorded = chain_and_fold(case, pending, now, case.rule_set)
        step = next(e for e in recorded if e.event_type not in ev.OVERLAY_EVENTS)
        drafts = prepare_step_letters(uow, updated, step, now)
        previews = []
        for draft in drafts:
            prepared = draft.prepared
            previews.append(
                PreviewLetter(
                    letter_id=draft.letter_id,
                    kind=draft.kind,
                    recipient=draft.recipient,
                    template_name=prepared.template_name if prepared else None,
                    html=with_overlays(prepared.html, draft=True) if prepared else None,
                    external_number=draft.external_number,
                    logos=letter_logos(uow, prepared.context) if prepared else {},
                    context=prepared.context if prepared else None,
                )
            )
        uow.rollback()
    return previews
