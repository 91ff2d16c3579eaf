"""The `netra audit` group: which command lives where, in the order `netra audit --help`
lists them. The commands themselves: the auditor's signing key and publication
(cli.audit_keys), checks and replays of the record (cli.audit_records), checkpoints
(cli.audit_checkpoints), offline bundles (cli.audit_bundles), rule-set versions
(cli.audit_rulesets) and the registry's history (cli.identity)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

from cli import audit_bundles, audit_checkpoints, audit_keys, audit_records, audit_rulesets
from cli.identity import audit_registry

app = typer.Typer(
    help="Audit: verifikasi, replay, checkpoint, ekspor bundel, versi aturan.", no_args_is_help=True
)

COMMANDS: tuple[tuple[str, Callable[..., Any]], ...] = (
    ("keygen", audit_keys.keygen),
    ("publish", audit_keys.publish),
    ("verify", audit_records.verify),
    ("replay", audit_records.replay),
    ("diff", audit_records.diff_),
    ("checkpoint", audit_checkpoints.checkpoint),
    ("checkpoints", audit_checkpoints.checkpoints),
    ("export", audit_bundles.export),
    ("exports", audit_bundles.exports),
    ("verify-bundle", audit_bundles.verify_bundle_),
    ("whatif", audit_rulesets.whatif_),
    ("migrate", audit_rulesets.migrate),
    ("registry", audit_registry),
)

for name, command in COMMANDS:
    app.command(name)(command)
