"""Guards: the legal checks a step must pass. Each raises with the reason it refuses.

Each guard takes a `StepContext` (the case before the step, the step's data, the instant,
the rule-set and the region's calendar). Branch selectors (`when`) return a bool instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from rules.calendar import WorkingCalendar, local_date
from rules.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from rules.models import ElectionType, Role
from rules.ruleset import RuleSet
from states.canonical import parse_utc
from states.case import Case
from states.events import Actor


@dataclass(frozen=True)
class StepContext:
    """Everything a guard may look at; nothing else (no clock, no database)."""

    case: Case
    data: dict[str, Any]
    at: datetime
    actor: Actor
    rule_set: RuleSet
    calendar: WorkingCalendar
    zone: ZoneInfo

    def local(self, instant: datetime | str) -> date:
        if isinstance(instant, str):
            instant = parse_utc(instant)
        return local_date(instant, self.zone)

    @property
    def today(self) -> date:
        return self.local(self.at)

    def justified(self) -> bool:
        return bool(str(self.data.get("justification", "")).strip())


Guard = Callable[[StepContext], None]
Selector = Callable[[StepContext], bool]


def within_filing_window(ctx: StepContext) -> None:
    """A laporan within its window after the act became known; a temuan declared within its
    window after Bawaslu discovered the act (UU 7/2017 Pasal 454 ayat (5) and (6))."""
    election = ElectionType(ctx.case.election_type)
    if ctx.case.channel == "laporan":
        window, what, since = (
            ctx.rule_set.deadlines.filing_windows[election],
            "Laporan",
            "diketahui",
        )
    else:
        window, what, since = (
            ctx.rule_set.deadlines.finding_windows[election],
            "Temuan",
            "ditemukan",
        )
    last_day = ctx.calendar.add(ctx.local(ctx.case.known_at), window.period)
    if ctx.local(ctx.case.received_at) > last_day:
        raise TransitionNotAllowed(
            f"{what} daluwarsa: dicatat {ctx.local(ctx.case.received_at)}, batas "
            f"{last_day} ({window.period.days} hari "
            f"{'kerja' if window.period.day_type == 'working' else 'kalender'} sejak {since}; "
            f"{window.citation.text}). Gunakan 'decline'."
        )


def recommending_body_acts(ctx: StepContext) -> None:
    """Only the recommending body of the law in force (KASN, later BKN) examines and recommends."""
    body = ctx.rule_set.legal.recommending_body
    if ctx.actor.role is Role.BKN and ctx.actor.institution != body.institution:
        raise PermissionDenied(
            f"Menurut aturan {ctx.rule_set.version} rekomendasi diberikan oleh {body.name}, "
            f"bukan {ctx.actor.institution}"
        )


def clarification_notice(ctx: StepContext) -> None:
    """The invitation must reach the invitee at least one day before the clarification."""
    when = ctx.local(ctx.data["clarification_at"])
    if when <= ctx.today:
        raise InvalidInput(
            f"Klarifikasi {when} harus paling cepat satu hari setelah undangan ({ctx.today}); "
            "Perbawaslu 7/2022 Formulir Model B.9"
        )


def violations_known(ctx: StepContext) -> None:
    codes = ctx.data.get("violation_codes", ctx.case.violation_codes)
    if not codes:
        raise InvalidInput("Rekomendasi memerlukan sedikitnya satu kode pelanggaran")


def category_known(ctx: StepContext) -> None:
    category = ctx.data["sanction_category"]
    if category not in ctx.rule_set.categories:
        known = ", ".join(ctx.rule_set.categories)
        raise InvalidInput(f"Kategori sanksi '{category}' tidak dikenal (pilihan: {known})")


def proposed_category(case: Case, rule_set: RuleSet) -> str | None:
    """The heaviest category the catalog proposes for the case's violations, at its stage."""
    best: tuple[int, str] | None = None
    for code in case.violation_codes:
        stage = rule_set.violation(code).stage(case.after_determination)
        if stage is None or stage.sanction_category is None:
            continue
        severity = rule_set.categories[stage.sanction_category].severity
        if best is None or severity > best[0]:
            best = (severity, stage.sanction_category)
    return best[1] if best else None


def open_levels(case: Case, rule_set: RuleSet) -> list[str]:
    """The case's violations for which the law sets no level at the case's stage."""
    return [
        code
        for code in case.violation_codes
        if (stage := rule_set.violation(code).stage(case.after_determination)) is not None
        and stage.sanction_category is None
    ]


