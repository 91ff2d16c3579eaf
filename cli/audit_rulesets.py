"""`netra audit whatif|migrate`: compare a case's recorded steps under another rule-set
version, and move a case to another rule-set version (recorded as an event)."""

from __future__ import annotations

from typing import Annotated

import typer

from cases.whatif import migrate_rule_set, whatif
from cli.common import OPTIONS, acting_user, clock, console, emit_json, handles_errors, open_uow
from cli.labels import label, labels_of
from cli.render import print_case
from cli.safe_text import SafeTable as Table
from rules.indonesian_dates import day


@handles_errors
def whatif_(
    case_id: str,
    rules: Annotated[str, typer.Option("--rules", help="Versi aturan pembanding, mis. 2025.1")],
) -> None:
    """Putar ulang langkah perkara di bawah versi aturan lain; tampilkan perbedaannya."""
    report = whatif(open_uow(), acting_user(), case_id, rules)
    if OPTIONS.json:
        emit_json(report.to_dict())
        return
    table = Table(title=f"{case_id}: aturan {report.recorded_rule_set} vs {report.alternative}")
    for column in (
        "No.",
        "Langkah",
        "Boleh",
        "Status",
        "Tenggat (tercatat)",
        "Tenggat (alt.)",
        "Keterangan",
    ):
        table.add_column(column, overflow="fold")
    recorded, alternative = labels_of(report.recorded_rule_set), labels_of(report.alternative)
    for step in report.steps:
        style = "red" if step.differs else ""
        status = label(recorded.state_label, step.recorded_state)
        if step.recorded_state != step.alternative_state:
            status += f" / {label(alternative.state_label, step.alternative_state)}"
        late = ""
        if bool(step.recorded_late) != bool(step.alternative_late):
            late = f"terlambat: {_yes_no(step.recorded_late)} → {_yes_no(step.alternative_late)}"
        table.add_row(
            str(step.seq),
            recorded.steps.get(step.action) or recorded.event_label(step.action),
            "ya" if step.allowed else "TIDAK",
            status,
            day(step.recorded_due_on),
            day(step.alternative_due_on),
            step.reason or late,
            style=style,
        )
    console.print(table)
    console.print(f"{len(report.differences)} langkah berbeda")


def _yes_no(value: bool | None) -> str:
    return "ya" if value else "tidak"


@handles_errors
def migrate(
    case_id: str,
    rules: Annotated[str, typer.Option("--rules", help="Versi aturan tujuan")],
    reason: Annotated[str, typer.Option("--reason", help="Alasan migrasi (dicatat)")],
) -> None:
    """Pindahkan perkara ke versi aturan lain (dicatat sebagai peristiwa; tenggat dihitung ulang)."""
    uow = open_uow()
    case = migrate_rule_set(uow, acting_user(), case_id, rules, reason, clock())
    print_case(case, uow)
