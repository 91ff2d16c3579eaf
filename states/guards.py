"""The guard registry: the guards and branch selectors the rule files name, by name.

`rules/data/*/lifecycle.yaml` refers to a step's guards and its `when` selector by name; the
state machine and the availability dry-run look them up here. A guard raises with the
reason it refuses; a selector returns a bool. Adding a guard means adding it here.
"""

from __future__ import annotations

from states.guards_bawaslu import (
    clarification_notice,
    recommending_body_acts,
    violations_known,
    within_filing_window,
)
from states.guards_bkn import category_known, category_matches_violations
from states.guards_objections import (
    banding_applies,
    bpasn_decision_date_valid,
    delivery_not_before_decree,
    keberatan_applies,
    objection_impossible,
    objection_in_time,
    objection_outcome_valid,
    objection_possible,
)
from states.guards_ppk import (
    discipline_path,
    discipline_sanction_only,
    ethics_path,
    ethics_sanction_only,
    examination_recordable,
    examination_team_for_berat,
    examination_team_when_ordered,
    hearing_held,
    hearing_in_future,
    party_entry_for_ptdh,
    sanction_known,
    sanction_matches_recommendation,
    second_summons_allowed,
    summons_notice,
)
from states.step_context import Guard, Selector

GUARDS: dict[str, Guard] = {
    fn.__name__: fn
    for fn in (
        within_filing_window,
        clarification_notice,
        violations_known,
        category_known,
        category_matches_violations,
        summons_notice,
        second_summons_allowed,
        examination_recordable,
        sanction_known,
        sanction_matches_recommendation,
        examination_team_for_berat,
        recommending_body_acts,
        discipline_path,
        ethics_path,
        hearing_in_future,
        hearing_held,
        ethics_sanction_only,
        discipline_sanction_only,
        examination_team_when_ordered,
        party_entry_for_ptdh,
        keberatan_applies,
        banding_applies,
        bpasn_decision_date_valid,
        delivery_not_before_decree,
        objection_in_time,
        objection_outcome_valid,
    )
}

SELECTORS: dict[str, Selector] = {
    fn.__name__: fn for fn in (objection_possible, objection_impossible)
}
