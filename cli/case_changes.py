"""`netra audit diff` as an auditor reads it: each changed field of the case record by its
Indonesian name, each value in words (labels of the case's rule set, Indonesian dates in
the case region's time zone) instead of the record's codes and ISO texts."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from cli.labels import label, labels_of
from cli.render import letter_title
from rules.indonesian_dates import day, instant
from rules.indonesian_terms import channel_label, election_type_label

if TYPE_CHECKING:
    from rules.case_labels import CaseLabels
    from rules.ruleset import RuleSet
    from states.case import Case

FIELDS = {
    "rule_set": "Versi aturan",
    "state": "Status",
    "version": "Versi perkara",
    "head_hash": "Hash peristiwa terakhir",
    "channel": "Jenis penerimaan",
    "election_type": "Pemilihan",
    "region_code": "Wilayah",
    "bawaslu_office": "Kantor Bawaslu",
    "after_determination": "Sesudah penetapan calon",
    "received_at": "Diterima",
    "known_at": "Diketahui",
    "incident_at": "Waktu kejadian",
    "incident_place": "Tempat kejadian",
    "summary": "Uraian",
    "violation_codes": "Pelanggaran",
    "terlapor": "Terlapor",
    "reporter": "Pelapor",
    "assignee": "Penanggung jawab",
    "steps": "Langkah",
    "summons": "Panggilan",
    "recommended_category": "Kategori sanksi yang direkomendasikan",
    "ppk_institution": "Instansi PPK",
    "sanction_code": "Jenis sanksi",
    "examination_team": "Tim pemeriksa",
    "siasn_blocked": "Data SIASN diblokir",
    "deadline": "Tenggat",
    "escalations": "Eskalasi",
    "letters": "Surat",
    "notes": "Jumlah catatan",
    "outcome": "Hasil akhir",
    "opened_at": "Dibuka",
    "updated_at": "Diperbarui",
    "closed_at": "Berakhir",
}
DEADLINE_FIELDS = {
    "state": "status",
    "owner": "pihak yang harus bertindak",
    "action": "tindakan",
    "anchor_on": "dihitung sejak",
    "due_on": "paling lambat",
    "due_at": "berakhir",
    "remind_at": "pengingat",
    "max_due_on": "batas perpanjangan",
    "set_at": "ditetapkan",
    "citation": "dasar hukum",
    "reminded": "sudah diingatkan",
    "missed": "terlewati",
    "stopped_at": "dihentikan sementara",
    "extensions": "jumlah perpanjangan",
    "basis": "dasar",
}
PERSON_FIELDS = {  # terlapor and pelapor
    "name": "nama",
    "nip": "NIP",
    "position": "jabatan",
    "unit": "unit kerja",
    "agency": "instansi",
    "rank": "pangkat/golongan",
    "gender": "jenis kelamin",
    "salutation": "sapaan",
    "address": "alamat",
    "phone": "telepon",
    "email": "surel",
    "redacted": "dirahasiakan",
}
BASES = {"law": "peraturan", "service_level": "tingkat layanan yang ditetapkan administrator"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def field_name(path: str, rules: RuleSet) -> str:
    """`deadline.due_on` as "Tenggat: paling lambat", `steps.assess.clarification_summary`
    as "Langkah Klarifikasi dilaksanakan, kajian dimulai: Ringkasan hasil klarifikasi"."""
    head, _, rest = path.partition(".")
    name = FIELDS.get(head, head)
    if not rest:
        return name
    if head == "deadline":
        return f"{name}: {DEADLINE_FIELDS.get(rest, rest)}"
    if head == "steps":
        trigger, _, data = rest.partition(".")
        step = f"{name} {label(rules.step_label, trigger)}"
        return f"{step}: {label(rules.field_label, data)}" if data else step
    if head in ("terlapor", "reporter"):
        return f"{name}: {PERSON_FIELDS.get(rest, rest)}"
    return f"{name}: {rest}"


def value_text(path: str, value: Any, case: Case, names: dict[str, str]) -> str:
    """A changed value in words; `names`: institution names by registry code."""
    rules = labels_of(case.rule_set)
    key = path.rsplit(".", 1)[-1]
    if value is None or value == {}:
        return "-"
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if path in ("state", "outcome", "deadline.state"):
        return label(rules.state_label, value)
    if path == "deadline.owner":
        return label(rules.role_label, value)
    if path == "deadline.basis":
        return BASES.get(str(value), str(value))
    if path in ("ppk_institution", "bawaslu_office"):
        return names.get(str(value), str(value))
    if path == "region_code":
        return rules.region_name(value)
    if path == "channel":
        return channel_label(value)
    if path == "election_type":
        return election_type_label(value)
    if path == "recommended_category":
        return label(rules.category_label, value)
    if path == "sanction_code":
        return label(rules.sanction_label, value)
    if path == "violation_codes" and isinstance(value, list):
        return "; ".join(_violation(rules, code, case.after_determination) for code in value)
    if path == "letters" and isinstance(value, list):
        return "; ".join(f"{letter_title(x.get('kind'))} {x.get('number', '')}" for x in value)
    if path == "escalations" and isinstance(value, list):
        return "; ".join(rules.escalation_label(str(x.get("kind"))) for x in value)
    if isinstance(value, str) and key.endswith("_on") and ISO_DATE.match(value):
        return day(value)
    if isinstance(value, str) and key.endswith("_at") and ISO_INSTANT.match(value):
        return instant(value, case.region_code)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _violation(rules: CaseLabels, code: str, after: bool) -> str:
    return label(lambda found: rules.violation_label(found, after), code)
