"""Human output for cases and timelines (rich), and the same data as JSON with --json.

Human output reads as an official would: the labels of the case's own rule-set version,
dates and times the Indonesian way in the case region's time zone; JSON keeps the codes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from cli.common import OPTIONS, console, emit_json
from cli.labels import institution_name, label, labels_of, role_short, violations
from cli.safe_text import SafeTable as Table
from cli.safe_text import shown, strip_control
from rules.indonesian_dates import day, instant
from rules.indonesian_terms import channel_label, election_type_label
from states.case import Case
from states.events import RecordedEvent

if TYPE_CHECKING:
    from db.reading import ReadingUnitOfWork
    from rules.case_labels import CaseLabels


def print_case(case: Case, uow: ReadingUnitOfWork | None = None) -> None:
    """The case's summary; with `uow` (the command's own), the PPK is named, not coded."""
    if OPTIONS.json:
        emit_json(case.to_dict())
        return
    rules = labels_of(case.rule_set)
    terlapor = case.terlapor
    lines = [
        f"[bold]{shown(case.case_id)}[/]  {shown(label(rules.state_label, case.state))}",
        f"Wilayah: {shown(rules.region_name(case.region_code))} "
        f"({shown(election_type_label(case.election_type))}, "
        f"{shown(channel_label(case.channel))})",
        f"Terlapor: {shown(terlapor.get('name'))} (NIP {shown(terlapor.get('nip'))}), "
        f"{shown(terlapor.get('position'))}",
        "Pelanggaran: " + shown(violations(rules, case.violation_codes, case.after_determination)),
        f"Versi: {case.version}  Aturan: {shown(case.rule_set)}  "
        f"Penanggung jawab: {shown(case.assignee)}",
    ]
    if case.reporter is not None:
        if case.reporter.get("redacted"):
            lines.append("Pelapor: \\[dirahasiakan]")
        else:
            lines.append(f"Pelapor: {shown(case.reporter.get('name'))}")
    if case.recommended_category:
        ppk = case.ppk_institution
        if ppk and uow is not None:
            ppk = institution_name(uow, ppk)
        lines.append(
            f"Rekomendasi {shown(rules.recommending_body)}: "
            f"{shown(label(rules.category_label, case.recommended_category))} → PPK "
            f"{shown(ppk)}"
        )
    if case.sanction_code:
        lines.append(f"Sanksi: {shown(label(rules.sanction_label, case.sanction_code))}")
    if case.deadline:
        d = case.deadline
        flag = " [bold red]TERLAMBAT[/]" if d.missed else ""
        level = (
            " (tingkat layanan yang ditetapkan administrator)" if d.basis == "service_level" else ""
        )
        if d.stopped_at:
            level += f" (dihentikan sementara sejak {instant(d.stopped_at, case.region_code)})"
        lines.append(
            f"Harus bertindak: [bold]{shown(label(rules.role_label, d.owner))}[/] — "
            f"{shown(d.action)}, paling lambat [bold]{shown(day(d.due_on))}[/]{level}{flag}"
        )
    if case.escalations:
        kinds = [rules.escalation_label(e["kind"]) for e in case.escalations]
        lines.append("Eskalasi: " + shown(", ".join(kinds)))
    if case.siasn_blocked:
        lines.append("[bold red]Data SIASN terlapor diblokir[/] sampai rekomendasi ditindaklanjuti")
    if case.letters:
        lines.append("Surat:")
    issued = Table.grid(padding=(0, 1))
    issued.add_column(no_wrap=True)
    issued.add_column(overflow="fold")
    for x in case.letters:  # a grid: a long subject wraps under itself, not under the bullet
        issued.add_row("  •", f"{letter_title(x['kind'])} {x['number']}")
    closing = (
        f"Berakhir pada {shown(instant(case.closed_at, case.region_code))}: "
        f"{shown(label(rules.state_label, case.outcome))}"
        if case.closed_at
        else None
    )
    parts: list[RenderableType] = [Text.from_markup("\n".join(lines))]
    if case.letters:
        parts.append(issued)
    if closing is not None:
        parts.append(Text.from_markup(closing))
    console.print(Panel(Group(*parts), expand=False))


def letter_title(kind: str | None) -> str:
    """A letter kind's subject (perihal) from the letter catalog; the kind when not listed."""
    from letters.catalog import KINDS  # light: the kinds' titles, no templates

    spec = KINDS.get(kind or "")
    return spec.title if spec is not None else (kind or "-")


def print_timeline(case_id: str, events: list[RecordedEvent]) -> None:
    if OPTIONS.json:
        emit_json([event.to_dict() for event in events])
        return
    region = next(
        (e.payload["region_code"] for e in events if isinstance(e.payload.get("region_code"), str)),
        None,
    )
    table = Table(title=f"Riwayat {case_id}")
    table.add_column("No.", justify="right")
    table.add_column("Waktu", overflow="fold")
    table.add_column("Peristiwa dan rincian", overflow="fold")
    table.add_column("Pelaku", overflow="fold")
    table.add_column("Hash", no_wrap=True, min_width=12)
    for event in events:
        rules = labels_of(event.rule_set)
        detail = _detail(rules, event.event_type, event.payload)
        if event.payload.get("entered_late"):
            detail += f" (dicatat terlambat: {instant(event.recorded_at, region)})"
        if event.clock:
            detail += " (jam tetap)"
        actor = f"{event.actor.user_id}\n({role_short(rules, event.actor.role.value)})"
        if event.actor.operator:
            actor += f", dioperasikan {event.actor.operator}"
        what = Text(strip_control(rules.event_label(event.event_type)), style="bold")
        if detail.strip():
            what.append("\n" + strip_control(detail.strip()))
        table.add_row(
            str(event.seq),
            "{}\n{} {}".format(*instant(event.occurred_at, region).rsplit(" ", 2)),
            what,
            actor,
            event.hash[:12],
        )
    console.print(table)


def _detail(rules: CaseLabels, event_type: str, p: dict[str, Any]) -> str:
    """What an event changed, in words: a step's move between states, a deadline's state and
    date, a letter, an escalation."""
    if "trigger" in p:
        detail = f"{label(rules.state_label, p['from'])} → {label(rules.state_label, p['to'])}"
        if p.get("deadline_override"):
            detail += f" (pengecualian administrator: {p['deadline_override']['reason']})"
        return detail
    if "due_on" in p:
        state = label(rules.state_label, p.get("state")) if p.get("state") else ""
        return f"{state} s.d. {day(p['due_on'])}".strip()
    if event_type in ("letter_issued", "letter_recorded"):
        return f"{letter_title(p.get('kind'))} {p.get('number') or ''}"
    if event_type == "escalated":
        to = label(rules.role_label, p.get("to"))
        return f"{rules.escalation_label(str(p.get('kind')))} → {to}"
    return ""
