"""`netra audit verify|replay|diff`: check the recorded history (hash chains, times,
projections, checkpoints, letters, the registry, optionally against a publication) and read
a case as it stood at a past instant or what changed between two."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cases.identity.accounts import verify_registry_history
from cases.integrity import verify_records
from cases.publication import MAX_PUBLICATION_BYTES, read_publication
from cases.queries import replay_at
from cases.replay import diff, summary
from cases.signing import load_public_key
from cli.audit_inputs import KeyOption, read_limited, wib_instant
from cli.common import (
    OPTIONS,
    acting_user,
    console,
    emit_json,
    err_console,
    handles_errors,
    open_uow,
)
from cli.labels import institution_names, labels_of
from cli.render import print_case
from cli.safe_text import SafeTable as Table
from cli.safe_text import shown
from rules.indonesian_dates import instant

CaseOption = Annotated[
    list[str] | None, typer.Option("--case", help="Hanya perkara ini (dapat diulang)")
]


@handles_errors
def verify(
    case: CaseOption = None,
    published: Annotated[
        Path | None,
        typer.Option(
            "--published", help="Berkas akar yang diumumkan: riwayat harus memperpanjangnya"
        ),
    ] = None,
    key: KeyOption = None,
) -> None:
    """Periksa rantai hash, waktu, proyeksi, checkpoint dan surat; kode keluar 7 bila ada yang rusak."""
    publication = None
    if published is not None:
        pinned = load_public_key(key) if key is not None else None
        publication = read_publication(
            read_limited(published, MAX_PUBLICATION_BYTES, "Berkas publikasi"), pinned
        )
        if not OPTIONS.json:
            typer.echo(
                f"Publikasi: {len(publication.entries)} checkpoint, kunci "
                f"{publication.key_fingerprint}" + ("" if key else " (belum dicocokkan: --key)")
            )
    report = verify_records(open_uow(), acting_user(), case or None, published=publication)
    registry = None if case else verify_registry_history(open_uow(), acting_user())
    intact = report.ok and (registry is None or registry.intact)
    if OPTIONS.json:
        result = report.to_dict()
        if registry is not None:
            result["registry"] = {
                "events": registry.events,
                "intact": registry.intact,
                "findings": registry.findings,
            }
        emit_json(result)
    elif intact:
        console.print(
            f"[green]Utuh:[/] {report.cases} perkara, {report.events} peristiwa, "
            f"{report.checkpoints} checkpoint, {report.letters} surat"
            + (f", {registry.events} peristiwa registri" if registry is not None else "")
        )
    else:
        for item in report.findings:
            err_console.print(f"[red]RUSAK[/] {shown(item)}", highlight=False)
        for finding in registry.findings if registry is not None else []:
            err_console.print(f"[red]RUSAK[/] registri | {shown(finding)}", highlight=False)
    if not intact:
        raise typer.Exit(7)


@handles_errors
def replay(
    case_id: str,
    at: Annotated[str, typer.Option("--at", help="Waktu (ISO; tanpa zona = WIB)")],
) -> None:
    """Keadaan perkara pada waktu tertentu, dibangun ulang hanya dari peristiwa."""
    uow = open_uow()
    case = replay_at(uow, acting_user(), case_id, wib_instant(at, "--at"))
    if OPTIONS.json:
        emit_json({"summary": summary(case), "case": case.to_dict()})
        return
    console.print(f"Keadaan pada {shown(at)} (versi {case.version}):")
    print_case(case, uow)


@handles_errors
def diff_(
    case_id: str,
    from_: Annotated[str, typer.Option("--from", help="Waktu awal (ISO)")],
    to: Annotated[str, typer.Option("--to", help="Waktu akhir (ISO)")],
) -> None:
    """Apa yang berubah pada perkara di antara dua waktu (per kolom)."""
    uow = open_uow()
    result = diff(
        uow, acting_user(), case_id, wib_instant(from_, "--from"), wib_instant(to, "--to")
    )
    if OPTIONS.json:
        emit_json(result.to_dict())
        return
    from cli.case_changes import field_name, value_text
    from rules.ruleset import load_rule_set

    case, rules = result.after, load_rule_set(result.after.rule_set or None)
    names = institution_names(uow) if result.changes else {}
    console.print(f"{shown(case_id)}: versi {result.before.version} → {result.after.version}")
    table = Table(title="Perubahan")
    for column in ("Isian", "Sebelum", "Sesudah"):
        table.add_column(column, overflow="fold")
    for change in result.changes:
        table.add_row(
            field_name(change.path, rules),
            value_text(change.path, change.before, result.before, names),
            value_text(change.path, change.after, case, names),
        )
    console.print(table)
    region = result.after.region_code
    for event in result.events:
        console.print(
            f"  peristiwa {event.seq}, {instant(event.occurred_at, region)}: "
            f"{shown(labels_of(event.rule_set).event_label(event.event_type))} "
            f"({shown(event.actor.user_id)})",
            highlight=False,
        )
