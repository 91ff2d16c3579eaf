"""Before or after penetapan calon, derived from the election schedule when a case opens.

The officer's own statement is used only where no known election covers the incident's day;
an officer who disagrees with the schedule records an override with a reason
(`cases.intake.overrides.override_determination`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rules.elections import Determination, load_elections
from rules.errors import InvalidInput
from rules.models import ElectionType
from rules.regions import timezone_for
from rules.ruleset import RuleSet

if TYPE_CHECKING:
    from cases.commands import NewCase


def determination_for(
    rule_set: RuleSet, election: ElectionType | str, region_code: str, incident: datetime
) -> Determination | None:
    """The schedule's answer for an incident (its local date in the region), if any."""
    local_day = incident.astimezone(timezone_for(region_code)).date()
    return load_elections(rule_set.version).determination(election, region_code, local_day)


def after_determination_at_opening(
    new: NewCase, rule_set: RuleSet, election: ElectionType, incident: datetime
) -> bool:
    """The schedule decides; a stated "after" that the schedule contradicts is refused (it
    needs an override with a reason), so no case is classified by an unexplained flag."""
    found = determination_for(rule_set, election, new.region_code, incident)
    if found is None:
        return bool(new.after_determination)
    if new.after_determination and not found.after:
        raise InvalidInput(
            f"Menurut jadwal {found.election} ({found.citation}), penetapan calon di wilayah "
            f"{new.region_code} pada {found.determined_on.isoformat()}: kejadian terjadi "
            "sebelumnya. Untuk menyatakan sesudah penetapan, catat koreksi dengan alasan."
        )
    return found.after
