"""`netra audit ...`: verify chains, checkpoints and letters; replay and diff a case over time;
seal checkpoints, sign and publish their roots (key outside the database) and check the
database against a publication; export and verify an offline bundle; what-if and migrate
rule-set versions."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from cases.bundle import AUDITOR_EDITION, FULL_EDITION
from cases.bundle_archive import DEFAULT_LIMITS
from cases.bundle_export import export_bundle, export_log
from cases.bundle_verify import verify_bundle
from cases.checkpoints import create_checkpoint, list_checkpoints, publish_roots
from cases.fields import parse_instant
from cases.identity.accounts import verify_registry_history
from cases.integrity import verify_records
from cases.publication import MAX_PUBLICATION_BYTES, read_publication
from cases.queries import replay_at
from cases.replay import diff, summary
from cases.signing import Signer, generate_key, load_public_key, load_signer
from cases.whatif import migrate_rule_set, whatif
from cli.common import (
    OPTIONS,
    acting_user,
    clock,
    console,
    emit_json,
    err_console,
    fail,
    handles_errors,
    open_uow,
)
from cli.output_files import write_file
from cli.render import print_case
from cli.safe_text import SafeTable as Table
from cli.safe_text import shown
from db.case_repository import CaseFilter
from db.settings import get_settings
from rules.errors import InvalidInput

app = typer.Typer(
    help="Audit: verifikasi, replay, checkpoint, ekspor bundel, versi aturan.", no_args_is_help=True
)

WIB = ZoneInfo("Asia/Jakarta")
CaseOption = Annotated[
    list[str] | None, typer.Option("--case", help="Hanya perkara ini (dapat diulang)")
]


ForceOption = Annotated[bool, typer.Option("--force", help="Timpa berkas yang sudah ada")]
KeyOption = Annotated[
    Path | None, typer.Option("--key", help="Kunci publik penanda tangan yang dipercaya (PEM)")
]


def _instant(value: str, name: str) -> datetime:
    """ISO instant; without an offset it is read as WIB."""
    return parse_instant(value, WIB, name)


def signing_key_path() -> Path:
    """NETRA_SIGNING_KEY_FILE, or ~/.config/netra/signing-ed25519.pem (outside the database)."""
    configured = get_settings().signing_key_file
    if configured:
        return Path(configured).expanduser()
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "netra" / "signing-ed25519.pem"


def _signer() -> Signer:
    return load_signer(signing_key_path())


def _read_limited(path: Path, limit: int, what: str) -> bytes:
    """A file's bytes, refusing it by its size before reading."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise InvalidInput(f"{what} {path} terlalu besar: {size} bita (batas {limit})")
        with path.open("rb") as handle:
            return handle.read(limit + 1)
    except OSError as error:
        raise InvalidInput(f"{what} {path} tidak dapat dibaca ({error.strerror})") from None


@app.command("keygen")
@handles_errors
def keygen(
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Berkas kunci privat (bawaan: NETRA_SIGNING_KEY_FILE)"),
    ] = None,
    force: ForceOption = False,
) -> None:
    """Buat kunci Ed25519 penanda tangan (privat mode 0600, publik .pub); tidak menimpa."""
    path = (out or signing_key_path()).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    signer = generate_key(path, path.with_name(path.name + ".pub"), force)
    if OPTIONS.json:
        emit_json(
            {
                "private_key": str(path),
                "public_key": f"{path}.pub",
                "fingerprint": signer.fingerprint,
            }
        )
        return
    typer.echo(f"Kunci privat: {path} (mode 600; simpan di luar basis data, cadangkan)")
    typer.echo(f"Kunci publik: {path}.pub")
    typer.echo(f"Sidik jari:   {signer.fingerprint}")


@app.command("publish")
@handles_errors
def publish(
    out: Annotated[Path, typer.Option("--out", help="Berkas akar bertanda tangan (JSON)")],
    force: ForceOption = False,
) -> None:
    """Tulis akar checkpoint yang ditandatangani, untuk diumumkan di luar basis data."""
    signer = _signer()
    data = publish_roots(open_uow(), acting_user(), signer, clock())
    write_file(out, data, force, mode=0o644)
    if OPTIONS.json:
        emit_json({"out": str(out), "bytes": len(data), "key_fingerprint": signer.fingerprint})
        return
    typer.echo(f"Akar checkpoint ditulis: {out}")
    typer.echo(f"Sidik jari kunci: {signer.fingerprint}")


