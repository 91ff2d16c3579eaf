"""`netra audit whatif|migrate`: compare a case's recorded steps under another rule-set
version, and move a case to another rule-set version (recorded as an event)."""

from __future__ import annotations

from typing import Annotated

import typer

from cases.whatif import migrate_rule_set, whatif
from cli.common import OPTIONS, acting_user, clock, console, emit_json, handles_errors, open_uow
from cli.render import print_case
from cli.safe_text import SafeTable as Table


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
        "Seq",
        "Langkah",
        "Boleh",
        "Status",
        "Tenggat (tercatat)",
        "Tenggat (alt.)",
        "Keterangan",
    ):
        table.add_column(column, overflow="fold")
    for step in report.steps:
        style = "red" if step.differs else ""
        status = (
            step.recorded_state
            if step.recorded_state == step.alternative_state
            else f"{step.recorded_state} / {step.alternative_state}"
        )
        late = ""
        if bool(step.recorded_late) != bool(step.alternative_late):
            late = f"terlambat: {step.recorded_late} → {step.alternative_late}"
        table.add_row(
            str(step.seq),
            step.action,
            "ya" if step.allowed else "TIDAK",
            status,
            step.recorded_due_on or "-",
            step.alternative_due_on or "-",
            step.reason or late,
            style=style,
        )
    console.print(table)
    console.print(f"{len(report.differences)} langkah berbeda")


@handles_errors
def migrate(
    case_id: str,
    rules: Annotated[str, typer.Option("--rules", help="Versi aturan tujuan")],
    reason: Annotated[str, typer.Option("--reason", help="Alasan migrasi (dicatat)")],
) -> None:
    """Pindahkan perkara ke versi aturan lain (dicatat sebagai peristiwa; tenggat dihitung ulang)."""
    case = migrate_rule_set(open_uow(), acting_user(), case_id, rules, reason, clock())
    print_case(case)
