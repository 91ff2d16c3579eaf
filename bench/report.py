"""Turns the suite's results into the Markdown printed and copied into the README (the
targets are checked in `bench.targets`, the figures looked up in `bench.report_values`)."""

from __future__ import annotations

from typing import Any

from bench.common import LIFECYCLE
from bench.report_cpu import cpu_lines
from bench.report_notes import (
    cpu_reference_line,
    own_register_lines,
    own_sql_without_letters_lines,
    read_every_command_lines,
    rounds_lines,
)
from bench.report_values import fmt, lookup, primary, ratios, throughput_of


def render_markdown(results: dict[str, Any]) -> str:
    lines: list[str] = []
    meta = results.get("meta", {})
    m = meta.get("machine", {})
    pg = m.get("postgresql", {})
    lines.append(
        f"Machine: {m.get('cpus')} CPUs ({m.get('cpu_model', '?')}), {m.get('memory_gb')} GB RAM, "
        f"PostgreSQL {pg.get('server_version', '?')} (fsync={pg.get('fsync')}, "
        f"synchronous_commit={pg.get('synchronous_commit')}), Python {m.get('python')}; "
        f"load average at start {m.get('load_average_at_start')}, at end "
        f"{m.get('load_average_at_end')}. Size: {meta.get('size')}, suite took "
        f"{meta.get('seconds')} s."
    )
    speed = cpu_reference_line(m)
    if speed:
        lines.append("")
        lines.append(speed)
    start = results.get("startup")
    if start and "seconds" in start:
        lines += [
            "",
            "**Start-up** (best of 5 fresh processes, SQLite demo database): "
            + ", ".join(f"`netra {k}` {v} s" for k, v in start["seconds"].items())
            + f" (Python alone {start['python_alone_s']} s). Slowest imports of `case show`"
            f" (-X importtime, cumulative): {'; '.join(start['slowest_imports_case_show'])}.",
        ]
    tr = results.get("transitions")
    if tr:
        lines += [
            "",
            "**Transitions** (commands/s; latency p50/p99 ms; one command = one "
            "transaction through `cases.commands.advance`)",
            "",
        ]
        header = [
            "clients",
            "Netra with letters",
            "p50/p99",
            "Netra, no letters",
            "pgbench, Netra's own SQL",
            "eventsourcing peer",
            "p50/p99",
            "pgbench, minimal SQL",
            "letters/peer",
            "no letters/peer",
            "no letters/minimal",
            "own SQL/minimal",
        ]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for mode, label in (("points", ""), ("process_points", " processes")):
            r = ratios(results, mode)
            for clients in r:
                point = lookup(tr, "netra", mode, clients) or {}
                peer = lookup(tr, "peer", mode, clients) or {}
                threads = mode == "points"
                row = [
                    clients + label,
                    fmt(point.get("throughput")),
                    f"{fmt(point.get('p50_ms'), 1)}/{fmt(point.get('p99_ms'), 1)}",
                    fmt(throughput_of(tr, "netra_pure", clients, mode)),
                    fmt(throughput_of(tr, "pgbench", clients)) if threads else "",
                    fmt(peer.get("throughput")),
                    f"{fmt(peer.get('p50_ms'), 1)}/{fmt(peer.get('p99_ms'), 1)}",
                    fmt(throughput_of(tr, "pgbench_minimal", clients)) if threads else "",
                    fmt(lookup(r, clients, "letters_vs_peer"), 2),
                    fmt(lookup(r, clients, "pure_vs_peer"), 2),
                    fmt(lookup(r, clients, "pure_vs_minimal"), 2),
                    fmt(lookup(r, clients, "own_sql_vs_minimal"), 2) if threads else "",
                ]
                lines.append("| " + " | ".join(str(x) for x in row) + " |")
        netra = primary(tr)
        if "error" in (tr.get("netra") or {}):
            lines += [
                "",
                f"Netra with letters failed: {tr['netra']['error']}; figures are without letters.",
            ]
        lines.append("")
        lines.append(
            f"Each case: {netra.get('events_per_case')} events, "
            f"{netra.get('letters_per_case')} letters over {len(LIFECYCLE)} steps. Rows "
            "'N processes': N client processes (an Engine / Application each) instead of "
            "threads. pgbench replays the SQL captured from a real advance() "
            f"({tr.get('compared_with_pgbench')}); the minimal SQL is one UPDATE of the "
            "projection's version and one INSERT of a hash-chained event; "
            f"{'pgbench: ' + str(lookup(tr, 'pgbench', 'reason')) if lookup(tr, 'pgbench', 'available') is False else ''}"
            f"{'peer: ' + str(lookup(tr, 'peer', 'reason')) if lookup(tr, 'peer', 'available') is False else ''}"
        )
        lines += rounds_lines(tr)
        lines += own_register_lines(tr)
        lines += own_sql_without_letters_lines(tr)
        lines += read_every_command_lines(tr)
        lines += cpu_lines(tr)
    overhead = results.get("overhead")
    if overhead and "us_per_transition" in overhead:
        parts = ", ".join(f"{k} {v}" for k, v in overhead["breakdown_us"].items())
        repetitions = overhead.get("repetitions_us") or []
        spread = (
            f"; the best of {len(repetitions)} repetitions: "
            + ", ".join(str(r) for r in repetitions)
            if len(repetitions) > 1
            else ""
        )
        lines += [
            "",
            f"**Engine overhead outside the database**: "
            f"{overhead['us_per_transition']} µs per transition ({parts} µs{spread}).",
        ]
    prof = results.get("profile")
    if prof and "by_category_us" in prof:
        lines += [
            "",
            f"**Profile** of {prof['transitions']} advance() calls at 1 client "
            f"(cProfile, {prof['wall_ms_per_transition_profiled']} ms each under the "
            "profiler; own time by area):",
            "",
            "| area | µs/transition | share |",
            "|---|---|---|",
        ]
        for name, item in prof["by_category_us"].items():
            lines.append(f"| {name} | {fmt(item['us'], 0)} | {item['share'] * 100:.0f} % |")
    con = results.get("contention")
    if con and "committed" in con:
        lines += [
            "",
            f"**Contention**: {con['clients']} clients on {con['cases']} cases: "
            f"{con['committed']}/{con['expected_commits']} steps committed, "
            f"{con['conflicts']} clean conflicts (retried), {con['unclean_errors']} "
            f"unclean errors, {len(con['lost_or_duplicate'])} lost/duplicate problems, "
            f"{fmt(con['throughput'])} commits/s — {'OK' if con['ok'] else 'FAILED'}.",
        ]
    lines += _simple_sections(results)
    rows = results.get("targets") or []
    if rows:
        lines += ["", "**Targets**", "", "| target | measured | met |", "|---|---|---|"]
        for row in rows:
            met = {True: "yes", False: "**no**", None: "—"}[row["met"]]
            lines.append(f"| {row['target']} | {fmt(row['value'], 2)} | {met} |")
    return "\n".join(lines) + "\n"