@app.command("verify")
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
            _read_limited(published, MAX_PUBLICATION_BYTES, "Berkas publikasi"), pinned
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


@app.command("replay")
@handles_errors
def replay(
    case_id: str,
    at: Annotated[str, typer.Option("--at", help="Waktu (ISO; tanpa zona = WIB)")],
) -> None:
    """Keadaan perkara pada waktu tertentu, dibangun ulang hanya dari peristiwa."""
    case = replay_at(open_uow(), acting_user(), case_id, _instant(at, "--at"))
    if OPTIONS.json:
        emit_json({"summary": summary(case), "case": case.to_dict()})
        return
    console.print(f"Keadaan pada {shown(at)} (versi {case.version}):")
    print_case(case)


@app.command("diff")
@handles_errors
def diff_(
    case_id: str,
    from_: Annotated[str, typer.Option("--from", help="Waktu awal (ISO)")],
    to: Annotated[str, typer.Option("--to", help="Waktu akhir (ISO)")],
) -> None:
    """Apa yang berubah pada perkara di antara dua waktu (per kolom)."""
    result = diff(
        open_uow(), acting_user(), case_id, _instant(from_, "--from"), _instant(to, "--to")
    )
    if OPTIONS.json:
        emit_json(result.to_dict())
        return
    console.print(f"{shown(case_id)}: versi {result.before.version} → {result.after.version}")
    table = Table(title="Perubahan")
    for column in ("Kolom", "Sebelum", "Sesudah"):
        table.add_column(column, overflow="fold")
    for change in result.changes:
        table.add_row(change.path, str(change.before), str(change.after))
    console.print(table)
    for event in result.events:
        console.print(
            f"  seq {event.seq} {event.occurred_at:%Y-%m-%d %H:%M} "
            f"{event.event_type} ({event.actor.user_id})",
            highlight=False,
        )


@app.command("checkpoint")
@handles_errors
def checkpoint() -> None:
    """Buat checkpoint: akar Merkle atas ujung rantai semua perkara (harian)."""
    created = create_checkpoint(open_uow(), acting_user(), clock())
    if OPTIONS.json:
        emit_json(created.to_dict())
    else:
        typer.echo(created.printable())


@app.command("checkpoints")
@handles_errors
def checkpoints(
    printable: Annotated[
        bool, typer.Option("--print", help="Teks lengkap untuk diumumkan/ditandatangani")
    ] = False,
) -> None:
    """Daftar checkpoint (berantai)."""
    items = list_checkpoints(open_uow(), acting_user())
    if OPTIONS.json:
        emit_json([c.to_dict() for c in items])
        return
    if printable:
        for item in items:
            typer.echo(item.printable())
        return
    table = Table(title="Checkpoint")
    for column in ("#", "Dibuat (UTC)", "Perkara", "Peristiwa", "Akar", "Hash"):
        table.add_column(column, overflow="fold")
    for item in items:
        table.add_row(
            str(item.id),
            item.created_at.strftime("%Y-%m-%d %H:%M"),
            str(item.case_count),
            str(item.event_count),
            item.root_hash[:16],
            item.hash[:16],
        )
    console.print(table)


@app.command("export")
@handles_errors
def export(
    out: Annotated[Path, typer.Option("--out", help="Berkas bundel .zip (mode 600)")],
    case_ids: Annotated[
        list[str] | None, typer.Argument(help="Nomor perkara (kosong: pakai filter)")
    ] = None,
    state: Annotated[str | None, typer.Option(help="Filter status")] = None,
    region: Annotated[str | None, typer.Option(help="Filter kode wilayah")] = None,
    open_: Annotated[
        bool | None, typer.Option("--open/--closed", help="Hanya yang berjalan/selesai")
    ] = None,
    no_pdf: Annotated[bool, typer.Option("--no-pdf", help="Tanpa PDF surat")] = False,
    full: Annotated[
        bool,
        typer.Option(
            "--full", help="Bundel lengkap dengan identitas pelapor (Bawaslu/admin; dicatat)"
        ),
    ] = False,
    force: ForceOption = False,
    without_files: Annotated[
        bool, typer.Option("--without-files", help="Berkas bukti hanya dengan hash-nya")
    ] = False,
) -> None:
    """Ekspor bundel audit bertanda tangan (peristiwa, surat, aturan, checkpoint)."""
    flt = CaseFilter(state=state, region_code=region, is_open=open_)
    signer = _signer()
    secret = get_settings().reporter_hash_secret
    data = export_bundle(
        open_uow(),
        acting_user(),
        clock(),
        case_ids or None,
        None if case_ids else flt,
        with_pdf=not no_pdf,
        edition=FULL_EDITION if full else AUDITOR_EDITION,
        signer=signer,
        reporter_secret=secret.encode() if secret else None,
        with_evidence_files=not without_files,
    )
    write_file(out, data, force)
    report = verify_bundle(data, signer.public)
    if OPTIONS.json:
        emit_json({"out": str(out), "bytes": len(data), **report.to_dict()})
        return
    console.print(
        f"Bundel ({report.edition}) ditulis: {out} ({len(data)} bita): {report.cases} perkara, "
        f"{report.events} peristiwa, {report.letters} surat, "
        f"{report.checkpoints} checkpoint",
        highlight=False,
    )
    typer.echo(f"sha256 manifest: {report.manifest_sha256}")
    typer.echo(f"ditandatangani: {signer.fingerprint}")
    if full:
        err_console.print("[yellow]Perhatian:[/] bundel memuat identitas pelapor (rahasia).")


