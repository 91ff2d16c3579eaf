"""The `netra` entry point: global options and the sub-command groups."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from cli import admin, audit, bulk, cases, flows, identity, letters, workers
from cli import calendar as calendar_cli
from cli import deadlines as deadlines_cli
from cli import evidence as evidence_cli
from cli import intake as intake_cli
from cli import rules as rules_cli
from cli.common import OPTIONS, fail

app = typer.Typer(
    name="netra",
    help="Netra: penanganan pelanggaran netralitas ASN (Bawaslu → BKN → PPK/BKPSDM).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    db: Annotated[
        str | None, typer.Option("--db", help="URL basis data (NETRA_DATABASE_URL)")
    ] = None,
    as_: Annotated[
        str | None,
        typer.Option(
            "--as",
            help="Operator (token administrator): bertindak atas nama petugas ini; "
            "tercatat pada setiap peristiwa",
        ),
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Keluaran JSON")] = False,
    now: Annotated[
        str | None,
        typer.Option(help="Jam tetap (ISO), hanya untuk basis data demo/uji; produksi menolak"),
    ] = None,
) -> None:
    OPTIONS.database_url = db
    OPTIONS.user = as_
    OPTIONS.identity = None
    OPTIONS.json = json_
    if now:
        try:
            parsed = datetime.fromisoformat(now)
        except ValueError:
            fail(f"--now '{now}' bukan waktu ISO", 2)
        if parsed.tzinfo is None:
            from zoneinfo import ZoneInfo

            parsed = parsed.replace(tzinfo=ZoneInfo("Asia/Jakarta"))
        OPTIONS.now = parsed


app.command("init")(identity.init)
app.command("login")(identity.login)
app.command("logout")(identity.logout)
app.command("whoami")(identity.whoami)
app.add_typer(identity.users_app, name="user")
app.add_typer(identity.tokens_app, name="token")
app.command("demo")(admin.demo)
app.command("rebuild-projection")(admin.rebuild_projection)
app.add_typer(cases.app, name="case")
app.add_typer(letters.app, name="letter")
app.add_typer(audit.app, name="audit")
audit.app.command("registry")(identity.audit_registry)
app.add_typer(admin.institutions_app, name="institution")
app.add_typer(deadlines_cli.app, name="deadlines")
app.add_typer(calendar_cli.app, name="calendar")
app.command("serve")(workers.serve)
app.command("worker")(workers.worker)
app.command("api")(workers.api)
app.command("import")(bulk.import_reports_command)
app.add_typer(bulk.export_app, name="export")
app.add_typer(flows.app, name="flows")
app.add_typer(evidence_cli.app, name="evidence")
app.add_typer(intake_cli.app, name="intake")
app.add_typer(rules_cli.app, name="rules")
