"""The case facts a letter states: the terlapor, the violations, the sanction, earlier letters.

What `build_context` puts under `case` and `refs`, and the letter's title. The reporter is in
the facts only for letters to the reporter (and never once redacted).
"""

from __future__ import annotations

from typing import Any

from letters.catalog import KINDS, LetterKind
from letters.formatting import local_instant
from rules.models import annex_citation
from rules.ruleset import RuleSet
from states.case import Case
from states.guards_bkn import proposed_category


def letter_title(spec: LetterKind, case: Case) -> str:
    """The title a letter is headed with; a summons says which call it is."""
    if spec.kind == "surat_panggilan":
        return f"Panggilan {'II' if len(case.summons) >= 2 else 'I'}"
    return spec.title


def _election_label(case: Case, zone: str) -> str:
    year = local_instant(case.incident_at, zone).year
    if case.election_type == "pemilu":
        return f"Pemilihan Umum Tahun {year}"
    return (
        "Pemilihan Gubernur dan Wakil Gubernur, Bupati dan Wakil Bupati, serta Wali Kota dan "
        f"Wakil Wali Kota Tahun {year}"
    )


def _violations(case: Case, rule_set: RuleSet) -> list[dict[str, Any]]:
    """The case's violations as letters cite them: by annex row and article, never by code."""
    items = []
    for code in case.violation_codes:
        violation = rule_set.violation(code)
        stage = violation.stage(case.after_determination)
        category = (
            rule_set.categories[stage.sanction_category]
            if stage and stage.sanction_category
            else None
        )
        items.append(
            {
                "annex": (
                    annex_citation(stage.annex_row)
                    if stage and stage.annex_row
                    else "tidak tercantum sebagai butir tersendiri dalam Lampiran SKB 2022"
                ),
                "title": violation.title,
                "description": violation.description,
                "matter": stage.matter.value if stage else None,
                "matter_label": (
                    None
                    if stage is None
                    else "pelanggaran kode etik"
                    if stage.matter.value == "etik"
                    else "pelanggaran disiplin"
                ),
                "category": stage.sanction_category if stage else None,
                "level_open": bool(stage and stage.sanction_category is None),
                "category_name": category.name if category else None,
                "citation": stage.citation if stage else None,
            }
        )
    return items


def case_facts(case: Case, rule_set: RuleSet, zone: str, show_reporter: bool) -> dict[str, Any]:
    """The case facts a letter may state; the reporter only in letters to the reporter."""
    reporter = case.reporter if show_reporter and case.reporter else None
    if reporter and reporter.get("redacted"):
        reporter = None
    terlapor = case.terlapor
    sanction = rule_set.sanction(case.sanction_code) if case.sanction_code else None
    category = rule_set.categories[case.recommended_category] if case.recommended_category else None
    proposed = proposed_category(case, rule_set)
    return {
        "id": case.case_id,
        "state": case.state,
        "channel": case.channel,
        "channel_label": "Laporan" if case.channel == "laporan" else "Temuan",
        "election_type": case.election_type,
        "election_label": _election_label(case, zone),
        "region_code": case.region_code,
        "region_name": rule_set.regions.regency_name(case.region_code),
        "province_name": rule_set.regions.province_name(case.region_code),
        "zone": zone,
        "after_determination": case.after_determination,
        "received_at": case.received_at,
        "known_at": case.known_at,
        "incident_at": case.incident_at,
        "incident_place": case.incident_place,
        "summary": case.summary,
        "registration_number": case.step("register").get("registration_number"),
        "terlapor": {
            "name": terlapor.get("name", ""),
            "nip": terlapor.get("nip", ""),
            "position": terlapor.get("position", ""),
            "unit": terlapor.get("unit", ""),
            "agency": terlapor.get("agency", ""),
            "rank": terlapor.get("rank") or "-",
            "salutation": "Sdri." if terlapor.get("gender") == "P" else "Sdr.",
        },
        "reporter": (
            {k: reporter.get(k) or "" for k in ("name", "address", "phone", "email")}
            if reporter
            else None
        ),
        "violations": _violations(case, rule_set),
        "proposed_category": (
            {"code": proposed, "name": rule_set.categories[proposed].name} if proposed else None
        ),
        "recommended_category": (
            {
                "code": category.code,
                "name": category.name,
                "citation": category.citation.text,
                "ethics": category.matter.value == "etik",
            }
            if category
            else None
        ),
        "sanction": (
            {
                "code": sanction.code,
                "name": sanction.name,
                "description": sanction.description,
                "category": sanction.category,
                "category_name": rule_set.categories[sanction.category].name,
                "duration_months": sanction.duration_months,
                "objection": sanction.objection,
                "citation": sanction.citation.text,
                "requires_examination_team": sanction.requires_examination_team,
            }
            if sanction
            else None
        ),
        "deadline": (
            {
                "state": case.deadline.state,
                "owner": case.deadline.owner,
                "action": case.deadline.action,
                "due_on": case.deadline.due_on,
                "citation": case.deadline.citation,
                "service_level": case.deadline.basis == "service_level",
            }
            if case.deadline
            else None
        ),
    }


def references(case: Case) -> dict[str, Any]:
    """The latest earlier letter of each kind (number and date), for "menindaklanjuti ..."."""
    refs: dict[str, Any] = dict.fromkeys(KINDS)
    for item in case.letters:
        if item["kind"] in refs:
            refs[item["kind"]] = {
                "number": item["number"],
                "title": KINDS[item["kind"]].title,
                "issued_at": item.get("issued_at"),
            }
    return refs