@app.command("exports")
@handles_errors
def exports() -> None:
    """Catatan ekspor bundel: siapa, edisi apa, perkara mana, kapan."""
    items = export_log(open_uow(), acting_user())
    if OPTIONS.json:
        emit_json(
            [{**item.__dict__, "exported_at": item.exported_at.isoformat()} for item in items]
        )
        return
    table = Table(title="Ekspor bundel audit")
    for column in ("#", "Waktu (UTC)", "Petugas", "Edisi", "Perkara", "sha256 manifest"):
        table.add_column(column, overflow="fold")
    for item in items:
        table.add_row(
            str(item.id),
            item.exported_at.strftime("%Y-%m-%d %H:%M"),
            f"{item.officer_id} ({item.officer_role})",
            item.edition,
            ", ".join(item.case_ids),
            item.manifest_sha256[:16],
        )
    console.print(table)


@app.command("verify-bundle")
@handles_errors
def verify_bundle_(
    bundle: Annotated[Path, typer.Argument(help="Berkas bundel .zip")],
    key: KeyOption = None,
) -> None:
    """Verifikasi bundel tanpa basis data (tanda tangan, rantai, surat dibuat ulang); kode 7 bila rusak."""
    public = load_public_key(key) if key is not None else None
    try:
        data = _read_limited(bundle, DEFAULT_LIMITS.archive_bytes, "Bundel")
    except InvalidInput as error:
        fail(error.message, 7)
    report = verify_bundle(data, public)
    if OPTIONS.json:
        emit_json(report.to_dict())
    elif report.ok:
        console.print(
            f"[green]Bundel utuh:[/] edisi {report.edition}, {report.cases} perkara, "
            f"{report.events} peristiwa, {report.letters} surat "
            f"({report.letters_rerendered} dibuat ulang sama persis, "
            f"{report.letters_withheld} ditahan), {report.checkpoints} checkpoint, "
            f"{report.proofs} bukti inklusi",
            highlight=False,
        )
        typer.echo(f"sha256 manifest: {report.manifest_sha256}")
        if report.signature_checked:
            typer.echo(f"tanda tangan sah: {report.signed_by}")
        else:
            typer.echo(
                f"tanda tangan TIDAK diperiksa (beri --key); bundel menyebut kunci "
                f"{report.signed_by or '-'}"
            )
        if report.redacted_events:
            typer.echo(
                f"{report.redacted_events} peristiwa dengan pelapor disamarkan (HMAC): isinya "
                "dijamin tanda tangan, bukan hash peristiwa"
            )
    else:
        for problem in report.problems:
            err_console.print(f"[red]RUSAK[/] {shown(problem)}", highlight=False)
    if not report.ok:
        raise typer.Exit(7)


@app.command("whatif")
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


@app.command("migrate")
@handles_errors
def migrate(
    case_id: str,
    rules: Annotated[str, typer.Option("--rules", help="Versi aturan tujuan")],
    reason: Annotated[str, typer.Option("--reason", help="Alasan migrasi (dicatat)")],
) -> None:
    """Pindahkan perkara ke versi aturan lain (dicatat sebagai peristiwa; tenggat dihitung ulang)."""
    case = migrate_rule_set(open_uow(), acting_user(), case_id, rules, reason, clock())
    print_case(case)