def category_matches_violations(ctx: StepContext) -> None:
    """BKN's category must be the one the SKB annex gives, unless BKN records why not; where
    the law sets no level (e.g. joining a campaign), BKN chooses and must record its basis."""
    open_codes = open_levels(ctx.case, ctx.rule_set)
    if open_codes and not ctx.justified():
        titles = "; ".join(
            ctx.rule_set.violation_label(c, ctx.case.after_determination) for c in open_codes
        )
        raise InvalidInput(
            f"Tingkat hukuman untuk {titles} tidak diatur dalam PP 94/2021 Pasal 12-14: "
            "isi 'justification' dengan dasar penetapan tingkat sanksi"
        )
    proposed = proposed_category(ctx.case, ctx.rule_set)
    chosen = ctx.data["sanction_category"]
    if proposed is not None and chosen != proposed and not ctx.justified():
        raise TransitionNotAllowed(
            f"Kategori '{chosen}' berbeda dari kategori menurut Lampiran SKB 2022 untuk "
            f"pelanggaran ini ('{proposed}'); isi 'justification' untuk menyimpang"
        )


def summons_notice(ctx: StepContext) -> None:
    """The examination date must be at least 7 working days after the summons (PP 94/2021)."""
    exam_day = ctx.local(ctx.data["examination_at"])
    earliest = ctx.calendar.add_working_days(ctx.today, 7)
    if exam_day < earliest:
        raise InvalidInput(
            f"Tanggal pemeriksaan {exam_day} terlalu dekat: paling cepat {earliest} "
            "(panggilan paling lambat 7 hari kerja sebelum pemeriksaan, PP 94/2021)"
        )


def second_summons_allowed(ctx: StepContext) -> None:
    """Only after a missed first examination, for a date within 7 working days of it."""
    if len(ctx.case.summons) != 1:
        raise TransitionNotAllowed("Panggilan kedua hanya dapat diberikan satu kali")
    first = ctx.local(ctx.case.summons[0]["examination_at"])
    if ctx.today < first:
        raise TransitionNotAllowed(
            f"Panggilan kedua baru dapat diberikan setelah tanggal pemeriksaan pertama ({first})"
        )
    new_day = ctx.local(ctx.data["examination_at"])
    latest = ctx.calendar.add_working_days(first, 7)
    if not ctx.today < new_day <= latest:
        raise InvalidInput(
            f"Tanggal pemeriksaan kedua {new_day} harus setelah hari ini dan paling lambat "
            f"{latest} (7 hari kerja sejak pemeriksaan pertama, PP 94/2021)"
        )


def examination_recordable(ctx: StepContext) -> None:
    """Absent once: a second summons is due first. Absent twice: decided on the evidence."""
    if not ctx.data["attended"] and len(ctx.case.summons) < 2:
        raise TransitionNotAllowed(
            "Terlapor tidak hadir pada panggilan pertama: terbitkan panggilan kedua dahulu"
        )
    if ctx.today < ctx.local(ctx.case.summons[-1]["examination_at"]):
        raise TransitionNotAllowed("Pemeriksaan belum dapat dicatat sebelum tanggal pemeriksaan")


def sanction_known(ctx: StepContext) -> None:
    ctx.rule_set.sanction(ctx.data["sanction_code"])  # raises NotFound for an unknown code
    decree_day = date.fromisoformat(ctx.data["decree_date"])
    if decree_day > ctx.today:
        raise InvalidInput(f"Tanggal keputusan {decree_day} tidak boleh di masa depan")


def sanction_matches_recommendation(ctx: StepContext) -> None:
    """The PPK imposes the category BKN recommended, or records a justification."""
    sanction = ctx.rule_set.sanction(ctx.data["sanction_code"])
    recommended = ctx.case.recommended_category
    if sanction.category != recommended and not ctx.justified():
        raise TransitionNotAllowed(
            f"Sanksi '{sanction.code}' ({sanction.category}) tidak sesuai rekomendasi BKN "
            f"('{recommended}'); isi 'justification' untuk menyimpang"
        )


def _recommended_matter(ctx: StepContext) -> str | None:
    category = ctx.case.recommended_category
    return ctx.rule_set.categories[category].matter.value if category else None


def discipline_path(ctx: StepContext) -> None:
    """A summons under PP 94/2021 is for hukuman disiplin; a kode-etik matter goes elsewhere."""
    if _recommended_matter(ctx) == "etik":
        raise TransitionNotAllowed(
            "Rekomendasi berupa sanksi moral (pelanggaran kode etik, PP 42/2004): perkara "
            "diperiksa Majelis Kode Etik, bukan dengan panggilan hukuman disiplin; gunakan "
            "'convene_ethics_council'"
        )


