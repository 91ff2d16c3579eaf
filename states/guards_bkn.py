"""Guards of BKN's recommendation: the sanction category is known and matches the case's
violations, with the category the catalog proposes and the violations it leaves open."""

from __future__ import annotations

from rules.errors import InvalidInput, TransitionNotAllowed
from rules.ruleset import RuleSet
from states.case import Case
from states.step_context import StepContext


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
            f"isi {ctx.field('justification')} dengan dasar penetapan tingkat sanksi"
        )
    proposed = proposed_category(ctx.case, ctx.rule_set)
    chosen = ctx.data["sanction_category"]
    if proposed is not None and chosen != proposed and not ctx.justified():
        rules = ctx.rule_set
        raise TransitionNotAllowed(
            f"Kategori {rules.category_label(chosen).lower()} berbeda dari kategori menurut "
            f"Lampiran SKB 2022 untuk pelanggaran ini ({rules.category_label(proposed).lower()}"
            f"); isi {ctx.field('justification')} untuk menyimpang"
        )
