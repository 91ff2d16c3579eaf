"""Guards of the PPK's examination and sanction: summonses, the examination, the examination
team, the disciplinary and ethics paths, the sanction and the party-entry date for PTDH."""

from __future__ import annotations

from datetime import date

from rules.errors import InvalidInput, TransitionNotAllowed
from states.step_context import StepContext


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
        rules = ctx.rule_set
        advised = rules.category_label(recommended).lower() if recommended else "belum ada"
        raise TransitionNotAllowed(
            f"Sanksi {rules.sanction_label(sanction.code)} "
            f"({rules.category_label(sanction.category).lower()}) tidak sesuai rekomendasi "
            f"BKN ({advised}); isi {ctx.field('justification')} untuk menyimpang"
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
            f"langkah {ctx.step('convene_ethics_council')}"
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
            f"pemeriksa (PP 94/2021): isi {ctx.field('examination_team')} pada panggilan"
        )


def examination_team_for_berat(ctx: StepContext) -> None:
    """A heavy sanction needs an examination team (tim pemeriksa, PP 94/2021)."""
    sanction = ctx.rule_set.sanction(ctx.data["sanction_code"])
    if sanction.requires_examination_team and not ctx.case.examination_team:
        raise TransitionNotAllowed(
            f"{ctx.rule_set.sanction_label(sanction.code)} memerlukan tim pemeriksa: bentuk "
            f"tim dengan langkah {ctx.step('appoint_examination_team')} sebelum keputusan"
        )


def party_entry_for_ptdh(ctx: StepContext) -> None:
    """PTDH for party membership counts from the end of the month the ASN joined the party
    (PP 11/2017 Pasal 255 ayat (5)): the decree needs that date."""
    sanction = ctx.rule_set.sanction(ctx.data["sanction_code"])
    joined = ctx.data.get("party_joined_on")
    if not sanction.effective_from_party_entry:
        if joined is not None:
            raise InvalidInput(
                f"{ctx.field('party_joined_on')} hanya untuk pemberhentian karena keanggotaan "
                "partai"
            )
        return
    if joined is None:
        raise InvalidInput(
            "Pemberhentian tidak dengan hormat karena keanggotaan partai politik memerlukan "
            f"{ctx.field('party_joined_on')} ({ctx.rule_set.legal.party_dismissal.text})"
        )
    if date.fromisoformat(joined) > date.fromisoformat(ctx.data["decree_date"]):
        raise InvalidInput(f"Tanggal menjadi anggota partai {joined} setelah tanggal keputusan")
