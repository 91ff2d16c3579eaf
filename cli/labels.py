"""What the command line shows instead of an internal code: rule labels of the case's own
rule-set version (rules/case_labels.py, light: no rule models), the fixed words no rule set
labels (rules/indonesian_terms.py), the words of the CLI's own lists (notices, flows,
bundles, tokens, calendar), and an institution's name for its registry code.

A code the data does not know is shown as it is, never an error: output must not fail.
`--json` output keeps the codes; only human output goes through here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rules.case_labels import CaseLabels, case_labels
from rules.errors import NotFound
from rules.indonesian_terms import DELIVERY_STATUSES as DELIVERY_STATUSES
from rules.indonesian_terms import OVERRIDE_KINDS as OVERRIDE_KINDS
from rules.indonesian_terms import TOKEN_SCOPES as TOKEN_SCOPES
from rules.unknown_codes import label_or_code

if TYPE_CHECKING:
    from db.reading import ReadingUnitOfWork
    from db.unit_of_work import UnitOfWork

# Outbox notices (cases/notifications.py, cases/sweep.py, cases/digest.py).
NOTICE_KINDS = {
    "pengingat_tenggat": "Pengingat tenggat",
    "tenggat_terlampaui": "Tenggat terlampaui",
    "eskalasi": "Eskalasi",
    "langkah_otomatis_gagal": "Langkah otomatis gagal",
}
# Notice delivery (cases/notice_channels.py, db/deadline_store.py).
DELIVERY_CHANNELS = {"email": "Surel", "apprise": "Apprise"}
# A Prefect flow run's state type.
FLOW_RESULTS = {
    "COMPLETED": "berhasil",
    "FAILED": "gagal",
    "CRASHED": "terhenti tak terduga",
    "CANCELLED": "dibatalkan",
    "CANCELLING": "sedang dibatalkan",
    "RUNNING": "berjalan",
    "PENDING": "menunggu",
    "SCHEDULED": "terjadwal",
    "PAUSED": "dijeda",
}
BUNDLE_EDITIONS = {"auditor": "auditor (pelapor disamarkan)", "full": "lengkap"}
HOLIDAY_SOURCES = {"nasional": "nasional", "admin": "koreksi administrator"}
# The rule catalog (`netra rules ...`).
DAY_TYPES = {"calendar": "hari kalender", "working": "hari kerja"}
OBJECTIONS = {"none": "tidak ada", "keberatan": "keberatan", "banding": "banding"}
CLOSED_STAGE = "Selesai"


def word(words: dict[str, str], code: str | None) -> str:
    """`code` in the words of one of the lists above; the code itself when it is not listed."""
    if code is None:
        return "-"
    return words.get(code, code)


def labels_of(version: str | None) -> CaseLabels:
    """The labels of rule-set `version` (cached per process and in the private cache); the
    newest version's when there is none (a case replayed before it was opened) or this
    release does not ship it."""
    if version:
        try:
            return case_labels(version)
        except NotFound:
            pass
    return latest_labels()


def latest_labels() -> CaseLabels:
    """The labels of the newest installed rule-set version, for lists whose rows do not name
    their case's version (a digest, duplicate candidates)."""
    from rules.rule_files import latest_version

    return case_labels(latest_version())


def label(lookup: Callable[[str], str], code: str | None) -> str:
    """What `lookup` (a CaseLabels or RuleSet label method) says for `code`; the code itself
    when the rule set does not know it."""
    return label_or_code(lookup, code) if code else "-"


def role_short(labels: CaseLabels, role: str | None) -> str:
    """A role as a narrow list shows it: the recommending body by its short name (BKN, KASN)."""
    if role == "bkn":
        return labels.recommending_body
    return label(labels.role_label, role)


def violations(labels: CaseLabels, codes: list[str], after_determination: bool) -> str:
    """Violations with their annex row (Lampiran SKB 2022), as `case show` lists them."""
    return "; ".join(
        label(lambda code: labels.violation_label(code, after_determination), code)
        for code in codes
    )


def institution_name(uow: ReadingUnitOfWork, code: str | None) -> str:
    """The registered institution's name, one lookup; its code when it is not registered."""
    from cases.queries import institution_name as registered_name

    return registered_name(uow, code) if code else "-"


def institution_names(uow: UnitOfWork) -> dict[str, str]:
    """Every registered institution's name by its code, in one query (for lists)."""
    from cases.registry import list_institutions

    return {item.code: item.name for item in list_institutions(uow)}