def ethics_path(ctx: StepContext) -> None:
    if _recommended_matter(ctx) != "etik":
        raise TransitionNotAllowed(
            "Rekomendasi berupa hukuman disiplin (PP 94/2021): terlapor dipanggil dan diperiksa; "
            "gunakan 'summon'"
        )


def hearing_in_future(ctx: StepContext) -> None:
    day = ctx.local(ctx.data["hearing_at"])
    if day <= ctx.today:
        raise InvalidInput(f"Sidang Majelis Kode Etik {day} harus setelah hari ini ({ctx.today})")


def hearing_held(ctx: StepContext) -> None:
    day = ctx.local(ctx.case.step("convene_ethics_council")["hearing_at"])
    if ctx.today < day:
        raise TransitionNotAllowed(f"Sidang Majelis Kode Etik baru dijadwalkan pada {day}")


def ethics_sanction_only(ctx: StepContext) -> None:
    sanction = ctx.rule_set.sanction(ctx.data["sanction_code"])
    if ctx.rule_set.categories[sanction.category].matter.value != "etik":
        raise TransitionNotAllowed(
            f"Majelis Kode Etik hanya dapat berujung sanksi moral (PP 42/2004 Pasal 15), bukan "
            f"{ctx.rule_set.sanction_label(sanction.code).lower()}"
        )


def discipline_sanction_only(ctx: StepContext) -> None:
    sanction = ctx.rule_set.sanction(ctx.data["sanction_code"])
    if ctx.rule_set.categories[sanction.category].matter.value != "disiplin":
        raise TransitionNotAllowed(
            "Sanksi moral dinyatakan atas pemeriksaan Majelis Kode Etik (PP 42/2004), bukan "
            "setelah pemeriksaan hukuman disiplin"
        )


def examination_team_when_ordered(ctx: StepContext) -> None:
    """When BKN recommended a level that needs a tim pemeriksa (berat), the team is appointed
    when the examination is ordered, not discovered missing at the decree."""
    category = ctx.case.recommended_category
    if category is None or not ctx.rule_set.categories[category].requires_examination_team:
        return
    if not ctx.data.get("examination_team"):
        raise InvalidInput(
            f"Rekomendasi {ctx.rule_set.category_label(category).lower()} memerlukan tim "
            "pemeriksa (PP 94/2021): isi 'examination_team' pada panggilan"
        )


def examination_team_for_berat(ctx: StepContext) -> None:
    """A heavy sanction needs an examination team (tim pemeriksa, PP 94/2021)."""
    sanction = ctx.rule_set.sanction(ctx.data["sanction_code"])
    if sanction.requires_examination_team and not ctx.case.examination_team:
        raise TransitionNotAllowed(
            f"{ctx.rule_set.sanction_label(sanction.code)} memerlukan tim pemeriksa: bentuk "
            "tim dengan 'appoint_examination_team' sebelum keputusan"
        )


def party_entry_for_ptdh(ctx: StepContext) -> None:
    """PTDH for party membership counts from the end of the month the ASN joined the party
    (PP 11/2017 Pasal 255 ayat (5)): the decree needs that date."""
    sanction = ctx.rule_set.sanction(ctx.data["sanction_code"])
    joined = ctx.data.get("party_joined_on")
    if not sanction.effective_from_party_entry:
        if joined is not None:
            raise InvalidInput(
                "'party_joined_on' hanya untuk pemberhentian karena keanggotaan partai"
            )
        return
    if joined is None:
        raise InvalidInput(
            "Pemberhentian tidak dengan hormat karena keanggotaan partai politik memerlukan "
            f"'party_joined_on' ({ctx.rule_set.legal.party_dismissal.text})"
        )
    if date.fromisoformat(joined) > date.fromisoformat(ctx.data["decree_date"]):
        raise InvalidInput(f"Tanggal menjadi anggota partai {joined} setelah tanggal keputusan")


def keberatan_applies(ctx: StepContext) -> None:
    sanction = ctx.rule_set.sanction(ctx.case.sanction_code or "")
    if sanction.objection != "keberatan":
        raise TransitionNotAllowed(
            f"Terhadap {ctx.rule_set.sanction_label(sanction.code).lower()} upaya administratifnya "
            "banding administratif kepada BPASN (PP 79/2021 Pasal 1 angka 5): gunakan 'file_appeal'"
        )


