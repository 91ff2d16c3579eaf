"""Guards of Bawaslu's handling: the filing window, the clarification notice, the violations
a recommendation names, and which body may examine and recommend."""

from __future__ import annotations

from rules.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from rules.models import ElectionType, Role
from states.step_context import StepContext


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
