"""The `netra` command line (Typer + rich): parse, call a service, print. No rules here."""