def banding_applies(ctx: StepContext) -> None:
    sanction = ctx.rule_set.sanction(ctx.case.sanction_code or "")
    if sanction.objection != "banding":
        raise TransitionNotAllowed(
            f"Banding administratif kepada BPASN hanya terhadap pemberhentian; terhadap "
            f"{ctx.rule_set.sanction_label(sanction.code).lower()} ajukan keberatan "
            "(PP 79/2021 Pasal 1 angka 4): gunakan 'file_objection'"
        )


def bpasn_decision_date_valid(ctx: StepContext) -> None:
    decided = date.fromisoformat(ctx.data["bpasn_decision_date"])
    filed = ctx.local(ctx.case.step("file_appeal")["filed_at"])
    if not filed <= decided <= ctx.today:
        raise InvalidInput(
            f"Tanggal putusan BPASN {decided} harus antara pengajuan banding {filed} dan hari ini"
        )


def delivery_not_before_decree(ctx: StepContext) -> None:
    decree_day = date.fromisoformat(ctx.case.decree["decree_date"])
    delivered = ctx.local(ctx.data["delivered_at"])
    if delivered < decree_day or delivered > ctx.today:
        raise InvalidInput(
            f"Tanggal penyampaian {delivered} harus antara tanggal keputusan {decree_day} "
            f"dan hari ini {ctx.today}"
        )


def objection_in_time(ctx: StepContext) -> None:
    deadline = ctx.case.deadline
    filed = ctx.local(ctx.data["filed_at"])
    if deadline is not None and filed > date.fromisoformat(deadline.due_on):
        raise TransitionNotAllowed(
            f"Upaya administratif diajukan {filed}, melewati batas {deadline.due_on}"
        )
    if filed > ctx.today:
        raise InvalidInput(f"Tanggal pengajuan {filed} tidak boleh di masa depan")


def objection_outcome_valid(ctx: StepContext) -> None:
    outcome = ctx.data["outcome"]
    if outcome not in ("dikuatkan", "diubah"):
        raise InvalidInput("Hasil upaya administratif harus 'dikuatkan' atau 'diubah'")
    if outcome == "diubah":
        code = ctx.data.get("sanction_code")
        if not code:
            raise InvalidInput("Hasil 'diubah' memerlukan 'sanction_code' yang baru")
        ctx.rule_set.sanction(code)


def deadline_has_passed(ctx: StepContext) -> dict[str, str] | None:
    """A step the law ties to a missed deadline is taken only once that deadline has passed.

    Applies to every actor (the sweep, BKN, the PPK). An administrator may take it earlier
    only with a recorded `override_reason`; returns the override to record, or None.
    """
    deadline = ctx.case.deadline
    passed = (
        deadline is not None
        and deadline.stopped_at is None
        and ctx.at >= parse_utc(deadline.due_at)
    )
    reason = str(ctx.data.get("override_reason") or "").strip()
    if passed:
        if reason:
            raise InvalidInput("Tenggat sudah terlewati: 'override_reason' tidak diperlukan")
        return None
    due = deadline.due_on if deadline is not None else "-"
    stopped = " (tenggat sedang dihentikan sementara)" if deadline and deadline.stopped_at else ""
    if ctx.actor.role is not Role.ADMIN:
        raise TransitionNotAllowed(
            f"Langkah ini hanya dapat diambil setelah tenggat {due} terlewati{stopped}"
        )
    if not reason:
        raise InvalidInput(
            f"Tenggat {due} belum terlewati{stopped}: administrator wajib mengisi "
            "'override_reason' untuk mengambil langkah ini lebih awal"
        )
    return {"reason": reason, "due_on": due, "by": ctx.actor.user_id}


def objection_possible(ctx: StepContext) -> bool:
    code = ctx.case.sanction_code
    return code is not None and ctx.rule_set.sanction(code).objection != "none"


def objection_impossible(ctx: StepContext) -> bool:
    return not objection_possible(ctx)


GUARDS: dict[str, Guard] = {
    fn.__name__: fn
    for fn in (
        within_filing_window,
        clarification_notice,
        violations_known,
        category_known,
        category_matches_violations,
        summons_notice,
        second_summons_allowed,
        examination_recordable,
        sanction_known,
        sanction_matches_recommendation,
        examination_team_for_berat,
        recommending_body_acts,
        discipline_path,
        ethics_path,
        hearing_in_future,
        hearing_held,
        ethics_sanction_only,
        discipline_sanction_only,
        examination_team_when_ordered,
        party_entry_for_ptdh,
        keberatan_applies,
        banding_applies,
        bpasn_decision_date_valid,
        delivery_not_before_decree,
        objection_in_time,
        objection_outcome_valid,
    )
}

SELECTORS: dict[str, Selector] = {
    fn.__name__: fn for fn in (objection_possible, objection_impossible)
}
