"""The letter context: a pure function from the case state and the issuing inputs to JSON.

`build_context(case, inputs, rule_set)` is all a template sees. The case facts come from the
Case (as of the event seq the letter is issued at); everything else — the number, the date,
the institutions' letterheads and the signatory — is `LetterInputs`, kept verbatim in the
context under `inputs`, so an auditor can rebuild the very same context from the replayed
case plus that snapshot. Letters to anyone but the reporter are built from the *redacted*
case: the reporter's identity never enters their context.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from markupsafe import escape

from letters.catalog import (
    ARSIP,
    BKN,
    BKN_BAWASLU,
    KINDS,
    PELAPOR,
    PPK,
    TERLAPOR,
    LetterKind,
    letter_kind,
)
from letters.formatting import local_instant
from letters.render import TemplateSet, content_hash, context_hash, templates
from rules.errors import InvalidInput
from rules.models import annex_citation
from rules.regions import timezone_for
from rules.ruleset import RuleSet
from states.canonical import canonical_json
from states.case import Case
from states.guards_bkn import proposed_category

INSTITUTION_FIELDS = (
    "code",
    "kind",
    "name",
    "parent_name",
    "region_code",
    "city",
    "address",
    "phone",
    "email",
    "website",
    "head_title",
    "head_name",
    "head_nip",
)


@dataclass(frozen=True)
class LetterInputs:
    """What a letter needs besides the case: snapshotted into the context at issue time."""

    letter_id: str
    kind: str
    recipient: str
    number: str
    classification: str
    serial: int
    issued_on: str  # ISO date, local to the sender
    place: str  # the sender's city, written before the date
    institutions: dict[str, dict[str, Any]] = field(default_factory=dict)  # sender, bawaslu, ...
    signatory: dict[str, Any] = field(default_factory=dict)  # title, name, nip
    # What the letter lists under "Lampiran" (e.g. evidence files: name, sha256); the
    # intake of evidence fills it. Kept in the context only when there is any.
    attachments: list[dict[str, Any]] = field(default_factory=list)
    # A ralat: the letter this one corrects and replaces (id, number, issued_on, reason).
    supersedes: dict[str, Any] | None = None
    # A paper act entered late (effective_at, recorded_at, UTC ISO): "dicatat terlambat".
    entered_late: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        values = {
            **{name: getattr(self, name) for name in _SCALAR_INPUTS},
            "institutions": {k: dict(v) for k, v in self.institutions.items()},
            "signatory": dict(self.signatory),
        }
        if self.attachments:
            values["attachments"] = [dict(item) for item in self.attachments]
        if self.supersedes:
            values["supersedes"] = dict(self.supersedes)
        if self.entered_late:
            values["entered_late"] = dict(self.entered_late)
        return values

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LetterInputs:
        try:
            return cls(**data)
        except TypeError as exc:
            raise InvalidInput(f"Masukan surat yang tersimpan tidak lengkap: {exc}") from None


_SCALAR_INPUTS = (
    "letter_id",
    "kind",
    "recipient",
    "number",
    "classification",
    "serial",
    "issued_on",
    "place",
)


def institution_snapshot(values: dict[str, Any]) -> dict[str, Any]:
    """The letterhead and head-of-office fields of an institution, JSON-native."""
    return {name: values.get(name) for name in INSTITUTION_FIELDS}


@dataclass(frozen=True)
class PreparedLetter:
    """A rendered letter and the hashes that prove it."""

    template_name: str
    template_hash: str
    context: dict[str, Any]
    context_hash: str
    html: str
    content_hash: str


def prepare_letter(
    case: Case, inputs: LetterInputs, rule_set: RuleSet, template_set: TemplateSet | None = None
) -> PreparedLetter:
    """Context → HTML with hashes (pure apart from reading the template files)."""
    template_set = template_set or templates()
    spec = letter_kind(inputs.kind)
    name = spec.template_name(case, rule_set)
    context = build_context(case, inputs, rule_set)
    html = template_set.render(name, context)
    return PreparedLetter(
        template_name=name,
        template_hash=template_set.template_hash(name),
        context=context,
        context_hash=context_hash(context),
        html=html,
        content_hash=content_hash(html),
    )


def with_number(
    prepared: PreparedLetter, placeholder: str, number: str, serial: int
) -> PreparedLetter:
    """The letter prepared with `placeholder` as its number (and serial 0), numbered: the
    same context, HTML and hashes as preparing it with `number` and `serial`.

    Issuing renders a letter before it reserves the number, so the register's counter row
    (locked from the reservation to the commit, for gap-free numbers) is not held while the
    letter renders. The templates print the number only as `{{ letter.number }}` (escaped);
    a placeholder left anywhere after the swap is an error, never a letter.
    """
    context = dict(prepared.context)
    context["inputs"] = {**context["inputs"], "number": number, "serial": serial}
    context["letter"] = {**context["letter"], "number": number}
    html = prepared.html.replace(str(escape(placeholder)), str(escape(number)))
    encoded = canonical_json(context)  # searched here, then hashed (what context_hash does)
    if placeholder in html or canonical_json(placeholder)[1:-1] in encoded:
        raise ValueError(f"nomor sementara surat {prepared.template_name} tidak terganti")
    return PreparedLetter(
        template_name=prepared.template_name,
        template_hash=prepared.template_hash,
        context=context,
        context_hash=hashlib.sha256(encoded).hexdigest(),
        html=html,
        content_hash=content_hash(html),
    )


# --- the context ------------------------------------------------------------------------------


def build_context(case: Case, inputs: LetterInputs, rule_set: RuleSet) -> dict[str, Any]:
    """Everything a letter template may use; JSON-native and deterministic."""
    spec = letter_kind(inputs.kind)
    if inputs.recipient not in spec.recipients:
        raise InvalidInput(f"Surat {spec.kind} tidak ditujukan kepada '{inputs.recipient}'")
    zone = timezone_for(case.region_code).key
    facts = _facts(case, rule_set, zone, show_reporter=inputs.recipient == PELAPOR)
    institutions = inputs.institutions
    return {
        "inputs": inputs.to_dict(),
        "letter": {
            "id": inputs.letter_id,
            "kind": spec.kind,
            "title": _title(spec, case),
            "number": inputs.number,
            "sifat": spec.sifat,
            "lampiran": spec.lampiran,
            "issued_on": inputs.issued_on,
            "place": inputs.place,
            "recipient": inputs.recipient,
            "template": spec.template_name(case, rule_set),
        },
        "sender": institutions["sender"],
        "signatory": inputs.signatory,
        "addressees": _addressees(inputs.recipient, facts, institutions, rule_set),
        "tembusan": _tembusan(spec, facts, institutions, rule_set),
        "case": facts,
        "refs": _references(case),
        "legal": _legal(spec, case, rule_set),
        "body": _body(spec, case, rule_set, zone),
        "attachments": [dict(item) for item in inputs.attachments],
    }


def _title(spec: LetterKind, case: Case) -> str:
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


def _facts(case: Case, rule_set: RuleSet, zone: str, show_reporter: bool) -> dict[str, Any]:
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


def _references(case: Case) -> dict[str, Any]:
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


def _addressees(
    recipient: str,
    facts: dict[str, Any],
    institutions: dict[str, dict[str, Any]],
    rule_set: RuleSet,
) -> list[dict[str, Any]]:
    body_head = rule_set.legal.recommending_body.head_title
    terlapor = facts["terlapor"]
    if recipient == PELAPOR:
        reporter = facts["reporter"]
        return [{"lines": [f"Sdr. {reporter['name']}", reporter["address"]], "place": "Tempat"}]
    if recipient == TERLAPOR:
        return [
            {
                "lines": [
                    f"{terlapor['salutation']} {terlapor['name']}",
                    f"{terlapor['position']}, {terlapor['unit']}",
                    terlapor["agency"],
                ],
                "place": "Tempat",
            }
        ]
    if recipient == BKN:
        bkn = institutions["bkn"]
        return [{"lines": [body_head], "place": bkn["city"]}]
    if recipient == PPK:
        ppk = institutions["ppk"]
        return [
            {
                "lines": [f"{ppk['head_title']} selaku Pejabat Pembina Kepegawaian"],
                "place": ppk["city"],
            }
        ]
    if recipient == BKN_BAWASLU:
        bkn, bawaslu = institutions["bkn"], institutions["bawaslu"]
        return [
            {"lines": [body_head], "place": bkn["city"]},
            {"lines": [bawaslu["head_title"]], "place": bawaslu["city"]},
        ]
    if recipient == ARSIP:
        return []
    raise InvalidInput(f"Penerima surat '{recipient}' tidak dikenal")


def _tembusan(
    spec: LetterKind,
    facts: dict[str, Any],
    institutions: dict[str, dict[str, Any]],
    rule_set: RuleSet,
) -> list[str]:
    region = facts["region_name"]
    province = facts["province_name"]
    bawaslu = institutions.get("bawaslu") or {}
    ppk = institutions.get("ppk") or {}
    provincial = f"Ketua {bawaslu['parent_name']}" if bawaslu.get("parent_name") else None
    items: list[str | None]
    if spec.kind in ("pemberitahuan_status", "undangan_klarifikasi"):
        items = [provincial]
    elif spec.kind == "penerusan_bawaslu":
        items = ["Ketua Badan Pengawas Pemilihan Umum Republik Indonesia", provincial]
    elif spec.kind == "rekomendasi_bkn":
        items = [
            "Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
            "Menteri Dalam Negeri",
            bawaslu.get("head_title"),
            f"Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia {region}",
        ]
    elif spec.kind in ("eskalasi_ppk", "teguran_ppk"):
        items = [
            "Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi (sebagai laporan)",
            "Menteri Dalam Negeri (sebagai laporan)",
            f"Gubernur {province}",
            bawaslu.get("head_title"),
        ]
    elif spec.kind == "surat_panggilan":
        items = [f"{ppk.get('head_title')} (sebagai laporan)", f"Inspektur {region}"]
    elif spec.kind == "keputusan_sanksi":
        items = [
            rule_set.legal.recommending_body.head_title,
            bawaslu.get("head_title"),
            f"Sekretaris Daerah {region}",
            f"Inspektur {region}",
            f"Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia {region}",
            "Yang bersangkutan",
        ]
    elif spec.kind == "laporan_tindak_lanjut":
        items = [f"Sekretaris Daerah {region}", f"Inspektur {region}"]
    else:
        items = []
    return [item for item in items if item]


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


def _legal(spec: LetterKind, case: Case, rule_set: RuleSet) -> dict[str, Any]:
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


def _end_of_month(day: str) -> str:
    """PP 11/2017 Pasal 255 ayat (5): PTDH counts from the end of the month of party entry."""
    first = date.fromisoformat(day).replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    return (next_month - timedelta(days=1)).isoformat()


def _summons_body(case: Case) -> dict[str, Any]:
    first = case.step("summon")
    latest = case.summons[-1] if case.summons else {}
    return {
        "call": len(case.summons),
        "call_label": "II" if len(case.summons) >= 2 else "I",
        "examination_at": latest.get("examination_at"),
        "examination_place": latest.get("examination_place") or first.get("examination_place"),
        "examiner_name": first.get("examiner_name"),
        "examiner_nip": first.get("examiner_nip"),
        "first_examination_at": case.summons[0].get("examination_at") if case.summons else None,
    }


def _body(spec: LetterKind, case: Case, rule_set: RuleSet, zone: str) -> dict[str, Any]:
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
