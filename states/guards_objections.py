"""Guards of objections, appeals and deadlines: keberatan or banding, the BPASN decision, the
decree's delivery, filing in time and the outcome, steps tied to a missed deadline, and the
selectors that branch on whether an objection is possible at all."""

from __future__ import annotations

from datetime import date

from rules.errors import InvalidInput, TransitionNotAllowed
from rules.models import Role
from states.canonical import parse_utc
from states.step_context import StepContext


def keberatan_applies(ctx: StepContext) -> None:
    sanction = ctx.rule_set.sanction(ctx.case.sanction_code or "")
    if sanction.objection != "keberatan":
        raise TransitionNotAllowed(
            f"Terhadap {ctx.rule_set.sanction_label(sanction.code).lower()} upaya administratifnya "
            "banding administratif kepada BPASN (PP 79/2021 Pasal 1 angka 5): gunakan langkah "
            f"{ctx.step('file_appeal')}"
        )


def banding_applies(ctx: StepContext) -> None:
    sanction = ctx.rule_set.sanction(ctx.case.sanction_code or "")
    if sanction.objection != "banding":
        raise TransitionNotAllowed(
            f"Banding administratif kepada BPASN hanya terhadap pemberhentian; terhadap "
            f"{ctx.rule_set.sanction_label(sanction.code).lower()} ajukan keberatan "
            f"(PP 79/2021 Pasal 1 angka 4): gunakan langkah {ctx.step('file_objection')}"
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
            raise InvalidInput(f"Hasil 'diubah' memerlukan {ctx.field('sanction_code')} yang baru")
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
            raise InvalidInput(
                f"Tenggat sudah terlewati: {ctx.field('override_reason')} tidak diperlukan"
            )
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
            f"{ctx.field('override_reason')} untuk mengambil langkah ini lebih awal"
        )
    return {"reason": reason, "due_on": due, "by": ctx.actor.user_id}


def objection_possible(ctx: StepContext) -> bool:
    code = ctx.case.sanction_code
    return code is not None and ctx.rule_set.sanction(code).objection != "none"


def objection_impossible(ctx: StepContext) -> bool:
    return not objection_possible(ctx)
