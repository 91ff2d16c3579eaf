"""The bench report's CPU section: what one command costs the host at 8 clients, client and
server apart, for Netra and its references, and what the ratio targets to the minimal SQL
leave per command (`bench.cpu_budget`)."""

from __future__ import annotations

from typing import Any

from bench.cpu_budget import allowed_us
from bench.report_values import fmt, lookup

CLIENTS = "8"

# (label, variant, point family) in the order the table shows them
_ROWS = (
    ("Netra with letters", "netra", "points"),
    ("Netra without letters", "netra_pure", "points"),
    ("Netra with letters, processes", "netra", "process_points"),
    ("Netra without letters, processes", "netra_pure", "process_points"),
    ("eventsourcing peer", "peer", "points"),
    ("eventsourcing peer, processes", "peer", "process_points"),
    ("pgbench, Netra's own SQL", "pgbench", "points"),
    ("pgbench, Netra's own SQL without letters", "pgbench_pure", "points"),
    ("pgbench, minimal SQL", "pgbench", "minimal_points"),
)

# (the target's words, the measured variant and family, the ratio asked of the minimal SQL)
_BOUNDS = (
    ("Netra without letters at 40 %", ("netra_pure", "points"), 0.40),
    ("Netra's own SQL under pgbench at 60 %", ("pgbench", "points"), 0.60),
)


def cpu_lines(tr: dict[str, Any]) -> list[str]:
    """The table of CPU per command at 8 clients and the budget each ratio target leaves."""
    rows = []
    for label, variant, family in _ROWS:
        measured = lookup(tr, variant, family, CLIENTS) or {}
        cpu = measured.get("cpu") or {}
        if not cpu:
            continue
        rows.append(
            f"| {label} | {fmt(measured.get('throughput'))} | {fmt(cpu.get('client_us'))} | "
            f"{fmt(cpu.get('rest_us'))} | {fmt(cpu.get('total_us'))} | "
            f"{fmt(cpu.get('cores_busy'), 2)} |"
        )
    if not rows:
        return []
    lines = [
        "",
        f"**CPU per command at {CLIENTS} clients** (µs; `bench/cpu_budget.py`: the client's "
        "own CPU, and the rest of the host's busy CPU, that is PostgreSQL's backends, its WAL "
        "writer and the kernel's loopback network, over the same point; cores busy on "
        "average, of the host's all):",
        "",
        "| variant | commands/s | client | rest of the host | total | cores busy |",
        "|---|---|---|---|---|---|",
        *rows,
    ]
    budgets = [text for text in (_budget(tr, *bound) for bound in _BOUNDS) if text]
    if budgets:
        lines += [
            "",
            "**What the ratio targets leave per command**: at the cores a variant keeps "
            "busy, reaching the ratio r of the minimal SQL's throughput T leaves "
            "cores / (r T) of CPU per command, client and server together. " + " ".join(budgets),
        ]
    return lines


def _budget(tr: dict[str, Any], words: str, where: tuple[str, str], ratio: float) -> str:
    minimal = lookup(tr, "pgbench", "minimal_points", CLIENTS, "throughput")
    measured = lookup(tr, *where, CLIENTS) or {}
    cpu = measured.get("cpu") or {}
    allowed = allowed_us(cpu.get("cores_busy"), ratio, minimal)
    if allowed is None or cpu.get("total_us") is None:
        return ""
    return (
        f"{words} of {fmt(minimal)}/s: {fmt(allowed)} µs at {fmt(cpu['cores_busy'], 2)} "
        f"cores; it spends {fmt(cpu['total_us'])} ({fmt(cpu.get('client_us'))} of them in "
        "its client)."
    )
