"""The law as data, as rows to show: violations with their annex rows and per-stage
classification, sanctions, lifecycle states, deadlines and election schedules (the CLI's
`netra rules ...` and the web app list the same rows)."""

from __future__ import annotations

import re
from typing import Any

from rules.elections import load_elections
from rules.models import ElectionType, ViolationStage
from rules.ruleset import load_rule_set

_ANNEX_ROW = re.compile(
    r"butir\s+(?:Lampiran\s+SKB\s+2022\s+)?([A-B]\.\d+(?:\s*(?:,|dan)\s*[A-B]\.\d+)*)",
    re.IGNORECASE,
)


def annex_rows(description: str) -> str:
    """`A.1, B.1` from "... (Lampiran SKB 2022 butir A.1 dan B.1)"; empty when not named."""
    found = _ANNEX_ROW.findall(description)
    return ", ".join(re.sub(r"\s*dan\s*", ", ", f) for f in found)


def _stage(stage: ViolationStage | None) -> dict[str, str | None] | None:
    if stage is None:
        return None
    return {
        "matter": stage.matter.value,
        "sanction_category": stage.sanction_category,
        "annex_row": stage.annex_row,
        "citation": stage.citation,
    }


def violation_rows(version: str | None = None) -> list[dict[str, Any]]:
    rules = load_rule_set(version)
    return [
        {
            "code": v.code,
            "title": v.title,
            "annex_rows": annex_rows(v.description),
            "before_determination": _stage(v.before_determination),
            "after_determination": _stage(v.after_determination),
            "source": v.source,
        }
        for v in rules.violations.values()
    ]


def sanction_rows(version: str | None = None) -> list[dict[str, Any]]:
    rules = load_rule_set(version)
    return [
        {
            "code": s.code,
            "name": s.name,
            "category": s.category,
            "category_name": rules.categories[s.category].name,
            "duration_months": s.duration_months,
            "objection": s.objection,
            "citation": s.citation.text,
            "source": s.citation.source,
        }
        for s in rules.sanctions.values()
    ]


def state_rows(version: str | None = None) -> list[dict[str, Any]]:
    rules = load_rule_set(version)
    return [
        {
            "name": s.name,
            "label": s.label,
            "stage": s.stage,
            "terminal": s.terminal,
            "steps": [t.trigger for t in rules.triggers_from(s.name)],
        }
        for s in rules.lifecycle.states
    ]


def deadline_rows(version: str | None = None) -> list[dict[str, Any]]:
    rules = load_rule_set(version)
    rows: list[dict[str, Any]] = []
    for rule in rules.deadlines.rules:
        for election in ElectionType:
            variant = rule.variants.get(election)
            if variant is None:
                continue
            rows.append(
                {
                    "state": rule.state,
                    "election_type": election.value,
                    "owner": rule.owner.value,
                    "action": rule.action,
                    "days": variant.period.days,
                    "day_type": variant.period.day_type.value,
                    "citation": variant.citation.text,
                    "source": variant.citation.source,
                    "on_miss": rule.on_miss.escalation if rule.on_miss else None,
                }
            )
    return rows


def election_rows(version: str | None = None) -> list[dict[str, Any]]:
    schedule = load_elections(load_rule_set(version).version)
    return [
        {
            "code": e.code,
            "election_type": e.election_type.value,
            "title": e.title,
            "candidate_determination": e.candidate_determination.isoformat(),
            "period": f"{e.period_start.isoformat()}..{e.period_end.isoformat()}",
            "overrides": {o.region: o.candidate_determination.isoformat() for o in e.overrides},
            "citation": e.citation.text,
            "source": e.citation.source,
        }
        for e in schedule.book.elections
    ]
