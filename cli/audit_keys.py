"""`netra audit keygen|publish`: the auditor's Ed25519 signing key, kept outside the
database, and the signed checkpoint roots published with it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from cases.checkpoints import publish_roots
from cases.signing import Signer, generate_key, load_signer
from cli.audit_inputs import ForceOption
from cli.common import OPTIONS, acting_user, clock, emit_json, handles_errors, open_uow
from cli.output_files import write_file
from db.settings import get_settings


def signing_key_path() -> Path:
    """NETRA_SIGNING_KEY_FILE, or ~/.config/netra/signing-ed25519.pem (outside the database)."""
    configured = get_settings().signing_key_file
    if configured:
        return Path(configured).expanduser()
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "netra" / "signing-ed25519.pem"


def auditor_signer() -> Signer:
    """The signer whose private key lies at signing_key_path()."""
    return load_signer(signing_key_path())


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


@handles_errors
def publish(
    out: Annotated[Path, typer.Option("--out", help="Berkas akar bertanda tangan (JSON)")],
    force: ForceOption = False,
) -> None:
    """Tulis akar checkpoint yang ditandatangani, untuk diumumkan di luar basis data."""
    signer = auditor_signer()
    data = publish_roots(open_uow(), acting_user(), signer, clock())
    write_file(out, data, force, mode=0o644)
    if OPTIONS.json:
        emit_json({"out": str(out), "bytes": len(data), "key_fingerprint": signer.fingerprint})
        return
    typer.echo(f"Akar checkpoint ditulis: {out}")
    typer.echo(f"Sidik jari kunci: {signer.fingerprint}")
