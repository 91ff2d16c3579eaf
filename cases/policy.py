"""The one authorization policy: role x action x jurisdiction, and its SQL twin for lists.

Every command, query, route and export asks `require(subject, action, case)`; lists ask
`read_scope(subject)` and filter in SQL before LIMIT/OFFSET, so a page of results is a page
of cases the reader may see. Rules:

- Bawaslu reads the cases of its office and of its territory (a kabupaten/kota office its
  regency, a provincial office its province, Bawaslu RI everything) and acts on its own
  office's cases; it opens cases only inside its territory.
- BKN reads every case and acts at the BKN stage; the PPK (its BKPSDM) reads and acts on the
  cases addressed to it.
- Auditors read and verify everything, act on nothing.
- The sweep's service account reads everything and takes only the deadline-driven steps
  (the lifecycle data lists `system` on those steps alone).
- Administrators manage the registry and may do everything an officer may.
- Only Bawaslu (and administrators) see the reporter's identity.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from db.case_filter import ReadScope
from rules.errors import PermissionDenied
from rules.roles import Role

if TYPE_CHECKING:
    from rules.case_labels import CaseLabels
    from states.case import Case
    from states.events import Actor


class Action(StrEnum):
    READ = "read"
    OPEN = "open"
    STEP = "step"
    NOTE = "note"
    REASSIGN = "reassign"
    DEADLINE = "deadline"
    EXPORT = "export"
    EXPORT_WITH_REPORTER = "export_with_reporter"
    AUDIT = "audit"
    SWEEP = "sweep"
    ADMINISTER = "administer"


ACTION_LABELS = {
    Action.READ: "membaca perkara",
    Action.OPEN: "mencatat laporan/temuan",
    Action.STEP: "mengambil langkah perkara",
    Action.NOTE: "menambah catatan",
    Action.REASSIGN: "mengalihkan penanganan",
    Action.DEADLINE: "mengubah tenggat",
    Action.EXPORT: "mengekspor data perkara",
    Action.EXPORT_WITH_REPORTER: "mengekspor identitas pelapor",
    Action.AUDIT: "menjalankan audit",
    Action.SWEEP: "menjalankan penyisiran tenggat",
    Action.ADMINISTER: "mengelola registri",
}

SEES_REPORTER = frozenset({Role.BAWASLU, Role.ADMIN})
READS_EVERYTHING = frozenset({Role.BKN, Role.AUDITOR, Role.ADMIN, Role.SYSTEM})
CASE_ACTIONS = frozenset({Action.STEP, Action.NOTE, Action.REASSIGN, Action.DEADLINE})


@dataclass(frozen=True)
class Subject:
    """Who asks: the actor and, for Bawaslu, the territory of its office (region code
    `32.72` or province `32`; `national` for Bawaslu RI). Without a territory a Bawaslu
    officer sees only its own office's cases."""

    actor: Actor
    territory: str | None = None
    national: bool = False

    @property
    def role(self) -> Role:
        return self.actor.role


def in_territory(subject: Subject, region_code: str) -> bool:
    if subject.national:
        return True
    territory = subject.territory
    if territory is None:
        return False
    return region_code == territory or region_code.startswith(territory + ".")


def allowed(subject: Subject, action: Action, case: Case | None = None) -> bool:
    role = subject.role
    if action is Action.OPEN:  # a case belongs to the Bawaslu office that records it
        return role is Role.BAWASLU and (case is None or in_territory(subject, case.region_code))
    if role is Role.ADMIN:
        return True
    if action is Action.READ:
        if case is None or role in READS_EVERYTHING:
            return True
        if role is Role.BAWASLU:
            return case.bawaslu_office == subject.actor.institution or in_territory(
                subject, case.region_code
            )
        return role is Role.PPK and case.ppk_institution == subject.actor.institution
    if action in CASE_ACTIONS:
        if role is Role.SYSTEM:
            return action is Action.STEP
        if role is Role.AUDITOR:
            return False
        if case is None or role is Role.BKN:
            return role in (Role.BAWASLU, Role.BKN, Role.PPK)
        if role is Role.BAWASLU:
            return case.bawaslu_office == subject.actor.institution
        return role is Role.PPK and case.ppk_institution == subject.actor.institution
    if action is Action.EXPORT:
        return role in (Role.BAWASLU, Role.BKN, Role.PPK, Role.AUDITOR)
    if action is Action.EXPORT_WITH_REPORTER:
        return role is Role.BAWASLU and (
            case is None or case.bawaslu_office == subject.actor.institution
        )
    if action is Action.AUDIT:
        return role in (Role.AUDITOR, Role.BKN)
    if action is Action.SWEEP:
        return role is Role.SYSTEM
    return False


def require(subject: Subject, action: Action, case: Case | None = None) -> None:
    if allowed(subject, action, case):
        return
    what = ACTION_LABELS[action]
    actor = subject.actor
    if case is not None and action in CASE_ACTIONS and actor.role is Role.BAWASLU:
        reason = (
            f"perkara {case.case_id} ditangani {case.bawaslu_office}, bukan {actor.institution}"
        )
    elif case is not None and action in CASE_ACTIONS and actor.role is Role.PPK:
        reason = (
            f"perkara {case.case_id} ditujukan kepada PPK {case.ppk_institution or '-'}, "
            f"bukan {actor.institution}"
        )
    else:
        reason = f"perkara {case.case_id}" if case is not None else ""
    raise PermissionDenied(
        f"Petugas '{actor.user_id}' (peran {role_labels().role_label(actor.role)}) tidak "
        f"berwenang {what}" + (f": {reason}" if reason else "")
    )


def sees_reporter(subject: Subject | Actor) -> bool:
    role = subject.role
    return role in SEES_REPORTER


def read_scope(subject: Subject) -> ReadScope:
    """The SQL twin of `allowed(subject, READ, case)`."""
    role = subject.role
    if role in READS_EVERYTHING:
        return ReadScope()
    if role is Role.BAWASLU:
        if subject.national:
            return ReadScope()
        return ReadScope(bawaslu_office=subject.actor.institution, territory=subject.territory)
    if role is Role.PPK:
        return ReadScope(ppk_institution=subject.actor.institution)
    return ReadScope(nothing=True)


def role_labels() -> CaseLabels:
    """The newest rule set's labels, for naming roles in a refusal (read when one is made:
    the rule files stay out of short commands that refuse nothing)."""
    from rules.case_labels import case_labels
    from rules.rule_files import latest_version

    return case_labels(latest_version())
