"""The letter context: a pure function from the case state and the issuing inputs to JSON.

`build_context(case, inputs, rule_set)` is all a template sees. The case facts come from the
Case (as of the event seq the letter is issued at); everything else — the number, the date,
the institutions' letterheads and the signatory — is `LetterInputs`, kept verbatim in the
context under `inputs`, so an auditor can rebuild the very same context from the replayed
case plus that snapshot. Letters to anyone but the reporter are built from the *redacted*
case: the reporter's identity never enters their context.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from letters import privacy
from letters.catalog import (
    ARSIP,
    BKN,
    BKN_BAWASLU,
    KINDS,
    PELAPOR,
    PERBAN_BKN_1_2023,
    PERBAN_BKN_6_2022,
    PERBAWASLU_PEMILU,
    PERBAWASLU_PILKADA,
    PP_11_2017,
    PP_42_2004,
    PP_94_2021,
    PPK,
    SKB_2022,
    TERLAPOR,
    UU_ASN,
    UU_PEMILU,
    UU_PILKADA,
    LetterKind,
    letter_kind,
)
from letters.formatting import local_instant
from letters.render import TemplateSet, content_hash, context_hash, templates
from rules.errors import InvalidInput
from rules.regions import timezone_for
from rules.ruleset import RuleSet
from states.case import Case
from states.guards import proposed_category

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


def reporter_leaks(html: str, reporter: dict[str, Any] | None) -> list[str]:
    """The reporter's identifying values that occur in a letter (must be none outside Bawaslu)."""
    return privacy.reporter_leaks(html, reporter)


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
        "addressees": _addressees(inputs.recipient, facts, institutions),
        "tembusan": _tembusan(spec, facts, institutions),
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
    items = []
    for code in case.violation_codes:
        violation = rule_set.violation(code)
        stage = violation.stage(case.after_determination)
        category = rule_set.categories[stage.sanction_category] if stage else None
        items.append(
            {
                "code": code,
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
    recipient: str, facts: dict[str, Any], institutions: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
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
        return [{"lines": [bkn["head_title"]], "place": bkn["city"]}]
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
            {"lines": [bkn["head_title"]], "place": bkn["city"]},
            {"lines": [bawaslu["head_title"]], "place": bawaslu["city"]},
        ]
    if recipient == ARSIP:
        return []
    raise InvalidInput(f"Penerima surat '{recipient}' tidak dikenal")


def _tembusan(
    spec: LetterKind, facts: dict[str, Any], institutions: dict[str, dict[str, Any]]
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
    elif spec.kind == "eskalasi_ppk":
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
            "Kepala Badan Kepegawaian Negara",
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
    election = (
        [UU_PEMILU, PERBAWASLU_PEMILU]
        if case.election_type == "pemilu"
        else [UU_PILKADA, PERBAWASLU_PILKADA]
    )
    category = None
    if case.sanction_code:
        category = rule_set.sanction(case.sanction_code).category
    elif case.recommended_category:
        category = case.recommended_category
    if spec.sender == "bawaslu":
        return [election[0], UU_ASN, election[1], SKB_2022]
    if spec.kind == "eskalasi_ppk":
        return [UU_ASN, PP_94_2021, PERBAN_BKN_1_2023, SKB_2022]
    if spec.sender == "bkn":
        return [UU_ASN, PP_42_2004, PP_94_2021, SKB_2022]
    if category == "moral":
        return [UU_ASN, PP_42_2004, SKB_2022]
    if category == "pemberhentian_tidak_hormat":
        return [UU_ASN, PP_11_2017, PP_94_2021, PERBAN_BKN_6_2022, SKB_2022]
    return [UU_ASN, PP_94_2021, PERBAN_BKN_6_2022, SKB_2022]


def _step_trigger(spec: LetterKind, case: Case, rule_set: RuleSet) -> str | None:
    if spec.kind == "surat_panggilan":
        return "second_summons" if len(case.summons) >= 2 else "summon"
    for transition in rule_set.lifecycle.transitions:
        if spec.kind in transition.letters and transition.dest == case.state:
            return transition.trigger
    return None


def _legal(spec: LetterKind, case: Case, rule_set: RuleSet) -> dict[str, Any]:
    trigger = _step_trigger(spec, case, rule_set)
    step = next((t for t in rule_set.transitions(trigger)), None) if trigger else None
    return {
        "skb": SKB_2022,
        "mengingat": _mengingat(spec, case, rule_set),
        "step_trigger": trigger,
        "step_citation": step.citation.text if step else None,
        "rule_set": rule_set.version,
        "source": spec.source,
    }


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
    if kind in ("rekomendasi_bkn", "eskalasi_ppk"):
        rule = rule_set.deadline_rule("recommended_to_ppk")
        variant = rule.variants.get(case.election_type) if rule else None  # type: ignore[call-overload]
        period = (
            {"days": variant.period.days, "working": variant.period.day_type.value == "working"}
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
        team = record.get("examination_team") or []
        return {
            **_summons_body(case),
            "attended": bool(record.get("attended")),
            "findings": record.get("findings"),
            "team": list(team),
            "qa": [dict(item) for item in record.get("examination_qa") or []],
        }
    if kind == "keputusan_sanksi":
        decree = case.step("impose_sanction")
        return {
            "decree_date": decree["decree_date"],
            "justification": decree.get("justification"),
            "examination_at": case.summons[-1]["examination_at"] if case.summons else None,
            "attended": bool(case.step("record_examination").get("attended")),
            "findings": case.step("record_examination").get("findings"),
            "position": case.terlapor.get("position", ""),
        }
    if kind == "laporan_tindak_lanjut":
        objection = case.step("file_objection")
        decided = case.step("decide_objection")
        return {
            "decree_date": case.step("impose_sanction").get("decree_date"),
            "delivered_at": case.step("deliver_decree").get("delivered_at"),
            "executed_at": case.step("execute_sanction").get("executed_at"),
            "objection_kind": objection.get("objection_kind"),
            "objection_outcome": decided.get("outcome"),
        }
    raise InvalidInput(f"Jenis surat '{kind}' belum memiliki isi")
