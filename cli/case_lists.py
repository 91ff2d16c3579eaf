"""Human output of `netra case list` and `netra case steps`: rule labels of each case's own
rule-set version and Indonesian dates, in tables that stay readable at 80 columns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cli.common import console
from cli.labels import label, labels_of, role_short
from cli.safe_text import SafeTable as Table
from cli.safe_text import shown
from rules.indonesian_dates import day

if TYPE_CHECKING:
    from rules.models import TransitionSpec
    from rules.ruleset import RuleSet
    from states.case import Case


def print_case_list(found: list[Case]) -> None:
    """One row per case: who and where, the state, the violations (short titles), who must
    act and by when. Case ids are never cut; everything else wraps."""
    table = Table(title=f"{len(found)} perkara")
    width = max((len(case.case_id) for case in found), default=7)
    table.add_column("Perkara", no_wrap=True, min_width=width)
    table.add_column("Terlapor, wilayah", overflow="fold")
    table.add_column("Status", overflow="fold")
    table.add_column("Pelanggaran", overflow="fold")
    table.add_column("Harus bertindak", overflow="fold")
    for case in found:
        rules = labels_of(case.rule_set)
        deadline = case.deadline
        due = "-"
        if deadline:
            due = f"{role_short(rules, deadline.owner)}\n{day(deadline.due_on)}"
            due += " TERLAMBAT" if deadline.missed else ""
        table.add_row(
            case.case_id,
            f"{case.terlapor.get('name', '')}\n{rules.region_name(case.region_code)}",
            label(rules.state_label, case.state),
            "; ".join(label(rules.violation_title, code) for code in case.violation_codes),
            due,
        )
    console.print(table)


def print_steps(case_id: str, specs: list[TransitionSpec], rules: RuleSet) -> None:
    """Each step that can be taken now: its label, who may take it, the command and the data
    it needs (each field by its label, with the option that gives it)."""
    if not specs:
        console.print(f"Tidak ada langkah yang dapat diambil pada perkara {shown(case_id)}.")
        return
    for spec in specs:
        roles = ", ".join(label(rules.role_label, role.value) for role in spec.roles)
        command = f"netra case {spec.trigger.replace('_', '-')} {case_id}"
        needs = "; ".join(
            f"{label(rules.field_label, name)} (--{name.replace('_', '-')})"
            for name in spec.required
        )
        console.print(
            f"[bold]{shown(spec.label)}[/] ({shown(roles)})\n"
            f"  perintah: {shown(command)}\n"
            f"  perlu: {shown(needs or '-')}"
        )
