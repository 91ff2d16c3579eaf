"""Re-render a bundle's letters from the bundle's own events (offline, no database).

Each letter in the bundle comes with the context it was rendered from. The case is replayed
from the bundle's events up to the letter's seq; with the letter's recorded inputs (number,
institutions, signatory: the `inputs` part of its context) the templates and rule set it
was issued with render it again. The rebuilt context, template hash and HTML must equal the
bundle's: a bundle whose events say one thing and whose letters another fails here even when
every hash inside it was recomputed. The rule set used must be the one the bundle carries.

The templates are those the bundle carries under the letter's template hash
(`templates/<hash>/`), which must be exactly what that hash covers (else a problem, and the
installed ones are used); they render sandboxed (`letters.render.kept_templates`). A letter
without them (a bundle made before the template store, or a letter issued before it) is
rendered with the installed templates, as before.
"""

from __future__ import annotations

import json
from typing import Any

from jinja2 import TemplateError

from cases.bundle import carried_templates, rules_content_hash
from cases.bundle_verify import BundleReport
from letters.catalog import letter_kind
from letters.context import LetterInputs, prepare_letter
from letters.render import TemplateSet, context_hash, kept_templates, templates
from rules.errors import NetraError
from rules.ruleset import load_rule_set
from states.case import Case
from states.events import RecordedEvent


def rerender_letters(
    members: dict[str, bytes],
    events: dict[str, list[RecordedEvent]],
    index: list[dict[str, Any]],
    report: BundleReport,
) -> None:
    installed = templates()
    for entry in index:
        if entry.get("withheld") is not None:
            continue
        letter_id = str(entry.get("id"))
        problems = _rerender_one(members, events, entry, installed)
        if problems:
            report.problems += [
                f"surat {letter_id} dibuat ulang dari peristiwa: {p}" for p in problems
            ]
        else:
            report.letters_rerendered += 1


def _rerender_one(
    members: dict[str, bytes],
    events: dict[str, list[RecordedEvent]],
    entry: dict[str, Any],
    installed: TemplateSet,
) -> list[str]:
    letter_id = entry.get("id")
    raw_context = members.get(f"letters/{letter_id}.context.json")
    html = members.get(f"letters/{letter_id}.html")
    if raw_context is None or html is None:
        return ["konteks atau HTML surat tidak ada dalam bundel"]
    try:
        context = json.loads(raw_context)
        case_id, case_seq = str(entry["case_id"]), int(entry["case_seq"])
    except (ValueError, KeyError, TypeError) as error:
        return [f"konteks surat tidak terbaca ({error})"]
    problems: list[str] = []
    if context_hash(context) != entry.get("context_hash"):
        problems.append("konteks dalam bundel tidak cocok dengan hash konteks")
    until = [e for e in events.get(case_id, []) if e.seq <= case_seq]
    if len(until) != case_seq:
        return [*problems, f"peristiwa {case_id} sampai seq {case_seq} tidak lengkap"]
    try:
        case = Case.replay(case_id, until)
        rule_set = load_rule_set(case.rule_set)
        prefix = f"rules/{case.rule_set}/"
        carried = {n[len(prefix) :]: d for n, d in members.items() if n.startswith(prefix)}
        if rules_content_hash(carried) != rule_set.content_hash:
            return [
                *problems,
                f"aturan {case.rule_set} yang terpasang berbeda dari yang dibawa bundel",
            ]
        inputs = LetterInputs.from_dict(dict(context.get("inputs") or {}))
        name = letter_kind(inputs.kind).template_name(case, rule_set)
        template_set = _issued_templates(members, entry, name, installed, problems)
        prepared = prepare_letter(case, inputs, rule_set, template_set)
    except (NetraError, TemplateError, LookupError, TypeError, ValueError, AttributeError) as exc:
        return [*problems, f"tidak dapat dibuat ulang ({exc})"]
    if inputs.letter_id != letter_id:
        problems.append(f"masukan surat menyebut {inputs.letter_id}")
    if prepared.template_hash != entry.get("template_hash"):
        problems.append(
            f"templat {prepared.template_name} yang terpasang berbeda dari yang dipakai "
            "saat surat diterbitkan (hash templat)"
        )
    if prepared.context != context:
        keys = sorted(
            k
            for k in set(prepared.context) | set(context)
            if prepared.context.get(k) != context.get(k)
        )
        problems.append(f"konteks hasil replay berbeda pada: {', '.join(keys)}")
    if prepared.html.encode("utf-8") != html:
        problems.append("HTML hasil pembuatan ulang berbeda dari HTML dalam bundel")
    if prepared.content_hash != entry.get("content_hash"):
        problems.append("hash isi surat hasil pembuatan ulang berbeda")
    return problems


def _issued_templates(
    members: dict[str, bytes],
    entry: dict[str, Any],
    name: str,
    installed: TemplateSet,
    problems: list[str],
) -> TemplateSet:
    """The templates the bundle carries for the letter, once they are exactly what its
    template hash covers (checked before anything renders with them); else the installed."""
    template_hash = str(entry.get("template_hash"))
    carried = carried_templates(members, template_hash)
    if not carried:
        return installed
    try:
        kept = kept_templates({n: d.decode("utf-8") for n, d in carried.items()})
    except UnicodeDecodeError:
        kept = None
    if kept is None or not kept.covers(name, template_hash):
        problems.append(
            f"templat {name} yang dibawa bundel tidak cocok dengan hash templat surat: "
            "templat rusak atau dipalsukan; surat dibuat ulang dengan templat terpasang"
        )
        return installed
    return kept
