"""The letter context: a pure function from the case state and the issuing inputs to JSON.

`build_context(case, inputs, rule_set)` is all a template sees. The case facts come from the
Case (as of the event seq the letter is issued at); everything else — the number, the date,
the institutions' letterheads and the signatory — is `LetterInputs`, kept verbatim in the
context under `inputs`, so an auditor can rebuild the very same context from the replayed
case plus that snapshot. Letters to anyone but the reporter are built from the *redacted*
case: the reporter's identity never enters their context.

The parts of the context each have their own module: the case facts and the title
(`letters.case_facts`), the addressees and tembusan (`letters.addressees`), the legal basis
(`letters.legal_basis`) and the body per kind of letter (`letters.letter_body`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import escape

from letters.addressees import addressees, tembusan
from letters.case_facts import case_facts, letter_title, references
from letters.catalog import PELAPOR, letter_kind
from letters.legal_basis import legal_basis
from letters.letter_body import letter_body
from letters.render import TemplateSet, content_hash, context_hash, templates
from rules.errors import InvalidInput
from rules.regions import timezone_for
from rules.ruleset import RuleSet
from states.canonical import canonical_json
from states.case import Case

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
    # what `template_hash` covers, by file name: kept with the letter (the template store)
    template_sources: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)


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
        template_sources=template_set.template_sources(name),
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
        template_sources=prepared.template_sources,
    )


# --- the context ------------------------------------------------------------------------------


def build_context(case: Case, inputs: LetterInputs, rule_set: RuleSet) -> dict[str, Any]:
    """Everything a letter template may use; JSON-native and deterministic."""
    spec = letter_kind(inputs.kind)
    if inputs.recipient not in spec.recipients:
        raise InvalidInput(f"Surat {spec.kind} tidak ditujukan kepada '{inputs.recipient}'")
    zone = timezone_for(case.region_code).key
    facts = case_facts(case, rule_set, zone, show_reporter=inputs.recipient == PELAPOR)
    institutions = inputs.institutions
    return {
        "inputs": inputs.to_dict(),
        "letter": {
            "id": inputs.letter_id,
            "kind": spec.kind,
            "title": letter_title(spec, case),
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
        "addressees": addressees(inputs.recipient, facts, institutions, rule_set),
        "tembusan": tembusan(spec, facts, institutions, rule_set),
        "case": facts,
        "refs": references(case),
        "legal": legal_basis(spec, case, rule_set),
        "body": letter_body(spec, case, rule_set, zone),
        "attachments": [dict(item) for item in inputs.attachments],
    }
