"""The paragraphs the bench report prints beside its tables: the host's speed, the rounds
behind each target point, and the labelled variants of the transitions comparison."""

from __future__ import annotations

from typing import Any

from bench.report_values import fmt, lookup, ratio_text, throughput_of

_ROUND_SERIES = (
    ("Netra with letters", "netra", "points"),
    ("Netra without letters", "netra_pure", "points"),
    ("pgbench, Netra's own SQL", "pgbench", "points"),
    ("pgbench, minimal SQL", "pgbench", "minimal_points"),
    ("peer", "peer", "points"),
    ("Netra with letters, processes", "netra", "process_points"),
    ("Netra without letters, processes", "netra_pure", "process_points"),
    ("peer, processes", "peer", "process_points"),
)


def rounds_lines(tr: dict[str, Any]) -> list[str]:
    """Every round's throughput of the points measured in several rounds (`bench.rounds`)."""
    series = []
    for label, key, family in _ROUND_SERIES:
        points = lookup(tr, key, family) or {}
        shown = [
            f"{clients}: {', '.join(fmt(x) for x in point['rounds'])}"
            for clients, point in sorted(points.items(), key=lambda item: int(item[0]))
            if isinstance(point, dict) and point.get("rounds")
        ]
        if shown:
            series.append(f"{label} ({'; '.join(shown)})")
    if not series:
        return []
    return [
        "",
        f"**Rounds**: at 1 and 8 clients each figure above is the median of {tr.get('rounds')} "
        "rounds, each round running every variant once in the same order (so a drift of the "
        "host's speed within the run reaches Netra and its references alike); every round's "
        "commands/s, in the order run: " + "; ".join(series) + ".",
    ]


def cpu_reference_line(machine: dict[str, Any]) -> str:
    """The host's speed at the start and the end of the run (`bench/cpu_reference.py`)."""
    shown = []
    for moment in ("start", "end"):
        ref = machine.get(f"cpu_reference_at_{moment}")
        if ref:
            shown.append(
                f"at {moment} {ref.get('python_ms')} ms of pure Python, "
                f"sha256 {ref.get('sha256_mb_s')} MB/s"
            )
    if not shown:
        return ""
    return (
        "**Host speed** (`bench/cpu_reference.py`, a fixed workload, best of 5; lower ms and "
        "higher MB/s mean a faster host, and every figure below moves with it): "
        + "; ".join(shown)
        + "."
    )


def variant_lines(
    tr: dict[str, Any], points: dict[str, Any], references: dict[str, str], title: str
) -> list[str]:
    """A labelled variant's throughput per client count, as a ratio of each reference
    (label: key of `_throughput`), in one paragraph after `title`."""
    shown = []
    for clients, point in sorted(points.items(), key=lambda item: int(item[0])):
        if not (isinstance(point, dict) and point.get("throughput")):
            continue
        of = ", ".join(
            f"{ratio_text(point['throughput'], throughput_of(tr, key, clients))} of the {label}"
            for label, key in references.items()
        )
        plural = "s" if clients != "1" else ""
        shown.append(f"{clients} client{plural} {fmt(point['throughput'])}/s ({of})")
    return ["", f"{title}: " + "; ".join(shown) + "."] if shown else []


def own_register_lines(tr: dict[str, Any]) -> list[str]:
    """The labelled variant of the own-SQL pgbench: a letter register per client."""
    return variant_lines(
        tr,
        lookup(tr, "pgbench", "own_register_points") or {},
        {"minimal SQL": "pgbench_minimal"},
        "**pgbench, Netra's own SQL with a letter register per client** (a labelled variant, "
        "not the figure above: there every client numbers its letters in the same register, "
        "whose counter row is locked from the reservation to the COMMIT; here each client "
        "has its own, as officers of different offices do)",
    )


def own_sql_without_letters_lines(tr: dict[str, Any]) -> list[str]:
    """The labelled variant of the own-SQL pgbench: the steps' SQL without their letters."""
    return variant_lines(
        tr,
        lookup(tr, "pgbench_pure", "points") or {},
        {"minimal SQL": "pgbench_minimal"},
        "**pgbench, Netra's own SQL without letters** (a labelled variant, not the figure "
        "above: the statements `advance()` sends when its steps issue no letters, so no "
        "letter counter row is shared and no letter row written)",
    )


def read_every_command_lines(tr: dict[str, Any]) -> list[str]:
    """The labelled variant without letters in which every command reads its case."""
    return variant_lines(
        tr,
        lookup(tr, "netra_pure_read", "points") or {},
        {"peer": "peer", "minimal SQL": "pgbench_minimal"},
        "**Netra without letters, every command reading its case** (a labelled variant, not "
        "the figure above: there a process's later commands on a case start from the "
        "snapshot it wrote, `db/case_cache.py`; here none does, as for a case's first "
        "command in a process)",
    )
