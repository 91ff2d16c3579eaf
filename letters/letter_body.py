"""The body of a letter, per kind: the step data each kind of letter states in its text."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from letters.catalog import LetterKind
from rules.errors import InvalidInput
from rules.ruleset import RuleSet
from states.case import Case


def _end_of_month(day: str) -> str:
    """PP 11/2017 Pasal 255 ayat (5): PTDH counts from the end of the month of party entry."""
    first = date.fromisoformat(day).replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    return (next_month - timedelta(days=1)).isoformat()


def _summons_body(case: Case) -> dict[str, Any]:
    first = case.step("summon")
    latest = case.summons[-1] if case.summons else {}
    body = {
        "call": len(case.summons),
        "call_label": "II" if len(case.summons) >= 2 else "I",
        "examination_at": latest.get("examination_at"),
        "examination_place": latest.get("examination_place") or first.get("examination_place"),
        "examiner_name": first.get("examiner_name"),
        "examiner_nip": first.get("examiner_nip"),
        "first_examination_at": case.summons[0].get("examination_at") if case.summons else None,
    }
    # Pangkat/golongan only when the summons recorded it (the templates print "-" otherwise):
    # a letter issued before the field existed keeps the context it was issued with.
    if first.get("examiner_rank"):
        body["examiner_rank"] = first["examiner_rank"]
    return body


def letter_body(spec: LetterKind, case: Case, rule_set: RuleSet, zone: str) -> dict[str, Any]:
    """What `build_context` puts under `body`: the facts this kind of letter states."""
    kind = spec.kind
    if kind == "pemberitahuan_status":
        reason = (
            case.step("decline").get("reason")
            if case.state == "not_registered"
            else (case.step("dismiss").get("reason") if case.state == "dismissed" else None)
        )
        return {"status": case.state, "reason": reason}
    if kind == "undangan_klarifikasi":
        step = case.step("invite_clarification")
        return {"at": step["clarification_at"], "place": step["clarification_place"]}
    if kind == "penerusan_bawaslu":
        return {
            "findings": case.step("recommend")["findings"],
            "recommendation_number": case.step("recommend").get("recommendation_number"),
            "clarification_summary": case.step("assess").get("clarification_summary"),
        }
    if kind in ("rekomendasi_bkn", "eskalasi_ppk", "teguran_ppk"):
        rule = rule_set.deadline_rule("recommended_to_ppk")
        variant = rule.variants.get(case.election_type) if rule else None  # type: ignore[call-overload]
        period = (
            {
                "days": variant.period.days,
                "working": variant.period.day_type.value == "working",
                "service_level": variant.basis == "service_level",
            }
            if variant
            else None
        )
        return {
            "findings": case.step("recommend").get("findings"),
            "justification": case.step("bkn_recommend").get("justification"),
            "period": period,
            "escalations": [e.get("escalation") for e in case.escalations if e.get("escalation")],
        }
    if kind == "surat_panggilan":
        return _summons_body(case)
    if kind == "berita_acara_pemeriksaan":
        record = case.step("record_examination")
        team = record.get("examination_team") or case.examination_team
        return {
            **_summons_body(case),
            "attended": bool(record.get("attended")),
            "findings": record.get("findings"),
            "team": list(team),
            "qa": [dict(item) for item in record.get("examination_qa") or []],
        }
    if kind == "keputusan_sanksi":
        ethics = "decide_ethics" in case.steps
        decree = case.step("decide_ethics" if ethics else "impose_sanction")
        record = decree if ethics else case.step("record_examination")
        council = case.step("convene_ethics_council")
        joined = decree.get("party_joined_on")
        return {
            "decree_date": decree["decree_date"],
            "justification": decree.get("justification"),
            "examination_at": (
                council.get("hearing_at")
                if ethics
                else (case.summons[-1]["examination_at"] if case.summons else None)
            ),
            "examined_by": "sidang Majelis Kode Etik" if ethics else "pemeriksaan",
            "ethics": (
                {
                    "council_decree_number": council.get("council_decree_number"),
                    "hearing_at": council.get("hearing_at"),
                    "members": list(council.get("council_members") or []),
                }
                if ethics
                else None
            ),
            "attended": bool(record.get("attended")),
            "findings": record.get("findings"),
            "position": case.terlapor.get("position", ""),
            "party_joined_on": joined,
            "effective_on": _end_of_month(joined) if joined else None,
        }
    if kind == "laporan_tindak_lanjut":
        appeal = "file_appeal" in case.steps
        decided = case.step("decide_appeal" if appeal else "decide_objection")
        decree = case.decree
        return {
            "decree_date": decree.get("decree_date"),
            "delivered_at": case.step("deliver_decree").get("delivered_at"),
            "executed_at": case.step("execute_sanction").get("executed_at"),
            "objection_kind": (
                "banding administratif kepada BPASN"
                if appeal
                else ("keberatan" if "file_objection" in case.steps else None)
            ),
            "objection_outcome": decided.get("outcome"),
            "objection_decision_number": decided.get("bpasn_decision_number")
            or decided.get("decision_number"),
        }
    raise InvalidInput(f"Jenis surat '{kind}' belum memiliki isi")
