"""Before or after penetapan calon, derived from the election schedule when a case opens.

A case whose act falls on or after the day candidates were determined is a discipline matter
without any flag; an officer who disagrees with the schedule records an override with a
reason (`cases.intake.overrides.override_determination`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rules.elections import Determination, load_elections
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
    """After penetapan calon when the schedule says so, whatever the (default) flag; where no
    known election covers the day, the officer's statement. An explicit "after" for a day the
    schedule puts before penetapan is kept as stated (a reasoned correction is
    `override_determination`, and the import asks for the reason)."""
    found = determination_for(rule_set, election, new.region_code, incident)
    if found is None:
        return bool(new.after_determination)
    return found.after or bool(new.after_determination)
