"""A letter's legal basis: the laws it cites in full (Mengingat) and the step it acts on.

Everything comes from the case's rule-set, so a letter cites the law in force when the case
was decided, not the law of today.
"""

from __future__ import annotations

from typing import Any

from letters.catalog import LetterKind
from rules.ruleset import RuleSet
from states.case import Case


def _mengingat(spec: LetterKind, case: Case, rule_set: RuleSet) -> list[str]:
    """The laws a letter cites in full, from the case's rule-set (the law in force then)."""
    law = rule_set.law
    asn, skb = law("uu_asn"), law("skb_2022")
    if case.election_type == "pemilu":
        election, bawaslu_rules = law("uu_pemilu"), law("perbawaslu_pemilu")
    else:
        election, bawaslu_rules = law("uu_pilkada"), law("perbawaslu_pilkada")
    category = None
    if case.sanction_code:
        category = rule_set.sanction(case.sanction_code).category
    elif case.recommended_category:
        category = case.recommended_category
    if spec.sender == "bawaslu":
        return [election, asn, bawaslu_rules, skb]
    if spec.kind in ("eskalasi_ppk", "teguran_ppk"):
        return [asn, law("pp_94_2021"), law("perban_bkn_1_2023"), skb]
    if spec.sender == "bkn":
        return [asn, law("pp_42_2004"), law("pp_94_2021"), skb]
    if category == "moral":
        return [asn, law("pp_42_2004"), skb]
    discipline = [law("pp_94_2021"), law("perban_bkn_6_2022"), law("pp_79_2021"), skb]
    if category == "pemberhentian_tidak_hormat":
        return [asn, law("pp_11_2017"), *discipline]
    return [asn, *discipline]


def _step_trigger(spec: LetterKind, case: Case, rule_set: RuleSet) -> str | None:
    if spec.kind == "surat_panggilan":
        return "second_summons" if len(case.summons) >= 2 else "summon"
    candidates = [
        t.trigger
        for t in rule_set.lifecycle.transitions
        if spec.kind in t.letters and t.dest == case.state
    ]
    taken = [trigger for trigger in candidates if trigger in case.steps]
    chosen = taken or candidates
    return chosen[0] if chosen else None


def legal_basis(spec: LetterKind, case: Case, rule_set: RuleSet) -> dict[str, Any]:
    """What `build_context` puts under `legal`: the laws, the step's citation, the body."""
    trigger = _step_trigger(spec, case, rule_set)
    step = next((t for t in rule_set.transitions(trigger)), None) if trigger else None
    body = rule_set.legal.recommending_body
    sanction = rule_set.sanction(case.sanction_code) if case.sanction_code else None
    return {
        "skb": rule_set.law("skb_2022"),
        "mengingat": _mengingat(spec, case, rule_set),
        "step_trigger": trigger,
        "step_citation": step.citation_for(case.election_type).text if step else None,
        "titles": [
            {"full": law.text, "short": law.short} for _, law in sorted(rule_set.legal.laws.items())
        ],
        "rule_set": rule_set.version,
        "source": spec.source,
        "body": {
            "code": body.code,
            "name": body.name,
            "short_name": body.short_name,
            "head_title": body.head_title,
        },
        "siasn_blocking": rule_set.law("perban_bkn_1_2023"),
        "party_dismissal": rule_set.legal.party_dismissal.text,
        "objection_notice": (
            rule_set.legal.objection_notices[sanction.objection].text
            if sanction and sanction.objection in rule_set.legal.objection_notices
            else None
        ),
    }
