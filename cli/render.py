"""Human output for cases and timelines (rich), and the same data as JSON with --json."""

from __future__ import annotations

from rich.panel import Panel

from cli.common import OPTIONS, console, emit_json
from cli.safe_text import SafeTable as Table
from cli.safe_text import shown
from rules.case_labels import case_labels
from states.case import Case
from states.events import RecordedEvent


def print_case(case: Case) -> None:
    if OPTIONS.json:
        emit_json(case.to_dict())
        return
    rules = case_labels(case.rule_set)
    state_label = rules.state_label(case.state)
    region = rules.region_name(case.region_code)
    terlapor = case.terlapor
    lines = [
        f"[bold]{shown(case.case_id)}[/]  {shown(state_label)}",
        f"Wilayah: {shown(region)} ({shown(case.election_type)}, {shown(case.channel)})",
        f"Terlapor: {shown(terlapor.get('name'))} (NIP {shown(terlapor.get('nip'))}), "
        f"{shown(terlapor.get('position'))}",
        "Pelanggaran: "
        + shown(
            "; ".join(
                rules.violation_label(c, case.after_determination) for c in case.violation_codes
            )
        ),
        f"Versi: {case.version}  Aturan: {shown(case.rule_set)}  "
        f"Penanggung jawab: {shown(case.assignee)}",
    ]
    if case.reporter is not None:
        if case.reporter.get("redacted"):
            lines.append("Pelapor: \\[dirahasiakan]")
        else:
            lines.append(f"Pelapor: {shown(case.reporter.get('name'))}")
    if case.recommended_category:
        lines.append(
            f"Rekomendasi {shown(rules.recommending_body)}: "
            f"{shown(rules.category_label(case.recommended_category))} → PPK "
            f"{shown(case.ppk_institution)}"
        )
    if case.sanction_code:
        lines.append(f"Sanksi: {shown(rules.sanction_label(case.sanction_code))}")
    if case.deadline:
        d = case.deadline
        flag = " [bold red]TERLAMBAT[/]" if d.missed else ""
        level = (
            " (tingkat layanan yang ditetapkan administrator)" if d.basis == "service_level" else ""
        )
        lines.append(
            f"Harus bertindak: [bold]{shown(rules.role_label(d.owner))}[/] — {shown(d.action)}, "
            f"paling lambat [bold]{shown(d.due_on)}[/]{level}{flag}"
        )
    if case.escalations:
        kinds = [rules.escalation_label(e["kind"]) for e in case.escalations]
        lines.append("Eskalasi: " + shown(", ".join(kinds)))
    if case.siasn_blocked:
        lines.append("[bold red]Data SIASN terlapor diblokir[/] sampai rekomendasi ditindaklanjuti")
    if case.letters:
        lines.append(
            "Surat: " + shown(", ".join(f"{x['kind']} {x['number']}" for x in case.letters))
        )
    if case.closed_at:
        lines.append(f"Selesai: {shown(case.outcome)} pada {shown(case.closed_at)}")
    console.print(Panel("\n".join(lines), expand=False))


def print_timeline(case_id: str, events: list[RecordedEvent]) -> None:
    if OPTIONS.json:
        emit_json([event.to_dict() for event in events])
        return
    table = Table(title=f"Riwayat {case_id}")
    for column in ("Seq", "Waktu (UTC)", "Peristiwa", "Pelaku", "Rincian"):
        table.add_column(column, overflow="fold")
    table.add_column("Hash", no_wrap=True, min_width=16)
    for event in events:
        p = event.payload
        if "trigger" in p:
            detail = f"{p['from']} → {p['to']}"
            if p.get("deadline_override"):
                detail += f" (pengecualian administrator: {p['deadline_override']['reason']})"
        elif "due_on" in p:
            detail = f"{p.get('state', '')} s.d. {p['due_on']}"
        elif event.event_type == "letter_issued":
            detail = f"{p.get('kind')} {p.get('number')}"
        elif event.event_type == "escalated":
            detail = f"{p.get('kind')} → {p.get('to')}"
        else:
            detail = ""
        late = p.get("entered_late")
        if late:
            detail += f" (dicatat terlambat: {event.recorded_at:%Y-%m-%d %H:%M})"
        if event.clock:
            detail += " (jam tetap)"
        actor = f"{event.actor.user_id} ({event.actor.role.value})"
        if event.actor.operator:
            actor += f", dioperasikan {event.actor.operator}"
        table.add_row(
            str(event.seq),
            event.occurred_at.strftime("%Y-%m-%d %H:%M"),
            event.event_type,
            actor,
            detail.strip(),
            event.hash[:16],
        )
    console.print(table)