def _simple_sections(results: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    sweep = lookup(results, "sweep", "points")
    if sweep:
        lines += [
            "",
            "**Deadline sweep**: " + "; ".join(f"{n} cases: {_brief(p)}" for n, p in sweep.items()),
        ]
    verify = results.get("verify")
    if verify:
        s = verify.get("suite") or {}
        lines += [
            "",
            f"**Verify**: {fmt(s.get('events'))} events: from PostgreSQL "
            f"{fmt(s.get('verify_from_db_events_per_s'))} events/s, in memory "
            f"{fmt(s.get('verify_in_memory_events_per_s'))}/s, canonical JSON alone "
            f"{fmt(s.get('canonical_json_events_per_s'))}/s, raw sha256 over the same "
            f"bytes {fmt(s.get('raw_sha256_events_per_s'))}/s (ratio "
            f"{fmt(s.get('ratio_db_to_raw'), 3)}). Auditor bench: "
            f"{_brief(verify.get('auditor_bench'))}.",
        ]
    replay = lookup(results, "replay", "suite", "by_case_length")
    if replay:
        lines += [
            "",
            "**Replay** (load + fold one case): "
            + "; ".join(f"{n} events {p['total_ms']} ms" for n, p in replay.items())
            + f". Auditor bench: {_brief(lookup(results, 'replay', 'auditor_bench'))}.",
        ]
    letters = results.get("letters")
    if letters:
        lines += ["", f"**Letters**: {_brief(letters)}."]
    mem = lookup(results, "memory", "points")
    if mem:
        lines += [
            "",
            "**Memory** (peak RSS of a fresh process): "
            + "; ".join(
                f"{n} cases: iterate_cases {lookup(p, 'iterate_cases', 'peak_rss_mb')} MB, "
                f"verify_chains {lookup(p, 'verify_chains', 'peak_rss_mb')} MB"
                for n, p in mem.items()
            ),
        ]
    scl = lookup(results, "scaling", "points")
    if scl:
        lines += [
            "",
            "**Scaling** (1 client, mean ms per transition by events already "
            "stored): "
            + "; ".join(
                f"{fmt(p['events_in_table'])} events: {p['mean_ms']} ms" for p in scl.values()
            )
            + f" (growth {lookup(results, 'scaling', 'growth_last_vs_first')}x).",
        ]
    for name in (
        "startup",
        "sweep",
        "verify",
        "replay",
        "letters",
        "memory",
        "scaling",
        "transitions",
        "overhead",
        "profile",
        "contention",
    ):
        error = lookup(results, name, "error")
        if error:
            lines += ["", f"**{name}**: error — {error}"]
    return lines


def _brief(data: Any) -> str:
    if not isinstance(data, dict):
        return fmt(data)
    if data.get("available") is False:
        return f"not available ({data.get('reason')})"
    if "error" in data:
        return f"error ({data['error']})"
    items = [
        f"{k}={fmt(v, 1)}"
        for k, v in data.items()
        if k != "available" and isinstance(v, int | float | str) and len(str(v)) < 40
    ]
    return ", ".join(items[:8])
